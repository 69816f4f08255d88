// Each partner's relationship pyramid stage, with the events that moved it: kept in the partner's journey document
// (one fold and one stored copy of the facts, decision 026); this is the pyramid's view of that document.
import type { JourneyDoc, PyramidChange } from './journey.ts'
import type { PartnerFacts } from './insights/facts.ts'
import { stages, type PyramidStage } from './insights/pyramid-rules.ts'

export { stages, type PyramidChange, type PyramidStage }

export type PyramidDoc = {
  partnerId: string
  /** null until the partner is approved */
  stage: PyramidStage | null
  /** every change of stage, oldest first */
  history: PyramidChange[]
  facts: PartnerFacts
  updatedAt: string
}

/** The pyramid document the pyramid projection used to store (before decision 026), read off a journey document. */
export const pyramidDocOf = (journey: Pick<JourneyDoc, 'partnerId' | 'stage' | 'stageHistory' | 'facts' | 'updatedAt'>): PyramidDoc => ({
  partnerId: journey.partnerId, stage: journey.stage, history: journey.stageHistory, facts: journey.facts, updatedAt: journey.updatedAt,
})
