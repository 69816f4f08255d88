// Registering a deal through the portal's command layer: a customer domain must be one company's, not a suffix that
// many companies' domains end in (the public suffix list), which would conflict with every customer under it.
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { AppServices } from '../../app/services.server.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices

let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('deal-registration', { seed: false })
  services = opened.services
})
afterAll(() => opened?.close())

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const register = (customerDomain: string) =>
  services.commands.deals.register({ actor: maria }, {
    partnerId: 'northwind', customerName: 'Someone', customerDomain, value: 5000, currency: 'EUR', expectedCloseDate: '2099-12-31', items: [],
  })

test('a public suffix is refused as a customer domain, with the field and a hint; a domain under it is registered', async () => {
  for (const suffix of ['co.uk', 'https://www.co.uk/', 'github.io', 'herokuapp.com']) {
    const refused = await register(suffix).then(() => null, (error: unknown) => error)
    expect(refused, suffix).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).field).toBe('customerDomain')
    expect((refused as ValidationError).message).toContain('not one customer')
  }
  for (const domain of ['acme.co.uk', 'acme.github.io', 'acme.example']) {
    const { dealId } = await register(domain)
    expect((await services.queries.deals.byId(dealId))?.customerDomain).toBe(domain)
  }
})
