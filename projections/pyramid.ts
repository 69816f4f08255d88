// Each partner's relationship pyramid stage, with the events that moved it.
import { FACT_EVENTS, nextFacts, type FactEvent, type PartnerFacts } from './insights/facts.ts'
import { pyramidStage, pyramidStatus, stages, type PyramidStage } from './insights/pyramid-rules.ts'
import { partnerProjection } from './insights/partner-projection.ts'

export { stages, type PyramidStage }

export type PyramidChange = { stage: PyramidStage | null; from: PyramidStage | null; at: string; eventId: string; eventType: string; reason: string }

export type PyramidDoc = {
  partnerId: string
  /** null until the partner is approved */
  stage: PyramidStage | null
  /** every change of stage, oldest first; stored as log rows (Projection.logs) */
  history: PyramidChange[]
  facts: PartnerFacts
  updatedAt: string
}

const rank = (stage: PyramidStage | null) => (stage === null ? -1 : stages.indexOf(stage))

export const pyramidProjection = partnerProjection<PyramidDoc, FactEvent['type']>({
  name: 'pyramid',
  version: 3,
  handles: FACT_EVENTS,
  logs: ['history'],
  evolve(state, event, settings, partnerId) {
    const at = event.metadata.occurredAt
    const prior = state
    const facts = nextFacts(prior?.facts, event, settings, partnerId)
    const stage = pyramidStage(facts, at, settings)
    let history = prior?.history ?? []
    const from = prior?.stage ?? null
    if (stage !== from) {
      const down = rank(stage) < rank(from)
      // the words of what no longer holds: only a step back needs every check
      const lost = down ? pyramidStatus(facts, at, settings).checks[rank(stage) + 1]?.missing ?? [] : []
      history = [...history, { stage, from, at, eventId: event.id, eventType: event.type, reason: lost.length ? `${event.type}; no longer: ${lost.join('; ')}` : event.type }]
    }
    return { partnerId, stage, history, facts, updatedAt: at }
  },
  indexes: ["create index if not exists pyramid_stage on read_models ((state->>'stage')) where projection = 'pyramid'"],
})
