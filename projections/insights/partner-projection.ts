// The shape every per-partner insight read model shares: a document per partner, plus the program settings as a
// shared document ($settings) that each event is weighed with, as they were in force when it happened.
import type { DomainEventType, DomainRecordedEvent, Projection, RecordedOf } from '../projection.ts'
import { FACT_EVENTS, nextFacts, partnerOf, type PartnerFacts } from './facts.ts'
import { emptySettingsDoc, evolveSettingsDoc, settingsAt, sharedSettings, SETTINGS_EVENT, SETTINGS_KEY, type InsightSettings, type SettingsDoc } from './settings.ts'

export type PartnerStep<D, E> = (prior: D | null, event: E, settings: InsightSettings, partnerId: string) => D

export function partnerProjection<D, T extends DomainEventType>(spec: {
  name: string
  version: number
  handles: readonly T[]
  evolve: PartnerStep<D, RecordedOf<T>>
  indexes?: readonly string[]
  /** the partner document's append-only history fields (Projection.logs) */
  logs?: readonly string[]
}): Projection<D | SettingsDoc | null, DomainRecordedEvent> {
  return {
    ...(spec.indexes ? { indexes: spec.indexes } : {}),
    ...(spec.logs ? { logs: spec.logs } : {}),
    name: spec.name,
    version: spec.version,
    handles: [...spec.handles, SETTINGS_EVENT],
    keysOf: (event) => {
      if (event.type === SETTINGS_EVENT) return [SETTINGS_KEY]
      const id = partnerOf(event)
      return id ? [id] : []
    },
    sharedKeys: [SETTINGS_KEY],
    initialState: (key) => (key === SETTINGS_KEY ? emptySettingsDoc() : null),
    evolve(state, event, shared) {
      if (event.type === SETTINGS_EVENT) return evolveSettingsDoc(state as SettingsDoc, event)
      const settings = settingsAt(sharedSettings(shared), event.metadata.occurredAt)
      // the runner hands over only the types listed in handles: every other event is one of spec.handles
      return spec.evolve(state as D | null, event as RecordedOf<T>, settings, partnerOf(event)!)
    },
  }
}

/**
 * What the scorecard and lifetime value are computed from at read time: a partner's facts (the journey document holds
 * them, decision 026; so did the scorecard and lifetime_value documents before it).
 */
export type FactsDoc = { partnerId: string; facts: PartnerFacts; updatedAt: string }

/** A fold of the facts alone (the what-if replay's; not a stored read model since decision 026). */
export function factsProjection(name: string, version: number) {
  return partnerProjection({
    name,
    version,
    handles: FACT_EVENTS,
    evolve: (prior: FactsDoc | null, event, settings, partnerId): FactsDoc => ({
      partnerId,
      facts: nextFacts(prior?.facts, event, settings, partnerId),
      updatedAt: event.metadata.occurredAt,
    }),
  })
}
