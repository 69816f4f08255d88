// What an e2e test needs, made through the real server's own forms, so each test sets up its own data and runs alone.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { demoEmails, httpSession, type HttpSession } from './http.ts'

const PLACES = ['Aalborg', 'Bergen', 'Cork', 'Delft', 'Espoo', 'Faro', 'Graz', 'Haarlem', 'Innsbruck', 'Jena', 'Kassel', 'Lille', 'Malmo',
  'Nantes', 'Odense', 'Porto', 'Quimper', 'Rennes', 'Salzburg', 'Tampere', 'Utrecht', 'Verona', 'Wels', 'Ypres', 'Zwolle']
const SURNAMES = ['Keller', 'Novak', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Greco', 'Hansen', 'Ivanova', 'Jansen', 'Kowalski',
  'Larsen', 'Moreau', 'Nilsen', 'Olsen', 'Petersen', 'Quist', 'Rossi', 'Schmidt', 'Torres', 'Urban', 'Vogel', 'Weber', 'Young', 'Zeman']
// a counter from a random start: names never repeat within a file's server, and read like the demo's in screenshots
let named = Math.floor(Math.random() * 10_000)

/** a name no other test uses: the prefix, a place and a three-digit number */
export const unique = (prefix: string) => {
  const n = named++
  return `${prefix} ${PLACES[n % PLACES.length]} ${String(Math.floor(n / PLACES.length) % 1000).padStart(3, '0')}`
}

/** a person's name no other test uses: the first name, an initial and a surname */
export const uniquePerson = (first: string) => {
  const n = named++
  return `${first} ${String.fromCharCode(65 + (Math.floor(n / SURNAMES.length) % 26))}. ${SURNAMES[n % SURNAMES.length]}`
}

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
  const { partnerId, name, email, password } = await applyToProgram(baseUrl, { company })
  const vera = await httpSession(baseUrl, demoEmails.vendorAdmin)
  const page = await (await vera.get('/vendor/applications')).text()
  // the first tier offered in the application's approval form (the lowest)
  const tier = page.match(new RegExp(`name="partnerId" value="${partnerId}"[\\s\\S]*?<option[^>]*value="([^"]+)"`))?.[1]
  expect(tier, `a tier to approve ${company} with`).toBeDefined()
  const approved = await vera.post('/vendor/applications', { intent: 'approve', partnerId, tier: tier! })
  expect(approved.status, `${company} approved`).toBe(302)
  return { partnerId, company, name, email, password, session: await httpSession(baseUrl, email, password) }
}

