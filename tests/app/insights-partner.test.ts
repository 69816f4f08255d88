// A partner's insights as its pages read them (one round trip, the trust chart's entries with two fields, the pyramid
// without its own copy of the facts) equal those computed from the partner's whole documents and histories.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { insightsFrom } from '../../app/queries/insights.server.ts'
import { docsAndLogs, mergeLogs, pairKey } from '../../app/queries/read-models.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { SETTINGS_KEY, type SettingsDoc } from '../../projections/insights/index.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import { pyramidDocOf, type PyramidDoc } from '../../projections/pyramid.ts'
import type { TrustDoc } from '../../projections/trust.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices

let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('insights')
  services = opened.services
})
afterAll(() => opened?.close())

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const sam = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' as const }

async function whole(partnerId: string) {
  const found = await docsAndLogs(
    services.sql,
    [['journey', SETTINGS_KEY], ['journey', partnerId], ['trust', partnerId]],
    [['journey', 'history'], ['trust', 'history'], ['journey', 'stageHistory']].map(([projection, field]) => ({ projection: projection!, key: partnerId, field: field! })),
  )
  const get = <T>(projection: string, key = partnerId) => found.docs.get(pairKey(projection, key)) as T
  return {
    settings: get<SettingsDoc>('journey', SETTINGS_KEY),
    journey: { ...get<JourneyDoc>('journey'), history: mergeLogs(found.logs[0]!) as JourneyDoc['history'] },
    trust: { ...get<TrustDoc>('trust'), history: mergeLogs(found.logs[1]!) as TrustDoc['history'] },
    pyramid: { ...pyramidDocOf(get<JourneyDoc>('journey')), history: mergeLogs(found.logs[2]!) as PyramidDoc['history'] },
  }
}

test("a partner's insights read for its pages equal those computed from its whole documents", async () => {
  // more drops than a page lists (8), so that the chart's slim entries and the listed whole ones must be told apart
  for (let i = 0; i < 12; i++) {
    const { dealId } = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: `Customer ${i}`, customerDomain: `customer-${i}.example`, value: 10_000 + i, currency: 'EUR',
      expectedCloseDate: '2027-06-30', items: [],
    })
    await services.commands.deals.approve({ actor: sam }, dealId)
  }
  const now = services.clock().toISOString()
  for (const partnerId of ['northwind', 'contoso']) {
    const docs = await whole(partnerId)
    const expected = insightsFrom({ settings: docs.settings, journey: [docs.journey], trust: [docs.trust], pyramid: [docs.pyramid], scorecard: [], lifetime: [], program: [] }, now).partner(partnerId)!
    const read = (await services.queries.insights.partner(partnerId, now))!
    expect(read.journey).toEqual(expected.journey)
    expect(read.pyramid).toEqual(expected.pyramid)
    expect(read.trust).toEqual(expected.trust)
    if (partnerId === 'northwind') expect(docs.trust.history.filter((e) => e.kind === 'drop').length).toBeGreaterThan(8)
  }
})

test("a partner's documents come from those held for the program figures, and a change shows on the next view", async () => {
  const now = () => services.clock().toISOString()
  const stateOf = async () => (await services.queries.users.signedIn('u-maria')).readModels ?? undefined
  const before = await services.queries.insights.partnerWith('northwind', now(), { readModels: await stateOf() }, {})
  const docBefore = before.sets.doc<'journey', JourneyDoc>('journey', 'northwind')!
  expect(docBefore.partnerId).toBe('northwind')
  // a new approved deal changes the journey's facts and the trust: the next view (a new read-model state) has them
  const { dealId } = await services.commands.deals.register({ actor: maria }, {
    partnerId: 'northwind', customerName: 'Customer later', customerDomain: 'customer-later.example', value: 12_345, currency: 'EUR',
    expectedCloseDate: '2027-06-30', items: [],
  })
  await services.commands.deals.approve({ actor: sam }, dealId)
  const after = await services.queries.insights.partnerWith('northwind', now(), { readModels: await stateOf() }, {})
  const docs = await whole('northwind')
  expect(after.sets.doc('journey', 'northwind')).toEqual({ ...docs.journey, history: (after.sets.doc<'journey', JourneyDoc>('journey', 'northwind'))!.history })
  expect(after.sets.doc('journey', 'northwind')).not.toEqual(docBefore)
  expect(after.insight!.trust).toEqual(insightsFrom({ settings: docs.settings, journey: [docs.journey], trust: [docs.trust], pyramid: [docs.pyramid], scorecard: [], lifetime: [], program: [] }, now()).partner('northwind')!.trust)
  // another organisation's documents are not the partner's: asked for by key, each is its own
  expect(after.sets.doc<'journey', JourneyDoc>('journey', 'contoso')?.partnerId ?? 'contoso').toBe('contoso')
})
