// Direct accounts: the vendor names a customer with its domains (each claimed once), or removes it, with a reason.
import { describe, it } from 'vitest'
import { AccountDecider, streamId, type AccountEvent } from '../../../domain/accounts/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../../domain/shared/errors.ts'
import { auditor, command, given, partnerUser, vendorAdmin } from '../support/given.ts'
import { expect } from 'vitest'

const name = (data: Record<string, unknown> = {}, meta = {}) =>
  command('NameDirectAccount', { accountId: 'a-1', name: 'Globex Corporation', domains: ['https://www.Globex.com', 'globex.de'], reason: 'Global framework contract', ...data }, meta)
const named: AccountEvent = {
  type: 'DirectAccountNamed',
  data: { accountId: 'a-1', name: 'Globex Corporation', domains: ['globex.com', 'globex.de'], reason: 'Global framework contract' },
}
const remove = (reason = 'Contract ended', meta = {}) => command('RemoveDirectAccount', { accountId: 'a-1', reason }, meta)

describe('direct accounts', () => {
  it('names its stream account-<id>', () => expect(streamId('a-1')).toBe('account-a-1'))

  describe('NameDirectAccount', () => {
    it('names an account with its domains, normalised', () => {
      given(AccountDecider).when(name()).then([named])
    })
    it('lets the vendor admin name one too', () => {
      given(AccountDecider).when(name({}, { actor: vendorAdmin })).then([named])
    })
    it('refuses a domain another account holds (or a parent or subdomain of it), naming that account', () => {
      const initech = { accountId: 'a-2', name: 'Initech', domains: ['globex.de'] }
      given(AccountDecider).when(name({ existingAccounts: [initech] })).thenThrows(ValidationError, /globex.de already belongs to the direct account Initech/)
      const parent = { accountId: 'a-3', name: 'Globex Group', domains: ['globex.com'] }
      given(AccountDecider).when(name({ domains: ['eu.globex.com'], existingAccounts: [parent] })).thenThrows(ValidationError, /Globex Group/)
    })
    it('refuses something that is not a domain, a public suffix, no domain, and a missing reason', () => {
      given(AccountDecider).when(name({ domains: ['globex'] })).thenThrows(ValidationError, /not a domain/)
      given(AccountDecider).when(name({ domains: ['co.uk'], publicSuffixes: ['co.uk'] })).thenThrows(ValidationError, /suffix/)
      given(AccountDecider).when(name({ domains: [] })).thenThrows(ValidationError, /web domain/)
      given(AccountDecider).when(name({ reason: ' ' })).thenThrows(ValidationError, /directly/)
    })
    it('refuses naming the same account twice', () => {
      given(AccountDecider, [named]).when(name()).thenThrows(IllegalStateError)
    })
    it('refuses partners and auditors', () => {
      given(AccountDecider).when(name({}, { actor: partnerUser('p-acme', 'partner_admin') })).thenThrows(ForbiddenError)
      given(AccountDecider).when(name({}, { actor: auditor })).thenThrows(ForbiddenError, /read-only/)
    })
  })

  describe('RemoveDirectAccount', () => {
    it('removes a named account with a reason', () => {
      given(AccountDecider, [named]).when(remove()).then([{ type: 'DirectAccountRemoved', data: { accountId: 'a-1', name: 'Globex Corporation', reason: 'Contract ended' } }])
    })
    it('needs a reason', () => {
      given(AccountDecider, [named]).when(remove('')).thenThrows(ValidationError, /register this customer/)
    })
    it('refuses an unknown or already removed account', () => {
      given(AccountDecider).when(remove()).thenThrows(NotFoundError)
      const removed: AccountEvent = { type: 'DirectAccountRemoved', data: { accountId: 'a-1', name: 'Globex Corporation', reason: 'x' } }
      given(AccountDecider, [named, removed]).when(remove()).thenThrows(IllegalStateError, /already removed/)
    })
    it('refuses partners and auditors', () => {
      given(AccountDecider, [named]).when(remove('x', { actor: partnerUser('p-acme') })).thenThrows(ForbiddenError)
      given(AccountDecider, [named]).when(remove('x', { actor: auditor })).thenThrows(ForbiddenError)
    })
  })
})
