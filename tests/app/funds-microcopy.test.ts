// The funds pages' words read as sentences: an amount approved in part is separated from its badge, and the next
// action names its deadline in the app's date style.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { partnerNextAction, RequestFacts } from '../../app/routes/funds/components.tsx'
import type { FundRequestDoc } from '../../projections/funds.ts'

const request = {
  coInvestmentId: 'c1', partnerId: 'northwind', kind: 'mdf', quarter: '2026-Q4', activity: 'Webinar', currency: 'EUR', totalCost: 10_000,
  partnerInvestment: 5000, amountRequested: 6000, expectedPipeline: 50_000, requestedAt: '2026-12-01T10:00:00Z', status: 'Approved',
  approvedAmount: 5000, partial: true, maxReimbursementPct: 50, claimDeadline: '2027-12-07', reason: null, claim: null,
} as unknown as FundRequestDoc

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&nbsp;|\u00a0/g, ' ')

test('"EUR 5,000 In part", not "EUR 5,000In part"', () => {
  expect(text(renderToStaticMarkup(createElement(RequestFacts, { request })))).toContain('EUR 5,000 In part')
})

test('the next action names the deadline as 7 Dec 2027, not 2027-12-07', () => {
  expect(partnerNextAction(request)).toBe('Claim by 7 Dec 2027')
})
