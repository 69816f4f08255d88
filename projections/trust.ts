// Each partner's trust in the vendor: earned in drops, lost in gallons, 0 to 100, with its history.
import { clampTrust, emptyTrustPending, judgeTrust, TRUST_EVENTS, type TrustEvent, type TrustPending, type TrustRule } from './insights/trust-rules.ts'
import { partnerProjection } from './insights/partner-projection.ts'

export type TrustEntry = {
  at: string
  eventId: string
  eventType: string
  rule: TrustRule
  /** 'drop': a kept promise (gain); 'gallon': a broken one (loss) */
  kind: 'drop' | 'gallon'
  /** the rule's weight */
  weight: number
  /** what it actually moved (less than the weight at the bounds) */
  delta: number
  value: number
  reason: string
}

export type TrustDoc = {
  partnerId: string
  value: number
  drops: number
  gallons: number
  gained: number
  lost: number
  /** every drop and gallon, oldest first; stored as log rows (Projection.logs) */
  history: TrustEntry[]
  pending: TrustPending
  updatedAt: string
}

export const trustProjection = partnerProjection<TrustDoc, TrustEvent['type']>({
  name: 'trust',
  // 3: a breached deal that is withdrawn or superseded leaves pending.breachedDeals (it stayed there for good)
  version: 3,
  handles: TRUST_EVENTS,
  logs: ['history'],
  evolve(state, event, settings, partnerId) {
    const at = event.metadata.occurredAt
    const doc: TrustDoc = (state) ?? {
      partnerId, value: settings.trust.initial, drops: 0, gallons: 0, gained: 0, lost: 0, history: [], pending: emptyTrustPending(), updatedAt: at,
    }
    const { pending, verdict } = judgeTrust(doc.pending, event, settings)
    if (!verdict) return { ...doc, pending, updatedAt: at }
    const value = clampTrust(doc.value + verdict.weight)
    const delta = Math.round((value - doc.value) * 100) / 100
    const kind = verdict.weight >= 0 ? 'drop' : 'gallon'
    return {
      ...doc,
      value,
      pending,
      drops: doc.drops + (kind === 'drop' ? 1 : 0),
      gallons: doc.gallons + (kind === 'gallon' ? 1 : 0),
      gained: Math.round((doc.gained + Math.max(0, delta)) * 100) / 100,
      lost: Math.round((doc.lost + Math.max(0, -delta)) * 100) / 100,
      history: [...doc.history, { at, eventId: event.id, eventType: event.type, rule: verdict.rule, kind, weight: verdict.weight, delta, value, reason: verdict.reason }],
      updatedAt: at,
    }
  },
})
