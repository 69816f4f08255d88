import { describe, expect, it } from 'vitest'
import { SurveyDecider, streamId, type SurveyEvent } from '../../domain/psat/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { command, given, partnerUser } from './support/given.ts'

const acme = partnerUser('p-acme')
const opened: SurveyEvent = { type: 'SurveyRoundOpened', data: { surveyId: 's-1', topics: ['support', 'pricing'] } }
const answered: SurveyEvent = { type: 'SurveyAnswered', data: { surveyId: 's-1', partnerId: 'p-acme', userId: 'user-p-acme', scores: { support: 9, pricing: 6 }, comment: 'Good' } }
const answer = (scores: Record<string, number>, actor = acme) => command('AnswerSurvey', { surveyId: 's-1', partnerId: 'p-acme', scores, comment: 'Good' }, { actor })

describe('psat', () => {
  it('names its stream survey-<id>', () => expect(streamId('s-1')).toBe('survey-s-1'))
  it('the vendor opens a round with distinct topics', () => {
    given(SurveyDecider).when(command('OpenSurveyRound', { surveyId: 's-1', topics: ['support', 'pricing'] })).then([opened])
    given(SurveyDecider).when(command('OpenSurveyRound', { surveyId: 's-1', topics: ['a', 'a'] })).thenThrows(ValidationError, /only once/)
    given(SurveyDecider).when(command('OpenSurveyRound', { surveyId: 's-1', topics: [] })).thenThrows(ValidationError, /topic/)
    given(SurveyDecider).when(command('OpenSurveyRound', { surveyId: 's-1', topics: ['a'] }, { actor: acme })).thenThrows(ForbiddenError)
  })
  it('a partner answers every topic 0..10, once per round', () => {
    given(SurveyDecider, [opened]).when(answer({ support: 9, pricing: 6 })).then([answered])
    given(SurveyDecider, [opened, answered]).when(answer({ support: 9, pricing: 6 })).thenThrows(IllegalStateError, /already answered/)
    given(SurveyDecider, [opened]).when(answer({ support: 9 })).thenThrows(ValidationError, /missing: pricing/)
    given(SurveyDecider, [opened]).when(answer({ support: 9, pricing: 6, food: 1 })).thenThrows(ValidationError, /does not ask about food/)
    given(SurveyDecider, [opened]).when(answer({ support: 11, pricing: 6 })).thenThrows(ValidationError, /0 to 10/)
    given(SurveyDecider, [opened]).when(answer({ support: 9, pricing: 6 }, partnerUser('p-beta'))).thenThrows(ForbiddenError)
    given(SurveyDecider).when(answer({ support: 9, pricing: 6 })).thenThrows(NotFoundError)
  })
  it('closing counts the answers; a closed round takes none', () => {
    const closed: SurveyEvent = { type: 'SurveyRoundClosed', data: { surveyId: 's-1', answers: 1 } }
    given(SurveyDecider, [opened, answered]).when(command('CloseSurveyRound', { surveyId: 's-1' })).then([closed])
    given(SurveyDecider, [opened, answered, closed]).when(answer({ support: 1, pricing: 1 })).thenThrows(IllegalStateError, /closed/)
    given(SurveyDecider, [opened, answered, closed]).when(command('CloseSurveyRound', { surveyId: 's-1' })).thenThrows(IllegalStateError, /closed/)
  })
})
