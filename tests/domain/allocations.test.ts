import { describe, expect, it } from 'vitest'
import { AllocationDecider, available, streamId, type AllocationEvent } from '../../domain/allocations/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { command, given, partnerUser, scheduler } from './support/given.ts'

const ids = { partnerId: 'p-acme', quarter: '2026-Q2' }
const allocated: AllocationEvent = { type: 'FundsAllocated', data: { ...ids, amount: 10_000, currency: 'EUR', totalAllocated: 10_000 } }
const reserved: AllocationEvent = { type: 'FundsReserved', data: { ...ids, coInvestmentId: 'ci-1', amount: 6_000, currency: 'EUR', availableAfter: 4_000 } }
const reserve = (amount: number, coInvestmentId = 'ci-2') => command('ReserveFunds', { ...ids, coInvestmentId, amount })
const release = (keep: number, reason = 'claim_submitted', actor = partnerUser('p-acme')) => command('ReleaseFunds', { ...ids, coInvestmentId: 'ci-1', keep, reason }, { actor })

describe('allocations', () => {
  it('names its stream allocation-<partnerId>-<quarter>', () => expect(streamId('p-acme', '2026-Q4')).toBe('allocation-p-acme-2026-Q4'))

  it('the vendor allocates and tops up in one currency', () => {
    given(AllocationDecider).when(command('AllocateFunds', { ...ids, amount: 10_000, currency: 'EUR' })).then([allocated])
    given(AllocationDecider, [allocated])
      .when(command('AllocateFunds', { ...ids, amount: 2_500, currency: 'EUR' }))
      .then([{ type: 'FundsAllocated', data: { ...ids, amount: 2_500, currency: 'EUR', totalAllocated: 12_500 } }])
    given(AllocationDecider, [allocated]).when(command('AllocateFunds', { ...ids, amount: 1, currency: 'USD' })).thenThrows(ValidationError, /in EUR/)
    given(AllocationDecider).when(command('AllocateFunds', { ...ids, amount: 1, currency: 'EUR' }, { actor: partnerUser('p-acme') })).thenThrows(ForbiddenError)
    given(AllocationDecider).when(command('AllocateFunds', { ...ids, quarter: '2026-4', amount: 1, currency: 'EUR' })).thenThrows(ValidationError, /quarter like/)
  })

  describe('ReserveFunds (approval)', () => {
    it('reserves within what is available', () => {
      given(AllocationDecider, [allocated]).when(reserve(6_000, 'ci-1')).then([reserved])
      given(AllocationDecider, [allocated, reserved]).when(reserve(4_000)).then([{ type: 'FundsReserved', data: { ...ids, coInvestmentId: 'ci-2', amount: 4_000, currency: 'EUR', availableAfter: 0 } }])
    })
    it('refuses to overdraw, naming the available amount', () => {
      given(AllocationDecider, [allocated, reserved]).when(reserve(4_000.01)).thenThrows(IllegalStateError, /Only 4,000 EUR of the 2026-Q2 allocation is available/)
    })
    it('is a no-op when retried with the same amount, refused with another', () => {
      given(AllocationDecider, [allocated, reserved]).when(reserve(6_000, 'ci-1')).then([])
      given(AllocationDecider, [allocated, reserved]).when(reserve(5_000, 'ci-1')).thenThrows(IllegalStateError, /already has 6,000 EUR reserved/)
    })
    it('refuses without an allocation or after expiry', () => {
      given(AllocationDecider).when(reserve(1)).thenThrows(NotFoundError, /no fund allocation for 2026-Q2/)
      const expired: AllocationEvent = { type: 'AllocationExpired', data: { ...ids, unused: 4_000, currency: 'EUR', quarterEnd: '2026-06-30' } }
      given(AllocationDecider, [allocated, reserved, expired]).when(reserve(1)).thenThrows(IllegalStateError, /expired/)
    })
  })

  describe('ReleaseFunds / RecordFundsPaid', () => {
    it('releases part of a reservation and makes it available again', () => {
      const released: AllocationEvent = { type: 'FundsReleased', data: { ...ids, coInvestmentId: 'ci-1', released: 1_500, stillCommitted: 4_500, currency: 'EUR', reason: 'claim_submitted' } }
      given(AllocationDecider, [allocated, reserved]).when(release(4_500)).then([released])
      expect(available(given(AllocationDecider, [allocated, reserved, released]).state)).toBe(5_500)
    })
    it('never raises a reservation; equal is a no-op', () => {
      given(AllocationDecider, [allocated, reserved]).when(release(7_000)).thenThrows(ValidationError, /cannot raise/)
      given(AllocationDecider, [allocated, reserved]).when(release(6_000)).then([])
    })
    it('refuses other partners and unknown co-investments', () => {
      given(AllocationDecider, [allocated, reserved]).when(release(0, 'declined', partnerUser('p-beta'))).thenThrows(ForbiddenError)
      given(AllocationDecider, [allocated]).when(release(0)).thenThrows(NotFoundError)
    })
    it('records the payment of the committed amount, once', () => {
      const pay = (amount: number) => command('RecordFundsPaid', { ...ids, coInvestmentId: 'ci-1', amount })
      const paid: AllocationEvent = { type: 'FundsPaid', data: { ...ids, coInvestmentId: 'ci-1', amount: 6_000, currency: 'EUR' } }
      given(AllocationDecider, [allocated, reserved]).when(pay(6_000)).then([paid])
      given(AllocationDecider, [allocated, reserved]).when(pay(5_000)).thenThrows(ValidationError, /release the difference/)
      given(AllocationDecider, [allocated, reserved, paid]).when(pay(6_000)).then([])
      given(AllocationDecider, [allocated, reserved, paid]).when(release(0)).thenThrows(IllegalStateError, /is paid/)
      expect(available(given(AllocationDecider, [allocated, reserved, paid]).state)).toBe(4_000)
    })
  })

  describe('ExpireAllocation', () => {
    const expire = (now: string) => command('ExpireAllocation', ids, { actor: scheduler, now })
    it('expires the unused funds after the quarter, once', () => {
      const expired: AllocationEvent = { type: 'AllocationExpired', data: { ...ids, unused: 4_000, currency: 'EUR', quarterEnd: '2026-06-30' } }
      given(AllocationDecider, [allocated, reserved]).when(expire('2026-07-01T00:00:00Z')).then([expired])
      given(AllocationDecider, [allocated, reserved, expired]).when(expire('2026-07-02T00:00:00Z')).then([])
    })
    it('refuses during the quarter', () => {
      given(AllocationDecider, [allocated]).when(expire('2026-06-30T23:00:00Z')).thenThrows(IllegalStateError, /runs until 2026-06-30/)
    })
  })
})
