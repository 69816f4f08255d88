// Training courses: publication, enrolments, completions, and the certifications they grant, lapse and renew.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id, IsoDate, Text } from '../shared/schemas.ts'

export const streamId = (courseId: string) => `course-${courseId}`

export const Certification = z.object({
  name: Text.describe('certification a pass grants'),
  validityMonths: z.number().int().positive().describe('months a certification stays valid'),
})
const learner = { courseId: Id, partnerId: Id, userId: Id }

export const CoursePublishedData = z.object({
  courseId: Id,
  title: Text,
  description: Text,
  certification: Certification.nullable().describe('null when the course certifies nothing'),
})
export const EnrolledInCourseData = z.object({ ...learner })
export const CourseCompletedData = z.object({
  ...learner,
  score: z.number().min(0).max(100).describe('percent'),
  passed: z.boolean(),
  completedOn: IsoDate,
})
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
} as const

export type CoursePublished = DomainEvent<'CoursePublished', z.infer<typeof CoursePublishedData>>
export type EnrolledInCourse = DomainEvent<'EnrolledInCourse', z.infer<typeof EnrolledInCourseData>>
export type CourseCompleted = DomainEvent<'CourseCompleted', z.infer<typeof CourseCompletedData>>
export type CertificationEarned = DomainEvent<'CertificationEarned', z.infer<typeof CertificationEarnedData>>
export type CertificationLapsed = DomainEvent<'CertificationLapsed', z.infer<typeof CertificationLapsedData>>
export type CourseEvent = CoursePublished | EnrolledInCourse | CourseCompleted | CertificationEarned | CertificationLapsed
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
      /** by userId */
      learners: Record<string, Learner>
    }

export const initialState = (): Course => ({ status: 'Initial' })

export function evolve(state: Course, event: CourseEvent): Course {
  if (event.type === 'CoursePublished')
    return { status: 'Published', courseId: event.data.courseId, title: event.data.title, certification: event.data.certification, learners: {} }
  if (state.status !== 'Published') return state
  const learner = (userId: string, partnerId: string): Learner => state.learners[userId] ?? { partnerId, enrolled: false, certificate: null }
  const set = (userId: string, next: Learner): Course => ({ ...state, learners: { ...state.learners, [userId]: next } })
  switch (event.type) {
    case 'EnrolledInCourse':
      return set(event.data.userId, { ...learner(event.data.userId, event.data.partnerId), enrolled: true })
    case 'CourseCompleted':
      return set(event.data.userId, { ...learner(event.data.userId, event.data.partnerId), enrolled: false })
    case 'CertificationEarned':
      return set(event.data.userId, { ...learner(event.data.userId, event.data.partnerId), certificate: { validUntil: event.data.validUntil, lapsed: false } })
    case 'CertificationLapsed': {
      const current = learner(event.data.userId, event.data.partnerId)
      return current.certificate ? set(event.data.userId, { ...current, certificate: { ...current.certificate, lapsed: true } }) : state
    }
    default:
      return state
  }
}
