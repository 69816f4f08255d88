// Search finds a deal by an item's SKU or product name, for the vendor and for its own partner only.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSearchQueries } from '../../app/queries/search.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let opened: TestServices

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const li = { userId: 'u-li', organisationId: 'contoso', role: 'partner_admin' as const }

beforeAll(async () => {
  opened = await openTestServices('search-deal-items', { seed: false })
  const { deals } = opened.services.commands
  const deal = { value: 5000, currency: 'EUR', expectedCloseDate: '2099-12-31' }
  await deals.register({ actor: maria }, { ...deal, partnerId: 'northwind', customerName: 'Initech', customerDomain: 'initech.example', items: [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 25 }] })
  await deals.register({ actor: maria }, { ...deal, partnerId: 'northwind', customerName: 'Globex', customerDomain: 'globex.example', items: [{ sku: 'EF-200', name: 'Edge Firewall', quantity: 2 }] })
  await deals.register({ actor: li }, { ...deal, partnerId: 'contoso', customerName: 'Umbrella', customerDomain: 'umbrella.example', items: [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 3 }] })
}, 120_000)
afterAll(() => opened?.close())

const titles = (groups: { key: string; hits: { title: string }[] }[]) => groups.find((g) => g.key === 'deals')!.hits.map((h) => h.title).sort()

test('the vendor finds every deal with the SKU, or the product name, and the hit lists its items', async () => {
  const search = createSearchQueries(opened.services.sql)
  expect(titles(await search.forVendor('cb-500'))).toEqual(['Initech', 'Umbrella'])
  expect(titles(await search.forVendor('firewall'))).toEqual(['Globex'])
  const [hit] = (await search.forVendor('EF-200')).find((g) => g.key === 'deals')!.hits
  expect(hit!.description).toContain('2 × Edge Firewall (EF-200)')
})

test("a partner finds only its own deals by SKU", async () => {
  const search = createSearchQueries(opened.services.sql)
  expect(titles(await search.forPartner('northwind', 'u-maria', '2026-12-07T10:00:00.000Z', 'CB-500'))).toEqual(['Initech'])
})
