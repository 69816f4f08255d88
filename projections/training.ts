// Training: the course catalogue with counters, each course's assessment versions (with the answer key: never sent to a
// learner as is), and per partner each user's enrolments, last attempt and certifications.
import type { Question } from '../domain/training/assessment.ts'
import { DEFAULT_PASS_MARK } from '../domain/training/course.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type CourseDoc = {
  courseId: string
  title: string
  description: string
  certification: { name: string; validityMonths: number } | null
  /** percent a completion needs to pass: the current assessment's */
  passMark: number
  /** the current assessment (its version and size, not its questions), null for a course published without one */
  assessment: { version: number; questions: number } | null
  publishedAt: string
  publishedBy: string
  enrolments: number
  completions: number
  passes: number
  certificationsEarned: number
}

export const coursesProjection: Projection<CourseDoc | null, RecordedOf<'CoursePublished' | 'AssessmentPublished' | 'EnrolledInCourse' | 'CourseCompleted' | 'CertificationEarned'>> = {
  name: 'courses',
  version: 3,
  handles: ['CoursePublished', 'AssessmentPublished', 'EnrolledInCourse', 'CourseCompleted', 'CertificationEarned'],
  keysOf: (event) => [event.data.courseId],
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    if (type === 'CoursePublished') {
      return {
        courseId: data.courseId, title: data.title, description: data.description, certification: data.certification ?? null,
        passMark: data.passMark ?? DEFAULT_PASS_MARK, assessment: null, publishedAt: event.metadata.occurredAt, publishedBy: event.metadata.actor, enrolments: 0, completions: 0, passes: 0, certificationsEarned: 0,
      }
    }
    if (!state) return state
    switch (type) {
      case 'AssessmentPublished': return { ...state, passMark: data.passMark, assessment: { version: data.version, questions: data.questions.length } }
      case 'EnrolledInCourse': return { ...state, enrolments: state.enrolments + 1 }
      case 'CourseCompleted': return { ...state, completions: state.completions + 1, passes: state.passes + (data.passed ? 1 : 0) }
      case 'CertificationEarned': return { ...state, certificationsEarned: state.certificationsEarned + 1 }
      default: return state
    }
  },
}

export type AssessmentVersion = { version: number; passMark: number; publishedAt: string; questions: Question[] }
/** a course's assessment, every version kept: an attempt's result names questions of the version it answered */
export type AssessmentDoc = { courseId: string; current: number; versions: Record<string, AssessmentVersion> }

export const assessmentsProjection: Projection<AssessmentDoc | null, RecordedOf<'AssessmentPublished'>> = {
  name: 'assessments',
  version: 1,
  handles: ['AssessmentPublished'],
  keysOf: (event) => [event.data.courseId],
  initialState: () => null,
  evolve(state, event) {
    const { courseId, version, passMark, questions } = event.data
    const versions = { ...state?.versions, [version]: { version, passMark, publishedAt: event.metadata.occurredAt, questions } }
    return { courseId, current: Math.max(version, state?.current ?? 0), versions }
  },
}

/** a scored attempt as the learner may see it: which questions were wrong, never the right answers */
export type AttemptResult = {
  assessmentVersion: number
  correct: number
  questions: number
  score: number
  passed: boolean
  wrongQuestionIds: string[]
  at: string
}

export type Enrolment = {
  courseId: string
  status: 'Enrolled' | 'Passed' | 'Failed'
  enrolledAt: string
  completedOn: string | null
  score: number | null
  attempts: number
  /** the last assessment answered; null before assessments existed or before a first attempt */
  lastAttempt: AttemptResult | null
}
export type CertificateRecord = {
  courseId: string
  certification: string
  earnedOn: string
  validUntil: string
  lapsed: boolean
  renewals: number
}
export type LearnerRecord = { userId: string; courses: Record<string, Enrolment>; certificates: Record<string, CertificateRecord> }
export type PartnerTrainingDoc = { partnerId: string; learners: Record<string, LearnerRecord> }

