// Engagement use cases: workshops, PSAT survey rounds and joint business plans.
import { randomUUID } from 'node:crypto'
import { PlanDecider, streamId as planStream, type PlanCommand } from '../../domain/plans/index.ts'
import { SurveyDecider, streamId as surveyStream, type SurveyCommand } from '../../domain/psat/index.ts'
import { WorkshopDecider, streamId as workshopStream, type WorkshopCommand } from '../../domain/workshops/index.ts'
import type { CommandCore, Issued } from './core.server.ts'

export type WorkshopRequest = { workshopId?: string; partnerId: string; kind: 'strategy' | 'value_proposition'; goal: string; attendees: string[] }
export type Outcomes = { alignedObjectives: string[]; successMeasures: string[] }
export type SurveyAnswer = { surveyId: string; partnerId: string; scores: Record<string, number>; comment: string }
export type NewPlan = {
  partnerId: string
  goals: { id?: string; description: string; target: string; dueDate: string }[]
  commitments: { side: 'vendor' | 'partner'; description: string }[]
}
export type PlanReviewInput = { partnerId: string; quarter: string; status: 'on_track' | 'at_risk' | 'off_track'; notes: string }

export { quarterOf } from '../../domain/shared/time.ts'

/** The quarter before, e.g. 2026-Q1 -> 2025-Q4 */
export function previousQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4))
  const q = Number(quarter.slice(6))
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`
}

export function createEngagementCommands({ run, metadata }: CommandCore) {
  const workshop = (issued: Issued, workshopId: string, command: Omit<WorkshopCommand, 'metadata'>) =>
    run(WorkshopDecider, workshopStream(workshopId), { ...command, metadata: metadata(issued) } as WorkshopCommand)
  const survey = (issued: Issued, surveyId: string, command: Omit<SurveyCommand, 'metadata'>) =>
    run(SurveyDecider, surveyStream(surveyId), { ...command, metadata: metadata(issued) } as SurveyCommand)
  const plan = (issued: Issued, partnerId: string, command: Omit<PlanCommand, 'metadata'>) =>
    run(PlanDecider, planStream(partnerId), { ...command, metadata: metadata(issued) } as PlanCommand)

  return {
    async requestWorkshop(issued: Issued, data: WorkshopRequest) {
      const workshopId = data.workshopId ?? randomUUID()
      const result = await workshop(issued, workshopId, { type: 'RequestWorkshop', data: { ...data, workshopId } })
      return { workshopId, result }
    },
    scheduleWorkshop: (issued: Issued, workshopId: string, date: string) =>
      workshop(issued, workshopId, { type: 'ScheduleWorkshop', data: { workshopId, date } }),
    holdWorkshop: (issued: Issued, workshopId: string, outcomes: Outcomes) =>
      workshop(issued, workshopId, { type: 'HoldWorkshop', data: { workshopId, outcomes } }),
    cancelWorkshop: (issued: Issued, workshopId: string, reason: string) =>
      workshop(issued, workshopId, { type: 'CancelWorkshop', data: { workshopId, reason } }),

    async openSurveyRound(issued: Issued, topics: string[], surveyId: string = randomUUID()) {
      const result = await survey(issued, surveyId, { type: 'OpenSurveyRound', data: { surveyId, topics } })
      return { surveyId, result }
    },
    answerSurvey: (issued: Issued, data: SurveyAnswer) => survey(issued, data.surveyId, { type: 'AnswerSurvey', data }),
    closeSurveyRound: (issued: Issued, surveyId: string) => survey(issued, surveyId, { type: 'CloseSurveyRound', data: { surveyId } }),

    createPlan: (issued: Issued, data: NewPlan) =>
      plan(issued, data.partnerId, {
        type: 'CreateJointBusinessPlan',
        data: { ...data, goals: data.goals.map((goal) => ({ ...goal, id: goal.id ?? randomUUID() })) },
      }),
    reviewPlan: (issued: Issued, data: PlanReviewInput) => plan(issued, data.partnerId, { type: 'ReviewPlan', data }),
  }
}
