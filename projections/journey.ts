// Each partner's journey phase (interest to devotion) and relationship pyramid stage, with the events that moved them,
// and the partner's facts: the one stored copy the scorecard, pyramid and lifetime value are read from (decision 026).
import { coInvestmentCountInForce, FACT_EVENTS, nextFacts, validCertificationKeys, type FactEvent, type PartnerFacts } from './insights/facts.ts'
import { journeyPhase, journeyStatus } from './insights/journey.ts'
import { partnerProjection } from './insights/partner-projection.ts'
import { pyramidStage, pyramidStatus, stages, type PyramidStage } from './insights/pyramid-rules.ts'

export const phases = ['interest', 'recruitment', 'activation', 'investment', 'devotion'] as const
export type JourneyPhase = (typeof phases)[number]

export type JourneyChange = {
  phase: JourneyPhase
  from: JourneyPhase | null
  at: string
  eventId: string
  eventType: string
  /** in words: the event, and for a step back the condition that no longer holds */
  reason: string
}

export type JourneyDoc = {
  partnerId: string
  phase: JourneyPhase
  approved: boolean
  rejected: boolean
  approvedDeals: number
  /** valid certifications (course:user) at the last event */
  activeCertifications: string[]
  /** co-investments (incl. co-funded heads) in force at the last event */
  coInvestmentsApproved: number
  planInForce: boolean
  /** the partner's trust in the vendor at the last event (same rules as the trust read model) */
  trust: number
  /** every change of phase, oldest first; stored as log rows (Projection.logs) */
  history: JourneyChange[]
  /** the pyramid stage at the last event, null until the partner is approved */
  stage: PyramidStage | null
  /** every change of stage, oldest first; stored as log rows (Projection.logs) */
  stageHistory: PyramidChange[]
  facts: PartnerFacts
  updatedAt: string
}

export type PyramidChange = { stage: PyramidStage | null; from: PyramidStage | null; at: string; eventId: string; eventType: string; reason: string }

const rank = (stage: PyramidStage | null) => (stage === null ? -1 : stages.indexOf(stage))

const describe: Record<string, string> = {
  PartnerApplied: 'Applied to the program',
  PartnerApproved: 'Application approved',
  PartnerRejected: 'Application rejected',
  DealApproved: 'Deal registration approved',
  DealWon: 'Deal won',
  CertificationEarned: 'Certification earned',
  CertificationLapsed: 'Certification lapsed',
  CoInvestmentApproved: 'Co-investment approved',
  CoInvestmentDeclined: 'Co-investment declined',
  ClaimRejected: 'Co-investment claim rejected',
  ClaimWindowClosed: 'Co-investment claim window closed',
  AllocationExpired: 'Quarterly fund allocation expired',
  JointBusinessPlanCreated: 'Joint business plan in force',
  PlanReviewed: 'Joint business plan reviewed',
}

export const journeyProjection = partnerProjection<JourneyDoc, FactEvent['type']>({
  name: 'journey',
  // 5: the pyramid's stage and its history moved in (the pyramid, scorecard and lifetime value documents are gone);
  // 6: facts bounded and slimmed (customers of old quarters dropped, co-investments without the amounts no page reads)
  // 7: a superseded registration leaves the open deals, as a rejected or withdrawn one does
  // 8: the facts' trustPending forgets a breached deal that is withdrawn or superseded (it stayed there for good)
  version: 8,
  handles: FACT_EVENTS,
  logs: ['history', 'stageHistory'],
  evolve(state, event, settings, partnerId) {
    const at = event.metadata.occurredAt
    const prior = state
    const facts = nextFacts(prior?.facts, event, settings, partnerId)
    const phase = journeyPhase(facts, at, settings)
    let history = prior?.history ?? []
    if (!prior || prior.phase !== phase) {
      const from = prior?.phase ?? null
      const what = describe[event.type] ?? event.type
      const down = from !== null && phases.indexOf(phase) < phases.indexOf(from)
      // the words of what no longer holds: only a step back needs every check
      const lost = down ? journeyStatus(facts, at, settings).checks[phases.indexOf(phase) + 1]?.missing ?? [] : []
      history = [...history, { phase, from, at, eventId: event.id, eventType: event.type, reason: lost.length ? `${what}; back to ${phase}: ${lost.join('; ')}` : what }]
    }
    const stage = pyramidStage(facts, at, settings)
    const fromStage = prior?.stage ?? null
    let stageHistory = prior?.stageHistory ?? []
    if (stage !== fromStage) {
      const down = rank(stage) < rank(fromStage)
      const lost = down ? pyramidStatus(facts, at, settings).checks[rank(stage) + 1]?.missing ?? [] : []
      stageHistory = [...stageHistory, { stage, from: fromStage, at, eventId: event.id, eventType: event.type, reason: lost.length ? `${event.type}; no longer: ${lost.join('; ')}` : event.type }]
    }
    return {
      partnerId,
      phase,
      approved: facts.status === 'approved',
      rejected: facts.status === 'rejected',
      approvedDeals: facts.approvedDeals,
      activeCertifications: validCertificationKeys(facts, at),
      coInvestmentsApproved: coInvestmentCountInForce(facts),
      planInForce: facts.plan !== null,
      trust: facts.trust,
      history,
      stage,
      stageHistory,
      facts,
      updatedAt: at,
    }
  },
  indexes: ["create index if not exists journey_phase on read_models ((state->>'phase')) where projection = 'journey'"],
})
