// Co-investment through the real built server in Chromium: allocate, request (an overdraw refused), approve in part,
// claim with a PDF, approve the claim, pay, and a ledger with every movement; the other partner sees none of it, and
// every action is refused to the roles that must not take it. Each test takes a partner of its own to the stage it
// starts from (fixtures-funds.ts), so its ledger is its own and any test runs alone or in any order.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { approvedPartner, rejectWaitingRequests } from './fixtures.ts'
import { claimPdf, fundsJourney, type FundsStage } from './fixtures-funds.ts'
import { demoEmails, httpSession } from './http.ts'
import { injectAxe, screenshot, signIn, serverAndBrowserForFile, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

const now = new Date()
const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`

async function as(email: string, password?: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signIn(page, server.url, email, password)
  return { page, close: () => context.close() }
}

/** the error Conform shows for a field: the element the field's aria-describedby names, once the field is invalid */
async function errorOf(page: Page, label: string) {
  const field = page.getByLabel(label, { exact: true })
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
  return page.locator(`[id="${await field.getAttribute('aria-describedby')}"]`).textContent()
}

async function expectNoAxeViolations(page: Page) {
  await injectAxe(page)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run()
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
  })
  expect(violations, page.url()).toEqual([])
}

/** a partner of the test's own at `stage` of the story, taken there by the channel manager and the partner over HTTP */
async function journeyTo(stage: FundsStage) {
  return fundsJourney(server.url, await httpSession(server.url, demoEmails.channelManager), stage)
}

describe('co-investment, allocation to payment', () => {
  test('the vendor changes a partner’s allocation with a reason; without one the reason field says so', async () => {
    const partner = await approvedPartner(server.url)
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/funds`)
    // the tiers' allocations as figures, each tier with its amount per quarter
    const byTier = page.locator('section[aria-labelledby="by-tier-title"] dl > div')
    expect((await byTier.allTextContents()).map((t) => t.replace(/\s+/g, ' '))).toEqual(['RegisteredEUR 0', 'SilverEUR 10,000', 'GoldEUR 25,000', 'PlatinumEUR 50,000'])
    // approved into the entry tier, the partner holds its tier allocation already (EUR 0 by default)
    expect(await page.locator('tr', { hasText: partner.company }).textContent()).toContain('Ledger (1 movement)')
    await page.getByRole('link', { name: `Change ${partner.company}'s allocation` }).click()
    await page.waitForURL(new RegExp(`/funds/ledger/${partner.partnerId}/${quarter}#change$`))
    await page.getByLabel('New allocation (EUR)').fill('10000')
    await page.getByRole('button', { name: 'Change allocation' }).click()
    expect(await errorOf(page, 'Reason')).toBe('Say why the allocation changes')
    await expectNoAxeViolations(page)
    await page.getByLabel('Reason').fill('Budget for the roadshow season')
    await page.getByRole('button', { name: 'Change allocation' }).click()
    await page.waitForSelector(`text=${partner.company}'s ${quarter} allocation is now EUR 10,000.`)
    const changed = page.locator('tr', { hasText: 'Allocation changed' })
    expect(await changed.textContent()).toContain('EUR 0 → EUR 10,000: Budget for the roadshow season')
    expect(await changed.textContent()).toContain('by Sam Rivera')
    expect((await page.locator('[data-testid="available"]').textContent())?.replace(/\s/g, ' ')).toBe('EUR 10,000')
    await screenshot(page, 'funds-ledger-change')
    await close()
  })

  test('the partner requests co-investment; an overdraw is refused with the available amount next to the field', async () => {
    const { partner, activity } = await journeyTo('allocated')
    const { page, close } = await as(partner.email, partner.password)
    await page.goto(`${server.url}/partner/funds/new`)
    // checked in the browser by the form's schema before anything is sent
    await page.getByRole('button', { name: 'Send request' }).click()
    expect(await errorOf(page, 'Activity')).toBe('Enter what the money is for')
    expect(await errorOf(page, 'Total cost (EUR)')).toBe('Enter the total cost')
    await page.getByLabel('Activity').fill(activity)
    await page.getByLabel('Total cost (EUR)').fill('20000')
    await page.getByLabel('Your own investment (EUR)').fill('5000')
    await page.getByLabel('Amount requested (EUR)').fill('12000')
    await page.getByLabel('Expected pipeline (EUR)').fill('250000')
    await page.getByRole('button', { name: 'Send request' }).click()
    // refused by the command, shown under the field it names
    expect(await errorOf(page, 'Amount requested (EUR)')).toContain(`Only 10,000 EUR of your ${quarter} allocation is available`)
    await screenshot(page, 'funds-partner-new-refused')
    await expectNoAxeViolations(page)
    await page.getByLabel('Amount requested (EUR)').fill('8000')
    await page.getByRole('button', { name: 'Send request' }).click()
    await page.waitForURL(/\/partner\/funds\/[0-9a-f-]{36}$/)
    await page.waitForSelector(`h1:has-text("${activity}")`)
    await page.waitForSelector(`text=Co-investment for “${activity}” requested`)
    expect(await page.textContent('main')).toContain('Waiting for review')
    await close()
  })

  test('the vendor approves it in part from the queue', async () => {
    const vendor = await httpSession(server.url, demoEmails.channelManager)
    // the queue holds only this test's request, so it can show the queue empty after the decision
    await rejectWaitingRequests(vendor)
    const { activity, coInvestmentId: id } = await journeyTo('requested')
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/funds/queue`)
    expect(await page.textContent('main')).toContain(activity)
    await screenshot(page, 'funds-vendor-queue')
    await expectNoAxeViolations(page)
    await page.locator(`#approve-${id}-approvedAmount`).fill('6000')
    await page.getByRole('button', { name: `Approve ${activity}` }).click()
    await page.waitForSelector('text=approved in part (EUR 6,000 of EUR 8,000)')
    expect(await page.textContent('main')).toContain('No requests waiting')
    await close()
  })

  test('the partner files a claim with an uploaded PDF', async () => {
    const { partner, activity, requestPath } = await journeyTo('approved')
    const { page, close } = await as(partner.email, partner.password)
    await page.goto(`${server.url}${requestPath}`)
    expect(await page.textContent('main')).toContain('Approved · claim due')
    await page.getByLabel('Invoice amount (EUR)').fill('10000')
    await page.getByLabel('Leads from the activity (events)').fill('42')
    await page.getByLabel('Proof of performance').setInputFiles({ name: 'invoice-munich.pdf', mimeType: 'application/pdf', buffer: claimPdf })
    await page.getByRole('button', { name: 'Submit claim' }).click()
    await page.waitForSelector(`text=Claim for “${activity}” submitted with 1 file`)
    expect(await page.textContent('main')).toContain('Claim in review')
    const evidencePath = (await page.locator('a[href^="/funds/evidence/"]').first().getAttribute('href'))!
    expect(evidencePath).toMatch(/^\/funds\/evidence\/[0-9a-f-]{36}\/[0-9a-f]{64}$/)
    await screenshot(page, 'funds-partner-request')
    await expectNoAxeViolations(page)
    await close()
  })

  test('a claim with a file whose bytes are not PDF, PNG, JPEG or CSV is refused', async () => {
    const { partner, requestPath } = await journeyTo('claimed')
    // the claim was filed already; this checks the upload rule on a fresh page of the same form
    const response = await partner.session.post(`${requestPath}?intent=claim`, {
      intent: 'claim', commandId: crypto.randomUUID(), invoiceAmount: '100',
      evidence: new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00])], 'tool.exe', { type: 'application/pdf' }),
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('tool.exe is not a PDF, PNG, JPEG or CSV file')
  })

  test('the vendor approves the claim in part and marks it paid', async () => {
    const { activity, coInvestmentId: id, evidencePath } = await journeyTo('claimed')
    const { page, close } = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/funds/queue`)
    await page.locator(`#approve-claim-${id}-amount`).fill('4500')
    await page.getByRole('button', { name: `Approve claim for ${activity}` }).click()
    await page.waitForSelector(`text=Claim for “${activity}” approved: EUR 4,500 to pay`)
    // back to the queue, at the list the decision was taken in
    expect(new URL(page.url()).hash).toBe('#claims-title')
    await page.getByRole('button', { name: `Mark paid: ${activity}` }).click()
    await page.waitForSelector(`text=Claim for “${activity}” marked paid`)
    expect(new URL(page.url()).hash).toBe('#payments-title')
    const evidence = await page.request.get(`${server.url}${evidencePath}`)
    expect(evidence.status()).toBe(200)
    expect(evidence.headers()['content-type']).toBe('application/pdf')
    await page.goto(`${server.url}/vendor/funds`)
    await screenshot(page, 'funds-vendor-allocations')
    await page.goto(`${server.url}/vendor/funds/${id}`)
    await screenshot(page, 'funds-vendor-request')
    await expectNoAxeViolations(page)
    await close()
  })

  test('the partner’s ledger shows every movement and what is available', async () => {
    const { partner } = await journeyTo('paid')
    const { page, close } = await as(partner.email, partner.password)
    await page.goto(`${server.url}/partner/funds`)
    expect((await page.locator('[data-testid="available"]').textContent())?.replace(/\s/g, ' ')).toBe('EUR 5,500')
    expect(await page.textContent('main')).toContain('Paid')
    await screenshot(page, 'funds-partner')
    await expectNoAxeViolations(page)
    await page.goto(`${server.url}/funds/ledger/${partner.partnerId}/${quarter}`)
    const main = (await page.textContent('main'))!
    for (const label of ['Allocated from the tier', 'Allocation changed', 'Requested', 'Reserved for approval', 'Approved', 'Claim submitted', 'Released', 'Claim approved', 'Claim paid', 'Paid out']) expect(main).toContain(label)
    expect(main).toContain('11 movements, newest first')
    await screenshot(page, 'funds-ledger')
    await expectNoAxeViolations(page)
    await close()
  })

  test('the other partner cannot see the request, its evidence or the ledger, even by typed URLs', async () => {
    const { partner, activity, coInvestmentId, requestPath, evidencePath } = await journeyTo('paid')
    const contoso = await httpSession(server.url, demoEmails.partnerB)
    expect((await contoso.get(requestPath)).status).toBe(404)
    expect((await contoso.get(evidencePath)).status).toBe(404)
    expect((await contoso.get(`/funds/ledger/${partner.partnerId}/${quarter}`)).status).toBe(404)
    const own = await contoso.get('/partner/funds')
    expect(own.status).toBe(200)
    expect(await own.text()).not.toContain(activity)
    // the auditor reads everything, including the evidence
    const auditor = await httpSession(server.url, demoEmails.auditor)
    expect((await auditor.get(evidencePath)).status).toBe(200)
    expect((await auditor.get(`/funds/ledger/${partner.partnerId}/${quarter}`)).status).toBe(200)
    expect((await auditor.get(`/vendor/funds/${coInvestmentId}`)).status).toBe(200)
  })

  test("a request's page names the people of its history, never the program's other users", async () => {
    const { partner, requestPath } = await journeyTo('paid')
    const html = await (await partner.session.get(requestPath)).text()
    expect(html).toContain(partner.name)
    // a user of another partner (Contoso, Northwind) appears nowhere in it, not even in the page's data
    expect(html).not.toContain('Li Wei')
    expect(html).not.toContain('u-li')
    expect(html).not.toContain('Maria Jensen')
  })

  test('each action is refused (403) to the roles that must not take it', async () => {
    const { partner, coInvestmentId: id, requestPath } = await journeyTo('paid')
    const sessions = {
      partnerA: partner.session,
      partnerB: await httpSession(server.url, demoEmails.partnerB),
      vendor: await httpSession(server.url, demoEmails.channelManager),
      auditor: await httpSession(server.url, demoEmails.auditor),
    }
    const allocate = { commandId: crypto.randomUUID(), amount: '1000', reason: 'Sneaky' }
    const ledgerPath = `/funds/ledger/${partner.partnerId}/${quarter}`
    const request = { commandId: crypto.randomUUID(), quarter, kind: 'mdf', activity: 'Sneaky', totalCost: '100', partnerInvestment: '0', amountRequested: '50', expectedPipeline: '0' }
    const refusals: [keyof typeof sessions, string, Record<string, string>][] = [
      ['partnerA', ledgerPath, allocate],
      ['auditor', ledgerPath, allocate],
      ['partnerA', '/vendor/funds/queue', { intent: 'approve', coInvestmentId: id, approvedAmount: '1', maxReimbursementPct: '50', claimDeadline: '2099-01-01' }],
      ['auditor', '/vendor/funds/queue', { intent: 'reject', coInvestmentId: id, reason: 'no' }],
      ['auditor', `/vendor/funds/${id}`, { intent: 'pay', coInvestmentId: id }],
      ['partnerB', '/vendor/funds/queue', { intent: 'approve-claim', coInvestmentId: id, amount: '1' }],
      ['vendor', '/partner/funds/new', request],
      ['auditor', '/partner/funds/new', request],
      ['vendor', `${requestPath}?intent=claim`, { intent: 'claim', commandId: crypto.randomUUID(), invoiceAmount: '1' }],
      ['auditor', `${requestPath}?intent=claim`, { intent: 'claim', commandId: crypto.randomUUID(), invoiceAmount: '1' }],
    ]
    for (const [who, path, fields] of refusals) {
      const response = await sessions[who].post(path, fields)
      expect(response.status, `${who} POST ${path}`).toBe(403)
    }
    expect((await sessions.auditor.get('/vendor/funds/queue')).status).toBe(403)
    expect((await sessions.partnerA.get('/vendor/funds')).status).toBe(403)
    expect((await sessions.vendor.get('/partner/funds')).status).toBe(403)
    // the other partner's claim action on this request is a 404, as its page is
    expect((await sessions.partnerB.post(`${requestPath}?intent=claim`, { intent: 'claim', commandId: crypto.randomUUID(), invoiceAmount: '1' })).status).toBe(404)
  })

  test('a company whose application waits gets no allocation, even from a form posted by hand', async () => {
    // apply (the application's command id becomes the organisation's id)
    const applyPage = await fetch(`${server.url}/apply`)
    const cookie = applyPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const csrf = (await applyPage.text()).match(/name="csrf" value="([^"]+)"/)![1]!
    const applicantId = crypto.randomUUID()
    const body = new FormData()
    for (const [k, v] of Object.entries({
      csrf, commandId: applicantId, company: 'Waiting Systems', websiteDomain: 'waiting.example', geographies: 'DE', segments: 'smb', partnerType: 'referral',
      name: 'Wanda Waits', email: 'wanda@waiting.example', password: 'waiting-password-123', confirmPassword: 'waiting-password-123',
    })) body.set(k, v)
    expect((await fetch(`${server.url}/apply`, { method: 'POST', body, headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(302)
    const vendor = await httpSession(server.url, demoEmails.channelManager)
    // the allocations page does not offer it
    expect(await (await vendor.get('/vendor/funds')).text()).not.toContain('Waiting Systems')
    // nor a ledger to change
    const response = await vendor.post(`/funds/ledger/${applicantId}/${quarter}`, { commandId: crypto.randomUUID(), amount: '1000', reason: 'By hand' })
    expect(response.status).toBe(404)
  })
})
