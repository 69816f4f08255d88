// Partner lifetime value inputs per partner: margin-bearing revenue, activity and churn signals, cost to serve; insights/lifetime-value.ts computes the value.
import type { RecordedEvent } from '../eventstore/types.ts'
import { emptyFacts, evolveFacts, FACT_EVENTS, partnerOf, type PartnerFacts } from './insights/facts.ts'
import { emptySettingsDoc, evolveSettingsDoc, settingsAt, sharedSettings, SETTINGS_EVENT, SETTINGS_KEY, type SettingsDoc } from './insights/settings.ts'
import type { Projection } from './projection.ts'

export type LifetimeValueDoc = { partnerId: string; facts: PartnerFacts; updatedAt: string }

export const lifetimeValueProjection: Projection<LifetimeValueDoc | SettingsDoc | null> = {
  name: 'lifetime_value',
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
    const prior = state as LifetimeValueDoc | null
    const partnerId = partnerOf(event)!
    return { partnerId, facts: evolveFacts(prior?.facts ?? emptyFacts(partnerId, settings), event, settings), updatedAt: at }
  },
}
