import { describe, expect, it } from 'vitest'
import { CourseDecider, streamId, type CourseEvent } from '../../domain/training/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { auditor, channelManager, command, given, partnerUser, scheduler } from './support/given.ts'

const bob = { ...partnerUser('p-acme'), userId: 'u-bob' }
const learner = { courseId: 'c-1', partnerId: 'p-acme', userId: 'u-bob' }
const published: CourseEvent = {
  type: 'CoursePublished',
  data: { courseId: 'c-1', title: 'Cloud Suite Sales', description: 'Selling it', certification: { name: 'Cloud Suite Seller', validityMonths: 12 } },
}
const plain: CourseEvent = { type: 'CoursePublished', data: { courseId: 'c-1', title: 'Intro', description: 'Basics', certification: null } }
const enrolled: CourseEvent = { type: 'EnrolledInCourse', data: learner }
const earned: CourseEvent = { type: 'CertificationEarned', data: { ...learner, certification: 'Cloud Suite Seller', validUntil: '2027-05-04', renewal: false } }
const completed: CourseEvent = { type: 'CourseCompleted', data: { ...learner, score: 90, passed: true, completedOn: '2026-05-04' } }
/** 20 single-choice questions, the first choice right: each right answer is 5 % */
const questions = Array.from({ length: 20 }, (_, i) => ({
  questionId: `q${i + 1}`, text: `Question ${i + 1}`, kind: 'single' as const,
  choices: [{ choiceId: `q${i + 1}c1`, text: 'Right', correct: true }, { choiceId: `q${i + 1}c2`, text: 'Wrong', correct: false }],
}))
const assessment = (passMark = 70, version = 1): CourseEvent => ({ type: 'AssessmentPublished', data: { courseId: 'c-1', version, passMark, questions } })
/** answers with `score` % right (a multiple of 5) */
const answersScoring = (score: number) => Object.fromEntries(questions.map((q, i) => [q.questionId, [i < score / 5 ? `${q.questionId}c1` : `${q.questionId}c2`]]))
const complete = (score: number, meta = {}) => command('SubmitAssessment', { ...learner, assessmentVersion: 1, answers: answersScoring(score) }, { actor: bob, ...meta })
/** the attempt a submission of `score` % records before its completion */
const taken = (score: number, passMark = 70): CourseEvent => ({
  type: 'AssessmentTaken',
  data: {
    ...learner, assessmentVersion: 1, answers: answersScoring(score), correct: score / 5, questions: 20,
    wrongQuestionIds: questions.slice(score / 5).map((q) => q.questionId), score, passed: score >= passMark,
  },
})
const lapse = (now: string) => command('LapseCertification', { courseId: 'c-1', userId: 'u-bob' }, { actor: scheduler, now })

