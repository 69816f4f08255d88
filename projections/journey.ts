// Each partner's journey phase (interest to devotion), with the events that moved it.
import { coInvestmentCountInForce, FACT_EVENTS, nextFacts, validCertificationKeys, type FactEvent, type PartnerFacts } from './insights/facts.ts'
import { journeyPhase, journeyStatus } from './insights/journey.ts'
import { partnerProjection } from './insights/partner-projection.ts'

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
  facts: PartnerFacts
  updatedAt: string
}

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
  version: 4,
  handles: FACT_EVENTS,
  logs: ['history'],
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
      facts,
      updatedAt: at,
    }
  },
  indexes: ["create index if not exists journey_phase on read_models ((state->>'phase')) where projection = 'journey'"],
})
