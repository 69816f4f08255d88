// The auditor's "as of" on two clocks with backdated events (PGlite, seeded demo): state as it happened vs as the
// vendor knew it, the timeline's backdated mark, its stated order (newest recorded first) and its paging.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { stateAsOf } from '../../app/audit.server.ts'
import { isBackdated } from '../../app/as-of.ts'
import { loader as rootLoader } from '../../app/root.tsx'
import { action as asOfAction } from '../../app/routes/audit/as-of.tsx'
import { loader as timelineLoader } from '../../app/routes/audit/timeline.tsx'
import type { AppServices } from '../../app/services.server.ts'
import type { DealDoc } from '../../projections/deals.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

const DAY = 86_400_000
let clockAt = new Date()
let services: AppServices
let opened: TestServices | undefined
let backdatedDeal: string
let freshDeal: string
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10)

beforeAll(async () => {
  opened = await openTestServices('as-of-clocks', { clock: () => clockAt })
  services = opened.services
  const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
  const register = (customerDomain: string) =>
    services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: customerDomain, customerDomain, value: 5000, currency: 'EUR', expectedCloseDate: '2099-12-31', items: [],
    })
  // happened four months ago, recorded now
  clockAt = new Date(Date.now() - 120 * DAY)
  backdatedDeal = (await register('backdated.example')).dealId
  clockAt = new Date()
  freshDeal = (await register('fresh.example')).dealId
})
afterAll(() => opened?.close())

/** a signed-in auditor: the session's cookie and CSRF token */
async function auditor() {
  const session = services.sessions.create()
  const csrf = randomUUID()
  session.set('userId', 'u-alex')
  session.set('csrf', csrf)
  session.set('signedInAt', new Date().toISOString())
  const cookie = (await services.sessions.commit(new Request('http://localhost/'), session)).split(';')[0]!
  return { cookie, csrf }
}