describe('training', () => {
  it('names its stream course-<id>', () => expect(streamId('c-1')).toBe('course-c-1'))

  it('the vendor publishes a course, once', () => {
    given(CourseDecider).when(command('PublishCourse', { courseId: 'c-1', title: 'Intro', description: 'Basics' })).then([{ ...plain, data: { ...plain.data, passMark: 70 } }] as CourseEvent[])
    given(CourseDecider, [plain]).when(command('PublishCourse', { courseId: 'c-1', title: 'Intro', description: 'Basics' })).thenThrows(IllegalStateError, /already published/)
    given(CourseDecider).when(command('PublishCourse', { courseId: 'c-1', title: 'Intro', description: 'Basics' }, { actor: bob })).thenThrows(ForbiddenError)
  })

  describe('EnrolInCourse', () => {
    const enrol = (actor = bob) => command('EnrolInCourse', learner, { actor })
    it('enrols a partner user', () => given(CourseDecider, [published]).when(enrol()).then([enrolled]))
    it('refuses twice, unpublished courses, other users and auditors', () => {
      given(CourseDecider, [published, assessment(), enrolled]).when(enrol()).thenThrows(IllegalStateError, /already enrolled/)
      given(CourseDecider).when(enrol()).thenThrows(NotFoundError, /not published/)
      given(CourseDecider, [published]).when(enrol({ ...partnerUser('p-acme'), userId: 'u-eve' })).thenThrows(ForbiddenError, /Only u-bob or a partner admin/)
      given(CourseDecider, [published]).when(enrol(partnerUser('p-beta'))).thenThrows(ForbiddenError)
      given(CourseDecider, [published]).when(enrol(auditor)).thenThrows(ForbiddenError)
    })
    it('lets a partner admin or the vendor enrol a user', () => {
      given(CourseDecider, [published]).when(enrol(partnerUser('p-acme', 'partner_admin'))).then([enrolled])
      given(CourseDecider, [published]).when(enrol(channelManager)).then([enrolled])
    })
  })

  describe('the pass mark', () => {
    const withMark = (passMark: number): CourseEvent => ({ ...published, data: { ...published.data, passMark } }) as CourseEvent
    it('a course carries its pass mark: the vendor sets it, 70 when not', () => {
      given(CourseDecider).when(command('PublishCourse', { courseId: 'c-1', title: 'Intro', description: 'Basics', passMark: 85 }))
        .then([{ ...plain, data: { ...plain.data, passMark: 85 } }] as CourseEvent[])
      given(CourseDecider).when(command('PublishCourse', { courseId: 'c-1', title: 'Intro', description: 'Basics', passMark: 101 })).thenThrows(ValidationError, /pass mark is 0 to 100/)
    })
    it('the course decides whether the score its answers earn passes, against the assessment pass mark', () => {
      const failed = (score: number) => [taken(score, 85), { type: 'CourseCompleted', data: { ...learner, score, passed: false, completedOn: '2026-05-04' } }] as CourseEvent[]
      given(CourseDecider, [withMark(85), assessment(85), enrolled]).when(complete(80)).then(failed(80))
      given(CourseDecider, [withMark(85), assessment(85), enrolled]).when(complete(85)).then([
        taken(85, 85), { type: 'CourseCompleted', data: { ...learner, score: 85, passed: true, completedOn: '2026-05-04' } }, earned,
      ])
    })
  })

  describe('SubmitAssessment', () => {
    const completion = (score: number) => ({ type: 'CourseCompleted', data: { ...learner, score, passed: score >= 70, completedOn: '2026-05-04' } }) as CourseEvent
    it('a pass of a certifying course earns the certification', () => {
      given(CourseDecider, [published, assessment(), enrolled]).when(complete(90)).then([taken(90), completed, earned])
    })
    it('a fail earns nothing', () => {
      given(CourseDecider, [published, assessment(), enrolled]).when(complete(40)).then([taken(40), completion(40)])
    })
    it('a pass of a course without certification earns nothing', () => {
      given(CourseDecider, [plain, assessment(), enrolled]).when(complete(90)).then([taken(90), completed])
    })
    it('passing again renews: validUntil moves on', () => {
      const events = given(CourseDecider, [published, assessment(), enrolled, completed, earned, enrolled])
        .when(complete(80, { now: '2027-04-01T10:00:00Z' }))
        .events()
      expect(events[2]).toEqual({ type: 'CertificationEarned', data: { ...learner, certification: 'Cloud Suite Seller', validUntil: '2028-04-01', renewal: true } })
    })
    it('needs an enrolment: an attempt completes it, so a retake enrols again', () => {
      given(CourseDecider, [published, assessment()]).when(complete(90)).thenThrows(IllegalStateError, /enrol first/)
      given(CourseDecider, [published, assessment(), enrolled, taken(40), completion(40)]).when(complete(90)).thenThrows(IllegalStateError, /not enrolled/)
      given(CourseDecider, [published, assessment(), enrolled, taken(40), completion(40), enrolled]).when(complete(90)).then([taken(90), completed, earned])
    })
    it('a course without an assessment cannot be taken yet', () => {
      given(CourseDecider, [published, enrolled]).when(complete(90)).thenThrows(IllegalStateError, /no assessment yet/)
    })
    it('a learner gives answers, never a score: a score sent along is not part of the command and changes nothing', () => {
      const withScore = command('SubmitAssessment', { ...learner, assessmentVersion: 1, answers: answersScoring(40), score: 100 }, { actor: bob })
      given(CourseDecider, [published, assessment(), enrolled]).when(withScore).then([taken(40), completion(40)])
    })
    it('only the learner answers: not an admin of their partner, another partner, the vendor or the auditor', () => {
      const by = (actor: typeof bob) => command('SubmitAssessment', { ...learner, assessmentVersion: 1, answers: answersScoring(90) }, { actor })
      for (const actor of [partnerUser('p-acme', 'partner_admin'), partnerUser('p-beta'), channelManager, auditor])
        given(CourseDecider, [published, assessment(), enrolled]).when(by(actor)).thenThrows(ForbiddenError)
    })
    it('is scored against the version answered, after a revision too', () => {
      const harder: CourseEvent = { type: 'AssessmentPublished', data: { courseId: 'c-1', version: 2, passMark: 100, questions: questions.slice(0, 2) } }
      // answered on version 1 (the page was open while the vendor revised it): 75 % passes version 1's 70 %
      given(CourseDecider, [published, assessment(), enrolled, harder]).when(complete(75)).then([taken(75), completion(75), earned])
      given(CourseDecider, [published, assessment(), enrolled, harder])
        .when(command('SubmitAssessment', { ...learner, assessmentVersion: 3, answers: {} }, { actor: bob })).thenThrows(NotFoundError, /no assessment version 3/)
    })
  })

  describe('LapseCertification', () => {
    const lapsed: CourseEvent = { type: 'CertificationLapsed', data: { ...learner, certification: 'Cloud Suite Seller', validUntil: '2027-05-04' } }
    it('lapses only after validUntil, only once', () => {
      given(CourseDecider, [published, assessment(), enrolled, completed, earned]).when(lapse('2027-05-05T00:00:00Z')).then([lapsed])
      given(CourseDecider, [published, assessment(), enrolled, completed, earned]).when(lapse('2027-05-04T23:00:00Z')).thenThrows(IllegalStateError, /valid until 2027-05-04/)
      given(CourseDecider, [published, assessment(), enrolled, completed, earned, lapsed]).when(lapse('2027-06-01T00:00:00Z')).then([])
    })
    it('refuses learners without certification and partners', () => {
      given(CourseDecider, [published, assessment(), enrolled]).when(lapse('2027-06-01T00:00:00Z')).thenThrows(NotFoundError, /no certification/)
      given(CourseDecider, [published, assessment(), enrolled, completed, earned])
        .when(command('LapseCertification', { courseId: 'c-1', userId: 'u-bob' }, { actor: bob, now: '2027-06-01T00:00:00Z' }))
        .thenThrows(ForbiddenError)
    })
    it('a renewal after a lapse restores the certification', () => {
      const state = given(CourseDecider, [published, assessment(), enrolled, completed, earned, lapsed, enrolled, completed, { ...earned, data: { ...earned.data, validUntil: '2028-06-01', renewal: true } }]).state
      expect(state).toMatchObject({ learners: { 'u-bob': { certificate: { validUntil: '2028-06-01', lapsed: false } } } })
    })
  })
})

