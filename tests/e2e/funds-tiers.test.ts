// Allocations by tier in the real built server and Chromium: a partner approved into a tier holds that tier's allocation
// for the current quarter without anyone entering it (pro rata from the day it joined, docs/decisions/017), sees it on
// its funds page with what its tier gives, and the next tier's thresholds against where it stands, on the dashboard too.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { tierAllocation } from '../../domain/allocations/tier-allocation.ts'
import { formatMoney } from '../../app/format.ts'
import { currentQuarter, publishAsset, unique } from './fixtures.ts'
import { approvedPartnerIn } from './fixtures-funds.ts'
import { demoEmails, httpSession } from './http.ts'
import { axeViolations, screenshot, signIn, serverAndBrowserForFile, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

async function as(email: string, password: string, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  await signIn(page, server.url, email, password)
  return { page, close: () => context.close() }
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim()
const text = async (page: Page, selector: string) => norm((await page.locator(selector).first().textContent()) ?? '')
const money = (amount: number) => norm(formatMoney(amount, 'EUR'))
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

describe('allocations by tier', () => {
  test('a partner approved into gold holds gold’s allocation for this quarter, sees what gold gives and what platinum needs', async () => {
    // an asset only platinum partners see: what the next tier also gives
    const vendor = await httpSession(server.url, demoEmails.channelManager)
    await publishAsset(vendor, {
      title: unique('Platinum pricing'), description: 'Deal desk pricing for platinum partners.', tags: 'pricing', audience: 'to_partner', assetType: 'price_list',
      product: '', language: 'en', minimumTier: 'platinum',
    }, { filename: 'platinum.txt', bytes: new TextEncoder().encode('prices') })
    const approvedAt = new Date().toISOString()
    const partner = await approvedPartnerIn(server.url, 'gold')
    // the domain's rule for a partner joining today; the day it joined counts
    const expected = tierAllocation(currentQuarter(), 25_000, approvedAt)!
    const { page, close } = await as(partner.email, partner.password)
    await page.goto(`${server.url}/partner/funds`)
    const ledger = await text(page, 'section[aria-labelledby="ledger-title"]')
    expect(ledger).toContain(`Allocated${money(expected.amount)}`)
    expect(await text(page, '[data-testid="available"]')).toBe(money(expected.amount))
    const tier = await text(page, 'section[aria-labelledby="tier-title"]')
    expect(tier).toContain('Your tier: Gold')
    expect(await text(page, '[data-testid="tier-allocation"]')).toBe(money(25_000))
    expect(tier).toContain('co-investment funds every quarter')
    if (expected.rule === 'pro_rata_from_joining') expect(tier).toContain(`This quarter (${currentQuarter()}): ${money(expected.amount)}`)
    expect(tier).toContain('Next tier: Platinum')
    expect(tier).toContain('EUR 50,000 every quarter, and 1 more library asset.')
    expect(tier).toContain('0 of 5 valid certifications')
    expect(tier).toContain('0 of 15 won deals')
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'funds-partner-tier')
    // the ledger says how the amount was worked out
    await page.goto(`${server.url}/funds/ledger/${partner.partnerId}/${currentQuarter()}`)
    const movement = await text(page, 'tr:has-text("Allocated from the tier")')
    expect(movement).toContain(expected.rule === 'full_quarter' ? 'Gold tier: EUR 25,000 a quarter' : `pro rata for ${expected.daysCovered} of ${expected.daysInQuarter} days`)
    expect(movement).toContain('by the scheduler')
    await page.goto(`${server.url}/partner`)
    const home = await text(page, 'section[aria-labelledby="tier-title"]')
    expect(home).toContain('Your tier: Gold')
    expect(home).toContain('0 of 5 valid certifications')
    await close()
  })

  test('the tier card and the funds page fit a 390 px phone', async () => {
    const partner = await approvedPartnerIn(server.url, 'silver')
    const { page, close } = await as(partner.email, partner.password, 390)
    for (const path of ['/partner/funds', '/partner']) {
      await page.goto(`${server.url}${path}`)
      expect(await text(page, 'section[aria-labelledby="tier-title"]')).toContain('Next tier: Gold')
      expect(await fitsWidth(page), `${path} fits 390 px`).toBe(true)
    }
    await screenshot(page, 'funds-partner-tier-390')
    await close()
  })
})
