// Every page of every role on a phone (390 px) through the real built server in Chromium: nothing scrolls sideways,
// nothing is cut off (nor at 1280 px), and search is one tap away. The pages come from the route config: a route
// added without a line here fails the first test.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fitOf, misfits } from './fit.ts'
import { allocateFunds } from './fixtures-funds.ts'
import { currentQuarter, daysFromNow, inviteColleague, publishAsset, registerDeal, unique, waitingClaim } from './fixtures.ts'
import { portalRoutes } from './fuzz-support.ts'
import { demoEmails, httpSession } from './http.ts'
import { axeViolations, launchBrowser, signIn, startServer, type RunningServer } from './support.ts'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

type Role = 'anonymous' | 'partnerUser' | 'partnerAdmin' | 'channelManager' | 'vendorAdmin' | 'auditor'
const partners: Role[] = ['partnerUser', 'partnerAdmin']
const vendors: Role[] = ['channelManager', 'vendorAdmin']
const signedIn: Role[] = [...partners, ...vendors, 'auditor']

/** the ids the detail pages are opened with, made through the server's own forms before the tests */
type Ids = { dealId: string; assetId: string; courseId: string; workshopId: string; surveyId: string; requestId: string; eventId: string; quarter: string }

type Visit = { roles: Role[]; paths: (ids: Ids) => string[] } | { skip: string }
const at = (roles: Role[], ...paths: ((ids: Ids) => string)[]): Visit => ({ roles, paths: (ids) => paths.map((p) => p(ids)) })
const fixed = (p: string) => () => p

/** Every route of the route config: the pages each role opens there, or why no page is measured. */
const pages: Record<string, Visit> = {
  '/': { skip: 'redirects to the role’s home page' },
  '/login': at(['anonymous'], fixed('/login')),
  '/logout': { skip: 'an action; its loader redirects' },
  // the search page itself and its answer to 'North' are measured by the phone's search test below
  '/search': at(signedIn, fixed('/search?q=Backup')),
  '/status': at(['anonymous'], fixed('/status')),
  '/partner': at(partners, fixed('/partner')),
  '/partner/deals': at(partners, fixed('/partner/deals')),
  '/partner/deals/new': at(partners, fixed('/partner/deals/new')),
  '/partner/deals/:dealId': at(partners, (ids) => `/partner/deals/${ids.dealId}`),
  '/vendor': at(vendors, fixed('/vendor')),
  '/vendor/deals': at(vendors, fixed('/vendor/deals')),
  '/vendor/deals/:dealId': at(vendors, (ids) => `/vendor/deals/${ids.dealId}`),
  '/vendor/accounts': at(vendors, fixed('/vendor/accounts')),
  '/vendor/partners': at([...vendors, 'auditor'], fixed('/vendor/partners')),
  '/vendor/partners/:partnerId': at([...vendors, 'auditor'], fixed('/vendor/partners/northwind')),
  '/vendor/partners/:partnerId/deals': at(vendors, fixed('/vendor/partners/northwind/deals')),
  '/vendor/program': at(vendors, fixed('/vendor/program')),
  '/audit': at(['auditor'], fixed('/audit')),
  '/audit/events/:eventId': at(['auditor'], (ids) => `/audit/events/${ids.eventId}`),
  '/audit/partners': at(['auditor'], fixed('/audit/partners')),
  '/audit/partners/:partnerId': at(['auditor'], fixed('/audit/partners/northwind')),
  '/audit/as-of': { skip: 'an action; its loader redirects to the timeline' },
  '/audit/verify': at(['auditor'], fixed('/audit/verify')),
  '/audit/export': at(['auditor'], fixed('/audit/export')),
  '/audit/export/download': { skip: 'a file download' },
  '/audit/public-key.pem': { skip: 'a PEM file' },
  '/apply': at(['anonymous'], fixed('/apply')),
  '/vendor/applications': at(vendors, fixed('/vendor/applications')),
  '/vendor/partners/:partnerId/admin': at(vendors, fixed('/vendor/partners/northwind/admin')),
  '/partner/team': at(partners, fixed('/partner/team')),
  '/logos/:partnerId/:sha256': { skip: 'an image' },
  '/vendor/settings': at(vendors, fixed('/vendor/settings')),
  '/vendor/staff': at(['vendorAdmin'], fixed('/vendor/staff')),
  '/vendor/what-if': at(['vendorAdmin'], fixed('/vendor/what-if')),
  '/vendor/people/:userId/erase': at(['vendorAdmin'], fixed('/vendor/people/u-li/erase')),
  '/partner/library': at(partners, fixed('/partner/library')),
  '/partner/library/:assetId': at(partners, (ids) => `/partner/library/${ids.assetId}`),
  '/partner/library/:assetId/download': { skip: 'a file download' },
  '/partner/library/:assetId/cobrand/:format': at(partners, (ids) => `/partner/library/${ids.assetId}/cobrand/html`),
  '/partner/training': at(partners, fixed('/partner/training')),
  '/partner/training/:courseId': at(partners, (ids) => `/partner/training/${ids.courseId}`),
  '/vendor/enablement': at(vendors, fixed('/vendor/enablement')),
  '/vendor/enablement/assets/new': at(vendors, fixed('/vendor/enablement/assets/new')),
  '/vendor/enablement/assets/:assetId': at(vendors, (ids) => `/vendor/enablement/assets/${ids.assetId}`),
  '/vendor/enablement/courses/new': at(vendors, fixed('/vendor/enablement/courses/new')),
  '/vendor/enablement/courses/:courseId': at(vendors, (ids) => `/vendor/enablement/courses/${ids.courseId}`),
  '/partner/collaborate': at(partners, fixed('/partner/collaborate')),
  '/partner/collaborate/workshops/new': at(partners, fixed('/partner/collaborate/workshops/new')),
  '/partner/collaborate/workshops/:workshopId': at(partners, (ids) => `/partner/collaborate/workshops/${ids.workshopId}`),
  '/partner/collaborate/surveys/:surveyId': at(partners, (ids) => `/partner/collaborate/surveys/${ids.surveyId}`),
  '/vendor/engagement': at([...vendors, 'auditor'], fixed('/vendor/engagement')),
  '/vendor/engagement/workshops/:workshopId': at([...vendors, 'auditor'], (ids) => `/vendor/engagement/workshops/${ids.workshopId}`),
  '/vendor/engagement/surveys/:surveyId': at([...vendors, 'auditor'], (ids) => `/vendor/engagement/surveys/${ids.surveyId}`),
  // Northwind has a plan (goals, commitments, reviews); Contoso has none (the form that creates one)
  '/vendor/engagement/plans/:partnerId': at([...vendors, 'auditor'], fixed('/vendor/engagement/plans/northwind'), fixed('/vendor/engagement/plans/contoso')),
  '/partner/funds': at(partners, fixed('/partner/funds')),
  '/partner/funds/new': at(partners, fixed('/partner/funds/new')),
  '/partner/funds/:requestId': at(partners, (ids) => `/partner/funds/${ids.requestId}`),
  '/vendor/funds': at([...vendors, 'auditor'], fixed('/vendor/funds')),
  '/vendor/funds/queue': at(vendors, fixed('/vendor/funds/queue')),
  '/vendor/funds/:requestId': at([...vendors, 'auditor'], (ids) => `/vendor/funds/${ids.requestId}`),
  '/funds/ledger/:partnerId/:quarter': at(signedIn, (ids) => `/funds/ledger/northwind/${ids.quarter}`),
  '/funds/evidence/:requestId/:sha256': { skip: 'a file download' },
}

