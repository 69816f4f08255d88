import { describe, expect, it } from 'vitest'
import { DealDecider, normaliseDomain, streamId, type DealEvent, type DealRegistered } from '../../domain/deals/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { auditor, channelManager, command, given, partnerUser, scheduler, vendorAdmin } from './support/given.ts'

const acme = partnerUser('p-acme')
const MONDAY = '2026-05-04T09:00:00.000Z'

const register = (data: Record<string, unknown> = {}, meta = {}) =>
  command(
    'RegisterDeal',
    {
      dealId: 'd-1',
      partnerId: 'p-acme',
      customerName: 'Globex',
      customerDomain: 'https://www.Globex.com/about',
      value: 50_000,
      currency: 'EUR',
      expectedCloseDate: '2026-09-30',
      items: [{ sku: 'CS-100', name: ' Cloud Suite ', quantity: 25 }],
      existingRegistrations: [],
      directAccounts: [],
      customerDomainFacts: { publicSuffix: false },
      settings: { protectionDays: 90, reviewSlaBusinessDays: 2 },
      ...data,
    },
    { actor: acme, now: MONDAY, ...meta },
  )

const registered: DealRegistered = {
  type: 'DealRegistered',
  data: {
    dealId: 'd-1',
    partnerId: 'p-acme',
    customerName: 'Globex',
    customerDomain: 'globex.com',
    value: 50_000,
    currency: 'EUR',
    expectedCloseDate: '2026-09-30',
    items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 25 }],
    conflict: null,
    reviewDueAt: '2026-05-06T09:00:00.000Z',
    protectionDays: 90,
  },
}
const approved: DealEvent = { type: 'DealApproved', data: { dealId: 'd-1', partnerId: 'p-acme', protectedUntil: '2026-08-02', withinSla: true } }
const ids = { dealId: 'd-1', partnerId: 'p-acme' }