/** the quarter of today (YYYY-Qn), the one the demo seed allocates funds for */
export const currentQuarter = () => {
  const now = new Date()
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`
}

/** A co-investment request of the partner signed in to `partner`, this quarter; it waits for the vendor's review. */
export async function requestCoInvestment(partner: HttpSession, activity: string, amountRequested = 2000) {
  const coInvestmentId = randomUUID()
  const response = await partner.post('/partner/funds/new', {
    commandId: coInvestmentId, quarter: currentQuarter(), kind: 'mdf', activity, totalCost: String(amountRequested * 2), partnerInvestment: String(amountRequested),
    amountRequested: String(amountRequested), expectedPipeline: '60000',
  })
  expect(response.status, `${partner.email} requests co-investment for ${activity}`).toBe(302)
  return { coInvestmentId, activity, path: `/partner/funds/${coInvestmentId}` }
}

const evidencePdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/** A claim waiting for the vendor: the partner requests co-investment, the vendor approves it in full, the partner claims it with a PDF. */
export async function waitingClaim(partner: HttpSession, vendor: HttpSession, activity: string) {
  const request = await requestCoInvestment(partner, activity, 1000)
  const approved = await vendor.post('/vendor/funds/queue', {
    intent: 'approve', coInvestmentId: request.coInvestmentId, approvedAmount: '1000', maxReimbursementPct: '50', claimDeadline: daysFromNow(90),
  })
  expect(approved.status, `${vendor.email} approves ${activity}`).toBe(302)
  const claimed = await partner.post(`${request.path}?intent=claim`, {
    intent: 'claim', commandId: randomUUID(), invoiceAmount: '2000', evidence: new File([evidencePdf], 'invoice.pdf', { type: 'application/pdf' }),
  })
  expect(claimed.status, `${partner.email} claims ${activity}`).toBe(302)
  return request
}

/** the co-investments waiting on the first page of each list of the vendor's funds queue, by the section they sit in */
async function fundsQueue(vendor: HttpSession) {
  const html = await (await vendor.get('/vendor/funds/queue')).text()
  const ids = (section: string) => {
    const body = html.match(new RegExp(`<section aria-labelledby="${section}-title">([\\s\\S]*?)</section>`))?.[1] ?? ''
    return [...new Set([...body.matchAll(/name="coInvestmentId" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!))]
  }
  return { requests: ids('requests'), claims: ids('claims') }
}

/** Rejects every co-investment request waiting for review (the partners may resubmit them). */
export async function rejectWaitingRequests(vendor: HttpSession) {
  for (let { requests } = await fundsQueue(vendor); requests.length; { requests } = await fundsQueue(vendor)) {
    for (const coInvestmentId of requests) {
      const response = await vendor.post('/vendor/funds/queue', { intent: 'reject', coInvestmentId, reason: 'Cleared for a test of its own' })
      expect(response.status, `rejecting waiting request ${coInvestmentId}`).toBe(302)
    }
  }
}

/** Approves in full every claim waiting for review but those named. */
export async function approveWaitingClaims(vendor: HttpSession, except: string[] = []) {
  for (let { claims } = await fundsQueue(vendor); claims.some((id) => !except.includes(id)); { claims } = await fundsQueue(vendor)) {
    const response = await vendor.post('/vendor/funds/queue', { intent: 'approve-claims', selected: claims.filter((id) => !except.includes(id)) })
    expect(response.status, 'approving the waiting claims').toBe(302)
  }
}

export type Application = { partnerId: string; company: string; websiteDomain: string; name: string; email: string; password: string }

/**
 * A company's application through /apply (a reseller for small businesses in DE unless told otherwise), from a client
 * address of its own; it waits for the vendor's decision.
 */
export async function applyToProgram(
  baseUrl: string,
  application: { company?: string; websiteDomain?: string; partnerType?: string; segments?: string[]; geographies?: string } = {},
): Promise<Application> {
  const tail = randomUUID().slice(0, 8)
  const company = application.company ?? unique('Fabrikam')
  // as typed into the form (the server keeps the domain of a web address)
  const websiteDomain = application.websiteDomain ?? `${slug(company)}.example`
  const email = `applicant-${tail}@${slug(company)}.example`
  const password = `correct horse ${tail}`
  const name = uniquePerson('Ana')
  // applications are limited per client address: each applicant comes from an address of its own (behind the loopback proxy)
  const client = { 'X-Forwarded-For': `198.19.${parseInt(tail.slice(0, 2), 16)}.${parseInt(tail.slice(2, 4), 16)}` }
  const form = await fetch(`${baseUrl}/apply`, { headers: client })
  const html = await form.text()
  const csrf = html.match(/name="csrf" value="([^"]+)"/)![1]!
  const partnerId = html.match(/name="commandId" value="([^"]+)"/)![1]!
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const body = new URLSearchParams({
    csrf, commandId: partnerId, company, websiteDomain, geographies: application.geographies ?? 'DE', partnerType: application.partnerType ?? 'reseller',
    name, email, password, confirmPassword: password,
  })
  for (const segment of application.segments ?? ['smb']) body.append('segments', segment)
  const applied = await fetch(`${baseUrl}/apply`, { method: 'POST', body, headers: { ...client, Cookie: cookie }, redirect: 'manual' })
  expect(applied.status, `${company} applies: ${applied.status === 302 ? '' : (await applied.text()).slice(0, 300)}`).toBe(302)
  return { partnerId, company, websiteDomain, name, email, password }
}

/** Rejects every application waiting for the vendor (signed in to `vendor`), so a test can show the queue empty or holding only its own. */
export async function rejectWaitingApplications(vendor: HttpSession) {
  for (;;) {
    const html = await (await vendor.get('/vendor/applications')).text()
    const waiting = [...new Set([...html.matchAll(/name="partnerId" value="([^"]+)"/g)].map((m) => m[1]!))]
    if (waiting.length === 0) return
    for (const partnerId of waiting) {
      const response = await vendor.post('/vendor/applications', { intent: 'reject', partnerId, reason: 'Cleared for a test of its own' })
      expect(response.status, `rejecting waiting application ${partnerId}`).toBe(302)
    }
  }
}

/** the one-time password a page shows for a user just created */
const initialPassword = (html: string) => html.match(/data-testid="initial-password">([^<]+)</)?.[1]?.trim()

/** A colleague invited by the partner admin signed in to `admin` through the team page; signs in with the returned one-time password. */
export async function inviteColleague(admin: HttpSession, colleague: { name?: string; email?: string; role?: 'partner_user' | 'partner_admin' } = {}) {
  const tail = randomUUID().slice(0, 8)
  const name = colleague.name ?? uniquePerson('Jo')
  const email = colleague.email ?? `jo-${tail}@${admin.email.split('@')[1]}`
  const response = await admin.post('/partner/team', { intent: 'invite', commandId: randomUUID(), name, email, role: colleague.role ?? 'partner_user' })
  const password = initialPassword(await response.text())
  expect(password, `${admin.email} invites ${email} (${response.status})`).toBeDefined()
  return { name, email, password: password! }
}

/** A member of the vendor's staff added by the vendor admin signed in to `admin`; signs in with the returned one-time password. */
export async function addStaffMember(admin: HttpSession, member: { name?: string; email?: string; role?: 'channel_manager' | 'vendor_admin' | 'auditor' } = {}) {
  const tail = randomUUID().slice(0, 8)
  const name = member.name ?? uniquePerson('Kim')
  const email = member.email ?? `kim-${tail}@vendor.example`
  const response = await admin.post('/vendor/staff', { intent: 'add', commandId: randomUUID(), name, email, role: member.role ?? 'channel_manager' })
  const password = initialPassword(await response.text())
  expect(password, `${admin.email} adds ${email} to the staff (${response.status})`).toBeDefined()
  return { name, email, password: password! }
}

/** An asset published by the vendor staff member signed in to `vendor` through the asset form, with its file; returns its id. */
export async function publishAsset(vendor: HttpSession, fields: Record<string, string | string[]>, file: { filename: string; bytes: Uint8Array }) {
  const page = await (await vendor.get('/vendor/enablement/assets/new')).text()
  const assetId = page.match(/name="commandId" value="([^"]+)"/)![1]!
  const response = await vendor.post('/vendor/enablement/assets/new', { ...fields, commandId: assetId, file: new File([file.bytes as BlobPart], file.filename) })
  expect(response.status, await response.clone().text().then((t) => [...t.matchAll(/(?:-error"|role="alert")[^>]*>([^<]+)/g)].map((m) => m[1]).join(' | '))).toBe(302)
  return assetId
}
