// Global search by role and the vendor's Queues page, through the real built server: each role finds what it may see
// (and a partner never another partner's records), the Queues page shows the seeded Contoso claim and new
// registrations, and a deal approved from /vendor is named in the confirmation. Each test registers what it looks for
// (with a word of its own, so counts are its own) and clears the queues it needs short.
import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { approveWaitingClaims, registerDeal, rejectWaitingDeals, rejectWaitingRequests, requestCoInvestment, unique, waitingClaim } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { axeViolations, launchBrowser, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
const sessions = {} as Record<keyof typeof demoEmails, HttpSession>

const seededClaim = 'Cloud Backup webinar series for UK SMBs'
const seededClaimId = '5eed0000-0000-4000-8000-00000000c0c1'

/**
 * Both partners register a customer with the same word in its name, so a leak would show, and Contoso asks for
 * co-investment named with it too. The word is this call's own ("zephyr" and a random tail): counts are of its records.
 */
async function zephyrs() {
  const word = `zephyr${randomUUID().slice(0, 6)}`
  const name = `Z${word.slice(1)}`
  const northwindDeal = await registerDeal(sessions.partnerA, { customerName: `${name} Manufacturing GmbH` })
  const contosoDeal = await registerDeal(sessions.partnerB, { customerName: `${name} Legal LLP` })
  const { activity: contosoRequest } = await requestCoInvestment(sessions.partnerB, `${name} partner summit stand`)
  return { word, northwindDeal, contosoDeal, contosoRequest }
}

/** Contoso registers `count` deals, numbered from 0 (the newest is the last) */
async function contosoDeals(prefix: string, count: number) {
  for (let i = 0; i < count; i++) await registerDeal(sessions.partnerB, { customerName: `${prefix} ${i}` })
}

async function searchHtml(session: HttpSession, q: string) {
  const response = await session.get(`/search?q=${encodeURIComponent(q)}`)
  expect(response.status).toBe(200)
  return response.text()
}

/** the result groups of a search page: group label -> titles and links */
function groups(html: string) {
  const found: Record<string, { total: number; links: string[]; text: string }> = {}
  html = html.replaceAll("<!-- -->", "")
  for (const section of html.matchAll(/<section id="group-([\w-]+)"[^>]*>([\s\S]*?)<\/section>/g)) {
    const body = section[2]!
    const total = Number(body.match(/\((?:\d+ of )?(\d+)\)/)?.[1] ?? 0)
    found[section[1]!] = { total, links: [...body.matchAll(/<a[^>]*href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')), text: body.replace(/<[^>]+>/g, ' ') }
  }
  return found
}

beforeAll(async () => {
  server = await startServer({ SEED: 'demo' })
  browser = await launchBrowser()
  for (const key of Object.keys(demoEmails) as (keyof typeof demoEmails)[]) sessions[key] = await httpSession(server.url, demoEmails[key])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function as(email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options })
  const page = await context.newPage()
  await signIn(page, server.url, email)
  return { page, close: () => context.close() }
}

/** the number on the Queues item of the navigation */
async function waitingBadge(page: Page) {
  const label = await page.locator('nav[aria-label="Sections"] [aria-label$=" waiting"]').getAttribute('aria-label')
  return Number(label?.split(' ')[0])
}

async function expectNoAxeViolations(page: Page) {
  expect(await axeViolations(page), page.url()).toEqual([])
}

describe('global search', () => {
  test('a partner finds their own deal, never the other partner’s, with the query echoed', async () => {
    const { word, northwindDeal, contosoDeal, contosoRequest } = await zephyrs()
    const northwind = groups(await searchHtml(sessions.partnerA, word))
    expect(northwind.deals?.text).toContain(northwindDeal.customerName)
    expect(northwind.deals?.total).toBe(1)
    expect(northwind.deals?.links).toEqual([expect.stringMatching(/^\/partner\/deals\/[0-9a-f-]{36}$/)])
    const northwindHtml = await searchHtml(sessions.partnerA, word)
    expect(northwindHtml).not.toContain(contosoDeal.customerName)
    expect(northwindHtml).not.toContain(contosoRequest)
    expect(northwindHtml).toMatch(new RegExp(`<input[^>]*name="q"[^>]*value="${word}"`))

    const contosoHtml = await searchHtml(sessions.partnerB, word)
    const contoso = groups(contosoHtml)
    expect(contoso.deals?.text).toContain(contosoDeal.customerName)
    expect(contoso.funds?.text).toContain(contosoRequest)
    expect(contosoHtml).not.toContain(northwindDeal.customerName)
  })

  test('a partner sees only the assets the audience rules allow, courses, and their own workshops and requests', async () => {
    // the DACH deck is for DE/AT/CH partners (Northwind), the Leeds case study for UK/IE partners (Contoso)
    expect(groups(await searchHtml(sessions.partnerA, 'schulungsfolien')).assets?.links).toEqual(['/partner/library/dach-training-deck'])
    expect(groups(await searchHtml(sessions.partnerB, 'schulungsfolien')).assets).toBeUndefined()
    expect(groups(await searchHtml(sessions.partnerB, 'leeds')).assets?.links).toEqual(['/partner/library/uk-smb-case-study'])
    expect(groups(await searchHtml(sessions.partnerA, 'leeds')).assets).toBeUndefined()
    // the gold battlecard needs the gold tier: Northwind is gold in the demo, Contoso silver
    expect(await searchHtml(sessions.partnerA, 'battlecard')).toContain('gold-competitive-battlecard')
    expect(await searchHtml(sessions.partnerB, 'battlecard')).not.toContain('gold-competitive-battlecard')

    const courses = groups(await searchHtml(sessions.partnerA, 'firewall')).courses
    expect(courses?.links).toContain('/partner/training/edge-firewall-professional')

    // Northwind's workshops are Northwind's; Contoso's co-investment is Contoso's
    const northwindBackup = groups(await searchHtml(sessions.partnerA, 'managed-backup'))
    expect(northwindBackup.workshops?.total).toBe(1)
    expect(northwindBackup.workshops?.links[0]).toMatch(/^\/partner\/collaborate\/workshops\//)
    expect(groups(await searchHtml(sessions.partnerB, 'managed-backup')).workshops).toBeUndefined()
    expect(groups(await searchHtml(sessions.partnerB, 'webinar')).funds?.links).toEqual([`/partner/funds/${seededClaimId}`])
    expect(groups(await searchHtml(sessions.partnerA, 'webinar')).funds).toBeUndefined()

    // no partners group, and LIKE wildcards are taken literally
    expect(groups(await searchHtml(sessions.partnerA, 'contoso')).partners).toBeUndefined()
    for (const q of ['%', '_', '\\']) expect(Object.keys(groups(await searchHtml(sessions.partnerA, q)))).toEqual([])
  })

  test('the vendor finds deals of every partner, partners, co-investment, assets and courses, each linked to its vendor page', async () => {
    const { word, northwindDeal, contosoDeal } = await zephyrs()
    const zephyr = groups(await searchHtml(sessions.channelManager, word))
    expect(zephyr.deals?.total).toBe(2)
    expect(zephyr.deals?.text).toContain(northwindDeal.customerName)
    expect(zephyr.deals?.text).toContain(contosoDeal.customerName)
    expect(zephyr.deals?.links).toEqual(['/vendor/deals', '/vendor/deals'])
    expect(zephyr.funds?.links).toEqual([expect.stringMatching(/^\/vendor\/funds\/[0-9a-f-]{36}$/)])

    expect(groups(await searchHtml(sessions.channelManager, 'contoso')).partners?.links).toEqual(['/vendor/partners/contoso'])
    expect(groups(await searchHtml(sessions.channelManager, 'webinar')).funds?.links).toEqual([`/vendor/funds/${seededClaimId}`])
    const ransomware = groups(await searchHtml(sessions.vendorAdmin, 'ransomware'))
    // the vendor sees every asset, whatever its audience rules
    expect(ransomware.assets?.links).toContain('/vendor/enablement/assets/edge-firewall-demo-script')
    expect(ransomware.courses?.text).toContain('Ransomware Readiness Specialist')
    expect(groups(await searchHtml(sessions.channelManager, 'leeds')).assets?.links).toEqual(['/vendor/enablement/assets/uk-smb-case-study'])
  })

  test('the auditor finds partners and event types, and no deals', async () => {
    const { word } = await zephyrs()
    const contoso = groups(await searchHtml(sessions.auditor, 'contoso'))
    expect(contoso.partners?.links).toEqual(['/audit/partners/contoso'])
    expect(contoso.deals).toBeUndefined()
    const events = groups(await searchHtml(sessions.auditor, 'DealRegistered')).events
    expect(events?.links).toEqual(['/audit?type=DealRegistered'])
    // the demo seed registers deals too; ours are two more
    expect(Number(events?.text.match(/(\d+) events? of this type/)?.[1])).toBeGreaterThanOrEqual(2)
    expect(groups(await searchHtml(sessions.auditor, word)).deals).toBeUndefined()
  })

  test('search works without JavaScript, has an empty state with hints, and passes axe', async () => {
    const { page, close } = await as(demoEmails.partnerA, { javaScriptEnabled: false })
    await page.goto(`${server.url}/search`)
    expect(await page.textContent('main')).toContain('What are you looking for?')
    await page.getByLabel('Search for').fill('nothing-like-this')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=nothing-like-this/)
    expect(await page.textContent('main')).toContain('Nothing matches “nothing-like-this”')
    expect(await page.getByLabel('Search for').inputValue()).toBe('nothing-like-this')
    await page.getByRole('link', { name: 'ransomware' }).click()
    await page.waitForURL(/q=ransomware/)
    expect(await page.getByRole('heading', { name: /Library/ }).count()).toBe(1)
    await close()

    const vendor = await as(demoEmails.channelManager)
    await vendor.page.goto(`${server.url}/`)
    await vendor.page.locator('#global-search').fill('backup')
    await vendor.page.locator('#global-search').press('Enter')
    await vendor.page.waitForURL(/\/search\?q=backup/)
    await vendor.page.waitForSelector('#group-assets')
    expect(await vendor.page.getByLabel('Search for').inputValue()).toBe('backup')
    await expectNoAxeViolations(vendor.page)
    await screenshot(vendor.page, 'search')
    await vendor.close()
  })
})

describe('the vendor’s Queues page', () => {
  test('shows the three queues with a Contoso claim and the new registrations, and counts them in the navigation', async () => {
    // the page shows the oldest few of each queue: the deals and requests queues hold only this test's
    await rejectWaitingDeals(sessions.channelManager)
    await rejectWaitingRequests(sessions.channelManager)
    const { northwindDeal, contosoDeal, contosoRequest } = await zephyrs()
    const claim = await waitingClaim(sessions.partnerB, sessions.channelManager, unique('Queues page claim'))
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor`)
    const deals = page.locator('section[aria-labelledby="deals-title"]')
    const requests = page.locator('section[aria-labelledby="requests-title"]')
    const claims = page.locator('section[aria-labelledby="claims-title"]')
    expect(await deals.textContent()).toContain(northwindDeal.customerName)
    expect(await deals.textContent()).toContain(contosoDeal.customerName)
    expect(await requests.textContent()).toContain(contosoRequest)
    expect(await claims.textContent()).toContain(claim.activity)
    expect(await claims.textContent()).toContain('Contoso MSP')
    // the navigation badge counts what the three queues hold
    const cards = await page.locator('section[aria-label="Summary"] .text-3xl').allTextContents()
    expect(cards.map(Number)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)])
    expect(cards.map(Number)[0]).toBeGreaterThanOrEqual(2)
    expect(await waitingBadge(page)).toBe(cards.map(Number).reduce((a, b) => a + b, 0))
    expect(await page.getByRole('link', { name: /^Open the deal queue \(\d+\)$/ }).getAttribute('href')).toBe('/vendor/deals')
    await expectNoAxeViolations(page)
    await screenshot(page, 'vendor-queues')
    await close()
  })

  test('approving a deal from /vendor runs the deal queue’s action and names the deal', async () => {
    await rejectWaitingDeals(sessions.channelManager)
    const { word, northwindDeal, contosoDeal } = await zephyrs()
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor`)
    const before = await waitingBadge(page)
    await page.getByRole('button', { name: `Approve ${northwindDeal.customerName}` }).click()
    await page.waitForSelector(`text=Deal for ${northwindDeal.customerName} approved`)
    expect(new URL(page.url()).pathname).toBe('/vendor') // back where the decision was taken
    await page.goto(`${server.url}/vendor`)
    const deals = await page.locator('section[aria-labelledby="deals-title"]').textContent()
    expect(deals).not.toContain(northwindDeal.customerName)
    expect(deals).toContain(contosoDeal.customerName)
    expect(await waitingBadge(page)).toBe(before - 1)
    // the partner sees the decision
    const deal = groups(await searchHtml(sessions.partnerA, word)).deals
    expect(deal?.text).toContain('Approved')
    await close()
  })

  test('approving the seeded claim from /vendor names it, and the empty claims queue says what would appear', async () => {
    // the seeded claim is the only one waiting
    await approveWaitingClaims(sessions.vendorAdmin, [seededClaimId])
    const { page, close } = await as(demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor`)
    await page.getByRole('button', { name: `Approve claim for ${seededClaim}` }).click()
    await page.waitForSelector(`text=Claim for “${seededClaim}” approved`)
    expect(new URL(page.url()).pathname).toBe('/vendor')
    await page.goto(`${server.url}/vendor`)
    expect(await page.locator('section[aria-labelledby="claims-title"]').textContent()).toContain('No claims waiting')
    await expectNoAxeViolations(page)
    await close()
  })

  test('queue pages refuse a page that is not a page number, and send one past the end to the last page', async () => {
    // one page of waiting deals
    await rejectWaitingDeals(sessions.channelManager)
    const waiting = await registerDeal(sessions.partnerB)
    for (const path of ['/vendor/deals?page=abc', '/vendor/funds/queue?claims=0', '/vendor/engagement?workshops=-1']) {
      const response = await sessions.channelManager.get(path)
      expect(response.status, path).toBe(400)
      expect(await response.text(), path).toContain('is not a page of this list')
    }
    const past = await sessions.channelManager.get('/vendor/deals?page=999')
    expect(past.status).toBe(302)
    expect(past.headers.get('Location')).toBe('/vendor/deals?page=1')
    const last = await sessions.channelManager.get('/vendor/deals?page=1')
    expect(await last.text()).toContain(waiting.customerName)
    // each list of a page on its own: only the list past its end moves
    const queues = await sessions.channelManager.get('/vendor/funds/queue?requests=1&claims=500')
    expect(queues.status).toBe(302)
    expect(queues.headers.get('Location')).toBe('/vendor/funds/queue?requests=1&claims=1')
  })

  test('a deal queue longer than a page: the pager gives the range and the total, pages without JavaScript, and a decision on page 2 comes back to page 2', async () => {
    await contosoDeals('Pager customer', 55)
    const { page, close } = await as(demoEmails.channelManager, { javaScriptEnabled: false })
    await page.goto(`${server.url}/vendor/deals`)
    const pager = page.getByRole('navigation', { name: /pages/ })
    const range = (text: string | null) => text?.replace(/\s+/g, ' ').match(/Showing (\d+)–(\d+) of (\d+)/)?.slice(1).map(Number)
    const [from1, to1, total] = range(await pager.textContent()) as [number, number, number]
    expect([from1, to1]).toEqual([1, 50])
    expect(total).toBeGreaterThanOrEqual(55)
    await pager.getByRole('link', { name: /Next/ }).click()
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')
    // the second page ends at the 100th, or at the last when fewer wait
    expect(range(await pager.textContent())).toEqual([51, Math.min(100, total), total])
    // the oldest on page 2 is the 51st waiting; approving it comes back to page 2, one shorter
    const first = (await page.locator('tbody tr td:nth-child(2) .font-medium').first().textContent())!
    await page.getByRole('button', { name: `Approve ${first}` }).click()
    await page.waitForSelector(`text=Deal for ${first} approved`)
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')
    expect(range(await pager.textContent())).toEqual([51, Math.min(100, total - 1), total - 1])
    await pager.getByRole('link', { name: /Previous/ }).click()
    expect(new URL(page.url()).searchParams.get('page')).toBeNull()
    await close()
    // axe needs the page's scripts: the second page with them
    const withScripts = await as(demoEmails.channelManager)
    await withScripts.page.goto(`${server.url}/vendor/deals?page=2`)
    await expectNoAxeViolations(withScripts.page)
    await withScripts.close()
  })

  test('the partner story leads from its newest 10 deals to all of them, a page at a time; vendor staff only', async () => {
    // more than a page of deals, whatever else Contoso has
    await contosoDeals('Story customer', 51)
    const northwindDeal = await registerDeal(sessions.partnerA)
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/partners/contoso`)
    await page.getByRole('link', { name: /^The newest 10 of \d+: all deals$/ }).click()
    // a client-side navigation: the address changes before the new page has rendered, so wait for its heading
    await page.getByRole('heading', { level: 1, name: 'Deals of Contoso MSP' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/vendor/partners/contoso/deals')
    expect(await page.locator('tbody tr').first().textContent()).toContain('Story customer 50')
    expect(await page.getByRole('navigation', { name: 'Deal pages' }).textContent()).toMatch(/Showing 1–50 of \d+/)
    expect(await page.textContent('main')).not.toContain(northwindDeal.customerName)
    await expectNoAxeViolations(page)
    await close()
    expect((await sessions.partnerB.get('/vendor/partners/contoso/deals')).status).toBe(403)
    expect((await sessions.auditor.get('/vendor/partners/contoso/deals')).status).toBe(403)
    expect((await sessions.channelManager.get('/vendor/partners/no-such-partner/deals')).status).toBe(404)
  })

  test('the Queues page is the vendor’s only', async () => {
    for (const who of ['partnerA', 'auditor'] as const) expect((await sessions[who].get('/vendor')).status).toBe(403)
  })
})
