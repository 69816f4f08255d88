// The view cache behind the real loaders on the seeded demo (PGlite): a kept dashboard or library answer is served
// again only while no read model changed, never to another user, and never to a request that asks for a fresh page.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { loader as libraryLoader } from '../../app/routes/enablement/partner-library.tsx'
import { loader as homeLoader } from '../../app/routes/partner/home.tsx'
import type { AppServices } from '../../app/services.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let opened: TestServices | undefined
// one instant for the whole file: the minute is part of a view's state, and a real clock could cross it mid-test
const at = new Date()
let colleague = ''
beforeAll(async () => {
  opened = await openTestServices('view-cache-pages', { clock: () => at })
  services = opened.services
  // a second Northwind user: same organisation, same deals, another person
  const invited = await services.commands.people.invite(
    { userId: 'u-maria', name: 'Maria Jensen', email: 'maria@northwind.example', role: 'partner_admin', organisationId: 'northwind', organisationName: 'Northwind IT' },
    'northwind', { name: 'Noah Berg', email: 'noah@northwind.example', role: 'partner_user', password: 'a-long-enough-password' }, randomUUID(),
  )
  colleague = invited.userId
})
afterAll(() => opened?.close())

/** a GET of `path` by a signed-in user, as the browser sends it (the session cookie) */
async function get(userId: string, path: string, headers: Record<string, string> = {}) {
  const blank = new Request('http://localhost/')
  const session = await services.sessions.get(blank)
  session.set('userId', userId)
  const cookie = (await services.sessions.commit(blank, session)).split(';')[0]!
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: cookie, ...headers } })
  return { request, url: new URL(request.url), params: {}, context: { services } } as never
}

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }

test('the dashboard is served again until a read model changes, then shows the change', async () => {
  // the first view of the day computes the program-wide figures: the view after it is the first with settled state
  await homeLoader(await get('u-maria', '/partner'))
  const first = await homeLoader(await get('u-maria', '/partner'))
  const before = services.views.stats()
  const again = await homeLoader(await get('u-maria', '/partner'))
  expect(services.views.stats().hits).toBe(before.hits + 1)
  expect(again).toEqual(first)

  const { dealId } = await services.commands.deals.register({ actor: maria }, {
    partnerId: 'northwind', customerName: 'Kept Views Ltd', customerDomain: 'kept-views.example', value: 12_000, currency: 'EUR',
    expectedCloseDate: '2099-06-30', items: [],
  })
  const after = await homeLoader(await get('u-maria', '/partner'))
  expect(after.recent.map((d) => d.dealId)).toContain(dealId)
  expect(first.recent.map((d) => d.dealId)).not.toContain(dealId)
})

test("a colleague in the same organisation, and another partner's user, each get their own dashboard", async () => {
  const marias = await homeLoader(await get('u-maria', '/partner'))
  const noahs = await homeLoader(await get(colleague, '/partner'))
  const lis = await homeLoader(await get('u-li', '/partner'))
  expect(marias.user.name).toBe('Maria Jensen')
  expect(noahs.user.name).toBe('Noah Berg')
  expect(noahs.recent).toEqual(marias.recent)
  expect(lis.user.name).toBe('Li Wei')
  expect(lis.recent.map((d) => d.customerName)).not.toContain('Kept Views Ltd')
})

test('a request that asks for a fresh page (Cache-Control: no-cache, a hard reload) is computed afresh', async () => {
  await homeLoader(await get('u-maria', '/partner'))
  const before = services.views.stats()
  const fresh = await homeLoader(await get('u-maria', '/partner', { 'Cache-Control': 'no-cache' }))
  expect(services.views.stats()).toMatchObject({ hits: before.hits, misses: before.misses })
  expect(fresh.user.name).toBe('Maria Jensen')
})

test('each library search is kept on its own', async () => {
  const all = await libraryLoader(await get('u-maria', '/partner/library'))
  const none = await libraryLoader(await get('u-maria', '/partner/library?q=zzzz-no-such-asset'))
  expect(all.matching).toBeGreaterThan(0)
  expect(none.matching).toBe(0)
  expect((await libraryLoader(await get('u-maria', '/partner/library'))).matching).toBe(all.matching)
})
