// Allocations from the tier rules and the vendor's change with a reason, as given / when / then.
import { describe, expect, it } from 'vitest'
import { AllocationDecider, available, quarterStart, tierAllocation, tierOn, type AllocationEvent } from '../../../domain/allocations/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../../domain/shared/errors.ts'
import { command, given, partnerUser, scheduler, vendorAdmin } from '../support/given.ts'

const ids = { partnerId: 'p-acme', quarter: '2026-Q2' }
const fromTier = (joinedAt: string, tierAmount = 25_000, tier = 'gold') =>
  command('AllocateFromTier', { ...ids, tier, tierAmount, currency: 'EUR', joinedAt }, { actor: scheduler, now: '2026-05-20T09:00:00.000Z' })
const granted: AllocationEvent = {
  type: 'FundsAllocatedByTier',
  data: { ...ids, tier: 'gold', amount: 25_000, currency: 'EUR', rule: 'full_quarter', tierAmount: 25_000, from: '2026-04-01', daysCovered: 91, daysInQuarter: 91 },
}
const reserved: AllocationEvent = { type: 'FundsReserved', data: { ...ids, coInvestmentId: 'ci-1', amount: 6_000, currency: 'EUR', availableAfter: 19_000 } }
const adjust = (amount: number, reason = 'Launch campaign for the new backup line', meta = {}) => command('AdjustAllocation', { ...ids, amount, reason }, meta)

describe('tier allocation rule', () => {
  it('gives the whole tier amount to a partner in the program on the quarter’s first day', () => {
    expect(tierAllocation('2026-Q2', 25_000, '2025-11-03T10:00:00Z')).toEqual({ amount: 25_000, rule: 'full_quarter', from: '2026-04-01', daysCovered: 91, daysInQuarter: 91 })
    // joining during the first day counts as the whole quarter
    expect(tierAllocation('2026-Q2', 25_000, '2026-04-01T16:00:00Z')?.rule).toBe('full_quarter')
  })
  it('gives a partner that joins during the quarter the share of the days left, the day it joined included, in whole units', () => {
    // 2026-05-20 to 2026-06-30 is 42 of Q2's 91 days: 25,000 × 42 / 91 = 11,538.46
    expect(tierAllocation('2026-Q2', 25_000, '2026-05-20T09:00:00Z')).toEqual({ amount: 11_538, rule: 'pro_rata_from_joining', from: '2026-05-20', daysCovered: 42, daysInQuarter: 91 })
    expect(tierAllocation('2026-Q2', 25_000, '2026-06-30T23:00:00Z')?.amount).toBe(275)
    expect(tierAllocation('2026-Q2', 25_000, '2026-07-01T00:00:00Z')).toBeNull()
  })
  it('knows the quarters’ first days and lengths', () => {
    expect(quarterStart('2026-Q1')).toBe('2026-01-01')
    expect(quarterStart('2026-Q4')).toBe('2026-10-01')
    expect(tierAllocation('2028-Q1', 100, '2020-01-01T00:00:00Z')?.daysInQuarter).toBe(91) // a leap year's Q1
    expect(tierAllocation('2026-Q3', 100, '2020-01-01T00:00:00Z')?.daysInQuarter).toBe(92)
  })
  it('takes a tier change into account from the day after it (so from the next quarter, for a quarter already begun)', () => {
    const history = [{ tier: 'silver', from: '2026-02-10T10:00:00Z' }, { tier: 'gold', from: '2026-04-01T08:00:00Z' }]
    expect(tierOn(history, '2026-02-09')).toBeNull()
    expect(tierOn(history, '2026-02-10')).toBe('silver')
    expect(tierOn(history, '2026-04-01')).toBe('silver')
    expect(tierOn(history, '2026-04-02')).toBe('gold')
  })
})

