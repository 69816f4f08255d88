import { describe, expect, it } from 'vitest'
import { CourseDecider, scoreAnswers, withoutAnswers, type CourseEvent, type Question } from '../../../domain/training/index.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../../domain/shared/errors.ts'
import { command, given, partnerUser } from '../support/given.ts'

const single = (text: string, right: number, choices = ['A', 'B', 'C']) => ({ text, kind: 'single' as const, choices: choices.map((c, i) => ({ text: c, correct: i === right })) })
const multiple = (text: string, right: number[], choices = ['A', 'B', 'C', 'D']) => ({ text, kind: 'multiple' as const, choices: choices.map((c, i) => ({ text: c, correct: right.includes(i) })) })
const course = { courseId: 'c-1', title: 'Cloud Backup Associate', description: 'Selling and deploying Cloud Backup' }
const published: CourseEvent = { type: 'CoursePublished', data: { ...course, certification: null, passMark: 70 } }

describe('authoring an assessment', () => {
  it('publishing a course with questions publishes version 1 of its assessment, ids by position', () => {
    given(CourseDecider).when(command('PublishCourse', { ...course, passMark: 80, questions: [single('Which RPO?', 1, ['24 h', '15 min']), multiple('Which are immutable?', [0, 2], ['Object lock', 'NAS share', 'Air-gapped copy'])] }))
      .then([
        { ...published, data: { ...published.data, passMark: 80 } } as CourseEvent,
        {
          type: 'AssessmentPublished',
          data: {
            courseId: 'c-1', version: 1, passMark: 80,
            questions: [
              { questionId: 'q1', text: 'Which RPO?', kind: 'single', choices: [{ choiceId: 'q1c1', text: '24 h', correct: false }, { choiceId: 'q1c2', text: '15 min', correct: true }] },
              { questionId: 'q2', text: 'Which are immutable?', kind: 'multiple', choices: [{ choiceId: 'q2c1', text: 'Object lock', correct: true }, { choiceId: 'q2c2', text: 'NAS share', correct: false }, { choiceId: 'q2c3', text: 'Air-gapped copy', correct: true }] },
            ],
          },
        },
      ])
  })

  it('a course published without questions has no assessment: the vendor adds one later as version 1', () => {
    given(CourseDecider).when(command('PublishCourse', course)).then([published])
    given(CourseDecider, [published]).when(command('ReviseAssessment', { courseId: 'c-1', questions: [single('Q', 0)] }))
      .then([{ type: 'AssessmentPublished', data: { courseId: 'c-1', version: 1, passMark: 70, questions: [{ questionId: 'q1', text: 'Q', kind: 'single', choices: [{ choiceId: 'q1c1', text: 'A', correct: true }, { choiceId: 'q1c2', text: 'B', correct: false }, { choiceId: 'q1c3', text: 'C', correct: false }] }] } }])
  })

  it('a revision is the next version, with its own pass mark (the course keeps its mark when none is given)', () => {
    const v1: CourseEvent = { type: 'AssessmentPublished', data: { courseId: 'c-1', version: 1, passMark: 80, questions: [] as Question[] } }
    const [v2] = given(CourseDecider, [published, v1]).when(command('ReviseAssessment', { courseId: 'c-1', questions: [single('Q', 0)] })).events()
    expect(v2).toMatchObject({ data: { version: 2, passMark: 80 } })
    const [v2b] = given(CourseDecider, [published, v1]).when(command('ReviseAssessment', { courseId: 'c-1', passMark: 60, questions: [single('Q', 0)] })).events()
    expect(v2b).toMatchObject({ data: { version: 2, passMark: 60 } })
  })

  it('refuses an assessment without questions, a question without its right choice or with too few choices, and a single-choice question with two', () => {
    const revise = (questions: unknown[]) => command('ReviseAssessment', { courseId: 'c-1', questions })
    given(CourseDecider, [published]).when(revise([])).thenThrows(ValidationError, /at least one question/)
    given(CourseDecider, [published]).when(revise([single('Q', 0), multiple('M', [])])).thenThrows(ValidationError, /Mark the right choice/)
    given(CourseDecider, [published]).when(revise([single('Q', 0, ['Only'])])).thenThrows(ValidationError, /at least 2 choices/)
    given(CourseDecider, [published]).when(revise([{ ...single('Q', 0), choices: [{ text: 'A', correct: true }, { text: 'B', correct: true }] }])).thenThrows(ValidationError, /one right choice/)
    given(CourseDecider, [published]).when(revise([single('', 0)])).thenThrows(ValidationError, /questions\.0\.text/)
  })

  it('names the field of the refused question, so the form shows the error under it', () => {
    try {
      CourseDecider.decide(command('ReviseAssessment', { courseId: 'c-1', questions: [single('Q', 0), multiple('M', [])] }), given(CourseDecider, [published]).state)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).field).toBe('questions.1.choices')
    }
  })

  it('only the vendor authors, and only a published course', () => {
    given(CourseDecider, [published]).when(command('ReviseAssessment', { courseId: 'c-1', questions: [single('Q', 0)] }, { actor: partnerUser('p-acme', 'partner_admin') })).thenThrows(ForbiddenError)
    given(CourseDecider).when(command('ReviseAssessment', { courseId: 'c-1', questions: [single('Q', 0)] })).thenThrows(NotFoundError, /not published/)
  })
})

