// Deal conflicts: one customer, one protected partner; overriding the earliest or a protected registration, or a
// direct account, needs the vendor's confirmation and a reason; superseded registrations are closed and told why.
import { describe, expect, it } from 'vitest'
import { DealDecider, type DealEvent, type DealRegistered, type ExistingRegistration } from '../../../domain/deals/index.ts'
import { ForbiddenError, ValidationError } from '../../../domain/shared/errors.ts'
import { channelManager, command, given, partnerUser } from '../support/given.ts'

const MONDAY = '2026-05-04T09:00:00.000Z'
const LATER = '2026-05-06T10:00:00.000Z'

const registeredBy = (dealId: string, partnerId: string, earlier: string[] = []): DealRegistered => ({
  type: 'DealRegistered',
  data: {
    dealId, partnerId, customerName: 'Globex', customerDomain: 'globex.com', value: 50_000, currency: 'EUR', expectedCloseDate: '2026-09-30',
    items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 25 }],
    conflict: earlier.length ? { dealIds: earlier, directAccount: false, earliest: false } : null,
    reviewDueAt: '2026-05-06T09:00:00.000Z', protectionDays: 90,
  },
})
// Acme registered Globex first; Contoso registered it two days later (its conflict names Acme's)
const acmeFirst = registeredBy('d-acme', 'p-acme')
const contosoLater = registeredBy('d-contoso', 'p-contoso', ['d-acme'])

const rival = (dealId: string, partnerId: string, status: ExistingRegistration['status'], registeredAt: string): ExistingRegistration => ({
  dealId, partnerId, customerDomain: 'globex.com', status, registeredAt,
})
const acmeWaiting = rival('d-acme', 'p-acme', 'Submitted', MONDAY)
const acmeProtected = rival('d-acme', 'p-acme', 'Approved', MONDAY)
const contosoWaiting = rival('d-contoso', 'p-contoso', 'Submitted', LATER)

const approve = (dealId: string, data: Record<string, unknown> = {}) =>
  command('ApproveDeal', { dealId, settings: { protectionDays: 90 }, ...data }, { actor: channelManager, now: '2026-05-07T09:00:00.000Z' })
const supersede = (dealId: string, data: Record<string, unknown> = {}) =>
  command('SupersedeDeal', { dealId, byDealId: 'd-contoso', byPartnerId: 'p-contoso', byRegisteredAt: LATER, ...data }, { actor: channelManager, now: '2026-05-07T09:00:00.000Z' })

