// The co-investment read models folded from a full history: request documents and the ledger with every movement.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { fundLedgersProjection, fundRequestsProjection, fundSettingsProjection, ledgerKey, type FundRequestDoc, type LedgerDoc } from '../../projections/funds.ts'
import { foldEvents } from '../../projections/projection.ts'

let position = 0n
function event(type: string, data: Record<string, unknown>, at = '2026-11-10T09:00:00.000Z', actor = 'u-sam'): RecordedEvent {
  position++
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`, type, streamId: 's', streamRevision: 0n, globalPosition: position,
    position: { commit: position, prepare: position }, data,
    metadata: { actor, tenant: 't', occurredAt: at, correlationId: 'c', causationId: 'c', schemaVersion: 1 }, recordedAt: at,
  } as unknown as RecordedEvent
}

const ids = { partnerId: 'northwind', quarter: '2026-Q4' }
const ci = (n: number) => ({ ...ids, coInvestmentId: `ci-${n}` })
const proposal = { kind: 'mdf', activity: 'Roadshow', totalCost: 20_000, partnerInvestment: 5_000, amountRequested: 8_000, currency: 'EUR', expectedPipeline: 250_000 }
const evidence = [{ sha256: 'a'.repeat(64), filename: 'invoice.pdf', size: 100, contentType: 'application/pdf' }]

const history = [
  event('FundsAllocated', { ...ids, amount: 10_000, currency: 'EUR', totalAllocated: 10_000 }),
  event('CoInvestmentRequested', { ...ci(1), ...proposal }, '2026-11-10T09:00:00.000Z', 'u-maria'),
  event('CoInvestmentRequested', { ...ci(2), ...proposal, activity: 'Webinar', amountRequested: 3_000 }, '2026-11-10T09:00:00.000Z', 'u-maria'),
  event('FundsReserved', { ...ci(1), amount: 6_000, currency: 'EUR', availableAfter: 4_000 }),
  event('CoInvestmentApproved', { ...ci(1), approvedAmount: 6_000, partial: true, maxReimbursementPct: 50, claimDeadline: '2027-01-31', currency: 'EUR' }),
  event('CoInvestmentRejected', { ...ci(2), reason: 'Add the agenda' }),
  event('ClaimSubmitted', { ...ci(1), invoiceAmount: 10_000, evidence, leadCount: 42, claimableAmount: 5_000, currency: 'EUR' }, '2026-12-01T09:00:00.000Z', 'u-maria'),
  event('FundsReleased', { ...ci(1), released: 1_000, stillCommitted: 5_000, currency: 'EUR', reason: 'claim_submitted' }),
  event('ClaimApproved', { ...ci(1), amount: 4_500, currency: 'EUR' }),
  event('FundsReleased', { ...ci(1), released: 500, stillCommitted: 4_500, currency: 'EUR', reason: 'claim_approved' }),
  event('ClaimPaid', { ...ci(1), amount: 4_500, currency: 'EUR', paidOn: '2026-12-05' }),
  event('FundsPaid', { ...ci(1), amount: 4_500, currency: 'EUR' }),
]

function fold<T>(projection: Parameters<typeof foldEvents>[0], events: RecordedEvent[]) {
  const docs = new Map<string, unknown>()
  for (const e of events) foldEvents(projection, docs, e)
  return docs as Map<string, T>
}

describe('fund requests', () => {
  test('a request carries its decision, claim, evidence and the money held for it', () => {
    const docs = fold<FundRequestDoc>(fundRequestsProjection, history)
    const one = docs.get('ci-1')!
    expect(one).toMatchObject({ status: 'Paid', approvedAmount: 6_000, partial: true, committed: 4_500, paid: true, reservedAt: '2026-11-10T09:00:00.000Z' })
    expect(one.claim).toMatchObject({ invoiceAmount: 10_000, claimableAmount: 5_000, approvedAmount: 4_500, paidOn: '2026-12-05', leadCount: 42, evidence })
    expect(one.history.map((h) => h.type)).toEqual([
      'CoInvestmentRequested', 'FundsReserved', 'CoInvestmentApproved', 'ClaimSubmitted', 'FundsReleased', 'ClaimApproved', 'FundsReleased', 'ClaimPaid', 'FundsPaid',
    ])
    expect(docs.get('ci-2')).toMatchObject({ status: 'Rejected', reason: 'Add the agenda', committed: 0 })
  })

  test('a resubmission returns it to the queue with the new proposal', () => {
    const docs = fold<FundRequestDoc>(fundRequestsProjection, [
      ...history,
      event('CoInvestmentResubmitted', { ...ci(2), ...proposal, activity: 'Webinar with agenda', amountRequested: 2_500 }, '2026-11-12T09:00:00.000Z'),
    ])
    expect(docs.get('ci-2')).toMatchObject({ status: 'Requested', activity: 'Webinar with agenda', amountRequested: 2_500, waitingSince: '2026-11-12T09:00:00.000Z', reason: null })
  })
})

describe('fund ledger', () => {
  test('figures follow the invariant: available = allocated - approved - claimed - paid', () => {
    const steps: Partial<LedgerDoc>[] = []
    const docs = new Map<string, unknown>()
    for (const e of history) {
      foldEvents(fundLedgersProjection, docs, e)
      const l = docs.get(ledgerKey('northwind', '2026-Q4')) as LedgerDoc
      steps.push({ requested: l.requested, approved: l.approved, claimed: l.claimed, paid: l.paid, available: l.available })
      expect(l.available).toBe(l.allocated - l.approved - l.claimed - l.paid - l.expired)
      expect(l.available).toBeGreaterThanOrEqual(0)
    }
    expect(steps[2]).toMatchObject({ requested: 11_000, available: 10_000 })
    expect(steps[4]).toMatchObject({ requested: 3_000, approved: 6_000, available: 4_000 })
    expect(steps[5]).toMatchObject({ requested: 0 })
    expect(steps[7]).toMatchObject({ approved: 0, claimed: 5_000, available: 5_000 })
    expect(steps.at(-1)).toMatchObject({ claimed: 0, paid: 4_500, available: 5_500 })
  })

  test('every movement is listed with its effect on the available amount', () => {
    const ledger = fold<LedgerDoc>(fundLedgersProjection, history).get(ledgerKey('northwind', '2026-Q4'))!
    expect(ledger.movements).toHaveLength(history.length)
    expect(ledger.movements.map((m) => [m.type, m.availableChange])).toEqual([
      ['FundsAllocated', 10_000], ['CoInvestmentRequested', 0], ['CoInvestmentRequested', 0], ['FundsReserved', -6_000], ['CoInvestmentApproved', 0],
      ['CoInvestmentRejected', 0], ['ClaimSubmitted', 0], ['FundsReleased', 1_000], ['ClaimApproved', 0], ['FundsReleased', 500], ['ClaimPaid', 0], ['FundsPaid', 0],
    ])
    expect(ledger.movements[3]).toMatchObject({ activity: 'Roadshow', amount: 6_000, availableAfter: 4_000, note: 'EUR 6,000 reserved' })
  })

  test('expiry lapses what is unused, and money released afterwards lapses with it', () => {
    const ledger = fold<LedgerDoc>(fundLedgersProjection, [
      event('FundsAllocated', { ...ids, amount: 10_000, currency: 'EUR', totalAllocated: 10_000 }),
      event('CoInvestmentRequested', { ...ci(3), ...proposal, amountRequested: 4_000 }),
      event('FundsReserved', { ...ci(3), amount: 4_000, currency: 'EUR', availableAfter: 6_000 }),
      event('CoInvestmentApproved', { ...ci(3), approvedAmount: 4_000, partial: false, maxReimbursementPct: 100, claimDeadline: '2027-01-15', currency: 'EUR' }),
      event('AllocationExpired', { ...ids, unused: 6_000, currency: 'EUR', quarterEnd: '2026-12-31' }, '2027-01-01T00:05:00.000Z'),
      event('ClaimWindowClosed', { ...ci(3), claimDeadline: '2027-01-15', releasedAmount: 4_000, currency: 'EUR' }, '2027-01-16T00:05:00.000Z'),
      event('FundsReleased', { ...ci(3), released: 4_000, stillCommitted: 0, currency: 'EUR', reason: 'claim_deadline_passed' }, '2027-01-16T00:05:00.000Z'),
    ]).get(ledgerKey('northwind', '2026-Q4'))!
    expect(ledger).toMatchObject({ status: 'Expired', expired: 10_000, approved: 0, available: 0 })
  })
})

describe('fund settings', () => {
  test('keeps each partner’s tier and the settings history', () => {
    const docs = fold<unknown>(fundSettingsProjection, [
      event('PartnerApproved', { partnerId: 'northwind', tier: 'registered', adminUserId: 'u-maria' }),
      event('TierChanged', { partnerId: 'northwind', from: 'registered', to: 'silver', reason: 'certified' }),
      event('ProgramSettingsChanged', { effectiveFrom: '2026-10-01T00:00:00.000Z', settings: { fundCurrency: 'EUR' } }),
    ])
    // when it joined and its tiers over time: the scheduler allocates a quarter from the tier of its first day
    const at = (docs.get('partner:northwind') as { joinedAt: string }).joinedAt
    expect(docs.get('partner:northwind')).toEqual({
      partnerId: 'northwind', tier: 'silver', joinedAt: at, tiers: [{ from: at, tier: 'registered' }, { from: at, tier: 'silver' }],
    })
    expect(docs.get('settings')).toEqual({ changes: [{ effectiveFrom: '2026-10-01T00:00:00.000Z', settings: { fundCurrency: 'EUR' } }] })
  })
})