describe('scoring answers (score = right / questions, no partial credit, pass iff score >= pass mark)', () => {
  const q = (id: string, kind: 'single' | 'multiple', right: string[], all = ['a', 'b', 'c', 'd']): Question => ({
    questionId: id, text: id, kind, choices: all.map((c) => ({ choiceId: `${id}${c}`, text: c, correct: right.includes(c) })),
  })
  const three = [q('q1', 'single', ['a']), q('q2', 'multiple', ['a', 'c']), q('q3', 'single', ['d'])]

  it('given all right, when scored, then 100 % and passed', () => {
    expect(scoreAnswers(three, 70, { q1: ['q1a'], q2: ['q2c', 'q2a'], q3: ['q3d'] })).toEqual({ correct: 3, questions: 3, score: 100, wrongQuestionIds: [], passed: true })
  })

  it('given a multiple-choice question half right, when scored, then it counts as wrong (no partial credit)', () => {
    expect(scoreAnswers(three, 70, { q1: ['q1a'], q2: ['q2a'], q3: ['q3d'] })).toMatchObject({ correct: 2, wrongQuestionIds: ['q2'] })
    expect(scoreAnswers(three, 70, { q1: ['q1a'], q2: ['q2a', 'q2b', 'q2c'], q3: ['q3d'] })).toMatchObject({ correct: 2, wrongQuestionIds: ['q2'] })
  })

  it('given 2 of 3 right, when the pass mark is 67 %, then 66 % shown and not passed (compared exactly, shown rounded down)', () => {
    const answers = { q1: ['q1a'], q2: ['q2a', 'q2c'], q3: ['q3a'] }
    expect(scoreAnswers(three, 67, answers)).toEqual({ correct: 2, questions: 3, score: 66, wrongQuestionIds: ['q3'], passed: false })
    expect(scoreAnswers(three, 66, answers)).toMatchObject({ score: 66, passed: true })
  })

  it('given the pass mark exactly reached, then passed; one point below, not', () => {
    const ten = Array.from({ length: 10 }, (_, i) => q(`q${i + 1}`, 'single', ['a']))
    const right = (n: number) => Object.fromEntries(ten.map((x, i) => [x.questionId, [i < n ? `${x.questionId}a` : `${x.questionId}b`]]))
    expect(scoreAnswers(ten, 70, right(7))).toMatchObject({ score: 70, passed: true })
    expect(scoreAnswers(ten, 70, right(6))).toMatchObject({ score: 60, passed: false })
    expect(scoreAnswers(ten, 0, right(0))).toMatchObject({ score: 0, passed: true })
  })

  it('refuses an unanswered question, two answers to a single-choice question, another question\'s choice and an unknown question', () => {
    expect(() => scoreAnswers(three, 70, { q1: ['q1a'], q2: ['q2a'] })).toThrow(/Answer question 3/)
    expect(() => scoreAnswers(three, 70, { q1: ['q1a', 'q1b'], q2: ['q2a'], q3: ['q3d'] })).toThrow(/Choose one answer to question 1/)
    expect(() => scoreAnswers(three, 70, { q1: ['q2a'], q2: ['q2a'], q3: ['q3d'] })).toThrow(/question 1's choices/)
    expect(() => scoreAnswers(three, 70, { q1: ['q1a'], q2: ['q2a'], q3: ['q3d'], q9: ['x'] })).toThrow(/No question q9/)
  })

  it('the questions a learner sees carry no answer key', () => {
    const shown = JSON.stringify(withoutAnswers(three))
    expect(shown).not.toMatch(/correct/)
    expect(withoutAnswers(three)[1]).toEqual({ questionId: 'q2', text: 'q2', kind: 'multiple', choices: ['a', 'b', 'c', 'd'].map((c) => ({ choiceId: `q2${c}`, text: c })) })
  })
})
