// The read side of course assessments: a learner gets the questions without the answer key; the vendor gets them whole.
import { withoutAnswers, type PublicQuestion } from '../../domain/training/assessment.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { AssessmentVersion, AttemptResult } from '../../projections/training.ts'
import { doc } from './read-models.server.ts'

/** what a learner's page may show of a version: its questions and choices, no answer key */
export type LearnerAssessment = { version: number; passMark: number; questions: PublicQuestion[] }

export function createTrainingQueries(sql: SqlExecutor) {
  const assessments = (courseId: string) => doc(sql, 'assessments', courseId)
  return {
    /** the vendor's view: every version with its answer key (vendor routes only) */
    assessmentWithAnswers: async (courseId: string): Promise<AssessmentVersion | null> => {
      const found = await assessments(courseId)
      return found ? (found.versions[found.current] ?? null) : null
    },
    /** the current version for a learner to answer, null while the course has none */
    assessmentForLearner: async (courseId: string): Promise<LearnerAssessment | null> => {
      const found = await assessments(courseId)
      const current = found?.versions[found.current]
      return current ? { version: current.version, passMark: current.passMark, questions: withoutAnswers(current.questions) } : null
    },
    /** an attempt's pass mark and wrong questions (by their text in the version answered), never the right answers */
    resultOf: async (courseId: string, attempt: AttemptResult, fallbackPassMark: number): Promise<{ passMark: number; wrong: { number: number; text: string }[] }> => {
      const answered = (await assessments(courseId))?.versions[attempt.assessmentVersion]
      if (!answered) return { passMark: fallbackPassMark, wrong: [] }
      const wrong = answered.questions.flatMap((q, i) => (attempt.wrongQuestionIds.includes(q.questionId) ? [{ number: i + 1, text: q.text }] : []))
      return { passMark: answered.passMark, wrong }
    },
  }
}