/** FIT_SCREENSHOTS=<dir>: every page at 390 px is also saved there, to look at */
const shots = process.env.FIT_SCREENSHOTS
if (shots) fs.mkdirSync(shots, { recursive: true })

let server: RunningServer
let browser: Browser
let ids: Ids
const logins = {} as Record<Exclude<Role, 'anonymous'>, { email: string; password?: string }>
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const [maria, li, sam, alex] = await Promise.all([demoEmails.partnerA, demoEmails.partnerB, demoEmails.channelManager, demoEmails.auditor].map((e) => httpSession(server.url, e)))
  const colleague = await inviteColleague(maria!, { role: 'partner_user' })
  Object.assign(logins, {
    partnerUser: colleague, partnerAdmin: { email: demoEmails.partnerA }, channelManager: { email: demoEmails.channelManager },
    vendorAdmin: { email: demoEmails.vendorAdmin }, auditor: { email: demoEmails.auditor },
  })
  // data with long names and words, as real customers and campaigns have them
  const deal = await registerDeal(maria!, { customerName: unique('Krankenhausverwaltungsgesellschaft Nordrhein-Westfalen'), customerDomain: `kliniken-${randomUUID().slice(0, 8)}.example`, items: [
    { sku: 'CB-500-ENTERPRISE-UNLIMITED', name: 'Cloud Backup Enterprise with unlimited retention', quantity: 12 },
    { sku: 'DR-200', name: 'Disaster Recovery as a Service', quantity: 3 },
  ] })
  // Contoso registers the same customer: a conflict, shown beside each registration
  await registerDeal(li!, { customerName: deal.customerName, customerDomain: deal.customerDomain })
  const assetId = await publishAsset(sam!, {
    title: unique('Ransomware recovery playbook for Backup customers'), description: 'A step-by-step recovery plan customers can print and keep.', tags: 'incident response, backup',
    audience: 'thru_partner', assetType: 'white_paper', product: 'Cloud Backup', language: 'en', coBrandable: 'on',
  }, { filename: 'ransomware-recovery-playbook-for-healthcare-and-public-sector.html', bytes: new TextEncoder().encode('<h1>Playbook</h1><p>Step 1: isolate. {{partner.name}} is here to help.</p>') })
  await allocateFunds(sam!, 'northwind', 25000)
  const request = await waitingClaim(maria!, sam!, unique('Cloud Backup roadshow for Gesundheitseinrichtungen'))
  const workshopId = randomUUID()
  expect((await maria!.post('/partner/collaborate/workshops/new', { commandId: workshopId, kind: 'strategy', goal: unique('Agree a joint healthcare go-to-market'), attendees: 'Maria Jensen\nJonas Weber' })).status).toBe(302)
  expect((await sam!.post('/vendor/engagement', { intent: 'schedule', workshopId, date: daysFromNow(0) })).status).toBe(302)
  expect((await sam!.post(`/vendor/engagement/workshops/${workshopId}`, {
    intent: 'hold', alignedObjectives: 'Target 20 regional hospitals together\nJoint reference architecture for patient data backup', successMeasures: '5 qualified opportunities by Q2',
  })).status).toBe(302)
  const surveyId = randomUUID()
  expect((await sam!.post('/vendor/engagement', { intent: 'open-round', commandId: surveyId, topics: 'Ease of doing business\nMarketing support' })).status).toBe(302)
  expect((await li!.post(`/partner/collaborate/surveys/${surveyId}`, { commandId: randomUUID(), score0: '8', score1: '6', comment: 'More co-branded healthcare material, please.' })).status).toBe(302)
  expect((await sam!.post('/vendor/engagement/plans/northwind', {
    intent: 'create', commandId: randomUUID(), 'goals[0].description': 'Win ten hospital backup projects', 'goals[0].target': '10 deals', 'goals[0].dueDate': daysFromNow(180),
    'vendorCommitments[0]': 'Two co-funded events a year', 'partnerCommitments[0]': 'Three certified engineers',
  })).status).toBe(302)
  const training = await (await maria!.get('/partner/training')).text()
  const courseId = training.match(/href="\/partner\/training\/([^"/?#]+)"/)?.[1]
  const timeline = await (await alex!.get('/audit')).text()
  const eventId = timeline.match(/href="\/audit\/events\/([^"/?#]+)"/)?.[1]
  expect(courseId, 'a course on the training page').toBeDefined()
  expect(eventId, 'an event on the timeline').toBeDefined()
  ids = { dealId: deal.dealId, assetId, courseId: courseId!, workshopId, surveyId, requestId: request.coInvestmentId, eventId: eventId!, quarter: currentQuarter() }
})

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await browser?.close()
  await server?.stop()
})

