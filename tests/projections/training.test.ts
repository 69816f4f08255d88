// Courses with their counters, and per partner each user's enrolments, completions and certificates with expiry.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { foldEvents, type AnyProjection } from '../../projections/projection.ts'
import { certificateValid, coursesProjection, trainingProjection, validCertifications, type PartnerTrainingDoc } from '../../projections/training.ts'

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
})