export const trainingProjection: Projection<PartnerTrainingDoc | null, RecordedOf<'EnrolledInCourse' | 'AssessmentTaken' | 'CourseCompleted' | 'CertificationEarned' | 'CertificationLapsed'>> = {
  name: 'training',
  version: 2,
  handles: ['EnrolledInCourse', 'AssessmentTaken', 'CourseCompleted', 'CertificationEarned', 'CertificationLapsed'],
  keysOf: (event) => [event.data.partnerId],
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    const doc: PartnerTrainingDoc = state ?? { partnerId: data.partnerId, learners: {} }
    const learner: LearnerRecord = doc.learners[data.userId] ?? { userId: data.userId, courses: {}, certificates: {} }
    const at = event.metadata.occurredAt
    const put = (next: LearnerRecord): PartnerTrainingDoc => ({ ...doc, learners: { ...doc.learners, [data.userId]: next } })
    switch (type) {
      case 'EnrolledInCourse': {
        const previous = learner.courses[data.courseId]
        return put({
          ...learner,
          courses: {
            ...learner.courses,
            [data.courseId]: {
              courseId: data.courseId, status: 'Enrolled', enrolledAt: at, completedOn: previous?.completedOn ?? null, score: previous?.score ?? null,
              attempts: previous?.attempts ?? 0, lastAttempt: previous?.lastAttempt ?? null,
            },
          },
        })
      }
      case 'AssessmentTaken': {
        const previous = learner.courses[data.courseId]
        const { assessmentVersion, correct, questions, score, passed, wrongQuestionIds } = data
        const lastAttempt: AttemptResult = { assessmentVersion, correct, questions, score, passed, wrongQuestionIds, at }
        const base: Enrolment = previous ?? { courseId: data.courseId, status: 'Enrolled', enrolledAt: at, completedOn: null, score: null, attempts: 0, lastAttempt: null }
        return put({ ...learner, courses: { ...learner.courses, [data.courseId]: { ...base, lastAttempt } } })
      }
      case 'CourseCompleted': {
        const previous = learner.courses[data.courseId]
        return put({
          ...learner,
          courses: {
            ...learner.courses,
            [data.courseId]: {
              courseId: data.courseId, status: data.passed ? 'Passed' : 'Failed', enrolledAt: previous?.enrolledAt ?? at,
              completedOn: data.completedOn, score: data.score, attempts: (previous?.attempts ?? 0) + 1, lastAttempt: previous?.lastAttempt ?? null,
            },
          },
        })
      }
      case 'CertificationEarned': {
        const previous = learner.certificates[data.courseId]
        return put({
          ...learner,
          certificates: {
            ...learner.certificates,
            [data.courseId]: {
              courseId: data.courseId, certification: data.certification, earnedOn: at.slice(0, 10), validUntil: data.validUntil,
              lapsed: false, renewals: previous ? previous.renewals + 1 : 0,
            },
          },
        })
      }
      case 'CertificationLapsed': {
        const previous = learner.certificates[data.courseId]
        if (!previous) return doc
        return put({ ...learner, certificates: { ...learner.certificates, [data.courseId]: { ...previous, lapsed: true } } })
      }
      default:
        return state
    }
  },
}

/** a certificate is valid on `today` (YYYY-MM-DD) when it has not lapsed and today is not after validUntil */
export const certificateValid = (certificate: Pick<CertificateRecord, 'lapsed' | 'validUntil'>, today: string) =>
  !certificate.lapsed && today <= certificate.validUntil

/** names of the certifications some user of the partner holds, valid today */
export function validCertifications(doc: PartnerTrainingDoc | null, today: string): string[] {
  if (!doc) return []
  const names = new Set<string>()
  for (const learner of Object.values(doc.learners))
    for (const certificate of Object.values(learner.certificates)) if (certificateValid(certificate, today)) names.add(certificate.certification)
  return [...names].sort()
}