const signedInPages = new Map<string, Promise<Page>>()

/**
 * A page in a browser context of its own, signed in as the role (once per role: the tests of a role share it). The
 * sweep measures the server's pages without JavaScript, which lay out as the hydrated ones (the portal works without
 * it) at a fraction of the time; the tests of the header and the journey run with it.
 */
function pageAs(role: Role, javaScriptEnabled = true): Promise<Page> {
  const key = `${role} ${javaScriptEnabled}`
  if (!signedInPages.has(key)) {
    signedInPages.set(key, (async () => {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled })
      contexts.push(context)
      const page = await context.newPage()
      if (role !== 'anonymous') await signIn(page, server.url, logins[role].email, logins[role].password)
      return page
    })())
  }
  return signedInPages.get(key)!
}

/** the paths measured at 1280 px already: a page two roles share (a partner's user and admin) is measured once there */
const measuredWide = new Set<string>()

test('the list of measured pages names every route of the route config, and only those', () => {
  const routes = portalRoutes().map((r) => r.pattern).sort()
  expect(Object.keys(pages).sort()).toEqual(routes)
})

describe.each(['anonymous', ...signedIn] as Role[])('as %s', (role) => {
  test('every page fits 390 px without sideways scrolling, and nothing is cut off at 390 or 1280 px', async () => {
    const page = await pageAs(role, false)
    const problems: string[] = []
    const visited: string[] = []
    for (const [pattern, visit] of Object.entries(pages)) {
      if ('skip' in visit || !visit.roles.includes(role)) continue
      for (const target of visit.paths(ids)) {
        await page.setViewportSize(PHONE)
        const response = await page.goto(`${server.url}${target}`)
        expect(response?.status(), `${role} opens ${target} (${pattern})`).toBe(200)
        visited.push(target)
        if (shots) await page.screenshot({ path: path.join(shots, `${role}${target.replace(/[^\w-]+/g, '_')}.png`.slice(0, 150)), fullPage: true })
        problems.push(...misfits(`${target} at 390 px`, await fitOf(page)))
        if (measuredWide.has(target)) continue
        measuredWide.add(target)
        await page.setViewportSize(DESKTOP)
        problems.push(...misfits(`${target} at 1280 px`, await fitOf(page)))
      }
    }
    expect(visited.length, `pages ${role} can reach`).toBeGreaterThan(0)
    expect(problems).toEqual([])
  }, 150_000)
})

