// Training rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { isVendor, requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Actor, Command, Decider } from '../shared/command.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { parseData } from '../shared/schemas.ts'
import { integer, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { addMonths, dateOf } from '../shared/time.ts'
import { AssessmentInput, authorQuestions, scoreAnswers } from './assessment.ts'
import { DEFAULT_PASS_MARK, evolve, fold, initialState, type AssessmentPublished, type AssessmentTaken, type CertificationEarned, type CertificationLapsed, type Course, type CourseCompleted, type CourseEvent, type CoursePublished, type EnrolledInCourse } from './course.ts'

const learner = { courseId: ref(), partnerId: ref(), userId: ref() }
export const PublishCourseData = z.object({
  courseId: ref(),
  title: singleLine(MAX.name),
  description: multiLine(MAX.longText),
  certification: z.object({ name: singleLine(MAX.name), validityMonths: integer(1, 120, 'A certification stays valid for 1 to 120 months') }).optional(),
  passMark: integer(0, 100, 'A pass mark is 0 to 100 %').optional(),
  /** the assessment's questions; a course published without them has no assessment until the vendor adds one */
  questions: AssessmentInput.optional(),
})
export const EnrolInCourseData = z.object({ ...learner })
/** a new version of the course's assessment (its first, for a course published without one) */
export const ReviseAssessmentData = z.object({
  courseId: ref(),
  passMark: integer(0, 100, 'A pass mark is 0 to 100 %').optional(),
  questions: AssessmentInput,
})
/** a learner's answers: the choice ids chosen per question id; the course scores them, a learner never gives a score */
export const SubmitAssessmentData = z.object({
  ...learner,
  assessmentVersion: integer(1, 100_000, 'No such assessment version'),
  answers: z.record(ref(), z.array(ref()).max(MAX.items)),
})
export const LapseCertificationData = z.object({ courseId: ref(), userId: ref() })

export const courseCommandSchemas = {
  PublishCourse: PublishCourseData,
  EnrolInCourse: EnrolInCourseData,
  ReviseAssessment: ReviseAssessmentData,
  SubmitAssessment: SubmitAssessmentData,
  LapseCertification: LapseCertificationData,
} as const

export type PublishCourse = Command<'PublishCourse', z.input<typeof PublishCourseData>>
export type EnrolInCourse = Command<'EnrolInCourse', z.input<typeof EnrolInCourseData>>
export type ReviseAssessment = Command<'ReviseAssessment', z.input<typeof ReviseAssessmentData>>
export type SubmitAssessment = Command<'SubmitAssessment', z.input<typeof SubmitAssessmentData>>
export type LapseCertification = Command<'LapseCertification', z.input<typeof LapseCertificationData>>
export type CourseCommand = PublishCourse | EnrolInCourse | ReviseAssessment | SubmitAssessment | LapseCertification
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

export function publishCourse(command: PublishCourse, state: Course): [CoursePublished] | [CoursePublished, AssessmentPublished] {
  const { questions, ...data } = parseData(PublishCourseData, command.data)
  requireVendor(command.metadata.actor, 'publish courses')
  if (state.status !== 'Initial') throw new IllegalStateError(`Course ${data.courseId} is already published`)
  // the pass mark is written into the event, so changing the default never re-grades a course
  const passMark = data.passMark ?? DEFAULT_PASS_MARK
  const published: CoursePublished = { type: 'CoursePublished', data: { ...data, certification: data.certification ?? null, passMark } }
  if (!questions) return [published]
  return [published, { type: 'AssessmentPublished', data: { courseId: data.courseId, version: 1, passMark, questions: authorQuestions(questions) } }]
}

export function enrolInCourse(command: EnrolInCourse, state: Course): EnrolledInCourse {
  const data = parseData(EnrolInCourseData, command.data)
  requireLearnerOrVendor(command.metadata.actor, data.partnerId, data.userId, 'enrol in courses')
  const course = published(state, data.courseId)
  if (course.learners[data.userId]?.enrolled) throw new IllegalStateError(`${data.userId} is already enrolled in ${course.title}`)
  return { type: 'EnrolledInCourse', data }
}

/** a new version; attempts already made keep the version they answered */
export function reviseAssessment(command: ReviseAssessment, state: Course): AssessmentPublished {
  const data = parseData(ReviseAssessmentData, command.data)
  requireVendor(command.metadata.actor, 'revise assessments')
  const course = published(state, data.courseId)
  const version = (course.assessmentVersion ?? 0) + 1
  return { type: 'AssessmentPublished', data: { courseId: course.courseId, version, passMark: data.passMark ?? course.passMark, questions: authorQuestions(data.questions) } }
}

type Submitted = [AssessmentTaken, CourseCompleted] | [AssessmentTaken, CourseCompleted, CertificationEarned]

/**
 * The learner's own answers, scored here against the version they answered; the attempt completes the enrolment (a
 * retake enrols again) and a pass of a certifying course certifies.
 */
export function submitAssessment(command: SubmitAssessment, state: Course): Submitted {
  const data = parseData(SubmitAssessmentData, command.data)
  const actor = command.metadata.actor
  requirePartnerOf(actor, data.partnerId, 'take assessments')
  if (actor.userId !== data.userId) throw new ForbiddenError('Only the learner can answer their assessment')
  const course = published(state, data.courseId)
  if (course.assessmentVersion === null) throw new IllegalStateError(`${course.title} has no assessment yet`)
  const taken = course.assessments[data.assessmentVersion]
  if (!taken) throw new NotFoundError(`${course.title} has no assessment version ${data.assessmentVersion}`)
  const learner = course.learners[data.userId]
  if (!learner?.enrolled) throw new IllegalStateError(`${data.userId} is not enrolled in ${course.title}; enrol first`)
  const scored = scoreAnswers(taken.questions, taken.passMark, data.answers)
  const learnerIds = { courseId: course.courseId, partnerId: data.partnerId, userId: data.userId }
  const answers = Object.fromEntries(Object.entries(data.answers).map(([q, c]) => [q, [...new Set(c)]]))
  const attempt: AssessmentTaken = { type: 'AssessmentTaken', data: { ...learnerIds, assessmentVersion: data.assessmentVersion, answers, ...scored } }
  const today = dateOf(command.metadata.now)
  const completed: CourseCompleted = { type: 'CourseCompleted', data: { ...learnerIds, score: scored.score, passed: scored.passed, completedOn: today } }
  if (!scored.passed || !course.certification) return [attempt, completed]
  // a renewal never shortens a certification that is still running
  const fresh = addMonths(today, course.certification.validityMonths)
  const held = learner.certificate
  const validUntil = held && !held.lapsed && held.validUntil > fresh ? held.validUntil : fresh
  return [
    attempt,
    completed,
    { type: 'CertificationEarned', data: { ...learnerIds, certification: course.certification.name, validUntil, renewal: held !== null } },
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
    case 'ReviseAssessment':
      return reviseAssessment(command, state)
    case 'SubmitAssessment':
      return submitAssessment(command, state)
    case 'LapseCertification':
      return lapseCertification(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const CourseDecider: Decider<CourseCommand, CourseEvent, Course> = { initialState, evolve, decide, fold }