describe('deals', () => {
  it('names its stream deal-<id>', () => expect(streamId('d-1')).toBe('deal-d-1'))

  it('normalises customer domains', () => {
    expect(normaliseDomain(' HTTPS://www.Example.COM:443/path?q=1 ')).toBe('example.com')
    expect(normaliseDomain('user@sub.example.com.')).toBe('sub.example.com')
  })

  describe('RegisterDeal', () => {
    it('registers a deal with a normalised domain and a review due in business days', () => {
      given(DealDecider).when(register()).then([registered])
    })

    it('refuses a public suffix as the customer domain (the fact is handed in), on the field, with a hint', () => {
      given(DealDecider)
        .when(register({ customerDomain: 'co.uk', customerDomainFacts: { publicSuffix: true } }))
        .thenThrows(ValidationError, /"co\.uk" is a suffix that many companies' domains end in.*customer\.co\.uk/)
    })

    it('refuses a registration whose public-suffix fact was not looked up', () => {
      given(DealDecider).when(register({ customerDomainFacts: undefined })).thenThrows(ValidationError, /customerDomainFacts/)
    })

    it('records each item with its SKU, name (trimmed) and quantity', () => {
      const [event] = given(DealDecider)
        .when(register({ items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 25 }, { sku: ' EF-2 ', name: 'Edge Firewall', quantity: 2 }] }))
        .events()
      expect((event as DealRegistered).data.items).toEqual([
        { sku: 'CS-100', name: 'Cloud Suite', quantity: 25 },
        { sku: 'EF-2', name: 'Edge Firewall', quantity: 2 },
      ])
    })

    it('refuses an item without a SKU, a quantity of 0 or a fraction, and more than 20 items', () => {
      given(DealDecider).when(register({ items: [{ sku: '', name: 'Cloud Suite', quantity: 1 }] })).thenThrows(ValidationError, /SKU/)
      given(DealDecider).when(register({ items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 0 }] })).thenThrows(ValidationError, /At least 1/)
      given(DealDecider).when(register({ items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 1.5 }] })).thenThrows(ValidationError, /whole number/)
      const many = Array.from({ length: 21 }, (_, i) => ({ sku: `S-${i}`, name: `P${i}`, quantity: 1 }))
      given(DealDecider).when(register({ items: many })).thenThrows(ValidationError, /At most 20 entries/)
    })

    it('a deal registered before items existed (version 1, upcast: no SKU) evolves like any other', () => {
      const upcast: DealRegistered = { ...registered, data: { ...registered.data, items: [{ sku: null, name: 'Cloud Suite', quantity: 1 }] } }
      given(DealDecider, [upcast]).when(command('ApproveDeal', { dealId: 'd-1' }, { actor: channelManager, now: MONDAY })).then([approved])
    })

    it('skips the weekend when computing the review deadline', () => {
      const [event] = given(DealDecider).when(register({}, { now: '2026-05-08T16:00:00.000Z' })).events()
      expect((event as DealRegistered).data.reviewDueAt).toBe('2026-05-12T16:00:00.000Z')
    })

    it("flags another partner's open registration for a subdomain, the earlier one wins", () => {
      const [event] = given(DealDecider)
        .when(
          register({
            existingRegistrations: [
              { dealId: 'd-0', partnerId: 'p-beta', customerDomain: 'eu.globex.com', status: 'Submitted', registeredAt: '2026-05-01T10:00:00Z' },
              { dealId: 'd-x', partnerId: 'p-gamma', customerDomain: 'globex.com', status: 'Rejected', registeredAt: '2026-04-01T10:00:00Z' },
              { dealId: 'd-y', partnerId: 'p-acme', customerDomain: 'globex.com', status: 'Approved', registeredAt: '2026-04-01T10:00:00Z' },
              { dealId: 'd-z', partnerId: 'p-delta', customerDomain: 'notglobex.com', status: 'Approved', registeredAt: '2026-04-01T10:00:00Z' },
            ],
          }),
        )
        .events()
      expect((event as DealRegistered).data.conflict).toEqual({ dealIds: ['d-0'], directAccount: false, earliest: false })
    })

    it('flags an approved registration of the parent domain when registering a subdomain', () => {
      const [event] = given(DealDecider)
        .when(
          register({
            customerDomain: 'shop.globex.com',
            existingRegistrations: [{ dealId: 'd-0', partnerId: 'p-beta', customerDomain: 'globex.com', status: 'Approved', registeredAt: '2026-05-01T10:00:00Z' }],
          }),
        )
        .events()
      expect((event as DealRegistered).data.conflict).toEqual({ dealIds: ['d-0'], directAccount: false, earliest: false })
    })

    it('flags a vendor-named direct account', () => {
      const [event] = given(DealDecider).when(register({ directAccounts: ['globex.com'] })).events()
      expect((event as DealRegistered).data.conflict).toEqual({ dealIds: [], directAccount: true, earliest: true })
    })

    it('uses the program defaults when the handler supplies no settings', () => {
      const [event] = given(DealDecider).when(register({ settings: undefined })).events()
      expect((event as DealRegistered).data).toMatchObject({ protectionDays: 90, reviewDueAt: '2026-05-06T09:00:00.000Z' })
    })

    it('refuses a value of 0', () => {
      given(DealDecider).when(register({ value: 0 })).thenThrows(ValidationError, /value: At least 0.01/)
    })

    it('refuses a currency that is not three letters', () => {
      given(DealDecider).when(register({ currency: 'EURO' })).thenThrows(ValidationError, /currency/)
    })

    it('refuses an expected close date in the past', () => {
      given(DealDecider).when(register({ expectedCloseDate: '2026-05-03' })).thenThrows(ValidationError, /in the past; choose 2026-05-04 or later/)
    })

    it('accepts a close date of today', () => {
      expect(given(DealDecider).when(register({ expectedCloseDate: '2026-05-04' })).events()).toHaveLength(1)
    })

    it('refuses something that is not a domain', () => {
      given(DealDecider).when(register({ customerDomain: 'globex' })).thenThrows(ValidationError, /not a domain/)
    })

    it('refuses registering twice', () => {
      given(DealDecider, [registered]).when(register()).thenThrows(IllegalStateError, /already registered/)
    })

    it('refuses users of another partner, vendors and auditors', () => {
      given(DealDecider).when(register({}, { actor: partnerUser('p-beta') })).thenThrows(ForbiddenError, /partner p-acme/)
      given(DealDecider).when(register({}, { actor: channelManager })).thenThrows(ForbiddenError)
      given(DealDecider).when(register({}, { actor: auditor })).thenThrows(ForbiddenError, /read-only/)
    })

    it('lets a partner admin register', () => {
      expect(given(DealDecider).when(register({}, { actor: partnerUser('p-acme', 'partner_admin') })).events()).toHaveLength(1)
    })
  })

  describe('ApproveDeal', () => {
    const approve = (meta = {}, data = {}) => command('ApproveDeal', { dealId: 'd-1', ...data }, { actor: channelManager, now: MONDAY, ...meta })

    it('starts protection for protectionDays, within the SLA', () => {
      given(DealDecider, [registered]).when(approve()).then([approved])
    })

    it('takes protection days from the settings when given', () => {
      given(DealDecider, [registered])
        .when(approve({}, { settings: { protectionDays: 30 } }))
        .then([{ type: 'DealApproved', data: { ...ids, protectedUntil: '2026-06-03', withinSla: true } }])
    })

    it('records a review after reviewDueAt as outside the SLA', () => {
      given(DealDecider, [registered])
        .when(approve({ now: '2026-05-06T09:00:01.000Z', actor: vendorAdmin }))
        .then([{ type: 'DealApproved', data: { ...ids, protectedUntil: '2026-08-04', withinSla: false } }])
    })

    it('refuses a deal that is not submitted', () => {
      given(DealDecider, [registered, approved]).when(approve()).thenThrows(IllegalStateError, /Only a submitted deal can be approved \(this one is Approved\)/)
    })

    it('refuses an unknown deal', () => {
      given(DealDecider).when(approve()).thenThrows(NotFoundError, /d-1 does not exist/)
    })

    it('refuses partners and auditors', () => {
      given(DealDecider, [registered]).when(approve({ actor: acme })).thenThrows(ForbiddenError, /Only the vendor can approve/)
      given(DealDecider, [registered]).when(approve({ actor: auditor })).thenThrows(ForbiddenError, /read-only/)
    })
  })

  describe('RejectDeal', () => {
    const reject = (reason: string, meta = {}) => command('RejectDeal', { dealId: 'd-1', reason }, { actor: channelManager, now: MONDAY, ...meta })

    it('rejects a submitted deal with a reason', () => {
      given(DealDecider, [registered]).when(reject('Direct account')).then([{ type: 'DealRejected', data: { ...ids, reason: 'Direct account', withinSla: true } }])
    })

    it('needs a reason', () => {
      given(DealDecider, [registered]).when(reject('  ')).thenThrows(ValidationError, /reason/)
    })

    it('refuses an approved deal', () => {
      given(DealDecider, [registered, approved]).when(reject('late')).thenThrows(IllegalStateError, /Only a submitted deal can be rejected \(this one is Approved\)/)
    })

    it('refuses partners', () => {
      given(DealDecider, [registered]).when(reject('mine', { actor: acme })).thenThrows(ForbiddenError)
    })
  })

  describe('WithdrawDeal', () => {
    const withdraw = (meta = {}) => command('WithdrawDeal', { dealId: 'd-1' }, { actor: acme, now: MONDAY, ...meta })

    it('lets the owning partner withdraw before approval', () => {
      given(DealDecider, [registered]).when(withdraw()).then([{ type: 'DealWithdrawn', data: ids }])
    })

    it('refuses after approval', () => {
      given(DealDecider, [registered, approved]).when(withdraw()).thenThrows(IllegalStateError, /this one is Approved/)
    })

    it('refuses another partner and the vendor', () => {
      given(DealDecider, [registered]).when(withdraw({ actor: partnerUser('p-beta') })).thenThrows(ForbiddenError)
      given(DealDecider, [registered]).when(withdraw({ actor: channelManager })).thenThrows(ForbiddenError)
    })
  })

  describe('RequestDealExtension', () => {
    const extend = (justification = 'Customer board meets in September', meta = {}) =>
      command('RequestDealExtension', { dealId: 'd-1', justification }, { actor: acme, now: '2026-07-01T09:00:00.000Z', ...meta })
    const extended: DealEvent = { type: 'DealExtended', data: { ...ids, protectedUntil: '2026-10-01', justification: 'Customer board meets in September' } }

    it('extends an approved deal once by 60 days', () => {
      given(DealDecider, [registered, approved]).when(extend()).then([extended])
    })

    it('refuses a second extension', () => {
      given(DealDecider, [registered, approved, extended]).when(extend()).thenThrows(IllegalStateError, /already been extended once/)
    })

    it('needs a justification', () => {
      given(DealDecider, [registered, approved]).when(extend('')).thenThrows(ValidationError, /Explain why/)
    })

    it('refuses a deal that is not approved', () => {
      given(DealDecider, [registered]).when(extend()).thenThrows(IllegalStateError, /Only an approved deal can be extended \(this one is Submitted\)/)
    })

    it('refuses once protection has ended', () => {
      given(DealDecider, [registered, approved]).when(extend(undefined, { now: '2026-08-03T00:00:00Z' })).thenThrows(IllegalStateError, /ended on 2026-08-02/)
    })

    it('refuses another partner', () => {
      given(DealDecider, [registered, approved]).when(extend(undefined, { actor: partnerUser('p-beta') })).thenThrows(ForbiddenError)
    })
  })

  describe('MarkDealWon / MarkDealLost', () => {
    const won = (data = {}, meta = {}) => command('MarkDealWon', { dealId: 'd-1', ...data }, { actor: acme, now: '2026-07-01T09:00:00.000Z', ...meta })
    const lost = (data = {}, meta = {}) =>
      command('MarkDealLost', { dealId: 'd-1', reason: 'Price', ...data }, { actor: acme, now: '2026-07-01T09:00:00.000Z', ...meta })

    it('marks an approved deal won, with the registered value by default', () => {
      given(DealDecider, [registered, approved]).when(won()).then([{ type: 'DealWon', data: { ...ids, value: 50_000, currency: 'EUR', closedOn: '2026-07-01' } }])
    })

    it('marks it won with the final value', () => {
      given(DealDecider, [registered, approved]).when(won({ value: 62_000 })).then([{ type: 'DealWon', data: { ...ids, value: 62_000, currency: 'EUR', closedOn: '2026-07-01' } }])
    })

    it('marks an approved deal lost, to direct sales or not', () => {
      given(DealDecider, [registered, approved]).when(lost()).then([{ type: 'DealLost', data: { ...ids, reason: 'Price', lostToDirect: false } }])
      given(DealDecider, [registered, approved]).when(lost({ lostToDirect: true })).then([{ type: 'DealLost', data: { ...ids, reason: 'Price', lostToDirect: true } }])
    })

    it('needs a reason for a loss', () => {
      given(DealDecider, [registered, approved]).when(lost({ reason: '' })).thenThrows(ValidationError, /Say why/)
    })

    it('refuses outcomes of deals that are not approved', () => {
      given(DealDecider, [registered]).when(won()).thenThrows(IllegalStateError, /Only an approved deal can be marked won \(this one is Submitted\)/)
      const wonEvent: DealEvent = { type: 'DealWon', data: { ...ids, value: 1, currency: 'EUR', closedOn: '2026-07-01' } }
      given(DealDecider, [registered, approved, wonEvent]).when(lost()).thenThrows(IllegalStateError, /this one is Won/)
    })

    it('refuses the vendor and other partners', () => {
      given(DealDecider, [registered, approved]).when(won({}, { actor: channelManager })).thenThrows(ForbiddenError)
      given(DealDecider, [registered, approved]).when(lost({}, { actor: partnerUser('p-beta', 'partner_admin') })).thenThrows(ForbiddenError)
    })
  })

  describe('ExpireDeal', () => {
    const expire = (now: string, meta = {}) => command('ExpireDeal', { dealId: 'd-1' }, { actor: scheduler, now, ...meta })
    const expired: DealEvent = { type: 'DealExpired', data: ids }

    it('expires an approved deal once its protection has passed', () => {
      given(DealDecider, [registered, approved]).when(expire('2026-08-03T00:00:00Z')).then([expired])
    })

    it('does not expire on the last protected day', () => {
      given(DealDecider, [registered, approved]).when(expire('2026-08-02T23:59:59Z')).thenThrows(IllegalStateError, /protected until 2026-08-02/)
    })

    it('respects an extension', () => {
      const extended: DealEvent = { type: 'DealExtended', data: { ...ids, protectedUntil: '2026-10-01', justification: 'x' } }
      given(DealDecider, [registered, approved, extended]).when(expire('2026-08-03T00:00:00Z')).thenThrows(IllegalStateError, /2026-10-01/)
    })

    it('is a no-op when already expired', () => {
      given(DealDecider, [registered, approved, expired]).when(expire('2026-09-01T00:00:00Z')).then([])
    })

    it('refuses deals with an outcome', () => {
      const lost: DealEvent = { type: 'DealLost', data: { ...ids, reason: 'x', lostToDirect: false } }
      given(DealDecider, [registered, approved, lost]).when(expire('2026-09-01T00:00:00Z')).thenThrows(IllegalStateError, /this one is Lost/)
    })

    it('refuses partners', () => {
      given(DealDecider, [registered, approved]).when(expire('2026-09-01T00:00:00Z', { actor: acme })).thenThrows(ForbiddenError)
    })
  })

  describe('BreachDealReviewSla', () => {
    const breach = (now: string) => command('BreachDealReviewSla', { dealId: 'd-1' }, { actor: scheduler, now })
    const breached: DealEvent = { type: 'DealReviewSlaBreached', data: { ...ids, dueAt: '2026-05-06T09:00:00.000Z' } }

    it('records an overdue review once', () => {
      given(DealDecider, [registered]).when(breach('2026-05-06T10:00:00Z')).then([breached])
      given(DealDecider, [registered, breached]).when(breach('2026-05-07T10:00:00Z')).then([])
    })

    it('refuses before the review is due', () => {
      given(DealDecider, [registered]).when(breach('2026-05-06T09:00:00Z')).thenThrows(IllegalStateError, /not overdue yet/)
    })

    it('refuses a reviewed deal', () => {
      given(DealDecider, [registered, approved]).when(breach('2026-05-07T10:00:00Z')).thenThrows(IllegalStateError, /this one is Approved/)
    })

    it('a late approval after a breach is outside the SLA', () => {
      given(DealDecider, [registered, breached])
        .when(command('ApproveDeal', { dealId: 'd-1' }, { actor: channelManager, now: '2026-05-07T09:00:00.000Z' }))
        .then([{ type: 'DealApproved', data: { ...ids, protectedUntil: '2026-08-05', withinSla: false } }])
    })
  })

  it('evolve ignores unknown events', () => {
    const state = DealDecider.evolve(DealDecider.initialState(), { type: 'SomethingElse', data: {} } as unknown as DealEvent)
    expect(state).toEqual({ status: 'Initial' })
  })
})
