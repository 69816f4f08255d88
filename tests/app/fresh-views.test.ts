// What a fresh dashboard asks in one round trip answers as the separate questions did (decision 023): the tier card's
// reads as one docSets, assets counted by their minimum tier with `countBy`; and the program figures are not looked up
// again while the request's read-model state is one they were already current for.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql as k } from 'kysely'
import { settingsInForce } from '../../domain/settings/settings.ts'
import { tierProgress } from '../../domain/settings/tiers.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { fundsQueries } from '../../app/queries/funds.server.ts'
import { createInsightQueries } from '../../app/queries/insights.server.ts'
import { doc, docSets, eb, everyDoc, field, jsonField } from '../../app/queries/read-models.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { validCertifications } from '../../projections/insights/facts.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('fresh-views')
  services = opened.services
})
afterAll(() => opened?.close())

const minimumTier = k<string | null>`${jsonField('audienceRules')}->>${k.lit('minimumTier')}`

test('countBy counts a list by a text expression, leaving out documents where it is null', async () => {
  const published = { projection: 'assets' as const, where: eb(field('status'), '=', k.lit('Published')) }
  const found = await docSets(services.sql, { byTier: { countBy: published, by: minimumTier }, byType: { countBy: published, by: field('assetType') } })
  const assets = (await everyDoc(services.sql, published)).filter((a) => a.kind === 'asset')
  const tally = (values: (string | null | undefined)[]) => {
    const counts: Record<string, number> = {}
    for (const value of values) if (value != null) counts[value] = (counts[value] ?? 0) + 1
    return counts
  }
  // the demo has assets reserved for a tier and assets for every tier, so both kinds of document are counted or left out
  expect(assets.some((a) => a.audienceRules?.minimumTier) && assets.some((a) => !a.audienceRules?.minimumTier)).toBe(true)
  expect(found.byTier).toEqual(tally(assets.map((a) => a.audienceRules?.minimumTier)))
  expect(found.byType).toEqual(tally(assets.map((a) => a.assetType)))
})

test("a partner's tier progress in one round trip equals the one computed from each document read alone", async () => {
  const now = new Date().toISOString()
  for (const partnerId of ['northwind', 'contoso']) {
    const funds = fundsQueries(services.sql)
    const [partner, journey, settings, assets] = await Promise.all([
      funds.partnerTiers(partnerId), doc(services.sql, 'journey', partnerId), funds.settingsHistory(),
      everyDoc(services.sql, { projection: 'assets', where: eb(field('status'), '=', k.lit('Published')) }),
    ])
    const byTier: Record<string, number> = {}
    for (const a of assets) if (a.audienceRules?.minimumTier) byTier[a.audienceRules.minimumTier] = (byTier[a.audienceRules.minimumTier] ?? 0) + 1
    const facts = journey?.facts
    const expected = tierProgress(
      settingsInForce(settings, now), partner?.tier ?? null,
      { certifications: facts ? validCertifications(facts, now).length : 0, wonDeals: facts?.wonDeals ?? 0 }, byTier,
    )
    expect(expected.current).not.toBeNull()
    expect(await funds.tierProgressOf(partnerId, now)).toEqual(expected)
  }
})

test('the program figures are looked up once per read-model state a request brings, and again for a new one', async () => {
  const statements: string[] = []
  const counting: SqlExecutor = {
    query: (text, params, options) => {
      statements.push(text)
      return services.sql.query(text, params, options)
    },
  }
  const insights = createInsightQueries(counting)
  const now = new Date().toISOString()
  const first = await insights.current(now, 'state-1')
  const looked = statements.length
  expect(looked).toBeGreaterThan(0)
  // the same state: the figures already computed, without a statement
  expect(await insights.current(now, 'state-1')).toBe(first)
  expect(statements.length).toBe(looked)
  // a new state (the read models moved, or a request without one): the checkpoints are read again
  await insights.current(now, 'state-2')
  expect(statements.length).toBeGreaterThan(looked)
  const again = statements.length
  await insights.current(now)
  expect(statements.length).toBeGreaterThan(again)
  // another day: computed again even for a state it has seen
  const tomorrow = new Date(Date.parse(now) + 86_400_000).toISOString()
  const before = insights.generation()
  await insights.current(tomorrow, 'state-2')
  expect(insights.generation()).toBe(before + 1)
})
