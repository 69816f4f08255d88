// Training courses: publication, enrolments, completions, and the certifications they grant, lapse and renew.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id, IsoDate, Text } from '../shared/schemas.ts'
import { AssessmentPublishedData, AssessmentTakenData, type Question } from './assessment.ts'

export const streamId = (courseId: string) => `course-${courseId}`

export const Certification = z.object({
  name: Text.describe('certification a pass grants'),
  validityMonths: z.number().int().positive().describe('months a certification stays valid'),
})
const learner = { courseId: Id, partnerId: Id, userId: Id }

/** the score (percent) a final assessment needs to pass, for a course published without its own */
export const DEFAULT_PASS_MARK = 70

export const CoursePublishedData = z.object({
  courseId: Id,
  title: Text,
  description: Text,
  certification: Certification.nullable().describe('null when the course certifies nothing'),
  // optional: courses published before it existed read as DEFAULT_PASS_MARK, so no upcaster is needed
  passMark: z.number().int().min(0).max(100).optional().describe(`percent a completion needs to pass; absent: ${DEFAULT_PASS_MARK}`),
})
export const EnrolledInCourseData = z.object({ ...learner })
export const CourseCompletedData = z.object({
  ...learner,
  score: z.number().min(0).max(100).describe('percent'),
  passed: z.boolean(),
  completedOn: IsoDate,
}).describe('The learner finished an attempt. Since assessments, the score is the one the course computed (see the AssessmentTaken just before it); a completion without one was stored before assessments existed, with the score the learner typed.')
export const CertificationEarnedData = z.object({
  ...learner,
  certification: Text,
  validUntil: IsoDate.describe('last valid day'),
  renewal: z.boolean().describe('the learner held this certification before'),
})
export const CertificationLapsedData = z.object({ ...learner, certification: Text, validUntil: IsoDate.describe('the day it was last valid') })

export const courseEventSchemas = {
  CoursePublished: CoursePublishedData,
  EnrolledInCourse: EnrolledInCourseData,
  CourseCompleted: CourseCompletedData,
  CertificationEarned: CertificationEarnedData,
  CertificationLapsed: CertificationLapsedData,
  // new event types (no upcaster): a course published before assessments existed simply has no AssessmentPublished
  AssessmentPublished: AssessmentPublishedData,
  AssessmentTaken: AssessmentTakenData,
} as const

export type CoursePublished = DomainEvent<'CoursePublished', z.infer<typeof CoursePublishedData>>
export type EnrolledInCourse = DomainEvent<'EnrolledInCourse', z.infer<typeof EnrolledInCourseData>>
export type CourseCompleted = DomainEvent<'CourseCompleted', z.infer<typeof CourseCompletedData>>
export type CertificationEarned = DomainEvent<'CertificationEarned', z.infer<typeof CertificationEarnedData>>
export type CertificationLapsed = DomainEvent<'CertificationLapsed', z.infer<typeof CertificationLapsedData>>
export type AssessmentPublished = DomainEvent<'AssessmentPublished', z.infer<typeof AssessmentPublishedData>>
export type AssessmentTaken = DomainEvent<'AssessmentTaken', z.infer<typeof AssessmentTakenData>>
export type CourseEvent = CoursePublished | EnrolledInCourse | CourseCompleted | CertificationEarned | CertificationLapsed | AssessmentPublished | AssessmentTaken
export type CourseEventType = CourseEvent['type']

export type Learner = {
  partnerId: string
  enrolled: boolean
  certificate: { validUntil: string; lapsed: boolean } | null
}
export type Course =
  | { status: 'Initial' }
  | {
      status: 'Published'
      courseId: string
      title: string
      certification: z.infer<typeof Certification> | null
      /** the score (percent) a completion needs to pass: the current assessment's, else the course's */
      passMark: number
      /** the current assessment version, null while the course has none */
      assessmentVersion: number | null
      /** every version published, by number: an attempt is scored against the version it answered */
      assessments: Record<number, { passMark: number; questions: Question[] }>
      /** by userId */
      learners: Record<string, Learner>
    }

export const initialState = (): Course => ({ status: 'Initial' })

/** The learner an event is about as the event leaves it, or null for an event that changes no learner. */
function learnerAfter(learners: Record<string, Learner>, event: CourseEvent): Learner | null {
  if (event.type === 'CoursePublished' || event.type === 'AssessmentPublished' || event.type === 'AssessmentTaken') return null
  const current = learners[event.data.userId] ?? { partnerId: event.data.partnerId, enrolled: false, certificate: null }
  switch (event.type) {
    case 'EnrolledInCourse':
      return { ...current, enrolled: true }
    case 'CourseCompleted':
      return { ...current, enrolled: false }
    case 'CertificationEarned':
      return { ...current, certificate: { validUntil: event.data.validUntil, lapsed: false } }
    case 'CertificationLapsed':
      return current.certificate ? { ...current, certificate: { ...current.certificate, lapsed: true } } : null
    default:
      return null
  }
}

export function evolve(state: Course, event: CourseEvent): Course {
  if (event.type === 'CoursePublished')
    return {
      status: 'Published', courseId: event.data.courseId, title: event.data.title, certification: event.data.certification,
      passMark: event.data.passMark ?? DEFAULT_PASS_MARK, assessmentVersion: null, assessments: {}, learners: {},
    }
  if (state.status !== 'Published') return state
  if (event.type === 'AssessmentPublished') {
    const { version, passMark, questions } = event.data
    return { ...state, passMark, assessmentVersion: version, assessments: { ...state.assessments, [version]: { passMark, questions } } }
  }
  const next = learnerAfter(state.learners, event)
  return next ? { ...state, learners: { ...state.learners, [event.data.userId]: next } } : state
}

/**
 * evolve over a whole stream, copying the learners once instead of per event (decision 006); the state given is
 * never changed. Equal to events.reduce(evolve, state) (tested).
 */
export function fold(state: Course, events: readonly CourseEvent[]): Course {
  let current = state
  let owned: Record<string, Learner> | null = null
  for (const event of events) {
    if (event.type === 'CoursePublished' || event.type === 'AssessmentPublished' || current.status !== 'Published') {
      current = evolve(current, event)
      owned = null
      continue
    }
    const next = learnerAfter(current.learners, event)
    if (!next) continue
    if (!owned) {
      owned = { ...current.learners }
      current = { ...current, learners: owned }
    }
    owned[event.data.userId] = next
  }
  return current
}
