import { describe, expect, it } from 'vitest'
import { CoInvestmentDecider, streamId, type CoInvestmentEvent } from '../../domain/coinvestment/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { channelManager, command, given, partnerUser, scheduler } from './support/given.ts'

const acme = partnerUser('p-acme')
const ref = { coInvestmentId: 'ci-1', partnerId: 'p-acme', quarter: '2026-Q2' }
const proposal = { kind: 'mdf', activity: 'Roadshow', totalCost: 20_000, partnerInvestment: 10_000, amountRequested: 10_000, currency: 'EUR', expectedPipeline: 200_000 } as const
const requested: CoInvestmentEvent = { type: 'CoInvestmentRequested', data: { ...ref, ...proposal } }
const approved: CoInvestmentEvent = {
  type: 'CoInvestmentApproved',
  data: { ...ref, approvedAmount: 8_000, partial: true, maxReimbursementPct: 50, claimDeadline: '2026-08-31', currency: 'EUR' },
}
const file = { sha256: 'a'.repeat(64), filename: 'invoice.pdf', size: 1234, contentType: 'application/pdf' }
const claimed: CoInvestmentEvent = {
  type: 'ClaimSubmitted',
  data: { ...ref, invoiceAmount: 14_000, evidence: [file], leadCount: 12, claimableAmount: 7_000, currency: 'EUR' },
}
const claimApproved: CoInvestmentEvent = { type: 'ClaimApproved', data: { ...ref, amount: 7_000, currency: 'EUR' } }
const funds = (amount: number, currency = 'EUR') => ({ amount, currency })
const id = { coInvestmentId: 'ci-1' }

