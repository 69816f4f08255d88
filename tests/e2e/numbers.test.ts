// Pages a channel team can trust (#15): charts with axes, values and empty states; every page naming and scoring a
// partner alike right after a change; the uploaded logo on the library's previews and the HTML co-brand.
import fs from 'node:fs'
import { logoPng } from './logo-png.ts'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { demoAssets } from '../../app/seed/enablement.server.ts'
import { approveDeal, publishAsset, registerDeal } from './fixtures.ts'
import { demoEmails, httpSession } from './http.ts'
import { serverAndBrowserForFile, signIn, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

/** screenshots to look at while working (not committed) */
const shots = process.env.NUMBERS_SHOTS
async function shot(page: Page, name: string) {
  if (!shots) return
  fs.mkdirSync(shots, { recursive: true })
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true })
}

/** a small real PNG, 60x30, teal and white */

async function newPage(email: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  await signIn(page, server.url, email)
  return { context, page }
}

/** the loaded width of every image the locator finds (0 for one the browser refused) */
async function loadedWidths(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((imgs: HTMLImageElement[]) => Promise.all(imgs.map((img) =>
    img.complete ? img.naturalWidth : new Promise<number>((resolve) => {
      img.addEventListener('load', () => resolve(img.naturalWidth), { once: true })
      img.addEventListener('error', () => resolve(0), { once: true })
    }))))
}

let cobrandAsset = ''
beforeAll(async () => {
  const vendor = await httpSession(server.url, demoEmails.channelManager)
  const a = demoAssets.find((x) => x.coBrandable && x.audience === 'thru_partner')!
  cobrandAsset = await publishAsset(vendor, {
    title: a.title, description: a.description, tags: a.tags.join(', '), audience: a.audience, assetType: a.assetType, product: a.product ?? '',
    language: a.language, coBrandable: 'on', minimumTier: '', requiredCertification: '', geographies: '',
  }, await a.file())
}, 120_000)