describe('fold (loading a course stream)', () => {
  const lapsed = (userId: string): CourseEvent => ({ type: 'CertificationLapsed', data: { courseId: 'c-1', partnerId: 'p-acme', userId, certification: 'Cloud Suite Seller', validUntil: '2027-05-04' } })
  const forUser = (event: CourseEvent, userId: string): CourseEvent => ({ ...event, data: { ...event.data, userId } }) as CourseEvent
  // 40 learners enrolling, completing, earning, lapsing (and a lapse without a certificate), interleaved
  const stream: CourseEvent[] = [published]
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) {
      const user = `u-${i}`
      stream.push(forUser(enrolled, user))
      if (i % 3 === 0) stream.push(lapsed(user)) // no certificate yet: changes nothing
      stream.push(forUser(completed, user))
      if (i % 2 === 0) stream.push(forUser(earned, user))
      if (i % 4 === 0) stream.push(lapsed(user))
    }
  }

  it('equals evolving event by event, from the start and from any state on the way', () => {
    const initial = CourseDecider.initialState()
    expect(CourseDecider.fold!(initial, stream)).toEqual(stream.reduce(CourseDecider.evolve, initial))
    for (const cut of [1, 2, 57, 200, stream.length - 1]) {
      const midway = stream.slice(0, cut).reduce(CourseDecider.evolve, initial)
      expect(CourseDecider.fold!(midway, stream.slice(cut))).toEqual(stream.reduce(CourseDecider.evolve, initial))
    }
    expect(CourseDecider.fold!(initial, [])).toBe(initial)
  })

  it('never changes the state it is given', () => {
    const midway = stream.slice(0, 100).reduce(CourseDecider.evolve, CourseDecider.initialState())
    const copy = structuredClone(midway)
    CourseDecider.fold!(midway, stream.slice(100))
    expect(midway).toEqual(copy)
  })
})
