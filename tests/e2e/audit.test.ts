// The auditor in Chromium: state as of yesterday, verification of every read model, exports; and read-only everywhere.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { registerDeal } from './fixtures.ts'
import { demoEmails, httpSession } from './http.ts'
import { launchBrowser, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

/** today's activity: a deal Northwind registers now */
const dealToday = async () => registerDeal(await httpSession(server.url, demoEmails.partnerA), { customerName: 'Umbrella Corp', customerDomain: 'umbrella.example', value: '15000' })

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('auditor', () => {
  test('sees the program as of yesterday on either clock, with a banner naming it, and back to now', async () => {
    await dealToday()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await signIn(page, server.url, demoEmails.auditor)
    await page.goto(`${server.url}/audit`)
    let main = await page.textContent('main')
    expect(main).toContain('DealRegistered')
    // the timeline says its order, shows both times, and marks the seed's history (recorded today, happened earlier) as backdated
    expect(main).toContain('newest recorded first')
    expect(main).toContain('Backdated')
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    await page.getByRole('textbox', { name: 'As of' }).fill(yesterday)
    await page.getByRole('combobox', { name: 'Clock' }).selectOption('occurred')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForSelector('text=as it happened by that date')
    main = await page.textContent('main')
    expect(main).toContain('PartnerApplied')
    expect(main).not.toContain('DealRegistered')
    await screenshot(page, 'auditor-as-of')
    // the same day as the vendor knew it: the whole store was recorded today, so nothing yet
    await page.getByRole('button', { name: 'Show as the vendor knew it' }).click()
    await page.waitForSelector('text=as the vendor knew it on that date')
    main = await page.textContent('main')
    expect(main).not.toContain('PartnerApplied')
    expect(main).toContain('No events match')
    await page.getByRole('button', { name: 'Back to now' }).click()
    await page.waitForSelector('text=Showing the program as it is now')
    expect(await page.textContent('main')).toContain('DealRegistered')
    await page.close()
  })

  test("a backdated event's page marks it, beside both of its times", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, server.url, demoEmails.auditor)
    await page.goto(`${server.url}/audit`)
    await page.locator('tr', { hasText: 'Backdated' }).first().getByRole('link').first().click()
    // a client navigation changes the address before the page renders: wait for the event page itself
    await page.waitForSelector('dt:has-text("Recorded")')
    const main = await page.textContent('main')
    expect(main).toContain('Occurred')
    expect(main).toContain('Recorded')
    expect(main).toContain('Backdated')
    await page.close()
  })

  test('runs verify and sees every read model match', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, server.url, demoEmails.auditor)
    await page.goto(`${server.url}/audit/verify`)
    await page.getByRole('button', { name: 'Run verification' }).click()
    await page.waitForSelector('text=All read models match', { timeout: 60_000 })
    expect(await page.textContent('main')).toContain('Identical')
    await screenshot(page, 'auditor-verify')
    await page.close()
  })

  test('exports a partner history as JSON Lines and CSV', async () => {
    await dealToday()
    const alex = await httpSession(server.url, demoEmails.auditor)
    const jsonl = await alex.get('/audit/export/download?partner=northwind&format=jsonl')
    expect(jsonl.status).toBe(200)
    expect(jsonl.headers.get('content-disposition')).toContain('partnerlog-northwind-')
    const lines = (await jsonl.text()).trim().split('\n').map((line) => JSON.parse(line))
    const types = lines.map((l) => l.type)
    expect(types).toContain('PartnerApplied')
    expect(types).toContain('DealRegistered')
    expect(lines.every((l) => l.data.partnerId === 'northwind' || l.streamId === 'partner-northwind')).toBe(true)
    const csv = await (await alex.get('/audit/export/download?partner=northwind&format=csv')).text()
    const [header, ...rows] = csv.trim().split('\n')
    expect(header).toBe('globalPosition,occurredAt,recordedAt,type,streamId,streamRevision,actor,tenant,eventId,data,metadata')
    expect(rows.length).toBe(lines.length)
    expect((await alex.get('/audit/export/download?partner=nobody&format=csv')).status).toBe(404)
    expect((await alex.get('/audit/export/download?partner=northwind&format=xml')).status).toBe(400)
  })

  test('is read-only and exports are auditor-only', async () => {
    const alex = await httpSession(server.url, demoEmails.auditor)
    expect((await alex.post('/vendor/deals', { intent: 'approve', dealId: 'x' })).status).toBe(403)
    expect((await alex.post('/partner/deals/new', { customerName: 'x' })).status).toBe(403)
    const maria = await httpSession(server.url, demoEmails.partnerA)
    expect((await maria.get('/audit/export/download?partner=contoso&format=jsonl')).status).toBe(403)
    expect((await maria.get('/audit')).status).toBe(403)
    const sam = await httpSession(server.url, demoEmails.channelManager)
    expect((await sam.post('/audit/verify', {})).status).toBe(403)
    // a form without the CSRF token is refused
    expect((await sam.post('/vendor/deals', { intent: 'approve', dealId: 'x' }, { csrf: false })).status).toBe(403)
  })

  test('deal actions are refused for every role that must not take them', async () => {
    const maria = await httpSession(server.url, demoEmails.partnerA)
    const li = await httpSession(server.url, demoEmails.partnerB)
    const sam = await httpSession(server.url, demoEmails.channelManager)
    const vera = await httpSession(server.url, demoEmails.vendorAdmin)
    const { dealId } = await registerDeal(maria)
    // partners cannot review, even their own deal
    expect((await maria.post('/vendor/deals', { intent: 'approve', dealId })).status).toBe(403)
    expect((await li.post('/vendor/deals', { intent: 'reject', dealId, reason: 'no' })).status).toBe(403)
    // the other partner cannot act on it through a typed URL, nor read it
    expect((await li.post(`/partner/deals/${dealId}`, { intent: 'withdraw' })).status).toBe(404)
    expect((await li.get(`/partner/deals/${dealId}`)).status).toBe(404)
    // vendor roles do not register or withdraw deals for partners
    for (const vendor of [sam, vera]) {
      expect((await vendor.post('/partner/deals/new', { customerName: 'x' })).status).toBe(403)
      expect((await vendor.post(`/partner/deals/${dealId}`, { intent: 'withdraw' })).status).toBe(403)
    }
    // and the deal is untouched
    expect(await (await maria.get(`/partner/deals/${dealId}`)).text()).toContain('Waiting for review')
    // the owner can withdraw it
    expect((await maria.post(`/partner/deals/${dealId}`, { intent: 'withdraw' })).status).toBe(302)
  })
})