describe('numbers and names agree', () => {
  test('after a display-name change and approvals, the header, the partner list, the partner page and the dashboard agree', async () => {
    const maria = await httpSession(server.url, demoEmails.partnerA)
    const sam = await httpSession(server.url, demoEmails.channelManager)
    // every page seen once before the change
    const { context: vendorContext, page: vendor } = await newPage(demoEmails.channelManager)
    await vendor.goto(`${server.url}/vendor/partners`)
    await vendor.goto(`${server.url}/vendor/partners/northwind`)

    const { context, page } = await newPage(demoEmails.partnerA)
    await page.goto(`${server.url}/partner/team`)
    await page.getByLabel('Display name').fill('Northwind IT GmbH')
    await page.getByLabel('Contact person').fill('Maria Jensen')
    await page.getByLabel('Contact email').fill('partners@northwind.example')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.getByText('Co-branding profile for Northwind IT GmbH saved').waitFor()
    for (let i = 0; i < 2; i++) await approveDeal(sam, (await registerDeal(maria)).dealId)

    await vendor.goto(`${server.url}/vendor/partners`)
    const row = vendor.locator('tbody tr', { has: vendor.getByRole('link', { name: 'Northwind IT GmbH', exact: true }) })
    const cells = await row.locator('td').allTextContents()
    const listed = { score: cells[4]!.replace(/[▲▼]/g, '').trim(), trust: cells[5]!.trim(), lifetime: cells[6]!.trim() }
    await shot(vendor, 'partners-1280')

    await row.getByRole('link', { name: 'Northwind IT GmbH', exact: true }).click()
    await vendor.getByRole('heading', { level: 1, name: 'Northwind IT GmbH' }).waitFor()
    const figure = async (label: string) => (await vendor.locator('dl div', { has: vendor.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent())!.trim()
    expect((await figure('Composite score')).replace(/\s*\(#\d+\)$/, '')).toBe(listed.score)
    expect(await figure('Trust')).toBe(listed.trust)
    expect(await figure('Lifetime value')).toBe(listed.lifetime)
    await shot(vendor, 'partner-1280')

    // the partner's own dashboard and header
    await page.goto(`${server.url}/partner`)
    await expect.poll(() => page.locator('header').textContent()).toContain('Northwind IT GmbH')
    expect(await page.locator('#trust-title').locator('xpath=..').locator('span.text-3xl').textContent()).toMatch(new RegExp(`^${listed.trust}\\s*/ 100$`))
    expect(await page.locator('#score-title').locator('xpath=..').textContent()).toContain(`Composite ${listed.score}`)
    // each next step is said once: the journey card's needs are not repeated as next best actions
    const actions = await page.locator('h3', { hasText: 'Next best actions' }).locator('xpath=following-sibling::ul[1]/li').allTextContents()
    const needs = (await page.locator('section', { has: page.locator('#journey-title') }).textContent())!
    expect(new Set(actions).size).toBe(actions.length)
    for (const action of actions) expect(needs).not.toContain(action.split(' — ')[0]!)
    await shot(page, 'partner-home-1280')
    await context.close()
    await vendorContext.close()
  })
})

describe('charts a reader can check', () => {
  test('the program page: labelled axes, values, units, data tables, no pill for a zero, empty states that say what fills them', async () => {
    const { context, page } = await newPage(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/program`)
    const funnel = page.locator('section', { has: page.getByRole('heading', { name: 'Journey funnel' }) })
    // five phases with their counts, on an axis of partners
    for (const phase of ['Interest', 'Recruitment', 'Activation', 'Investment', 'Devotion']) await expect.poll(() => funnel.getByText(phase, { exact: true }).count()).toBeGreaterThan(0)
    expect(await funnel.textContent()).toContain('partners')
    const rows = funnel.locator('figure > ul > li')
    expect(await rows.count()).toBe(5)
    for (let i = 0; i < 5; i++) {
      const value = Number((await rows.nth(i).locator('span').last().textContent())!.replace(/,/g, ''))
      // a zero draws no bar at all
      expect(await rows.nth(i).locator('span.bg-brand-600').count()).toBe(value === 0 ? 0 : 1)
    }
    await funnel.getByText('Show data').click()
    expect(await funnel.locator('details table tbody tr').count()).toBe(5)
    // the pyramid names each level with its partners
    expect(await page.getByRole('img', { name: /Relationship pyramid, partners per level: Transactional \d+/ }).count()).toBe(1)
    // no quarter of pipeline or asset use in a fresh program: each chart says what would fill it
    const usage = page.locator('section', { has: page.getByRole('heading', { name: 'Asset use by tier' }) })
    expect(await usage.textContent()).toMatch(/views, downloads, co-branded copies and shares/)
    await shot(page, 'program-1280')
    await page.setViewportSize({ width: 390, height: 844 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(page, 'program-390')
    await context.close()
  })

  test("a partner's trust chart has a 0-100 axis, dates in business time and its values in a table", async () => {
    const { context, page } = await newPage(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/partners/contoso`)
    const trust = page.locator('section', { has: page.locator('#trust-title') })
    const figure = trust.locator('figure')
    for (const tick of ['0', '50', '100']) expect(await figure.locator('[aria-hidden="true"] span', { hasText: new RegExp(`^${tick}$`) }).count()).toBeGreaterThan(0)
    const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date())
    expect(await figure.locator('figcaption').textContent()).toContain(today)
    await figure.getByText('Show data').click()
    const first = await figure.locator('details tbody tr').first().locator('th').textContent()
    expect(first).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/)
    await shot(page, 'partner-contoso-1280')
    await context.close()
  })
})

describe('the co-brand shows the uploaded logo', () => {
  test('library previews and the HTML co-brand carry the logo the partner uploaded, the monogram only without one', async () => {
    const { context, page } = await newPage(demoEmails.partnerB)
    // before a logo: the monogram
    await page.goto(`${server.url}/partner/library`)
    expect(await page.locator('[role="img"][aria-label^="Preview:"] img').count()).toBe(0)

    await page.goto(`${server.url}/partner/team`)
    await page.getByLabel('Display name').fill('Contoso MSP')
    await page.getByLabel('Contact person').fill('Li Wei')
    await page.getByLabel('Contact email').fill('partners@contoso.example')
    await page.locator('#profile-primaryColor').fill('#0d6e64')
    await page.locator('#profile-secondaryColor').fill('#1e293b')
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logoPng(60, 30) })
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.getByText('Co-branding profile for Contoso MSP saved').waitFor()

    await page.goto(`${server.url}/partner/library`)
    const previews = '[role="img"][aria-label^="Preview:"] img'
    expect(await page.locator(previews).count()).toBeGreaterThan(0)
    for (const width of await loadedWidths(page, previews)) expect(width).toBe(60)
    await shot(page, 'library-1280')

    await page.goto(`${server.url}/partner/library/${cobrandAsset}`)
    for (const width of await loadedWidths(page, previews)) expect(width).toBe(60)
    await shot(page, 'asset-1280')

    const html = await page.goto(`${server.url}/partner/library/${cobrandAsset}/cobrand/html`)
    expect(html!.status()).toBe(200)
    const logo = page.locator('img.pl-logo')
    expect(await logo.count()).toBe(1)
    expect(await loadedWidths(page, 'img.pl-logo')).toEqual([60])
    expect(await page.locator('.pl-monogram').count()).toBe(0)
    await shot(page, 'cobrand-html')
    await context.close()
  })
})
