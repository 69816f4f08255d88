// PSAT survey rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { parseData } from '../shared/schemas.ts'
import { list, MAX, multiLine, ref, singleLine, tooMany } from '../shared/fields.ts'
import { evolve, initialState, Score, type Survey, type SurveyAnswered, type SurveyEvent, type SurveyRoundClosed, type SurveyRoundOpened } from './survey.ts'

const MAX_TOPICS = 20
export const OpenSurveyRoundData = z.object({ surveyId: ref(), topics: list(singleLine(MAX.label), MAX_TOPICS).min(1, 'Name at least one topic') })
export const AnswerSurveyData = z.object({
  surveyId: ref(),
  partnerId: ref(),
  scores: z.record(singleLine(MAX.label), Score).refine((scores) => Object.keys(scores).length <= MAX_TOPICS, tooMany(MAX_TOPICS)),
  comment: multiLine(MAX.longText, false).default(''),
})
export const CloseSurveyRoundData = z.object({ surveyId: ref() })

export const surveyCommandSchemas = { OpenSurveyRound: OpenSurveyRoundData, AnswerSurvey: AnswerSurveyData, CloseSurveyRound: CloseSurveyRoundData } as const

export type OpenSurveyRound = Command<'OpenSurveyRound', z.input<typeof OpenSurveyRoundData>>
export type AnswerSurvey = Command<'AnswerSurvey', z.input<typeof AnswerSurveyData>>
export type CloseSurveyRound = Command<'CloseSurveyRound', z.input<typeof CloseSurveyRoundData>>
export type SurveyCommand = OpenSurveyRound | AnswerSurvey | CloseSurveyRound
export type SurveyCommandType = SurveyCommand['type']

function open(state: Survey, surveyId: string) {
  if (state.status === 'Initial') throw new NotFoundError(`Survey round ${surveyId} was never opened`)
  if (state.status !== 'Open') throw new IllegalStateError(`Survey round ${surveyId} is closed`)
  return state
}

export function openSurveyRound(command: OpenSurveyRound, state: Survey): SurveyRoundOpened {
  const data = parseData(OpenSurveyRoundData, command.data)
  requireVendor(command.metadata.actor, 'open survey rounds')
  if (state.status !== 'Initial') throw new IllegalStateError(`Survey round ${data.surveyId} was already opened`)
  if (new Set(data.topics).size !== data.topics.length) throw new ValidationError('Each topic may appear only once', 'topics')
  return { type: 'SurveyRoundOpened', data }
}

export function answerSurvey(command: AnswerSurvey, state: Survey): SurveyAnswered {
  const data = parseData(AnswerSurveyData, command.data)
  requirePartnerOf(command.metadata.actor, data.partnerId, 'answer surveys for it')
  const survey = open(state, data.surveyId)
  if (survey.answeredBy.includes(data.partnerId)) throw new IllegalStateError(`Partner ${data.partnerId} has already answered this survey round`)
  const missing = survey.topics.filter((t) => !(t in data.scores))
  if (missing.length) throw new ValidationError(`Score every topic; missing: ${missing.join(', ')}`, 'scores')
  const unknown = Object.keys(data.scores).filter((t) => !survey.topics.includes(t))
  if (unknown.length) throw new ValidationError(`This round does not ask about ${unknown.join(', ')}`, 'scores')
  return { type: 'SurveyAnswered', data: { ...data, userId: command.metadata.actor.userId } }
}

export function closeSurveyRound(command: CloseSurveyRound, state: Survey): SurveyRoundClosed {
  const data = parseData(CloseSurveyRoundData, command.data)
  requireVendor(command.metadata.actor, 'close survey rounds')
  const survey = open(state, data.surveyId)
  return { type: 'SurveyRoundClosed', data: { surveyId: survey.surveyId, answers: survey.answeredBy.length } }
}

export function decide(command: SurveyCommand, state: Survey): SurveyEvent | SurveyEvent[] {
  switch (command.type) {
    case 'OpenSurveyRound':
      return openSurveyRound(command, state)
    case 'AnswerSurvey':
      return answerSurvey(command, state)
    case 'CloseSurveyRound':
      return closeSurveyRound(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const SurveyDecider: Decider<SurveyCommand, SurveyEvent, Survey> = { initialState, evolve, decide }
