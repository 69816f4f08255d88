// Partner satisfaction (PSAT) survey rounds: open with topics, one answer per partner, close.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id, Text } from '../shared/schemas.ts'

export const streamId = (surveyId: string) => `survey-${surveyId}`

export const Score = z.number().int('Scores are whole numbers').min(0, 'Scores run from 0 to 10').max(10, 'Scores run from 0 to 10')

export const SurveyRoundOpenedData = z.object({ surveyId: Id, topics: z.array(Text).min(1) })
export const SurveyAnsweredData = z.object({
  surveyId: Id,
  partnerId: Id,
  userId: Id.describe('who answered for the partner'),
  scores: z.record(z.string(), Score).describe('topic -> 0..10'),
  comment: z.string(),
})
export const SurveyRoundClosedData = z.object({ surveyId: Id, answers: z.number().int().nonnegative() })

export const surveyEventSchemas = {
  SurveyRoundOpened: SurveyRoundOpenedData,
  SurveyAnswered: SurveyAnsweredData,
  SurveyRoundClosed: SurveyRoundClosedData,
} as const

export type SurveyRoundOpened = DomainEvent<'SurveyRoundOpened', z.infer<typeof SurveyRoundOpenedData>>
export type SurveyAnswered = DomainEvent<'SurveyAnswered', z.infer<typeof SurveyAnsweredData>>
export type SurveyRoundClosed = DomainEvent<'SurveyRoundClosed', z.infer<typeof SurveyRoundClosedData>>
export type SurveyEvent = SurveyRoundOpened | SurveyAnswered | SurveyRoundClosed
export type SurveyEventType = SurveyEvent['type']

type Facts = { surveyId: string; topics: string[]; answeredBy: string[] }
export type Survey = { status: 'Initial' } | ({ status: 'Open' | 'Closed' } & Facts)

export const initialState = (): Survey => ({ status: 'Initial' })

export function evolve(state: Survey, event: SurveyEvent): Survey {
  switch (event.type) {
    case 'SurveyRoundOpened':
      return { status: 'Open', surveyId: event.data.surveyId, topics: event.data.topics, answeredBy: [] }
    case 'SurveyAnswered':
      return state.status === 'Open' ? { ...state, answeredBy: [...state.answeredBy, event.data.partnerId] } : state
    case 'SurveyRoundClosed':
      return state.status === 'Open' ? { ...state, status: 'Closed' } : state
    default:
      return state
  }
}
