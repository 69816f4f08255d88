// Enablement through the real built server: the vendor publishes assets with file uploads, a partner finds one by
// full-text search, opens, downloads and co-brands it (HTML and PDF), a partner outside the audience gets 404, the
// auditor sees the use events (courses and their assessments: enablement-training.test.ts). Pages pass axe.
// Each test publishes the assets it uses through fixtures, so any one runs alone.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoAssets, demoHtml } from '../../app/seed/enablement.server.ts'
import { publishAsset } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { injectAxe, launchBrowser, root, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
let vendor: HttpSession

/** a word of letters only that no other asset carries, so a search for it finds one asset */
const uniqueWord = (prefix: string) => prefix + [...randomUUID().slice(0, 8)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('')

/** The co-brandable ransomware playbook (HTML, for every partner), tagged with `tag` too; returns its path in the partner library. */
async function publishPlaybook(tag: string) {
  const assetId = await publishAsset(vendor, {
    title: 'Ransomware recovery playbook', description: 'A step-by-step recovery plan customers can print and keep.', tags: `incident response, ${tag}`,
    audience: 'thru_partner', assetType: 'white_paper', product: 'Cloud Backup', language: 'en', coBrandable: 'on',
  }, { filename: 'playbook.html', bytes: demoHtml('Ransomware recovery playbook', '<p>Step 1: isolate. {{partner.name}} is here to help.</p>') })
  return `/partner/library/${assetId}`
}

async function axe(page: Page) {
  await injectAxe(page)
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run())
  expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`).join('\n')).toBe('')
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  vendor = await httpSession(server.url, demoEmails.channelManager)
  // a realistic library: the demo assets, published over HTTP with their files
  for (const a of demoAssets) {
    const r = a.audienceRules
    await publishAsset(vendor, {
      title: a.title, description: a.description, tags: a.tags.join(', '), audience: a.audience, assetType: a.assetType, product: a.product ?? '',
      language: a.language, ...(a.coBrandable ? { coBrandable: 'on' } : {}), minimumTier: r.minimumTier ?? '', requiredCertification: r.requiredCertification ?? '',
      geographies: (r.geographies ?? []).join(', '), ...(r.journeyPhases ? { journeyPhases: r.journeyPhases } : {}),
    }, await a.file())
  }
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('collateral', () => {
  test('the vendor publishes a co-brandable asset with a file upload; bad uploads are refused at the field', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, server.url, demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/enablement/assets/new`)
    await page.getByLabel('Title').fill('Ransomware recovery playbook')
    await page.getByLabel('One-line description').fill('A step-by-step recovery plan customers can print and keep.')
    await page.getByLabel('Type').selectOption('white_paper')
    await page.getByLabel('Product (optional)').fill('Cloud Backup')
    await page.getByLabel('Tags (optional)').fill('incident response, continuity')
    await page.locator('input[name="audience"][value="thru_partner"]').check()
    await page.locator('#publish-asset-coBrandable').check()
    await page.setInputFiles('#publish-asset-file', { name: 'playbook.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ nope') })
    await page.getByRole('button', { name: 'Publish asset' }).click()
    await page.waitForSelector('#publish-asset-file-error')
    expect(await page.locator('#publish-asset-file-error').textContent()).toContain('Upload a PDF')
    await axe(page)
    await page.setInputFiles('#publish-asset-file', { name: 'playbook.html', mimeType: 'text/html', buffer: Buffer.from(demoHtml('Ransomware recovery playbook', '<p>Step 1: isolate. {{partner.name}} is here to help.</p>')) })
    await page.getByRole('button', { name: 'Publish asset' }).click()
    await page.waitForURL(/\/vendor\/enablement\/assets\/[0-9a-f-]{36}$/)
    await page.waitForSelector('text=“Ransomware recovery playbook” published to every partner')
    await axe(page)
    await page.goto(`${server.url}/vendor/enablement`)
    expect(await page.textContent('main')).toContain('Ransomware recovery playbook')
    await axe(page)
    await screenshot(page, 'enablement-vendor')
    await context.close()
  })

  test('a partner finds it by full-text search, opens it, downloads it and co-brands it (HTML and PDF)', async () => {
    // a word in its tags alone, no other asset's
    const tag = uniqueWord('continuity')
    const assetUrl = await publishPlaybook(tag)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, server.url, demoEmails.partnerA)
    await page.goto(`${server.url}/partner/library`)
    expect(await page.textContent('section[aria-labelledby="to-partner"]')).toContain('Cloud Backup sales guide')
    expect(await page.textContent('section[aria-labelledby="thru-partner"]')).toContain('Zero trust for the branch office')
    // Northwind (registered tier, DE) does not see gold-only or UK-only material
    expect(await page.textContent('main')).not.toContain('Competitive battlecard')
    expect(await page.textContent('main')).not.toContain('Leeds law firm')
    expect(await page.textContent('main')).toContain('Schulungsfolien')
    await axe(page)
    await screenshot(page, 'enablement-library')
    await page.locator('#q').fill('recover')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=recover/)
    await page.waitForSelector('[role=status]:has-text("assets match")')
    const results = await page.textContent('main')
    expect(results).toContain('Ransomware recovery playbook')
    expect(results).not.toContain('Partner price list 2026')
    await page.locator('#q').fill(tag)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(new RegExp(`q=${tag}`))
    await page.waitForSelector('[role=status]:has-text("1 of")')
    expect(await page.textContent('main')).toContain('Ransomware recovery playbook') // by tag
    await page.getByRole('link', { name: 'Ransomware recovery playbook' }).click()
    await page.waitForURL((u) => u.pathname === assetUrl)
    await page.waitForSelector('h1:has-text("Ransomware recovery playbook")')
    expect(await page.textContent('main')).toContain('Co-brand PDF')
    await axe(page)
    await screenshot(page, 'enablement-asset')
    await context.close()

    const maria = await httpSession(server.url, demoEmails.partnerA)
    const download = await maria.get(`${assetUrl}/download`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toContain('playbook.html')
    expect(await download.text()).toContain('{{partner.name}}')
    const html = await maria.get(`${assetUrl}/cobrand/html`)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-security-policy')).toContain('sandbox')
    const body = await html.text()
    expect(body).toContain('Northwind IT is here to help')
    expect(body).toContain('class="pl-brand"')
    const pdf = await maria.get(`${assetUrl}/cobrand/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')
  })

  test('a partner outside the audience gets 404, also for ids typed into URLs, and never sees another partner’s usage', async () => {
    const ukOnlyId = await publishAsset(vendor, { title: 'UK channel pricing', description: 'Pricing for UK and Irish resellers.', tags: 'pricing', audience: 'to_partner', assetType: 'price_list', product: '', language: 'en', geographies: 'UK, IE' }, { filename: 'uk.txt', bytes: new TextEncoder().encode('UK prices') })
    const maria = await httpSession(server.url, demoEmails.partnerA)
    for (const suffix of ['', '/download', '/cobrand/html', '/cobrand/pdf']) expect((await maria.get(`/partner/library/${ukOnlyId}${suffix}`)).status).toBe(404)
    expect((await maria.get('/partner/library/no-such-asset')).status).toBe(404)
    const li = await httpSession(server.url, demoEmails.partnerB)
    expect((await li.get(`/partner/library/${ukOnlyId}`)).status).toBe(200)
    // a To-Partner asset cannot be co-branded or shared
    expect((await li.get(`/partner/library/${ukOnlyId}/cobrand/pdf`)).status).toBe(404)
    const liLibrary = await (await li.get('/partner/library')).text()
    // only Contoso's own view of the UK pricing is counted, not Northwind's use
    expect(liLibrary).toMatch(/Views<\/dt><dd[^>]*>1</)
    expect(liLibrary).toMatch(/Downloads<\/dt><dd[^>]*>0</)
    // partners cannot reach the vendor pages, the vendor cannot use assets as a partner
    expect((await li.get('/vendor/enablement')).status).toBe(403)
    expect((await vendor.get(`/partner/library/${ukOnlyId}`)).status).toBe(403)
    // retirement hides an asset at once
    const retire = await vendor.post(`/vendor/enablement/assets/${ukOnlyId}`, { intent: 'retire', reason: 'Replaced' })
    expect(retire.status).toBe(302)
    expect((await li.get(`/partner/library/${ukOnlyId}`)).status).toBe(404)
  })

  test('the auditor sees AssetViewed, AssetDownloaded and AssetCoBranded', async () => {
    // a partner views, downloads and co-brands an asset the vendor published, and the vendor retires it
    const assetUrl = await publishPlaybook(uniqueWord('audit'))
    const maria = await httpSession(server.url, demoEmails.partnerA)
    for (const suffix of ['', '/download', '/cobrand/html', '/cobrand/pdf']) expect((await maria.get(`${assetUrl}${suffix}`)).status, `${assetUrl}${suffix}`).toBe(200)
    const retire = await vendor.post(assetUrl.replace('/partner/library/', '/vendor/enablement/assets/'), { intent: 'retire', reason: 'Replaced' })
    expect(retire.status).toBe(302)
    const auditor = await httpSession(server.url, demoEmails.auditor)
    const timeline = await (await auditor.get('/audit')).text()
    for (const type of ['AssetPublished', 'AssetViewed', 'AssetDownloaded', 'AssetCoBranded', 'AssetRetired']) expect(timeline).toContain(type)
    expect((await auditor.get(assetUrl)).status).toBe(403)
  })
})
