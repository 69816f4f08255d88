// Training: the course catalogue with counters, and per partner each user's enrolments and certifications.
import { DEFAULT_PASS_MARK } from '../domain/training/course.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type CourseDoc = {
  courseId: string
  title: string
  description: string
  certification: { name: string; validityMonths: number } | null
  /** percent a completion needs to pass */
  passMark: number
  publishedAt: string
  publishedBy: string
  enrolments: number
  completions: number
  passes: number
  certificationsEarned: number
}

export const coursesProjection: Projection<CourseDoc | null, RecordedOf<'CoursePublished' | 'EnrolledInCourse' | 'CourseCompleted' | 'CertificationEarned'>> = {
  name: 'courses',
  version: 2,
  handles: ['CoursePublished', 'EnrolledInCourse', 'CourseCompleted', 'CertificationEarned'],
  keysOf: (event) => [event.data.courseId],
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    if (type === 'CoursePublished') {
      return {
        courseId: data.courseId, title: data.title, description: data.description, certification: data.certification ?? null,
        passMark: data.passMark ?? DEFAULT_PASS_MARK, publishedAt: event.metadata.occurredAt, publishedBy: event.metadata.actor, enrolments: 0, completions: 0, passes: 0, certificationsEarned: 0,
      }
    }
    if (!state) return state
    switch (type) {
      case 'EnrolledInCourse': return { ...state, enrolments: state.enrolments + 1 }
      case 'CourseCompleted': return { ...state, completions: state.completions + 1, passes: state.passes + (data.passed ? 1 : 0) }
      case 'CertificationEarned': return { ...state, certificationsEarned: state.certificationsEarned + 1 }
      default: return state
    }
  },
}

export type Enrolment = {
  courseId: string
  status: 'Enrolled' | 'Passed' | 'Failed'
  enrolledAt: string
  completedOn: string | null
  score: number | null
  attempts: number
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

export const trainingProjection: Projection<PartnerTrainingDoc | null, RecordedOf<'EnrolledInCourse' | 'CourseCompleted' | 'CertificationEarned' | 'CertificationLapsed'>> = {
  name: 'training',
  version: 1,
  handles: ['EnrolledInCourse', 'CourseCompleted', 'CertificationEarned', 'CertificationLapsed'],
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
            [data.courseId]: { courseId: data.courseId, status: 'Enrolled', enrolledAt: at, completedOn: previous?.completedOn ?? null, score: previous?.score ?? null, attempts: previous?.attempts ?? 0 },
          },
        })
      }
      case 'CourseCompleted': {
        const previous = learner.courses[data.courseId]
        return put({
          ...learner,
          courses: {
            ...learner.courses,
            [data.courseId]: {
              courseId: data.courseId, status: data.passed ? 'Passed' : 'Failed', enrolledAt: previous?.enrolledAt ?? at,
              completedOn: data.completedOn, score: data.score, attempts: (previous?.attempts ?? 0) + 1,
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