describe('deal conflicts', () => {
  describe('approving the earliest registration (earliest wins by default)', () => {
    it('needs no confirmation and supersedes the later waiting registration', () => {
      given(DealDecider, [acmeFirst]).when(approve('d-acme', { rivals: [contosoWaiting] })).then([
        { type: 'DealApproved', data: { dealId: 'd-acme', partnerId: 'p-acme', protectedUntil: '2026-08-05', withinSla: false } },
        {
          type: 'DealConflictDecided',
          data: {
            dealId: 'd-acme', partnerId: 'p-acme',
            superseded: [{ dealId: 'd-contoso', partnerId: 'p-contoso', registeredAt: LATER, wasApproved: false, earlier: false }],
            overridden: [], directAccount: null, reason: null,
          },
        },
      ])
    })

    it('records no conflict when no other partner registered the customer', () => {
      const events = given(DealDecider, [acmeFirst]).when(approve('d-acme')).events()
      expect(events.map((e) => e.type)).toEqual(['DealApproved'])
    })

    it("ignores the partner's own registrations and other customers", () => {
      const own = rival('d-acme-2', 'p-acme', 'Submitted', LATER)
      const other = { ...rival('d-x', 'p-x', 'Submitted', LATER), customerDomain: 'initech.com' }
      expect(given(DealDecider, [acmeFirst]).when(approve('d-acme', { rivals: [own, other] })).events().map((e) => e.type)).toEqual(['DealApproved'])
    })
  })

  describe('approving a later registration over an earlier one', () => {
    it('is refused without the confirmation, on the confirm field, naming the rival by status and date', () => {
      given(DealDecider, [contosoLater]).when(approve('d-contoso', { rivals: [acmeWaiting] }))
        .thenThrows(ValidationError, /Confirm that you approve this registration over another partner's registration \(waiting, registered 2026-05-04\)/)
      try {
        DealDecider.decide(approve('d-contoso', { rivals: [acmeWaiting] }) as never, given(DealDecider, [contosoLater]).state)
      } catch (error) {
        expect((error as ValidationError).field).toBe('confirm')
      }
    })

    it('is refused when the confirmation did not see every rival (one arrived since the page was read)', () => {
      const another = rival('d-fabrikam', 'p-fabrikam', 'Approved', MONDAY)
      given(DealDecider, [contosoLater])
        .when(approve('d-contoso', { rivals: [acmeWaiting, another], confirm: { rivals: ['d-acme'], directAccount: false }, reason: 'Contoso runs the account' }))
        .thenThrows(ValidationError, /changed since you confirmed/)
    })

    it('needs a reason the partners read', () => {
      given(DealDecider, [contosoLater])
        .when(approve('d-contoso', { rivals: [acmeWaiting], confirm: { rivals: ['d-acme'], directAccount: false } }))
        .thenThrows(ValidationError, /Say why you override/)
    })

    it('confirmed, approves it and records the earlier registration as overridden, with the reason', () => {
      given(DealDecider, [contosoLater])
        .when(approve('d-contoso', { rivals: [acmeWaiting], confirm: { rivals: ['d-acme'], directAccount: false }, reason: 'Contoso holds the framework contract' }))
        .then([
          { type: 'DealApproved', data: { dealId: 'd-contoso', partnerId: 'p-contoso', protectedUntil: '2026-08-05', withinSla: false } },
          {
            type: 'DealConflictDecided',
            data: {
              dealId: 'd-contoso', partnerId: 'p-contoso',
              superseded: [{ dealId: 'd-acme', partnerId: 'p-acme', registeredAt: MONDAY, wasApproved: false, earlier: true }],
              overridden: ['d-acme'], directAccount: null, reason: 'Contoso holds the framework contract',
            },
          },
        ])
    })
  })

  describe('approving while another partner holds protection', () => {
    it('overrides the protected registration even when this one came first, and needs the confirmation', () => {
      const contosoProtected = rival('d-contoso', 'p-contoso', 'Approved', LATER)
      given(DealDecider, [acmeFirst]).when(approve('d-acme', { rivals: [contosoProtected] })).thenThrows(ValidationError, /\(protected, registered 2026-05-06\)/)
      const [, decided] = given(DealDecider, [acmeFirst])
        .when(approve('d-acme', { rivals: [contosoProtected], confirm: { rivals: ['d-contoso'], directAccount: false }, reason: 'Acme registered first' }))
        .events()
      expect(decided).toMatchObject({ type: 'DealConflictDecided', data: { overridden: ['d-contoso'], superseded: [{ dealId: 'd-contoso', wasApproved: true, earlier: false }] } })
    })
  })

  describe('direct accounts', () => {
    const globexDirect = { accountId: 'a-1', name: 'Globex Corporation', domains: ['globex.com'] }

    it('approving a registration for a direct account needs the confirmation, naming the account', () => {
      given(DealDecider, [acmeFirst]).when(approve('d-acme', { directAccounts: [globexDirect] })).thenThrows(ValidationError, /the direct account Globex Corporation/)
      given(DealDecider, [acmeFirst])
        .when(approve('d-acme', { directAccounts: [globexDirect], confirm: { rivals: [], directAccount: false }, reason: 'x' }))
        .thenThrows(ValidationError, /changed since you confirmed/)
    })

    it('confirmed, records the direct account by name with the reason', () => {
      const events = given(DealDecider, [acmeFirst])
        .when(approve('d-acme', { directAccounts: [globexDirect], confirm: { rivals: [], directAccount: true }, reason: 'Direct sales handed Globex to Acme' }))
        .events()
      expect(events[1]).toEqual({
        type: 'DealConflictDecided',
        data: { dealId: 'd-acme', partnerId: 'p-acme', superseded: [], overridden: [], directAccount: 'Globex Corporation', reason: 'Direct sales handed Globex to Acme' },
      })
    })

    it('covers subdomains of the account’s domains', () => {
      const eu = { ...registeredBy('d-eu', 'p-acme'), data: { ...registeredBy('d-eu', 'p-acme').data, customerDomain: 'eu.globex.com' } }
      given(DealDecider, [eu]).when(approve('d-eu', { directAccounts: [globexDirect] })).thenThrows(ValidationError, /Globex Corporation/)
    })
  })

  describe('SupersedeDeal', () => {
    it('closes a later waiting registration without a reason: the earlier one won', () => {
      given(DealDecider, [contosoLater])
        .when(supersede('d-contoso', { byDealId: 'd-acme', byPartnerId: 'p-acme', byRegisteredAt: MONDAY }))
        .then([{
          type: 'DealSuperseded',
          data: { dealId: 'd-contoso', partnerId: 'p-contoso', byDealId: 'd-acme', byPartnerId: 'p-acme', byRegisteredAt: MONDAY, protectionEndedOn: null, reason: null },
        }])
    })

    it('ends the protection of an approved registration today, with the reason', () => {
      const approved: DealEvent = { type: 'DealApproved', data: { dealId: 'd-acme', partnerId: 'p-acme', protectedUntil: '2026-08-02', withinSla: true } }
      given(DealDecider, [acmeFirst, approved]).when(supersede('d-acme', { reason: 'Contoso holds the framework contract' })).then([{
        type: 'DealSuperseded',
        data: {
          dealId: 'd-acme', partnerId: 'p-acme', byDealId: 'd-contoso', byPartnerId: 'p-contoso', byRegisteredAt: LATER,
          protectionEndedOn: '2026-05-07', reason: 'Contoso holds the framework contract',
        },
      }])
    })

    it('needs a reason when the registration was overridden (earlier, or protected)', () => {
      given(DealDecider, [acmeFirst]).when(supersede('d-acme')).thenThrows(ValidationError, /Say why/)
    })

    it('leaves a closed registration as it is (a retry, or one closed meanwhile)', () => {
      const superseded = given(DealDecider, [acmeFirst]).when(supersede('d-acme', { reason: 'r' })).events()
      given(DealDecider, [acmeFirst, ...superseded]).when(supersede('d-acme', { reason: 'r' })).then([])
      const withdrawn: DealEvent = { type: 'DealWithdrawn', data: { dealId: 'd-acme', partnerId: 'p-acme' } }
      given(DealDecider, [acmeFirst, withdrawn]).when(supersede('d-acme', { reason: 'r' })).then([])
    })

    it('a superseded registration can no longer be approved, won or withdrawn', () => {
      const superseded = given(DealDecider, [acmeFirst]).when(supersede('d-acme', { reason: 'r' })).events()
      const state = given(DealDecider, [acmeFirst, ...superseded]).state
      expect(state.status).toBe('Superseded')
      given(DealDecider, [acmeFirst, ...superseded]).when(approve('d-acme')).thenThrows(Error, /Only a submitted deal/)
    })

    it('refuses partners', () => {
      given(DealDecider, [acmeFirst]).when({ ...supersede('d-acme', { reason: 'r' }), metadata: { ...supersede('d-acme').metadata, actor: partnerUser('p-contoso') } })
        .thenThrows(ForbiddenError)
    })
  })
})
