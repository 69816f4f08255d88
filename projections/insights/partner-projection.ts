// The shape every per-partner insight read model shares: a document per partner, plus the program settings as a
// shared document ($settings) that each event is weighed with, as they were in force when it happened.
import type { RecordedEvent } from '../../eventstore/types.ts'
import type { Projection } from '../projection.ts'
import { emptyFacts, evolveFacts, FACT_EVENTS, partnerOf, type PartnerFacts } from './facts.ts'
import { emptySettingsDoc, evolveSettingsDoc, settingsAt, sharedSettings, SETTINGS_EVENT, SETTINGS_KEY, type InsightSettings, type SettingsDoc } from './settings.ts'

export type PartnerStep<D> = (prior: D | null, event: RecordedEvent, settings: InsightSettings, partnerId: string) => D

export function partnerProjection<D>(spec: {
  name: string
  version: number
  handles: readonly string[]
  evolve: PartnerStep<D>
  indexes?: readonly string[]
  /** the partner document's append-only history fields (Projection.logs) */
  logs?: readonly string[]
}): Projection<D | SettingsDoc | null> {
  return {
    ...(spec.indexes ? { indexes: spec.indexes } : {}),
    ...(spec.logs ? { logs: spec.logs } : {}),
    name: spec.name,
    version: spec.version,
    handles: [...spec.handles, SETTINGS_EVENT],
    keysOf: (event: RecordedEvent) => {
      if (event.type === SETTINGS_EVENT) return [SETTINGS_KEY]
      const id = partnerOf(event)
      return id ? [id] : []
    },
    sharedKeys: [SETTINGS_KEY],
    initialState: (key) => (key === SETTINGS_KEY ? emptySettingsDoc() : null),
    evolve(state, event, shared) {
      if (event.type === SETTINGS_EVENT) return evolveSettingsDoc(state as SettingsDoc, event)
      const settings = settingsAt(sharedSettings(shared), event.metadata.occurredAt)
      return spec.evolve(state as D | null, event, settings, partnerOf(event)!)
    },
  }
}

/** A document holding only a partner's facts (scorecard and lifetime value are computed from them at read time). */
export type FactsDoc = { partnerId: string; facts: PartnerFacts; updatedAt: string }

export function factsProjection(name: string, version: number): Projection<FactsDoc | SettingsDoc | null> {
  return partnerProjection<FactsDoc>({
    name,
    version,
    handles: FACT_EVENTS,
    evolve: (prior, event, settings, partnerId) => ({
      partnerId,
      facts: evolveFacts(prior?.facts ?? emptyFacts(partnerId, settings), event, settings),
      updatedAt: event.metadata.occurredAt,
    }),
  })
}