async function setAsOf(who: { cookie: string; csrf: string }, fields: Record<string, string>) {
  const request = new Request('http://localhost/audit/as-of', {
    method: 'POST', body: new URLSearchParams({ csrf: who.csrf, ...fields }),
    headers: { Cookie: who.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  return asOfAction({ request, context: { services }, params: {} } as never)
}

async function timeline(who: { cookie: string }, search = '') {
  const request = new Request(`http://localhost/audit${search}`, { headers: { Cookie: who.cookie } })
  return timelineLoader({ request, url: new URL(request.url), context: { services }, params: {} } as never)
}

const dealsOf = async (asOf: { date: string; clock: 'occurred' | 'recorded' }) =>
  [...((await stateAsOf(services, asOf)).get('deals')?.values() ?? [])].filter(Boolean) as DealDoc[]

describe('as of a date, on either clock', () => {
  test('as it happened shows the backdated deal two months ago; as the vendor knew it, nothing was recorded then', async () => {
    const date = daysAgo(60)
    const happened = (await dealsOf({ date, clock: 'occurred' })).map((d) => d.dealId)
    expect(happened).toContain(backdatedDeal)
    expect(happened).not.toContain(freshDeal)
    // the whole demo is recorded today, so the vendor knew none of it two months ago
    expect(await dealsOf({ date, clock: 'recorded' })).toEqual([])
    // by today both clocks know both deals
    const today = daysAgo(0)
    for (const clock of ['occurred', 'recorded'] as const) {
      expect((await dealsOf({ date: today, clock })).map((d) => d.dealId)).toEqual(expect.arrayContaining([backdatedDeal, freshDeal]))
    }
  })

  test('the session keeps the clock beside the date, the root hands both to the banner, and a wrong clock is a 400', async () => {
    const alex = await auditor()
    const response = (await setAsOf(alex, { date: daysAgo(60), clock: 'occurred' })) as Response
    expect(response.status).toBe(302)
    const rootData = async () => {
      const request = new Request('http://localhost/audit', { headers: { Cookie: alex.cookie } })
      const result = (await rootLoader({ request, context: { services }, params: {} } as never)) as { data: { asOf: unknown } }
      return result.data.asOf
    }
    expect(await rootData()).toEqual({ date: daysAgo(60), clock: 'occurred' })
    // a new date without a clock keeps the chosen clock; no choice at all means "as the vendor knew it"
    await setAsOf(alex, { date: daysAgo(30) })
    expect(await rootData()).toEqual({ date: daysAgo(30), clock: 'occurred' })
    const fresh = await auditor()
    await setAsOf(fresh, { date: daysAgo(30) })
    const request = new Request('http://localhost/audit', { headers: { Cookie: fresh.cookie } })
    expect(((await rootLoader({ request, context: { services }, params: {} } as never)) as { data: { asOf: unknown } }).data.asOf).toEqual({ date: daysAgo(30), clock: 'recorded' })
    await expect(setAsOf(alex, { date: daysAgo(30), clock: 'yesterday' })).rejects.toMatchObject({ init: { status: 400 } })
  })
})

describe('the timeline', () => {
  test('marks backdated events, and is newest recorded first as its label says, 50 a page, page after page', async () => {
    const alex = await auditor()
    const first = await timeline(alex)
    const backdated = first.events.find((e) => e.type === 'DealRegistered' && (e.data as { dealId: string }).dealId === backdatedDeal)!
    const fresh = first.events.find((e) => e.type === 'DealRegistered' && (e.data as { dealId: string }).dealId === freshDeal)!
    expect(backdated.backdated).toBe(true)
    expect(fresh.backdated).toBe(false)
    expect(Date.parse(backdated.recordedAt) - Date.parse(backdated.occurredAt)).toBeGreaterThan(100 * DAY)
    // newest recorded first: the fresh deal, recorded last, is on top, above the backdated one that happened earlier
    expect(first.events[0]!.eventId).toBe(fresh.eventId)
    expect(first.events.indexOf(fresh)).toBeLessThan(first.events.indexOf(backdated))

    // 50 events a page; the next page (before the last position shown) goes on exactly where this order stands
    expect(first.events).toHaveLength(50)
    expect(first.more).toBe(first.events[49]!.globalPosition)
    const pages = [first]
    while (pages.length < 3 && pages.at(-1)!.more) pages.push(await timeline(alex, `?before=${pages.at(-1)!.more}`))
    expect(pages[1]!.paged).toBe(true)
    const shown = pages.flatMap((p) => p.events)
    const cut = 25
    const shifted = await timeline(alex, `?before=${shown[cut - 1]!.globalPosition}`)
    expect(shifted.events.map((e) => e.eventId)).toEqual(shown.slice(cut, cut + 50).map((e) => e.eventId))
    // one order: log positions strictly down, recorded times never up, no event twice
    const positions = shown.map((e) => BigInt(e.globalPosition))
    for (let i = 1; i < shown.length; i++) {
      expect(positions[i]! < positions[i - 1]!).toBe(true)
      expect(shown[i]!.recordedAt <= shown[i - 1]!.recordedAt).toBe(true)
    }
    expect(new Set(shown.map((e) => e.eventId)).size).toBe(shown.length)
    // and the seed's history, recorded today but happened over a year, is backdated too: happened-time alone would not be this order
    expect(shown.some((e, i) => i > 0 && e.occurredAt > shown[i - 1]!.occurredAt)).toBe(true)
    expect(shown.filter((e) => e.backdated).length).toBeGreaterThan(10)
  })

  test('as of a date it holds the events of that date on the chosen clock', async () => {
    const alex = await auditor()
    await setAsOf(alex, { date: daysAgo(60), clock: 'occurred' })
    const happened = await timeline(alex)
    const ids = happened.events.map((e) => (e.data as { dealId?: string }).dealId)
    expect(ids).toContain(backdatedDeal)
    expect(ids).not.toContain(freshDeal)
    expect(happened.events.every((e) => e.occurredAt <= `${daysAgo(60)}T23:59:59.999Z`)).toBe(true)
    await setAsOf(alex, { date: daysAgo(60), clock: 'recorded' })
    expect((await timeline(alex)).events).toEqual([])
  })

  test('backdated means recorded more than a day after it happened', () => {
    expect(isBackdated({ occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-02T00:00:00.000Z' })).toBe(false)
    expect(isBackdated({ occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-02T00:00:00.001Z' })).toBe(true)
    expect(isBackdated({ occurredAt: '2026-03-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z' })).toBe(false)
  })
})
