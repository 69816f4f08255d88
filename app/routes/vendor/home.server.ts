// What the vendor's Queues page reads: the oldest few of each queue, the whole queues' counts, and what each row needs.
import { randomUUID } from 'node:crypto'
import { addBusinessDays, addDays } from '../../../domain/shared/time.ts'
import { ledgerKey, type FundRequestDoc } from '../../../projections/funds.ts'
import type { CurrentUser } from '../../auth.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { vendorConflicts } from '../../deal-conflict-views.server.ts'
import type { AppServices } from '../../services.server.ts'

/** rows of each queue shown here (the oldest); the counts are of the whole queues, and the queue pages page through all */
const TOP = 5

export async function loadQueues(services: AppServices, user: CurrentUser) {
  const funds = fundsQueries(services.sql)
  const now = services.clock().toISOString()
  const [deals, requests, claims, settings, dealSummary] = await Promise.all([
    services.queries.deals.oldestWaiting(TOP), funds.oldestWaiting('Requested', TOP), funds.oldestWaiting('ClaimSubmitted', TOP),
    funds.settings(now), services.queries.deals.queueSummary(now),
  ])
  const sla = settings.reviewSlaBusinessDays
  // the whole queues' lengths and overdue counts: the rows shown are only the oldest few
  const [fundsSummary, names, available, conflicts] = await Promise.all([
    funds.queueSummary(now, sla),
    services.queries.organisations.names([...deals, ...requests, ...claims].map((row) => row.partnerId)),
    funds.availableIn(requests),
    vendorConflicts(services, deals),
  ])
  const fundsDue = (r: FundRequestDoc) => addBusinessDays(r.waitingSince, sla)
  const commandId = randomUUID()
  return {
    now, sla, user,
    today: now.slice(0, 10),
    mayReviewClaims: can(user.role, 'claim:review'),
    summary: { deals: dealSummary, requests: fundsSummary.requests, claims: fundsSummary.claims },
    deals: deals.map((d) => ({ ...d, partnerName: names[d.partnerId] ?? d.partnerId, conflictView: conflicts[d.dealId] ?? null })),
    requests: requests.map((r) => ({
      ...r, partnerName: names[r.partnerId] ?? r.partnerId, dueAt: fundsDue(r),
      available: available[ledgerKey(r.partnerId, r.quarter)] ?? 0, commandId: `${commandId}-${r.coInvestmentId}`,
    })),
    claims: claims.map((r) => ({ ...r, partnerName: names[r.partnerId] ?? r.partnerId, dueAt: fundsDue(r) })),
    defaultDeadline: addDays(now, settings.claimDeadlineDays),
  }
}
