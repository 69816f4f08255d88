// Every figure a page shows of a partner agrees with every other page's at the same moment: the partner list, the
// partner's page, its dashboard and the header, right after a change.
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { CurrentUser } from '../../app/auth.server.ts'
import { insightsAt, partnerStory } from '../../app/partner-views.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('numbers-agree', { seed: false })
  services = opened.services
  await seedDemo(services, 'minimal')
})
afterAll(() => opened?.close())

const user = async (userId: string) => (await services.queries.users.byId(userId)) as CurrentUser

/** what each page shows of the partner, read as each page reads it */
async function pages(partnerId: string) {
  const now = services.clock().toISOString()
  const row = (await insightsAt(services, null)).table().find((r) => r.partnerId === partnerId)!
  const story = (await partnerStory(services, partnerId, null))!.insight
  const dashboard = (await services.queries.insights.partnerWith(partnerId, now, { journeyHistory: 'last', lifetime: false }, {})).insight!
  const header = (await user('u-maria')).organisationName
  const shown = (p: { company: string | null; journey: { phase: string }; pyramid: { stage: string | null } | null; trust: { value: number } | null; scorecard: { composite: number; rank: number } | null }) => ({
    company: p.company, phase: p.journey.phase, stage: p.pyramid?.stage ?? null, trust: p.trust?.value ?? null,
    composite: p.scorecard?.composite ?? null, rank: p.scorecard?.rank ?? null,
  })
  return {
    list: { company: row.company, phase: row.phase, stage: row.stage, trust: row.trust, composite: row.composite, rank: row.rank, lifetimeValue: row.lifetimeValue },
    page: { ...shown(story), lifetimeValue: story.lifetime?.value ?? null },
    dashboard: shown(dashboard),
    header,
  }
}

function expectAgreement(seen: Awaited<ReturnType<typeof pages>>) {
  expect(seen.page).toEqual(seen.list)
  const { lifetimeValue: _, ...list } = seen.list
  expect(seen.dashboard).toEqual(list)
  expect(seen.header).toBe(seen.list.company)
}

test('the partner list, the partner page, the dashboard and the header agree right after changes', async () => {
  const vera = await user('u-vera')
  const sam = await user('u-sam')
  const maria = await user('u-maria')
  // every page seen once: whatever a page keeps, it keeps from here
  const before = await pages('northwind')
  expectAgreement(before)

  // a new display name, and deals approved (trust and the scorecard move)
  await services.commands.people.setProfile(vera, 'northwind', {
    displayName: 'Northwind IT GmbH', contactName: 'Maria Jensen', contactEmail: 'maria@northwind.example', primaryColor: '#0d6e64', secondaryColor: '#eef4ff',
  })
  for (let i = 0; i < 3; i++) {
    const { dealId } = await services.commands.deals.register({ actor: { userId: maria.userId, organisationId: 'northwind', role: 'partner_admin' } }, {
      partnerId: 'northwind', customerName: `Agree ${i}`, customerDomain: `agree-${i}.example`, value: 40_000, currency: 'EUR', expectedCloseDate: '2027-06-30', items: [],
    })
    await services.commands.deals.approve({ actor: { userId: sam.userId, organisationId: sam.organisationId, role: 'channel_manager' } }, dealId)
  }
  const after = await pages('northwind')
  expect(after.header).toBe('Northwind IT GmbH')
  expect(after.page.trust).not.toBe(before.page.trust)
  expectAgreement(after)
})
