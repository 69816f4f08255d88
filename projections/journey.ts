// The partner's journey phase (interest, recruitment, activation, investment, devotion) with the events that moved it.
import type { RecordedEvent } from '../eventstore/types.ts'
import type { Projection } from './projection.ts'

export const phases = ['interest', 'recruitment', 'activation', 'investment', 'devotion'] as const
export type JourneyPhase = (typeof phases)[number]

export type JourneyDoc = {
  partnerId: string
  phase: JourneyPhase
  approved: boolean
  rejected: boolean
  approvedDeals: number
  activeCertifications: string[]
  coInvestmentsApproved: number
  planInForce: boolean
  history: { phase: JourneyPhase; from: JourneyPhase | null; at: string; eventId: string; eventType: string; reason: string }[]
}

type Data = Record<string, any>

function phaseOf(doc: JourneyDoc): JourneyPhase {
  if (!doc.approved) return 'interest'
  const activated = doc.approvedDeals > 0 && doc.activeCertifications.length > 0
  if (!activated) return 'recruitment'
  if (doc.coInvestmentsApproved > 0 || doc.planInForce) return 'investment'
  return 'activation'
}

function explain(doc: JourneyDoc, event: RecordedEvent): string {
  switch (event.type) {
    case 'PartnerApplied': return 'Applied to the program'
    case 'PartnerApproved': return 'Application approved'
    case 'DealApproved': return 'Deal registration approved'
    case 'CertificationEarned': return 'Certification earned'
    case 'CertificationLapsed': return 'Certification lapsed'
    case 'CoInvestmentApproved': return 'Co-investment approved'
    case 'JointBusinessPlanCreated': return 'Joint business plan in force'
    default: return event.type
  }
}

export const journeyProjection: Projection<JourneyDoc | null> = {
  name: 'journey',
  version: 1,
  handles: [
    'PartnerApplied', 'PartnerApproved', 'PartnerRejected', 'DealApproved', 'CertificationEarned', 'CertificationLapsed',
    'CoInvestmentApproved', 'JointBusinessPlanCreated',
  ],
  keysOf: (event: RecordedEvent) => (typeof (event.data as Data).partnerId === 'string' ? [(event.data as Data).partnerId] : []),
  initialState: () => null,
  evolve(state, event) {
    const data = event.data as Data
    let doc: JourneyDoc = state ?? {
      partnerId: data.partnerId, phase: 'interest', approved: false, rejected: false, approvedDeals: 0,
      activeCertifications: [], coInvestmentsApproved: 0, planInForce: false, history: [],
    }
    switch (event.type) {
      case 'PartnerApproved': doc = { ...doc, approved: true }; break
      case 'PartnerRejected': doc = { ...doc, rejected: true }; break
      case 'DealApproved': doc = { ...doc, approvedDeals: doc.approvedDeals + 1 }; break
      case 'CertificationEarned': {
        const id = `${data.courseId}:${data.userId}`
        doc = { ...doc, activeCertifications: doc.activeCertifications.includes(id) ? doc.activeCertifications : [...doc.activeCertifications, id] }
        break
      }
      case 'CertificationLapsed': {
        const id = `${data.courseId}:${data.userId}`
        doc = { ...doc, activeCertifications: doc.activeCertifications.filter((c) => c !== id) }
        break
      }
      case 'CoInvestmentApproved': doc = { ...doc, coInvestmentsApproved: doc.coInvestmentsApproved + 1 }; break
      case 'JointBusinessPlanCreated': doc = { ...doc, planInForce: true }; break
    }
    const phase = phaseOf(doc)
    if (state === null || phase !== doc.phase) {
      doc = {
        ...doc,
        phase,
        history: [...doc.history, { phase, from: state === null ? null : doc.phase, at: event.metadata.occurredAt, eventId: event.id, eventType: event.type, reason: explain(doc, event) }],
      }
    }
    return doc
  },
}
