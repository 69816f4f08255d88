// Deal conflicts through the real server in Chromium: the vendor sees the rival registration (partner, date, status)
// linked wherever the conflict shows, approving the later one asks for a confirmation that names the rival (without
// JavaScript too), both partners see the outcome without learning who the other is, and direct accounts are managed on
// their own page and flag registrations. Each test registers its own customers, so any one runs alone.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { registerDeal, unique } from './fixtures.ts'
import { demoEmails, httpSession } from './http.ts'
import { signIn, serverAndBrowserForFile, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
const today = () => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date())

async function pageAs(email: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  await signIn(page, server.url, email)
  return page
}

/** a page's HTML as text to search: without the markers React puts between adjacent text nodes */
const htmlOf = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '')

/** the page is no wider than the viewport: nothing scrolls sideways */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

/** Northwind registers a customer first, Contoso the same customer (a subdomain) later. */
async function rivalRegistrations() {
  const customerName = unique('Tailspin')
  const domain = `${slug(customerName)}.example`
  const maria = await httpSession(server.url, demoEmails.partnerA)
  const li = await httpSession(server.url, demoEmails.partnerB)
  const first = await registerDeal(maria, { customerName, customerDomain: domain })
  const later = await registerDeal(li, { customerName, customerDomain: `eu.${domain}` })
  return { customerName, first, later, maria, li }
}

