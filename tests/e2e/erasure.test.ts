// Erasing a person in the portal (real built server): only a vendor admin, with CSRF and a confirmation step that works
// without JavaScript; afterwards the person cannot sign in or use an old session, and no page, timeline entry or
// export names them, while the auditor's verify still finds every read model equal to its rebuild.
import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { approvedPartner } from './fixtures.ts'
import { demoEmails, httpSession } from './http.ts'
import { screenshot, signIn, serverAndBrowserForFile, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

const MARIA = /maria jensen|maria@northwind\.example/i

describe('erasing a person', () => {
  test('only a vendor admin may open or post the erasure, with its CSRF token, confirmed, and never for themselves', async () => {
    const form = { commandId: randomUUID(), confirm: 'yes' }
    // a partner admin of another organisation than Li's: one approved for this test (the next test erases Maria)
    const otherPartner = await approvedPartner(server.url)
    const others = [otherPartner.session, ...(await Promise.all([demoEmails.partnerB, demoEmails.channelManager, demoEmails.auditor].map((email) => httpSession(server.url, email))))]
    for (const session of others) {
      const email = session.email
      expect((await session.get('/vendor/people/u-li/erase')).status, email).toBe(403)
      expect((await session.post('/vendor/people/u-li/erase', form)).status, email).toBe(403)
    }
    const vera = await httpSession(server.url, demoEmails.vendorAdmin)
    expect((await vera.post('/vendor/people/u-li/erase', form, { csrf: false })).status).toBe(403)
    const unconfirmed = await vera.post('/vendor/people/u-li/erase', { commandId: randomUUID() })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('Tick the box')
    expect(await (await vera.get('/vendor/people/u-vera/erase')).text()).toContain('cannot erase your own account')
    expect((await vera.post('/vendor/people/u-vera/erase', form)).status).toBe(409)
    expect((await vera.get('/vendor/people/u-nobody/erase')).status).toBe(404)
    // nothing was erased
    await httpSession(server.url, demoEmails.partnerB)
    expect(await (await vera.get('/vendor/partners/contoso/admin')).text()).toContain('Li Wei')
  })

  test('a vendor admin erases Maria without JavaScript; then no page, timeline or export names her', async () => {
    const before = await httpSession(server.url, demoEmails.partnerA)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false })
    const page = await context.newPage()
    await signIn(page, server.url, demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor/partners/northwind/admin`)
    await page.getByRole('link', { name: 'Erase the personal data of Maria Jensen' }).click()
    await page.waitForURL(/\/vendor\/people\/u-maria\/erase$/)
    expect(await page.textContent('main')).toContain('maria@northwind.example')
    await screenshot(page, 'people-erase')
    await page.getByRole('button', { name: 'Erase personal data' }).click()
    await page.waitForSelector('#erase-confirm-error')
    await page.getByLabel(/I understand/).check()
    await page.getByRole('button', { name: 'Erase personal data' }).click()
    await page.waitForURL(/\/vendor\/partners\/northwind\/admin$/)
    expect(await page.textContent('body')).toContain('The personal data was erased')
    expect(await page.textContent('main')).not.toMatch(MARIA)
    await context.close()

    // her session is over and she cannot sign in again
    expect((await before.get('/partner')).status).toBe(302)
    await expect(httpSession(server.url, demoEmails.partnerA)).rejects.toThrow(/failed/)

    const vera = await httpSession(server.url, demoEmails.vendorAdmin)
    const sam = await httpSession(server.url, demoEmails.channelManager)
    const alex = await httpSession(server.url, demoEmails.auditor)
    const pages: [typeof vera, string][] = [
      [vera, '/vendor/partners'], [vera, '/vendor/partners/northwind'], [vera, '/vendor/partners/northwind/admin'], [vera, '/vendor/staff'],
      [vera, '/vendor/applications'], [vera, '/search?q=maria'], [sam, '/vendor'], [sam, '/vendor/partners/northwind'],
      [alex, '/audit'], [alex, '/audit?partner=northwind'], [alex, '/audit/partners/northwind'],
      [alex, '/audit/export/download?partner=northwind&format=jsonl'], [alex, '/audit/export/download?partner=northwind&format=csv'],
    ]
    for (const [session, path] of pages) {
      const response = await session.get(path)
      expect(response.status, path).toBe(200)
      expect(await response.text(), path).not.toMatch(MARIA)
    }
    // the history is all there, under her id, and other people are untouched
    const exported = await (await alex.get('/audit/export/download?partner=northwind&format=jsonl')).text()
    const applied = exported.trim().split('\n').map((line) => JSON.parse(line)).find((line) => line.type === 'PartnerApplied')
    expect(applied.data.applicant).toMatchObject({ userId: 'u-maria', name: 'Erased person', email: expect.stringMatching(/@erased\.invalid$/) })
    expect(await (await vera.get('/vendor/partners/contoso/admin')).text()).toContain('li@contoso.example')
    await httpSession(server.url, demoEmails.partnerB)

    // the auditor's verify: every read model equals its rebuild from the first event
    const started = await alex.post('/audit/verify', {})
    expect(started.status).toBe(302)
    const job = started.headers.get('location')!
    let html = ''
    for (let i = 0; i < 120 && !/All read models match|\d+ differences?<|>Failed</.test(html); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      html = await (await alex.get(job)).text()
    }
    expect(html).toContain('All read models match')
  })
})