describe('AllocateFromTier', () => {
  it('given no allocation for the quarter, when the scheduler allocates from the tier, then the event names the rule and its figures', () => {
    given(AllocationDecider).when(fromTier('2025-11-03T10:00:00Z')).then([granted])
    given(AllocationDecider).when(fromTier('2026-05-20T09:00:00Z')).then([{
      type: 'FundsAllocatedByTier',
      data: { ...ids, tier: 'gold', amount: 11_538, currency: 'EUR', rule: 'pro_rata_from_joining', tierAmount: 25_000, from: '2026-05-20', daysCovered: 42, daysInQuarter: 91 },
    }])
  })
  it('records a tier that gives nothing as an allocation of 0, so the ledger says so', () => {
    const [event] = given(AllocationDecider).when(fromTier('2025-01-01T00:00:00Z', 0, 'registered')).events()
    expect(event).toMatchObject({ type: 'FundsAllocatedByTier', data: { amount: 0, tier: 'registered', rule: 'full_quarter' } })
    const state = [event!].reduce(AllocationDecider.evolve, AllocationDecider.initialState())
    expect(state).toMatchObject({ status: 'Open', allocated: 0 })
  })
  it('given the quarter is allocated already (by the tier or by hand), when asked again, then nothing happens', () => {
    given(AllocationDecider, [granted]).when(fromTier('2025-11-03T10:00:00Z')).then([])
    const byHand: AllocationEvent = { type: 'FundsAllocated', data: { ...ids, amount: 5_000, currency: 'EUR', totalAllocated: 5_000 } }
    given(AllocationDecider, [byHand]).when(fromTier('2025-11-03T10:00:00Z')).then([])
  })
  it('refuses a partner that joined after the quarter, and a partner user', () => {
    given(AllocationDecider).when(fromTier('2026-07-02T00:00:00Z')).thenThrows(IllegalStateError, /joined after 2026-Q2/)
    given(AllocationDecider).when({ ...fromTier('2025-01-01T00:00:00Z'), metadata: { ...fromTier('2025-01-01T00:00:00Z').metadata, actor: partnerUser('p-acme') } }).thenThrows(ForbiddenError)
  })
  it('the allocation it makes can be reserved from like any other', () => {
    const state = [granted, reserved].reduce(AllocationDecider.evolve, AllocationDecider.initialState())
    expect(available(state)).toBe(19_000)
  })
})

describe('AdjustAllocation', () => {
  it('given an allocation, when the vendor changes it with a reason, then the event keeps before, after and the reason', () => {
    given(AllocationDecider, [granted]).when(adjust(30_000)).then([{
      type: 'AllocationAdjusted', data: { ...ids, from: 25_000, to: 30_000, currency: 'EUR', reason: 'Launch campaign for the new backup line' },
    }])
    const state = [granted, reserved, { type: 'AllocationAdjusted', data: { ...ids, from: 25_000, to: 10_000, currency: 'EUR', reason: 'r' } } as AllocationEvent]
      .reduce(AllocationDecider.evolve, AllocationDecider.initialState())
    expect(available(state)).toBe(4_000)
  })
  it('refuses a change without a reason, naming the field', () => {
    given(AllocationDecider, [granted]).when(adjust(30_000, '   ')).thenThrows(ValidationError, /Say why the allocation changes/)
  })
  it('refuses to go below what is committed, or to set the same amount', () => {
    given(AllocationDecider, [granted, reserved]).when(adjust(5_999)).thenThrows(ValidationError, /6,000 EUR .* committed/)
    given(AllocationDecider, [granted, reserved]).when(adjust(6_000)).then([{ type: 'AllocationAdjusted', data: { ...ids, from: 25_000, to: 6_000, currency: 'EUR', reason: 'Launch campaign for the new backup line' } }])
    given(AllocationDecider, [granted]).when(adjust(25_000)).thenThrows(ValidationError, /already is 25,000 EUR/)
  })
  it('refuses a quarter without an allocation, an expired one, a partner and an auditor', () => {
    given(AllocationDecider).when(adjust(1_000)).thenThrows(NotFoundError, /made from its tier when the quarter starts/)
    const expired: AllocationEvent = { type: 'AllocationExpired', data: { ...ids, unused: 25_000, currency: 'EUR', quarterEnd: '2026-06-30' } }
    given(AllocationDecider, [granted, expired]).when(adjust(1_000)).thenThrows(IllegalStateError, /expired/)
    given(AllocationDecider, [granted]).when(adjust(1_000, 'r', { actor: partnerUser('p-acme', 'partner_admin') })).thenThrows(ForbiddenError)
    given(AllocationDecider, [granted]).when(adjust(1_000, 'r', { actor: { userId: 'aud', organisationId: 'vendor', role: 'auditor' } })).thenThrows(ForbiddenError)
    given(AllocationDecider, [granted]).when(adjust(1_000, 'r', { actor: vendorAdmin })).events()
  })
})