/** the element's box lies within the viewport's width and shows all of its content */
async function wholeInView(page: Page, locator: ReturnType<Page['locator']>, what: string) {
  await expect.poll(() => locator.isVisible(), { message: `${what} is visible` }).toBe(true)
  const box = (await locator.boundingBox())!
  expect(box.x, `${what} starts inside the viewport`).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width, `${what} ends inside the viewport`).toBeLessThanOrEqual(PHONE.width)
  const cut = await locator.evaluate((el) => el.scrollWidth > el.clientWidth + 1)
  expect(cut, `${what} shows all of its content`).toBe(false)
}

describe.each(signedIn)('on a phone as %s', (role) => {
  test('the header shows the logo, the menu and Sign out whole; the menu leads to every section; search is one tap away', async () => {
    const page = await pageAs(role)
    await page.setViewportSize(PHONE)
    await page.goto(`${server.url}/`)
    const header = page.locator('header').first()
    await wholeInView(page, header.locator('a[href="/"]'), 'the logo')
    await wholeInView(page, header.getByRole('button', { name: 'Sign out', exact: true }), 'Sign out')
    const menu = header.locator('summary[aria-label^="Menu"]')
    await wholeInView(page, menu, 'the menu button')
    // the vendor's queues hold the deal and the claim made for these tests: the closed menu says so
    expect(await menu.getAttribute('aria-label')).toMatch(vendors.includes(role) ? /^Menu, \d+ waiting$/ : /^Menu$/)
    // the menu opens the role's sections; following one closes it
    await menu.click()
    const nav = header.getByRole('navigation', { name: 'Main' })
    await expect.poll(() => nav.isVisible()).toBe(true)
    const links = nav.getByRole('link')
    expect(await links.count(), 'sections in the menu').toBeGreaterThanOrEqual(4)
    expect(await axeViolations(page), 'axe with the menu open').toEqual([])
    for (let i = 0; i < (await links.count()); i++) await wholeInView(page, links.nth(i), `menu item ${await links.nth(i).textContent()}`)
    const second = links.nth(1)
    const target = await second.getAttribute('href')
    await second.click()
    await page.waitForURL((url) => url.pathname === target)
    await expect.poll(() => nav.isVisible(), { message: 'the menu closes on the new page' }).toBe(false)
    expect((await fitOf(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width)
    // search: one tap on the header's search opens the search field, ready to type in
    const search = header.getByRole('link', { name: 'Search' })
    await wholeInView(page, search, 'the search button')
    await search.click()
    await page.waitForURL((url) => url.pathname === '/search')
    const field = page.getByRole('searchbox', { name: 'Search for' }).and(page.locator(':focus'))
    await expect.poll(() => field.count(), { message: 'the search field has the focus' }).toBe(1)
    expect(misfits('/search', await fitOf(page))).toEqual([])
    await page.keyboard.type('North')
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'North')
    expect(misfits('/search?q=North', await fitOf(page))).toEqual([])
  })
})

test('on a phone the journey names every step in full', async () => {
  for (const [role, target] of [['partnerAdmin', '/partner'], ['channelManager', '/vendor/partners/northwind']] as const) {
    const page = await pageAs(role)
    await page.setViewportSize(PHONE)
    await page.goto(`${server.url}${target}`)
    const labels = page.locator('ol[aria-label^="Journey phase"] > li > span:last-child')
    expect(await labels.allTextContents(), `${target} as ${role}`).toEqual(['Interest', 'Recruitment', 'Activation', 'Investment', 'Devotion'])
    for (let i = 0; i < 5; i++) await wholeInView(page, labels.nth(i), `${target}: the journey's label ${i + 1}`)
    const box = (await labels.nth(1).boundingBox())!
    expect(box.width, 'a label is not visually hidden').toBeGreaterThan(20)
  }
})
