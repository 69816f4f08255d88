// A course's assessment: the questions the vendor authors (versioned), how a learner's answers are scored, and the
// attempt an assessment leaves in the log.
import { z } from 'zod'
import { ValidationError } from '../shared/errors.ts'
import { MAX, singleLine, multiLine, list } from '../shared/fields.ts'
import { Id, Text } from '../shared/schemas.ts'

export const MAX_QUESTIONS = 30
export const MIN_CHOICES = 2
export const MAX_CHOICES = 6

export const QuestionKind = z.enum(['single', 'multiple']).describe('single: one right choice (radio buttons); multiple: one or more (check boxes)')
export type QuestionKind = z.infer<typeof QuestionKind>

/** a question as the log keeps it: ids are positional within a version (q1, q1c2), so they never reveal the answer */
export const Question = z.object({
  questionId: Id,
  text: Text,
  kind: QuestionKind,
  choices: z.array(z.object({ choiceId: Id, text: Text, correct: z.boolean().describe('part of the answer key') })),
})
export type Question = z.infer<typeof Question>

export const AssessmentPublishedData = z.object({
  courseId: Id,
  version: z.number().int().positive().describe('1 for the first assessment, one more for each revision'),
  passMark: z.number().int().min(0).max(100).describe('percent of questions right that passes'),
  questions: z.array(Question).min(1),
}).describe('The vendor published a version of the course\'s assessment (with the course, or later as a revision). A course published before assessments existed has none: partners see "assessment not yet available" until the vendor adds version 1; its stored events are unchanged.')
export const AssessmentTakenData = z.object({
  courseId: Id,
  partnerId: Id,
  userId: Id,
  assessmentVersion: z.number().int().positive().describe('the version the learner answered, and was scored against'),
  answers: z.record(z.string(), z.array(Id)).describe('choice ids chosen, by question id'),
  correct: z.number().int().nonnegative().describe('questions answered exactly right'),
  questions: z.number().int().positive(),
  wrongQuestionIds: z.array(Id),
  score: z.number().int().min(0).max(100).describe('percent, rounded down'),
  passed: z.boolean(),
}).describe('A learner answered the assessment and the course scored it (right / questions, no partial credit, passed iff at least the pass mark); a CourseCompleted with the same score follows, and a CertificationEarned on a pass of a certifying course.')

/** one question as the vendor writes it, in a command: the ids are the decider's to give */
export const QuestionInput = z.object({
  text: multiLine(MAX.shortText),
  kind: QuestionKind,
  choices: list(z.object({ text: singleLine(MAX.label), correct: z.boolean() }), MAX_CHOICES)
    .min(MIN_CHOICES, `Give at least ${MIN_CHOICES} choices`),
})
export type QuestionInput = z.input<typeof QuestionInput>
export const AssessmentInput = list(QuestionInput, MAX_QUESTIONS).min(1, 'Add at least one question')

/** the questions of a command as the log keeps them; each question's answer key must fit its kind */
export function authorQuestions(questions: z.infer<typeof AssessmentInput>, field = 'questions'): Question[] {
  return questions.map((q, i) => {
    const right = q.choices.filter((c) => c.correct).length
    if (right === 0) throw new ValidationError('Mark the right choice', `${field}.${i}.choices`)
    if (q.kind === 'single' && right > 1) throw new ValidationError('A single-choice question has one right choice; make it multiple choice or mark one', `${field}.${i}.choices`)
    const questionId = `q${i + 1}`
    return { questionId, text: q.text, kind: q.kind, choices: q.choices.map((c, j) => ({ choiceId: `${questionId}c${j + 1}`, text: c.text, correct: c.correct })) }
  })
}

export type Answers = Record<string, string[]>
export type Scored = { correct: number; questions: number; score: number; wrongQuestionIds: string[]; passed: boolean }

/**
 * Scores answers against the questions: a question counts only when the choices given are exactly its right ones (no
 * partial credit for a multiple-choice question half right). score = correct / questions in whole percent, rounded
 * down; passed iff correct / questions >= passMark / 100 (compared exactly, so 2 of 3 never passes a 67 % mark).
 * Every question must be answered, with choices of that question only, and one choice for a single-choice question.
 */
export function scoreAnswers(questions: readonly Question[], passMark: number, answers: Answers): Scored {
  const known = new Set(questions.map((q) => q.questionId))
  for (const id of Object.keys(answers)) if (!known.has(id)) throw new ValidationError(`No question ${id} in this assessment`, `answers.${id}`)
  const wrongQuestionIds: string[] = []
  questions.forEach((q, i) => {
    const given = [...new Set(answers[q.questionId] ?? [])]
    if (given.length === 0) throw new ValidationError(`Answer question ${i + 1}`, `answers.${q.questionId}`)
    if (q.kind === 'single' && given.length > 1) throw new ValidationError(`Choose one answer to question ${i + 1}`, `answers.${q.questionId}`)
    const choices = new Set(q.choices.map((c) => c.choiceId))
    if (given.some((c) => !choices.has(c))) throw new ValidationError(`Choose among question ${i + 1}'s choices`, `answers.${q.questionId}`)
    const right = q.choices.filter((c) => c.correct).map((c) => c.choiceId)
    const exact = given.length === right.length && right.every((c) => given.includes(c))
    if (!exact) wrongQuestionIds.push(q.questionId)
  })
  const total = questions.length
  const correct = total - wrongQuestionIds.length
  return { correct, questions: total, score: Math.floor((correct * 100) / total), wrongQuestionIds, passed: correct * 100 >= passMark * total }
}

/** the questions without the answer key: what a learner's browser may receive */
export function withoutAnswers(questions: readonly Question[]) {
  return questions.map((q) => ({ questionId: q.questionId, text: q.text, kind: q.kind, choices: q.choices.map((c) => ({ choiceId: c.choiceId, text: c.text })) }))
}
export type PublicQuestion = ReturnType<typeof withoutAnswers>[number]
