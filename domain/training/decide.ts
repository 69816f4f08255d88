// Training rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { isVendor, requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Actor, Command, Decider } from '../shared/command.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { parseData } from '../shared/schemas.ts'
import { integer, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { addMonths, dateOf } from '../shared/time.ts'
import { DEFAULT_PASS_MARK, evolve, fold, initialState, type CertificationEarned, type CertificationLapsed, type Course, type CourseCompleted, type CourseEvent, type CoursePublished, type EnrolledInCourse } from './course.ts'

const learner = { courseId: ref(), partnerId: ref(), userId: ref() }
export const PublishCourseData = z.object({
  courseId: ref(),
  title: singleLine(MAX.name),
  description: multiLine(MAX.longText),
  certification: z.object({ name: singleLine(MAX.name), validityMonths: integer(1, 120, 'A certification stays valid for 1 to 120 months') }).optional(),
  passMark: integer(0, 100, 'A pass mark is 0 to 100 %').optional(),
})
export const EnrolInCourseData = z.object({ ...learner })
/** a score is a whole percentage; whether it passes is the course's to say (its pass mark) */
export const CompleteCourseData = z.object({ ...learner, score: integer(0, 100, 'A score is 0 to 100') })
export const LapseCertificationData = z.object({ courseId: ref(), userId: ref() })

export const courseCommandSchemas = {
  PublishCourse: PublishCourseData,
  EnrolInCourse: EnrolInCourseData,
  CompleteCourse: CompleteCourseData,
  LapseCertification: LapseCertificationData,
} as const

export type PublishCourse = Command<'PublishCourse', z.input<typeof PublishCourseData>>
export type EnrolInCourse = Command<'EnrolInCourse', z.input<typeof EnrolInCourseData>>
export type CompleteCourse = Command<'CompleteCourse', z.input<typeof CompleteCourseData>>
export type LapseCertification = Command<'LapseCertification', z.input<typeof LapseCertificationData>>
export type CourseCommand = PublishCourse | EnrolInCourse | CompleteCourse | LapseCertification
export type CourseCommandType = CourseCommand['type']

type Published = Extract<Course, { status: 'Published' }>
function published(state: Course, courseId: string): Published {
  if (state.status === 'Initial') throw new NotFoundError(`Course ${courseId} is not published`)
  return state
}
/** the learner themselves, an admin of their partner, or the vendor (e.g. an LMS integration) */
function requireLearnerOrVendor(actor: Actor, partnerId: string, userId: string, action: string) {
  if (isVendor(actor)) return
  requirePartnerOf(actor, partnerId, action)
  if (actor.role !== 'partner_admin' && actor.userId !== userId) throw new ForbiddenError(`Only ${userId} or a partner admin can ${action}`)
}

export function publishCourse(command: PublishCourse, state: Course): CoursePublished {
  const data = parseData(PublishCourseData, command.data)
  requireVendor(command.metadata.actor, 'publish courses')
  if (state.status !== 'Initial') throw new IllegalStateError(`Course ${data.courseId} is already published`)
  // the pass mark is written into the event, so changing the default never re-grades a course
  return { type: 'CoursePublished', data: { ...data, certification: data.certification ?? null, passMark: data.passMark ?? DEFAULT_PASS_MARK } }
}

export function enrolInCourse(command: EnrolInCourse, state: Course): EnrolledInCourse {
  const data = parseData(EnrolInCourseData, command.data)
  requireLearnerOrVendor(command.metadata.actor, data.partnerId, data.userId, 'enrol in courses')
  const course = published(state, data.courseId)
  if (course.learners[data.userId]?.enrolled) throw new IllegalStateError(`${data.userId} is already enrolled in ${course.title}`)
  return { type: 'EnrolledInCourse', data }
}

export function completeCourse(command: CompleteCourse, state: Course): [CourseCompleted] | [CourseCompleted, CertificationEarned] {
  const data = parseData(CompleteCourseData, command.data)
  requireLearnerOrVendor(command.metadata.actor, data.partnerId, data.userId, 'complete courses')
  const course = published(state, data.courseId)
  const learner = course.learners[data.userId]
  if (!learner?.enrolled) throw new IllegalStateError(`${data.userId} is not enrolled in ${course.title}; enrol first`)
  const today = dateOf(command.metadata.now)
  const passed = data.score >= course.passMark
  const completed: CourseCompleted = { type: 'CourseCompleted', data: { ...data, passed, completedOn: today } }
  if (!passed || !course.certification) return [completed]
  // a renewal never shortens a certification that is still running
  const fresh = addMonths(today, course.certification.validityMonths)
  const held = learner.certificate
  const validUntil = held && !held.lapsed && held.validUntil > fresh ? held.validUntil : fresh
  return [
    completed,
    {
      type: 'CertificationEarned',
      data: { courseId: course.courseId, partnerId: data.partnerId, userId: data.userId, certification: course.certification.name, validUntil, renewal: held !== null },
    },
  ]
}

/** scheduler: only after validUntil; a retry of a lapsed certification is a no-op */
export function lapseCertification(command: LapseCertification, state: Course): CertificationLapsed[] {
  const data = parseData(LapseCertificationData, command.data)
  requireVendor(command.metadata.actor, 'lapse certifications')
  const course = published(state, data.courseId)
  const learner = course.learners[data.userId]
  if (!learner?.certificate || !course.certification) throw new NotFoundError(`${data.userId} holds no certification from ${course.title}`)
  if (learner.certificate.lapsed) return []
  if (dateOf(command.metadata.now) <= learner.certificate.validUntil)
    throw new IllegalStateError(`The certification of ${data.userId} is valid until ${learner.certificate.validUntil}; it cannot lapse yet`)
  return [
    {
      type: 'CertificationLapsed',
      data: { courseId: course.courseId, partnerId: learner.partnerId, userId: data.userId, certification: course.certification.name, validUntil: learner.certificate.validUntil },
    },
  ]
}

export function decide(command: CourseCommand, state: Course): CourseEvent | CourseEvent[] {
  switch (command.type) {
    case 'PublishCourse':
      return publishCourse(command, state)
    case 'EnrolInCourse':
      return enrolInCourse(command, state)
    case 'CompleteCourse':
      return completeCourse(command, state)
    case 'LapseCertification':
      return lapseCertification(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const CourseDecider: Decider<CourseCommand, CourseEvent, Course> = { initialState, evolve, decide, fold }