describe('deal conflicts', () => {
  test('the rival is shown and linked on the queue, the deal page and the partner’s deals page', async () => {
    const { customerName, first, later } = await rivalRegistrations()
    const sam = await pageAs(demoEmails.channelManager)
    await sam.goto(`${server.url}/vendor/deals`)
    // the later registration's row: its customer cell links to its own page
    const row = sam.locator(`tr:has(td:nth-child(2) a[href="/vendor/deals/${later.dealId}"])`)
    // the later registration's row names Northwind's, links it and its partner, and asks for a review instead of one click
    await expect.poll(() => row.getByRole('link', { name: 'Northwind IT', exact: true }).getAttribute('href')).toBe('/vendor/partners/northwind')
    expect(await row.getByRole('link', { name: `registered ${today()} by Northwind IT` }).getAttribute('href')).toBe(`/vendor/deals/${first.dealId}`)
    expect(await row.getByText('Waiting').count()).toBeGreaterThan(0)
    expect(await row.getByRole('button', { name: `Approve ${customerName}` }).count()).toBe(0)
    expect(await row.getByRole('link', { name: `Review conflict: ${customerName}` }).getAttribute('href')).toBe(`/vendor/deals/${later.dealId}#decision`)
    await sam.screenshot({ path: '/tmp/deals/queue-1280.png', fullPage: true })

    // the Queues page's oldest waiting deals show the same
    await sam.goto(`${server.url}/vendor`)
    const queued = sam.locator(`tr:has(td:first-child a[href="/vendor/deals/${later.dealId}"])`)
    expect(await queued.getByRole('link', { name: `registered ${today()} by Northwind IT` }).getAttribute('href')).toBe(`/vendor/deals/${first.dealId}`)
    expect(await queued.getByRole('link', { name: `Review conflict: ${customerName}` }).count()).toBe(1)

    // the deal's own page and the partner's deals page link the rival too
    await sam.goto(`${server.url}/vendor/deals/${later.dealId}`)
    const conflict = sam.getByRole('region', { name: 'Conflict' })
    expect(await conflict.getByRole('link', { name: `registered ${today()} by Northwind IT` }).getAttribute('href')).toBe(`/vendor/deals/${first.dealId}`)
    await sam.goto(`${server.url}/vendor/partners/northwind/deals`)
    const northwindRow = sam.locator(`tr:has(td:first-child a[href="/vendor/deals/${first.dealId}"])`)
    expect(await northwindRow.getByRole('link', { name: `registered ${today()} by Contoso MSP` }).getAttribute('href')).toBe(`/vendor/deals/${later.dealId}`)
    await sam.context().close()
  })

  test('approving the later registration asks for a confirmation naming the rival, and both partners see the outcome', async () => {
    const { customerName, first, later, maria, li } = await rivalRegistrations()
    // before the decision each partner learns that another partner registered the customer, and when, never who
    const before = await htmlOf(await maria.get(first.path))
    expect(before).toContain(`Another partner registered this customer on ${today()}, after you.`)
    expect(before).not.toContain('Contoso')
    expect(before).not.toContain(later.dealId)

    // without JavaScript: the approval is refused until confirmed, from the deal page and from the queue's one click
    const vendor = await httpSession(server.url, demoEmails.channelManager)
    const unconfirmed = await vendor.post(`/vendor/deals/${later.dealId}`, { intent: 'approve' })
    expect(unconfirmed.status).toBe(400)
    expect(await htmlOf(unconfirmed)).toContain('Confirm that you approve this registration over another partner&#x27;s registration (waiting, registered')
    expect((await vendor.post('/vendor/deals', { intent: 'approve', dealId: later.dealId })).status).toBe(400)

    const sam = await pageAs(demoEmails.channelManager)
    await sam.goto(`${server.url}/vendor/deals/${later.dealId}`)
    const decision = sam.getByRole('region', { name: 'Decision' })
    // the second step names the rival it overrides
    expect(await decision.getByRole('link', { name: 'Northwind IT', exact: true }).count()).toBe(1)
    await decision.getByRole('button', { name: 'Confirm and approve' }).click()
    const confirm = decision.getByRole('checkbox')
    await expect.poll(() => confirm.getAttribute('aria-invalid')).toBe('true')
    expect(await sam.locator(`[id="${await confirm.getAttribute('aria-describedby')}"]`).textContent()).toContain('Confirm that you approve this registration over another partner')
    await sam.screenshot({ path: '/tmp/deals/confirm-1280.png', fullPage: true })
    await confirm.check()
    await decision.getByLabel('Reason (both partners read it)').fill('Contoso holds the customer’s managed-service contract')
    await decision.getByRole('button', { name: 'Confirm and approve' }).click()
    await sam.getByRole('status').filter({ hasText: `Deal for ${customerName} approved` }).waitFor()
    expect(await sam.getByRole('status').textContent()).toContain('1 other registration for this customer closed')
    const outcome = sam.getByRole('region', { name: 'Conflict' })
    expect(await outcome.textContent()).toMatch(/Approved on .* over Northwind IT’s registration of .*, which was closed/)
    await sam.screenshot({ path: '/tmp/deals/decided-1280.png', fullPage: true })
    await sam.context().close()

    // Northwind: closed, told when and why, never who
    const mariaPage = await pageAs(demoEmails.partnerA)
    await mariaPage.goto(`${server.url}${first.path}`)
    const lost = mariaPage.getByRole('region', { name: 'Another partner’s registration was approved' })
    expect(await lost.textContent()).toContain(`Another partner registered this customer on ${today()}, and the vendor approved that registration on ${today()}.`)
    expect(await lost.textContent()).toContain('Your registration is closed')
    expect(await lost.textContent()).toContain('Contoso holds the customer’s managed-service contract')
    expect(await mariaPage.content()).not.toContain('Contoso MSP')
    expect(await mariaPage.content()).not.toContain(later.dealId)
    await mariaPage.screenshot({ path: '/tmp/deals/partner-lost-1280.png', fullPage: true })
    await mariaPage.goto(`${server.url}/partner/deals`)
    const listed = mariaPage.getByRole('row').filter({ has: mariaPage.getByRole('link', { name: customerName }) })
    expect(await listed.textContent()).toContain('Superseded')
    expect(await listed.textContent()).toContain(`Closed: another partner’s registration of ${today()} was approved on ${today()}`)
    await mariaPage.context().close()

    // Contoso: approved over an earlier registration, alone protected
    const liPage = await htmlOf(await li.get(later.path))
    expect(liPage).toContain(`The vendor approved your registration on ${today()}`)
    expect(liPage).toContain('You alone hold protection on this customer until')
    expect(liPage).not.toContain('Northwind')
    expect(liPage).not.toContain(first.dealId)
    expect(await htmlOf(await li.get('/partner/deals'))).toContain('Approved over another partner’s registration: you alone are protected until')
  })

  test('approving the earliest registration needs no confirmation and closes the later one', async () => {
    const { first, later, li } = await rivalRegistrations()
    const vendor = await httpSession(server.url, demoEmails.channelManager)
    const approved = await vendor.post('/vendor/deals', { intent: 'approve', dealId: first.dealId })
    expect(approved.status).toBe(302)
    const page = await htmlOf(await li.get(later.path))
    expect(page).toContain(`Another partner registered this customer on ${today()}, and the vendor approved that registration on ${today()}.`)
    expect(page).toContain('it will not be protected')
    expect(page).not.toContain('Northwind')
  })

  test('a direct account is managed on its page and flags registrations until it is removed', async () => {
    const name = unique('Globex')
    const domain = `${slug(name)}.example`
    const vera = await pageAs(demoEmails.vendorAdmin)
    await vera.goto(`${server.url}/vendor`)
    // reached from the Partners section, which stays marked as the current one
    await vera.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Partners' }).click()
    await vera.waitForURL(`${server.url}/vendor/partners`)
    await vera.getByRole('link', { name: 'Direct accounts' }).click()
    await vera.waitForURL(`${server.url}/vendor/accounts`)
    // the reason is required, with its field message
    await vera.getByLabel('Customer').fill(name)
    await vera.getByLabel('Domains').fill(`${domain}, ${slug(name)}-group.example`)
    await vera.getByRole('button', { name: 'Add direct account' }).click()
    await expect.poll(() => vera.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    await vera.getByLabel('Reason', { exact: true }).fill('Global framework contract held by direct sales')
    await vera.getByRole('button', { name: 'Add direct account' }).click()
    await vera.getByRole('status').filter({ hasText: `${name} is a direct account` }).waitFor()
    // found by a domain, not by another word
    await vera.getByLabel('Search direct accounts').fill(`${slug(name)}-group`)
    await vera.getByRole('button', { name: 'Search' }).click()
    await vera.getByRole('heading', { name }).waitFor()
    await vera.screenshot({ path: '/tmp/deals/accounts-1280.png', fullPage: true })
    await vera.goto(`${server.url}/vendor/accounts?q=no-such-account`)
    expect(await vera.getByText('No direct account matches').count()).toBe(1)

    // a registration for a subdomain is flagged: the partner is told, the vendor's queue names the account
    const maria = await httpSession(server.url, demoEmails.partnerA)
    const deal = await registerDeal(maria, { customerName: name, customerDomain: `shop.${domain}` })
    expect(await htmlOf(await maria.get(deal.path))).toContain('This customer is one of the vendor’s direct accounts.')
    await vera.goto(`${server.url}/vendor/deals`)
    const row = vera.getByRole('row').filter({ has: vera.getByRole('link', { name, exact: true }) })
    expect(await row.getByText('Direct account').count()).toBe(1)
    expect(await row.getByRole('link', { name: `Review conflict: ${name}` }).count()).toBe(1)
    await vera.goto(`${server.url}/vendor/deals/${deal.dealId}`)
    expect(await vera.getByRole('region', { name: 'Decision' }).textContent()).toContain(`the direct account ${name}`)

    // removed with a reason: listed as removed, and a new registration is not flagged
    await vera.goto(`${server.url}/vendor/accounts?q=${encodeURIComponent(name)}`)
    await vera.getByRole('button', { name: `Remove ${name}` }).click()
    await expect.poll(() => vera.getByLabel(`Reason for removing ${name}`).getAttribute('aria-invalid')).toBe('true')
    await vera.getByLabel(`Reason for removing ${name}`).fill('Contract ended; partners may sell to it')
    await vera.getByRole('button', { name: `Remove ${name}` }).click()
    await vera.getByRole('status').filter({ hasText: `${name} removed from the direct accounts` }).waitFor()
    expect(await vera.getByText('Contract ended; partners may sell to it').count()).toBe(1)
    await vera.context().close()
    const again = await registerDeal(maria, { customerName: name, customerDomain: `b2b.${domain}` })
    expect(await htmlOf(await maria.get(again.path))).not.toContain('direct accounts')
  })

  test('partners and auditors are refused the direct accounts page and its actions', async () => {
    for (const email of [demoEmails.partnerA, demoEmails.auditor]) {
      const session = await httpSession(server.url, email)
      expect((await session.get('/vendor/accounts')).status, `${email} reads the accounts page`).toBe(403)
      expect((await session.post('/vendor/accounts', { intent: 'add', commandId: crypto.randomUUID(), name: 'Sneaky', domains: 'sneaky.example', reason: 'x' })).status, `${email} adds`).toBe(403)
      expect((await session.post('/vendor/accounts', { intent: 'remove', accountId: 'globex', reason: 'x' })).status, `${email} removes`).toBe(403)
    }
    const sam = await httpSession(server.url, demoEmails.channelManager)
    expect((await sam.get('/vendor/accounts')).status).toBe(200)
  })

  test('the pages fit a 390 px phone', async () => {
    const { first, later } = await rivalRegistrations()
    for (const [email, path, name] of [
      [demoEmails.channelManager, '/vendor/deals', 'queue'],
      [demoEmails.channelManager, `/vendor/deals/${later.dealId}`, 'deal'],
      [demoEmails.vendorAdmin, '/vendor/accounts', 'accounts'],
      [demoEmails.partnerA, first.path, 'partner-deal'],
      [demoEmails.partnerA, '/partner/deals', 'partner-deals'],
    ] as const) {
      const page = await pageAs(email, 390)
      await page.goto(`${server.url}${path}`)
      await page.screenshot({ path: `/tmp/deals/${name}-390.png`, fullPage: true })
      expect(await fitsWidth(page), `${path} fits 390 px`).toBe(true)
      await page.context().close()
    }
  })
})