describe('co-investment', () => {
  it('names its stream coinvest-<id>', () => expect(streamId('ci-1')).toBe('coinvest-ci-1'))

  describe('RequestCoInvestment', () => {
    const request = (data = {}, actor = acme) => command('RequestCoInvestment', { ...ref, ...proposal, availableFunds: funds(10_000), ...data }, { actor })
    it('a partner requests within its available funds', () => given(CoInvestmentDecider).when(request()).then([requested]))
    it('refuses a request that would overdraw, naming the available amount', () => {
      given(CoInvestmentDecider).when(request({ availableFunds: funds(4_000) })).thenThrows(ValidationError, /Only 4,000 EUR of your 2026-Q2 allocation is available/)
    })
    it('refuses requests above the cost, in another currency, of an unknown kind, or by others', () => {
      given(CoInvestmentDecider).when(request({ partnerInvestment: 12_000 })).thenThrows(ValidationError, /exceed the total cost/)
      given(CoInvestmentDecider).when(request({ availableFunds: funds(10_000, 'USD') })).thenThrows(ValidationError, /allocation is in USD/)
      given(CoInvestmentDecider).when(request({ kind: 'gift' })).thenThrows(ValidationError, /kind/)
      given(CoInvestmentDecider).when(request({}, partnerUser('p-beta'))).thenThrows(ForbiddenError)
      given(CoInvestmentDecider, [requested]).when(request()).thenThrows(IllegalStateError, /already requested/)
    })
  })

  describe('approval, rejection, resubmission, decline', () => {
    const approve = (data = {}, actor = channelManager) => command('ApproveCoInvestment', { ...id, approvedAmount: 8_000, maxReimbursementPct: 50, claimDeadline: '2026-08-31', ...data }, { actor })
    it('approves in part', () => given(CoInvestmentDecider, [requested]).when(approve()).then([approved]))
    it('approves in full', () => {
      const [event] = given(CoInvestmentDecider, [requested]).when(approve({ approvedAmount: 10_000 })).events()
      expect(event?.data).toMatchObject({ approvedAmount: 10_000, partial: false })
    })
    it('refuses more than requested, a past deadline, a bad percentage, partners, and twice', () => {
      given(CoInvestmentDecider, [requested]).when(approve({ approvedAmount: 10_001 })).thenThrows(ValidationError, /10,000 EUR was requested/)
      given(CoInvestmentDecider, [requested]).when(approve({ claimDeadline: '2026-05-01' })).thenThrows(ValidationError, /in the past/)
      given(CoInvestmentDecider, [requested]).when(approve({ maxReimbursementPct: 120 })).thenThrows(ValidationError, /at most 100/)
      given(CoInvestmentDecider, [requested]).when(approve({}, acme)).thenThrows(ForbiddenError)
      given(CoInvestmentDecider, [requested, approved]).when(approve()).thenThrows(IllegalStateError, /this one is Approved/)
      given(CoInvestmentDecider).when(approve()).thenThrows(NotFoundError)
    })
    const rejected: CoInvestmentEvent = { type: 'CoInvestmentRejected', data: { ...ref, reason: 'Add the agenda' } }
    it('a rejection can be resubmitted, a decline is final', () => {
      given(CoInvestmentDecider, [requested]).when(command('RejectCoInvestment', { ...id, reason: 'Add the agenda' })).then([rejected])
      const resubmit = command('ResubmitCoInvestment', { ...id, ...proposal, activity: 'Roadshow with agenda', availableFunds: funds(10_000) }, { actor: acme })
      given(CoInvestmentDecider, [requested, rejected]).when(resubmit).then([{ type: 'CoInvestmentResubmitted', data: { ...ref, ...proposal, activity: 'Roadshow with agenda' } }])
      given(CoInvestmentDecider, [requested]).when(resubmit).thenThrows(IllegalStateError, /Only a rejected request can be resubmitted/)
      const declined: CoInvestmentEvent = { type: 'CoInvestmentDeclined', data: { ...ref, reason: 'Out of scope' } }
      given(CoInvestmentDecider, [requested, rejected]).when(command('DeclineCoInvestment', { ...id, reason: 'Out of scope' })).then([declined])
      given(CoInvestmentDecider, [requested, declined]).when(resubmit).thenThrows(IllegalStateError, /this one is Declined/)
      given(CoInvestmentDecider, [requested]).when(command('RejectCoInvestment', { ...id, reason: '' })).thenThrows(ValidationError, /resubmitting/)
    })
  })

  describe('claims', () => {
    const submit = (data = {}, now = '2026-08-31T18:00:00Z') => command('SubmitClaim', { ...id, invoiceAmount: 14_000, evidence: [file], leadCount: 12, ...data }, { actor: acme, now })
    it('a claim is capped at min(approved, invoice x pct)', () => {
      given(CoInvestmentDecider, [requested, approved]).when(submit()).then([claimed])
      const [big] = given(CoInvestmentDecider, [requested, approved]).when(submit({ invoiceAmount: 30_000 })).events()
      expect(big?.data).toMatchObject({ claimableAmount: 8_000 })
    })
    it('refuses claims after the deadline, without evidence, with bad hashes, or twice', () => {
      given(CoInvestmentDecider, [requested, approved]).when(submit({}, '2026-09-01T00:00:00Z')).thenThrows(IllegalStateError, /deadline was 2026-08-31/)
      given(CoInvestmentDecider, [requested, approved]).when(submit({ evidence: [] })).thenThrows(ValidationError, /Attach the invoice/)
      given(CoInvestmentDecider, [requested, approved]).when(submit({ evidence: [{ ...file, sha256: 'xyz' }] })).thenThrows(ValidationError, /SHA-256/)
      given(CoInvestmentDecider, [requested, approved, claimed]).when(submit()).thenThrows(IllegalStateError, /this one is ClaimSubmitted/)
      given(CoInvestmentDecider, [requested]).when(submit()).thenThrows(IllegalStateError, /this one is Requested/)
    })
    it('the vendor approves at most the claimable amount', () => {
      given(CoInvestmentDecider, [requested, approved, claimed]).when(command('ApproveClaim', { ...id, amount: 7_000 })).then([claimApproved])
      given(CoInvestmentDecider, [requested, approved, claimed]).when(command('ApproveClaim', { ...id, amount: 7_500 })).thenThrows(ValidationError, /At most 7,000 EUR can be reimbursed/)
      given(CoInvestmentDecider, [requested, approved, claimed]).when(command('ApproveClaim', { ...id, amount: 7_000 }, { actor: acme })).thenThrows(ForbiddenError)
    })
    it('a rejected claim can be submitted again before the deadline', () => {
      const rejected: CoInvestmentEvent = { type: 'ClaimRejected', data: { ...ref, reason: 'Invoice unreadable' } }
      given(CoInvestmentDecider, [requested, approved, claimed]).when(command('RejectClaim', { ...id, reason: 'Invoice unreadable' })).then([rejected])
      given(CoInvestmentDecider, [requested, approved, claimed, rejected]).when(submit()).then([claimed])
    })
    it('an approved claim is paid once', () => {
      const paid: CoInvestmentEvent = { type: 'ClaimPaid', data: { ...ref, amount: 7_000, currency: 'EUR', paidOn: '2026-05-04' } }
      given(CoInvestmentDecider, [requested, approved, claimed, claimApproved]).when(command('MarkClaimPaid', id)).then([paid])
      given(CoInvestmentDecider, [requested, approved, claimed, claimApproved, paid]).when(command('MarkClaimPaid', id)).thenThrows(IllegalStateError, /this one is Paid/)
      given(CoInvestmentDecider, [requested, approved, claimed]).when(command('MarkClaimPaid', id)).thenThrows(IllegalStateError, /Only an approved claim/)
    })
  })

  describe('ClaimDeadlinePassed', () => {
    const passed = (now: string) => command('ClaimDeadlinePassed', id, { actor: scheduler, now })
    const closed: CoInvestmentEvent = { type: 'ClaimWindowClosed', data: { ...ref, claimDeadline: '2026-08-31', releasedAmount: 8_000, currency: 'EUR' } }
    it('closes an unclaimed co-investment after its deadline, once', () => {
      given(CoInvestmentDecider, [requested, approved]).when(passed('2026-09-01T00:00:00Z')).then([closed])
      given(CoInvestmentDecider, [requested, approved, closed]).when(passed('2026-09-02T00:00:00Z')).then([])
    })
    it('refuses before the deadline or with a pending claim', () => {
      given(CoInvestmentDecider, [requested, approved]).when(passed('2026-08-31T12:00:00Z')).thenThrows(IllegalStateError, /until 2026-08-31/)
      given(CoInvestmentDecider, [requested, approved, claimed]).when(passed('2026-09-01T00:00:00Z')).thenThrows(IllegalStateError, /this one is ClaimSubmitted/)
    })
  })
})
