// Courses with their counters, and per partner each user's enrolments, completions and certificates with expiry.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { foldEvents, type AnyProjection } from '../../projections/projection.ts'
import { assessmentsProjection, certificateValid, coursesProjection, trainingProjection, validCertifications, type AssessmentDoc, type CourseDoc, type PartnerTrainingDoc } from '../../projections/training.ts'

let position = 0n
function ev(type: string, data: Record<string, unknown>, occurredAt = '2026-03-01T10:00:00.000Z'): RecordedEvent {
  position++
  return {
    id: `e${position}`, type, streamId: 'course-c1', streamRevision: 0n, globalPosition: position, data,
    metadata: { actor: 'u1', tenant: 'default', occurredAt, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
    recordedAt: occurredAt,
  } as unknown as RecordedEvent
}
const fold = (projection: AnyProjection, events: RecordedEvent[]) => {
  const docs = new Map<string, unknown>()
  for (const e of events) foldEvents(projection, docs, e)
  return docs
}
const learner = (userId: string, partnerId = 'p1') => ({ courseId: 'c1', partnerId, userId })
const history = [
  ev('CoursePublished', { courseId: 'c1', title: 'Edge Firewall Professional', description: 'd', certification: { name: 'Edge Firewall Professional', validityMonths: 12 } }),
  ev('EnrolledInCourse', learner('u1'), '2026-03-02T10:00:00.000Z'),
  ev('EnrolledInCourse', learner('u2'), '2026-03-02T11:00:00.000Z'),
  ev('EnrolledInCourse', learner('u9', 'p2')),
  ev('CourseCompleted', { ...learner('u1'), score: 91, passed: true, completedOn: '2026-03-10' }, '2026-03-10T10:00:00.000Z'),
  ev('CertificationEarned', { ...learner('u1'), certification: 'Edge Firewall Professional', validUntil: '2027-03-10', renewal: false }, '2026-03-10T10:00:00.000Z'),
  ev('CourseCompleted', { ...learner('u2'), score: 40, passed: false, completedOn: '2026-03-11' }, '2026-03-11T10:00:00.000Z'),
]

describe('training projections', () => {
  test('course counters', () => {
    const docs = fold(coursesProjection, history)
    expect(docs.get('c1')).toMatchObject({ title: 'Edge Firewall Professional', enrolments: 3, completions: 2, passes: 1, certificationsEarned: 1 })
  })

  test("a course's pass mark: its own, or 70 for a course published before courses carried one", () => {
    expect(fold(coursesProjection, history).get('c1')).toMatchObject({ passMark: 70 })
    const own = ev('CoursePublished', { courseId: 'c2', title: 'Cloud Backup Basics', description: 'd', certification: null, passMark: 85 })
    expect(fold(coursesProjection, [own]).get('c2')).toMatchObject({ passMark: 85 })
  })

  test('enrolments, completions and certificates per user, grouped by partner', () => {
    const docs = fold(trainingProjection, history)
    const p1 = docs.get('p1') as PartnerTrainingDoc
    expect(p1.learners.u1!.courses.c1).toMatchObject({ status: 'Passed', score: 91, completedOn: '2026-03-10', attempts: 1 })
    expect(p1.learners.u1!.certificates.c1).toEqual({ courseId: 'c1', certification: 'Edge Firewall Professional', earnedOn: '2026-03-10', validUntil: '2027-03-10', lapsed: false, renewals: 0 })
    expect(p1.learners.u2!.courses.c1).toMatchObject({ status: 'Failed', score: 40 })
    expect(p1.learners.u2!.certificates).toEqual({})
    expect(Object.keys((docs.get('p2') as PartnerTrainingDoc).learners)).toEqual(['u9'])
  })

  test('certificates expire after validUntil and lapse; a renewal counts', () => {
    const docs = fold(trainingProjection, [
      ...history,
      ev('CertificationLapsed', { ...learner('u1'), certification: 'Edge Firewall Professional', validUntil: '2027-03-10' }, '2027-03-11T00:00:00.000Z'),
    ])
    const p1 = docs.get('p1') as PartnerTrainingDoc
    expect(p1.learners.u1!.certificates.c1!.lapsed).toBe(true)
    expect(validCertifications(p1, '2027-03-01')).toEqual([])
    const again = fold(trainingProjection, [...history, ev('EnrolledInCourse', learner('u1')), ev('CertificationEarned', { ...learner('u1'), certification: 'Edge Firewall Professional', validUntil: '2028-01-01', renewal: true })])
    expect((again.get('p1') as PartnerTrainingDoc).learners.u1!.certificates.c1).toMatchObject({ renewals: 1, validUntil: '2028-01-01', lapsed: false })
  })

  test('valid certifications of a partner as of a day', () => {
    const p1 = fold(trainingProjection, history).get('p1') as PartnerTrainingDoc
    expect(validCertifications(p1, '2027-03-10')).toEqual(['Edge Firewall Professional'])
    expect(validCertifications(p1, '2027-03-11')).toEqual([])
    expect(certificateValid({ lapsed: false, validUntil: '2026-12-31' }, '2026-12-31')).toBe(true)
    expect(validCertifications(null, '2026-01-01')).toEqual([])
  })

  describe('assessments', () => {
    const q = (id: string, right: boolean) => ({ questionId: id, text: `Question ${id}`, kind: 'single', choices: [{ choiceId: `${id}c1`, text: 'A', correct: right }, { choiceId: `${id}c2`, text: 'B', correct: !right }] })
    const v1 = ev('AssessmentPublished', { courseId: 'c1', version: 1, passMark: 80, questions: [q('q1', true), q('q2', false)] }, '2026-03-05T10:00:00.000Z')
    const v2 = ev('AssessmentPublished', { courseId: 'c1', version: 2, passMark: 60, questions: [q('q1', false), q('q2', false), q('q3', true)] }, '2026-04-01T10:00:00.000Z')
    const attempt = ev('AssessmentTaken', { ...learner('u2'), assessmentVersion: 1, answers: { q1: ['q1c1'], q2: ['q2c1'] }, correct: 1, questions: 2, wrongQuestionIds: ['q2'], score: 50, passed: false }, '2026-03-11T10:00:00.000Z')

    test('a course published before assessments existed has none; a version gives it one, and its pass mark', () => {
      expect(fold(coursesProjection, history).get('c1')).toMatchObject({ assessment: null, passMark: 70 })
      expect(fold(coursesProjection, [...history, v1, v2]).get('c1')).toMatchObject({ assessment: { version: 2, questions: 3 }, passMark: 60 })
      expect(JSON.stringify(fold(coursesProjection, [...history, v1]).get('c1') as CourseDoc)).not.toMatch(/correct|q1c1/)
    })

    test('every version is kept, the current one named', () => {
      const doc = fold(assessmentsProjection, [v1, v2]).get('c1') as AssessmentDoc
      expect(doc.current).toBe(2)
      expect(Object.keys(doc.versions)).toEqual(['1', '2'])
      expect(doc.versions['1']).toMatchObject({ passMark: 80, publishedAt: '2026-03-05T10:00:00.000Z' })
    })

    test("a learner's last attempt: the server's score and the wrong questions, no answers", () => {
      const completed = ev('CourseCompleted', { ...learner('u2'), score: 50, passed: false, completedOn: '2026-03-11' }, '2026-03-11T10:00:00.000Z')
      const docs = fold(trainingProjection, [history[2]!, attempt, completed])
      const course = (docs.get('p1') as PartnerTrainingDoc).learners.u2!.courses.c1!
      expect(course).toMatchObject({ status: 'Failed', score: 50, attempts: 1 })
      expect(course.lastAttempt).toEqual({ assessmentVersion: 1, correct: 1, questions: 2, score: 50, passed: false, wrongQuestionIds: ['q2'], at: '2026-03-11T10:00:00.000Z' })
      // a retake enrols again and keeps the last result until the next attempt
      const again = fold(trainingProjection, [history[2]!, attempt, completed, ev('EnrolledInCourse', learner('u2'))])
      expect((again.get('p1') as PartnerTrainingDoc).learners.u2!.courses.c1).toMatchObject({ status: 'Enrolled', lastAttempt: { score: 50 } })
    })

    test('a completion stored before assessments has no attempt', () => {
      const p1 = fold(trainingProjection, history).get('p1') as PartnerTrainingDoc
      expect(p1.learners.u1!.courses.c1).toMatchObject({ score: 91, lastAttempt: null })
    })
  })
})
