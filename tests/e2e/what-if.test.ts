// What-if in the real built server (demo program) and Chromium: only a vendor admin reaches it; an invalid draft shows
// field errors (with and without JavaScript); a preview lists the partners that would change with the reasons; publishing
// asks for a confirmation and records the draft from today on the settings page (decision 024).
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEmails, httpSession } from './http.ts'
import { axeViolations, launchBrowser, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startServer({ SEED: 'demo' })
  browser = await launchBrowser()
}, 330_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function asAdmin(width = 1280, javaScriptEnabled = true) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled })
  const page = await context.newPage()
  await signIn(page, server.url, demoEmails.vendorAdmin)
  return { page, close: () => context.close() }
}

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)
const preview = async (page: Page) => {
  await page.getByRole('button', { name: /^Preview/ }).first().click()
  await page.getByRole('heading', { name: /^Preview: / }).waitFor({ timeout: 60_000 })
}

describe('what-if', () => {
  test('only a vendor admin may open or post it', async () => {
    for (const email of [demoEmails.channelManager, demoEmails.partnerA, demoEmails.auditor]) {
      const session = await httpSession(server.url, email)
      expect((await session.get('/vendor/what-if')).status, email).toBe(403)
      expect((await session.post('/vendor/what-if', { intent: 'preview' })).status, email).toBe(403)
    }
    const admin = await httpSession(server.url, demoEmails.vendorAdmin)
    expect((await admin.get('/vendor/what-if')).status).toBe(200)
  })

  test('an invalid draft shows the error under its field, with JavaScript and without', async () => {
    for (const js of [true, false]) {
      const { page, close } = await asAdmin(1280, js)
      await page.goto(`${server.url}/vendor/what-if`)
      const sla = page.getByLabel('Review SLA (business days)')
      await sla.fill('0')
      await page.getByRole('button', { name: /^Preview/ }).first().click()
      await expect.poll(() => page.getByLabel('Review SLA (business days)').getAttribute('aria-invalid')).toBe('true')
      const described = await page.getByLabel('Review SLA (business days)').getAttribute('aria-describedby')
      expect(await page.locator(`[id="${described}"]`).textContent()).toBe('Use more than 0')
      expect(await page.getByRole('heading', { name: /^Preview: / }).count()).toBe(0)
      await close()
    }
  })

  test('a vendor admin previews a stricter gold tier and a shorter review SLA, then publishes the draft from today', async () => {
    const { page, close } = await asAdmin()
    await page.goto(`${server.url}/vendor/settings`)
    await page.getByRole('link', { name: 'What if…' }).click()
    await page.waitForURL(/\/vendor\/what-if$/)
    expect(await page.textContent('main')).toContain('Nothing changes until you publish.')
    // gold is the third tier by rank: 3 → 6 certifications, 5 → 8 won deals
    await page.getByLabel('Tier 3 minimum certifications').fill('6')
    await page.getByLabel('Tier 3 minimum won deals').fill('8')
    await page.getByLabel('Review SLA (business days)').fill('1')
    await preview(page)
    const main = (await page.textContent('main'))!
    expect(main).toMatch(/Preview: \d+ partners? of \d+ would change/)
    expect(main).toMatch(/re-judged against the draft's 1-business-day SLA \(registered under 2\)/)
    expect(main).toContain('Deal protection (90 days in the draft) is not replayed')
    const rows = page.locator('li.card')
    expect(await rows.count()).toBeGreaterThan(0)
    // every partner that leaves gold says which threshold it misses
    const movedDown = page.locator('li.card', { hasText: /Gold needs/ })
    expect(await movedDown.count()).toBeGreaterThan(0)
    expect(await movedDown.first().textContent()).toMatch(/Gold needs (6 valid certifications \(draft; today 3\) — has [3-5]|8 won deals \(draft; today 5\) — has [5-7])/)
    // a shorter SLA costs trust for the reviews it makes late
    expect(main).toMatch(/Review SLA breached: \d+ × -10 → \d+ × -10/)
    expect(await axeViolations(page)).toEqual([])
    // the preview scrolled itself into view: the screenshot starts at the page's top
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'what-if-preview')

    // publishing asks to confirm first; the settings are unchanged until then
    await page.getByRole('button', { name: 'Publish from today' }).click()
    await page.getByText('Tick the box to confirm that these settings apply from today.').waitFor()
    await page.getByLabel('I have checked the preview: publish these settings with effect from today.').check()
    await page.getByRole('button', { name: 'Publish from today' }).click()
    await page.waitForURL(/\/vendor\/settings$/)
    await page.getByText('Draft published. Program settings saved; they take effect now.').waitFor()
    const settings = (await page.textContent('main'))!
    expect(settings).toContain('Review SLA (business days): 2 → 1')
    expect(settings).toContain('Tier Gold: rank 2, 3 cert., 5 won → rank 2, 6 cert., 8 won')
    expect(settings).toContain('In force')
    await close()
  }, 180_000)

  test('the what-if fits a 390 px phone', async () => {
    const { page, close } = await asAdmin(390)
    await page.goto(`${server.url}/vendor/what-if`)
    // the draft starts from the settings in force, published above: loosen gold again
    await page.getByLabel('Tier 3 minimum certifications').fill('2')
    await preview(page)
    expect(await fitsWidth(page)).toBe(true)
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'what-if-390')
    await close()
  }, 120_000)
})
