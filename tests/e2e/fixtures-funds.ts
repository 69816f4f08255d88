// Co-investment set-ups for the funds e2e tests, made through the real server's forms: a partner of its own taken to
// a stage of the journey (allocated, requested, approved in part, claimed, paid), so each test runs alone.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { applyToProgram, approvedPartner, currentQuarter, daysFromNow, unique, type ApprovedPartner } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'

/**
 * The vendor staff member signed in to `vendor` sets the partner's allocation for this quarter to `amount` EUR, with a
 * reason (the partner's tier allocation is made when it is approved: EUR 0 for the entry tier the fixtures approve in).
 */
export async function allocateFunds(vendor: HttpSession, partnerId: string, amount = 10000) {
  const ledger = `/funds/ledger/${partnerId}/${currentQuarter()}`
  // made at approval, or for a seeded partner by the scheduler's first run after start
  // polled by hand, not expect.poll: set-ups in beforeAll call this too, where expect.poll may not run
  let status = 0
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
    status = (await vendor.get(ledger)).status
    if (status === 200) break
  }
  expect(status, `${partnerId}'s ledger for ${currentQuarter()}`).toBe(200)
  const response = await vendor.post(ledger, { commandId: randomUUID(), amount: String(amount), reason: 'Budget for the roadshow season' })
  expect(response.status, `${vendor.email} sets ${partnerId}'s allocation to ${amount}`).toBe(302)
}

/** A partner of the test's own, approved by the vendor admin into `tier` (a tier name of the settings in force). */
export async function approvedPartnerIn(baseUrl: string, tier: string, company = unique('Tailspin')): Promise<ApprovedPartner> {
  const { partnerId, name, email, password } = await applyToProgram(baseUrl, { company })
  const vera = await httpSession(baseUrl, demoEmails.vendorAdmin)
  const approved = await vera.post('/vendor/applications', { intent: 'approve', partnerId, tier })
  expect(approved.status, `${company} approved into ${tier}`).toBe(302)
  return { partnerId, company, name, email, password, session: await httpSession(baseUrl, email, password) }
}

export const fundsStages = ['allocated', 'requested', 'approved', 'claimed', 'paid'] as const
export type FundsStage = (typeof fundsStages)[number]

export type FundsJourney = { partner: ApprovedPartner; activity: string; coInvestmentId: string; requestPath: string; evidencePath: string }

export const claimPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

/**
 * A partner approved for the test, taken through the co-investment story up to `until`: EUR 10,000 allocated; EUR 8,000
 * requested for a roadshow; approved in part (EUR 6,000 at 50%); claimed with a EUR 10,000 invoice, 42 leads and a PDF;
 * the claim approved at EUR 4,500 and paid. Its ledger holds only these movements.
 */
export async function fundsJourney(baseUrl: string, vendor: HttpSession, until: FundsStage): Promise<FundsJourney> {
  const reached = (stage: FundsStage) => fundsStages.indexOf(until) >= fundsStages.indexOf(stage)
  const partner = await approvedPartner(baseUrl)
  const activity = unique('Cloud Backup roadshow in Munich')
  const coInvestmentId = randomUUID()
  const requestPath = `/partner/funds/${coInvestmentId}`
  const journey = { partner, activity, coInvestmentId, requestPath, evidencePath: '' }
  await allocateFunds(vendor, partner.partnerId, 10000)
  if (!reached('requested')) return journey
  const requested = await partner.session.post('/partner/funds/new', {
    commandId: coInvestmentId, quarter: currentQuarter(), kind: 'mdf', activity, totalCost: '20000', partnerInvestment: '5000', amountRequested: '8000', expectedPipeline: '250000',
  })
  expect(requested.status, `${partner.email} requests co-investment for ${activity}`).toBe(302)
  if (!reached('approved')) return journey
  const approved = await vendor.post('/vendor/funds/queue', { intent: 'approve', coInvestmentId, approvedAmount: '6000', maxReimbursementPct: '50', claimDeadline: daysFromNow(90) })
  expect(approved.status, `${vendor.email} approves ${activity} in part`).toBe(302)
  if (!reached('claimed')) return journey
  const claimed = await partner.session.post(`${requestPath}?intent=claim`, {
    intent: 'claim', commandId: randomUUID(), invoiceAmount: '10000', leadCount: '42', evidence: new File([claimPdf], 'invoice-munich.pdf', { type: 'application/pdf' }),
  })
  expect(claimed.status, `${partner.email} claims ${activity}`).toBe(302)
  const page = await (await partner.session.get(requestPath)).text()
  journey.evidencePath = page.match(/href="(\/funds\/evidence\/[^"]+)"/)?.[1] ?? ''
  expect(journey.evidencePath).toMatch(/^\/funds\/evidence\/[0-9a-f-]{36}\/[0-9a-f]{64}$/)
  if (!reached('paid')) return journey
  const claimApproved = await vendor.post('/vendor/funds/queue', { intent: 'approve-claim', coInvestmentId, amount: '4500' })
  expect(claimApproved.status, `${vendor.email} approves the claim for ${activity}`).toBe(302)
  const paid = await vendor.post('/vendor/funds/queue', { intent: 'pay', coInvestmentId })
  expect(paid.status, `${vendor.email} pays the claim for ${activity}`).toBe(302)
  return journey
}
