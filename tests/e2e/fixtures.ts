// What an e2e test needs, made through the real server's own forms, so each test sets up its own data and runs alone.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { demoEmails, httpSession, type HttpSession } from './http.ts'

/** a name no other test uses: the prefix and a short random tail */
export const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`

/** a calendar date this many days from today (YYYY-MM-DD) */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

export type DealItem = { sku: string; name: string; quantity: number }
export type RegisteredDeal = { dealId: string; customerName: string; customerDomain: string; path: string }

/** A deal registered by the partner signed in to `partner` through the deal form; it waits for review. */
export async function registerDeal(
  partner: HttpSession,
  deal: { customerName?: string; customerDomain?: string; value?: string; expectedCloseDate?: string; items?: DealItem[] } = {},
): Promise<RegisteredDeal> {
  const dealId = randomUUID()
  const customerName = deal.customerName ?? unique('Customer')
  const customerDomain = deal.customerDomain ?? `${slug(customerName)}.example`
  const items = deal.items ?? [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 1 }]
  const rows = Object.fromEntries(items.flatMap((item, i) => [[`items[${i}].sku`, item.sku], [`items[${i}].name`, item.name], [`items[${i}].quantity`, String(item.quantity)]]))
  const response = await partner.post('/partner/deals/new', {
    commandId: dealId, customerName, customerDomain, value: deal.value ?? '48000', currency: 'EUR', expectedCloseDate: deal.expectedCloseDate ?? daysFromNow(60), ...rows,
  })
  expect(response.status, `${partner.email} registers ${customerName}`).toBe(302)
  const path = `/partner/deals/${dealId}`
  expect(response.headers.get('location')).toBe(path)
  return { dealId, customerName, customerDomain, path }
}

/** The vendor staff member signed in to `vendor` approves a waiting deal from the deal queue. */
export async function approveDeal(vendor: HttpSession, dealId: string) {
  const response = await vendor.post('/vendor/deals', { intent: 'approve', dealId })
  expect(response.status, `${vendor.email} approves deal ${dealId}`).toBe(302)
}

/** Rejects every deal waiting in the vendor's queue, so a test can show the queue holding only its own. */
export async function rejectWaitingDeals(vendor: HttpSession) {
  for (;;) {
    const html = await (await vendor.get('/vendor/deals')).text()
    const waiting = [...new Set([...html.matchAll(/name="dealId" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!))]
    if (waiting.length === 0) return
    for (const dealId of waiting) {
      const response = await vendor.post('/vendor/deals', { intent: 'reject', dealId, reason: 'Cleared for a test of its own' })
      expect(response.status, `rejecting waiting deal ${dealId}`).toBe(302)
    }
  }
}

export type ApprovedPartner = { partnerId: string; company: string; name: string; email: string; password: string; session: HttpSession }

/**
 * A company that applied through /apply and was approved by the vendor admin: a partner of its own (no deals, no
 * certifications, so at the start of its journey) and its admin signed in.
 */
export async function approvedPartner(baseUrl: string, company = unique('Fabrikam')): Promise<ApprovedPartner> {
  const tail = randomUUID().slice(0, 8)
  const email = `ana-${tail}@${slug(company)}.example`
  const password = `correct horse ${tail}`
  const name = `Ana ${tail}`
  // applications are limited per client address: each applicant comes from an address of its own (behind the loopback proxy)
  const client = { 'X-Forwarded-For': `198.18.${parseInt(tail.slice(0, 2), 16)}.${parseInt(tail.slice(2, 4), 16)}` }
  const form = await fetch(`${baseUrl}/apply`, { headers: client })
  const html = await form.text()
  const csrf = html.match(/name="csrf" value="([^"]+)"/)![1]!
  const partnerId = html.match(/name="commandId" value="([^"]+)"/)![1]!
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const body = new URLSearchParams({ csrf, commandId: partnerId, company, websiteDomain: `${slug(company)}.example`, geographies: 'DE', partnerType: 'reseller', name, email, password, confirmPassword: password })
  body.append('segments', 'smb')
  const applied = await fetch(`${baseUrl}/apply`, { method: 'POST', body, headers: { ...client, Cookie: cookie }, redirect: 'manual' })
  expect(applied.status, `${company} applies: ${applied.status === 302 ? '' : (await applied.text()).slice(0, 300)}`).toBe(302)
  const vera = await httpSession(baseUrl, demoEmails.vendorAdmin)
  const page = await (await vera.get('/vendor/applications')).text()
  const tier = page.match(new RegExp(`id="tier-${partnerId}"[^>]*>\\s*<option value="([^"]+)"`))?.[1]
  expect(tier, `a tier to approve ${company} with`).toBeDefined()
  const approved = await vera.post('/vendor/applications', { intent: 'approve', partnerId, tier: tier! })
  expect(approved.status, `${company} approved`).toBe(302)
  return { partnerId, company, name, email, password, session: await httpSession(baseUrl, email, password) }
}
