// 5C scorecard inputs per partner: the raw facts (won revenue by quarter, asset use, certifications, coverage, commitment); insights/scorecard.ts scores them.
import type { RecordedEvent } from '../eventstore/types.ts'
import { emptyFacts, evolveFacts, FACT_EVENTS, partnerOf, type PartnerFacts } from './insights/facts.ts'
import { emptySettingsDoc, evolveSettingsDoc, settingsAt, sharedSettings, SETTINGS_EVENT, SETTINGS_KEY, type SettingsDoc } from './insights/settings.ts'
import type { Projection } from './projection.ts'

export type ScorecardDoc = { partnerId: string; facts: PartnerFacts; updatedAt: string }

export const scorecardProjection: Projection<ScorecardDoc | SettingsDoc | null> = {
  name: 'scorecard',
  version: 1,
  handles: [...FACT_EVENTS, SETTINGS_EVENT],
  keysOf: (event: RecordedEvent) => {
    if (event.type === SETTINGS_EVENT) return [SETTINGS_KEY]
    const id = partnerOf(event)
    return id ? [id] : []
  },
  sharedKeys: [SETTINGS_KEY],
  initialState: (key) => (key === SETTINGS_KEY ? emptySettingsDoc() : null),
  evolve(state, event, shared) {
    if (event.type === SETTINGS_EVENT) return evolveSettingsDoc(state as SettingsDoc, event)
    const at = event.metadata.occurredAt
    const settings = settingsAt(sharedSettings(shared), at)
    const prior = state as ScorecardDoc | null
    const partnerId = partnerOf(event)!
    return { partnerId, facts: evolveFacts(prior?.facts ?? emptyFacts(partnerId, settings), event, settings), updatedAt: at }
  },
}
