// Builds recorded events for the insight projections' tests and folds them in memory, as time travel does.
import { randomUUID } from 'node:crypto'
import { eventSchemas } from '../../domain/index.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { foldEvents, type AnyProjection } from '../../projections/projection.ts'

let position = 0n

/** a recorded event whose data is checked against the domain schema */
export function ev(type: string, data: Record<string, unknown>, occurredAt: string): RecordedEvent {
  const schema = (eventSchemas as Record<string, { parse(d: unknown): unknown }>)[type]
  if (!schema) throw new Error(`unknown event type ${type}`)
  position++
  return {
    id: randomUUID(), type, streamId: `test-${type}`, streamRevision: 0n, globalPosition: position, position: { commit: position, prepare: position },
    recordedAt: new Date(occurredAt), data: schema.parse(data),
    metadata: { actor: 'user-test', tenant: 'vendor', occurredAt: occurredAt.includes('T') ? occurredAt : `${occurredAt}T12:00:00.000Z`, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
  }
}

export function fold(projection: AnyProjection, events: RecordedEvent[]): Map<string, any> {
  const docs = new Map<string, unknown>()
  for (const event of events) foldEvents(projection, docs, event)
  return docs as Map<string, any>
}

export const P = 'partner-a'
const FILE = { sha256: 'a'.repeat(64), filename: 'x.pdf', size: 1, contentType: 'application/pdf' }

/** short-hands for the events the tests need, for partner P unless given */
export const e = {
  applied: (at: string, partnerId = P, extra: Record<string, unknown> = {}) =>
    ev('PartnerApplied', { partnerId, company: `Co ${partnerId}`, websiteDomain: `${partnerId}.example`, geographies: ['DE'], segments: ['smb'], partnerType: 'reseller', applicant: { userId: `${partnerId}-u`, name: 'A', email: 'a@x.example' }, ...extra }, at),
  approved: (at: string, partnerId = P, tier = 'silver') => ev('PartnerApproved', { partnerId, tier, adminUserId: `${partnerId}-u` }, at),
  rejected: (at: string, partnerId = P) => ev('PartnerRejected', { partnerId, reason: 'no' }, at),
  registered: (at: string, dealId: string, partnerId = P, value = 1000, customerDomain = `${dealId}.example`) =>
    ev('DealRegistered', { dealId, partnerId, customerName: 'C', customerDomain, value, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [{ sku: 'X-1', name: 'X', quantity: 1 }], conflict: null, reviewDueAt: `${at.slice(0, 10)}T23:00:00.000Z`, protectionDays: 90 }, at),
  dealApproved: (at: string, dealId: string, partnerId = P, withinSla = true) => ev('DealApproved', { dealId, partnerId, protectedUntil: '2027-01-01', withinSla }, at),
  dealRejected: (at: string, dealId: string, partnerId = P, withinSla = true) => ev('DealRejected', { dealId, partnerId, reason: 'r', withinSla }, at),
  breached: (at: string, dealId: string, partnerId = P) => ev('DealReviewSlaBreached', { dealId, partnerId, dueAt: `${at.slice(0, 10)}T00:00:00.000Z` }, at),
  withdrawn: (at: string, dealId: string, partnerId = P) => ev('DealWithdrawn', { dealId, partnerId }, at),
  superseded: (at: string, dealId: string, byDealId: string, partnerId = P) =>
    ev('DealSuperseded', { dealId, partnerId, byDealId, byPartnerId: `${partnerId}-rival`, byRegisteredAt: `${at.slice(0, 10)}T08:00:00.000Z`, protectionEndedOn: null, reason: null }, at),
  won: (at: string, dealId: string, value: number, partnerId = P) => ev('DealWon', { dealId, partnerId, value, currency: 'EUR', closedOn: at.slice(0, 10) }, at),
  lost: (at: string, dealId: string, lostToDirect: boolean, partnerId = P) => ev('DealLost', { dealId, partnerId, reason: 'r', lostToDirect }, at),
  certified: (at: string, validUntil: string, partnerId = P, courseId = 'c1', userId = 'u1') =>
    ev('CertificationEarned', { courseId, partnerId, userId, certification: 'Cert', validUntil, renewal: false }, at),
  lapsed: (at: string, validUntil: string, partnerId = P, courseId = 'c1', userId = 'u1') =>
    ev('CertificationLapsed', { courseId, partnerId, userId, certification: 'Cert', validUntil }, at),
  completed: (at: string, partnerId = P) => ev('CourseCompleted', { courseId: 'c1', partnerId, userId: 'u1', score: 90, passed: true, completedOn: at.slice(0, 10) }, at),
  assetViewed: (at: string, partnerId = P) => ev('AssetViewed', { assetId: 'a1', partnerId, userId: 'u1', version: 1 }, at),
  coRequested: (at: string, id: string, quarter: string, partnerId = P, extra: Record<string, unknown> = {}) =>
    ev('CoInvestmentRequested', { coInvestmentId: id, partnerId, quarter, kind: 'mdf', activity: 'x', totalCost: 2000, partnerInvestment: 1000, amountRequested: 1000, currency: 'EUR', expectedPipeline: 10000, ...extra }, at),
  coApproved: (at: string, id: string, quarter: string, amount = 1000, partnerId = P) =>
    ev('CoInvestmentApproved', { coInvestmentId: id, partnerId, quarter, approvedAmount: amount, partial: false, maxReimbursementPct: 50, claimDeadline: '2027-01-01', currency: 'EUR' }, at),
  claimApproved: (at: string, id: string, quarter: string, amount: number, partnerId = P) => ev('ClaimApproved', { coInvestmentId: id, partnerId, quarter, amount, currency: 'EUR' }, at),
  claimRejected: (at: string, id: string, quarter: string, partnerId = P) => ev('ClaimRejected', { coInvestmentId: id, partnerId, quarter, reason: 'r' }, at),
  claimPaid: (at: string, id: string, quarter: string, amount: number, partnerId = P) => ev('ClaimPaid', { coInvestmentId: id, partnerId, quarter, amount, currency: 'EUR', paidOn: at.slice(0, 10) }, at),
  claimSubmitted: (at: string, id: string, quarter: string, amount: number, partnerId = P) =>
    ev('ClaimSubmitted', { coInvestmentId: id, partnerId, quarter, invoiceAmount: amount * 2, evidence: [FILE], leadCount: 1, claimableAmount: amount, currency: 'EUR' }, at),
  allocationExpired: (at: string, quarter: string, partnerId = P) => ev('AllocationExpired', { partnerId, quarter, unused: 0, currency: 'EUR', quarterEnd: '2026-03-31' }, at),
  plan: (at: string, partnerId = P) =>
    ev('JointBusinessPlanCreated', { partnerId, goals: [{ id: 'g', description: 'd', target: 't', dueDate: '2027-01-01' }], commitments: [{ side: 'vendor', description: 'd' }] }, at),
  planReviewed: (at: string, quarter: string, status = 'on_track', partnerId = P) => ev('PlanReviewed', { partnerId, quarter, status, notes: '' }, at),
  workshopHeld: (at: string, asScheduled: boolean, partnerId = P) =>
    ev('WorkshopHeld', { workshopId: 'w', partnerId, heldOn: at.slice(0, 10), heldAsScheduled: asScheduled, outcomes: { alignedObjectives: ['a'], successMeasures: ['b'] } }, at),
  workshopCancelled: (at: string, by: 'vendor' | 'partner', partnerId = P) => ev('WorkshopCancelled', { workshopId: 'w', partnerId, reason: 'r', cancelledBy: by }, at),
  managerAssigned: (at: string, managerId: string, previousManagerId: string | null, partnerId = P) => ev('ChannelManagerAssigned', { partnerId, managerId, previousManagerId }, at),
  survey: (at: string, score: number, partnerId = P) => ev('SurveyAnswered', { surveyId: 's', partnerId, userId: 'u1', scores: { a: score, b: score }, comment: '' }, at),
  settings: (at: string, effectiveFrom: string, settings: Record<string, unknown>) => ev('ProgramSettingsChanged', { effectiveFrom, settings }, at),
}
