// Relationship pyramid stage per partner (transactional, enhanced, collaborative, partnership), recorded with the events that moved it.
import type { RecordedEvent } from '../eventstore/types.ts'
import { emptyFacts, evolveFacts, FACT_EVENTS, partnerOf, type PartnerFacts } from './insights/facts.ts'
import { pyramidStatus, stages, type PyramidStage } from './insights/pyramid-rules.ts'
import { emptySettingsDoc, evolveSettingsDoc, settingsAt, sharedSettings, SETTINGS_EVENT, SETTINGS_KEY, type SettingsDoc } from './insights/settings.ts'
import type { Projection } from './projection.ts'

export { stages, type PyramidStage }

export type PyramidChange = { stage: PyramidStage | null; from: PyramidStage | null; at: string; eventId: string; eventType: string; reason: string }

export type PyramidDoc = {
  partnerId: string
  /** null until the partner is approved */
  stage: PyramidStage | null
  history: PyramidChange[]
  facts: PartnerFacts
  updatedAt: string
}

const rank = (stage: PyramidStage | null) => (stage === null ? -1 : stages.indexOf(stage))

export const pyramidProjection: Projection<PyramidDoc | SettingsDoc | null> = {
  name: 'pyramid',
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
    const prior = state as PyramidDoc | null
    const partnerId = partnerOf(event)!
    const facts = evolveFacts(prior?.facts ?? emptyFacts(partnerId, settings), event, settings)
    const status = pyramidStatus(facts, at, settings)
    let history = prior?.history ?? []
    const from = prior?.stage ?? null
    if (status.stage !== from) {
      const down = rank(status.stage) < rank(from)
      const lost = down ? status.checks[rank(status.stage) + 1]?.missing ?? [] : []
      history = [...history, { stage: status.stage, from, at, eventId: event.id, eventType: event.type, reason: lost.length ? `${event.type}; no longer: ${lost.join('; ')}` : event.type }]
    }
    return { partnerId, stage: status.stage, history, facts, updatedAt: at }
  },
  indexes: ["create index if not exists pyramid_stage on read_models ((state->>'stage')) where projection = 'pyramid'"],
}
