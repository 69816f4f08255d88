// The demo program: a believable history (60+ partners over two years, in the order it happened, through the
// deciders), the same every time for a clock, and on a real store every chart has something in each bar.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runDueWork } from '../../app/scheduler.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { createStory, planStory, runStory } from '../../app/seed/demo/story.ts'
import { demoAssets } from '../../app/seed/enablement.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import type { GeneratedEvent } from '../../app/seed/history/generator.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

const NOW = new Date('2026-12-07T12:00:00.000Z')
const DAY = 86_400_000
const file = { sha256: 'a'.repeat(64), size: 100, filename: 'file.pdf', contentType: 'application/pdf' }

function history(now = NOW): GeneratedEvent[] {
  const story = createStory(now, { assets: new Map(demoAssets.map((a) => [a.assetId, file])), invoice: file })
  planStory(story)
  runStory(story)
  return story.h.take()
}
const data = (e: GeneratedEvent) => e.event.data as Record<string, unknown>

describe('the demo history', () => {
  const events = history()
  const of = (type: string) => events.filter((e) => e.event.type === type)

  test('is the same every time for the same clock', () => {
    const digest = (list: GeneratedEvent[]) => createHash('sha256').update(JSON.stringify(list)).digest('hex')
    expect(digest(history())).toBe(digest(events))
    expect(digest(history(new Date(NOW.getTime() + DAY)))).not.toBe(digest(events))
  })

  test('has at least 60 partners of every type, tier, region and segment, over more than two years, in the order it happened', () => {
    const applied = of('PartnerApplied').map(data)
    expect(applied.length).toBeGreaterThanOrEqual(60)
    expect(new Set(applied.map((a) => a.partnerType))).toEqual(new Set(['reseller', 'msp', 'var', 'referral']))
    expect(new Set(applied.flatMap((a) => a.geographies as string[])).size).toBeGreaterThanOrEqual(10)
    expect(new Set(applied.flatMap((a) => a.segments as string[])).size).toBeGreaterThanOrEqual(5)
    expect([...new Set(of('TierChanged').map((e) => data(e).to))]).toEqual(expect.arrayContaining(['silver', 'gold', 'platinum']))
    const times = events.map((e) => Date.parse(e.event.metadata.occurredAt))
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true)
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(730 * DAY)
    expect(times.at(-1)!).toBeLessThan(NOW.getTime())
  })

  test('names the applicant as the actor of each application, and has readable names', () => {
    for (const e of of('PartnerApplied')) {
      const applicant = data(e).applicant as { userId: string; name: string; email: string }
      expect(e.event.metadata.actor).toBe(applicant.userId)
      expect(e.event.metadata.tenant).toBe(data(e).partnerId)
      expect(applicant.name).toMatch(/^\p{Lu}\p{Ll}+ (de )?\p{Lu}[\p{L}-]+$/u)
      expect(data(e).websiteDomain).toMatch(/^[a-z-]+\.example$/)
    }
  })

  // the guide and the browser tests name them: Northwind gold (it sees the gold battlecard), Contoso silver. Before,
  // Contoso's review followed its draws, and on about half of the days (2026-12-08 among them) it was gold.
  test('keeps its cast at their tiers whatever the clock: Northwind gold, Contoso silver', () => {
    const tierOf = (list: GeneratedEvent[], partnerId: string) =>
      list.filter((e) => ['PartnerApproved', 'TierChanged'].includes(e.event.type) && data(e).partnerId === partnerId).map((e) => data(e).tier ?? data(e).to).at(-1)
    for (let day = 0; day < 360; day += 15) {
      const list = day === 0 ? events : history(new Date(NOW.getTime() + day * DAY))
      expect([day, tierOf(list, 'northwind'), tierOf(list, 'contoso')]).toEqual([day, 'gold', 'silver'])
    }
  })

  test('has at least four channel managers, and partners reassigned from one to another', () => {
    const managers = of('StaffMemberAdded').filter((e) => data(e).role === 'channel_manager')
    expect(managers.length).toBeGreaterThanOrEqual(4)
    const reassigned = of('ChannelManagerAssigned').filter((e) => data(e).previousManagerId)
    expect(reassigned.map((e) => data(e).partnerId)).toContain('contoso')
    expect(new Set(of('ChannelManagerAssigned').map((e) => data(e).managerId)).size).toBeGreaterThanOrEqual(4)
  })

  test('spreads deals, claims, workshops, surveys, plans, certifications, asset use and fund requests over the two years', () => {
    const years = (type: string) => new Set(of(type).map((e) => e.event.metadata.occurredAt.slice(0, 4)))
    for (const type of ['DealRegistered', 'DealWon', 'ClaimSubmitted', 'WorkshopHeld', 'SurveyAnswered', 'PlanReviewed', 'CertificationEarned', 'AssetViewed', 'CoInvestmentRequested'])
      expect(years(type).size, type).toBeGreaterThanOrEqual(2)
  })
})

describe('the demo seeded on a store', () => {
  let opened: TestServices | undefined
  let services: AppServices
  beforeAll(async () => {
    opened = await openTestServices('seed-demo', { seed: false, clock: () => NOW })
    services = opened.services
    expect(await seedDemo(services, 'demo')).toBe(true)
  }, 300_000)
  afterAll(() => opened?.close())

  const count = async () => {
    let n = 0
    for await (const _ of services.store.readAll()) n++
    return n
  }

  test('every journey phase and pyramid stage has partners, and the scorecard ranks sixty', async () => {
    const insights = await services.queries.insights.current(NOW.toISOString())
    const program = insights.program()
    for (const [phase, partners] of Object.entries(program.funnel)) expect(partners, phase).toBeGreaterThan(0)
    expect(program.pyramid.levels.map((l) => l.partners).every((n) => n > 0)).toBe(true)
    expect(insights.table().length).toBeGreaterThanOrEqual(55)
    const northwind = (await services.queries.insights.partner('northwind', NOW.toISOString()))!
    const drops = northwind.trust!.drops ?? []
    expect(drops.length).toBeGreaterThan(0)
  })

  test("leaves the scheduler nothing to do: what fell due in the history happened at its time", async () => {
    const before = await count()
    expect(await runDueWork(services)).toBe(0)
    expect(await count()).toBe(before)
  })

  test('is stored in the order it happened, and seeding again adds nothing', async () => {
    let previous = ''
    for await (const event of services.store.readAll()) {
      expect(event.metadata.occurredAt >= previous).toBe(true)
      previous = event.metadata.occurredAt
    }
    const before = await count()
    expect(await seedDemo(services, 'demo')).toBe(false)
    expect(await count()).toBe(before)
  })
})
