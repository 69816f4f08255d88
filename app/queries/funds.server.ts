// The funds area's questions to the read models: requests, queues, ledgers, tiers and the settings in force.
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../../domain/settings/defaults.ts'
import { settingsInForce } from '../../domain/settings/settings.ts'
import { addBusinessDays } from '../../domain/shared/time.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { FundRequestDoc, FundsPartnerDoc, FundSettingsDoc, LedgerDoc } from '../../projections/funds.ts'
import { ledgerKey } from '../../projections/funds.ts'
import type { PageRequest, QueueSummary } from '../paging.ts'
import { activeRows, byText, count, doc, docs, docsAndLogs, everyDoc, mergeLogs, pageOfDocs, pageOfList, pairKey, type DocList } from './read-models.server.ts'

/** A partner's co-investment requests, newest first (as a list: see DocList). */
export const fundRequestsOf = (partnerId: string): DocList => ({
  projection: 'fund-requests', where: `rm.state->>'partnerId' = $2`, params: [partnerId], orderBy: `rm.state->>'requestedAt' desc`,
})

/**
 * A partner's requests that wait for a claim (approved, or a rejected claim that may be filed again before the
 * deadline), the earliest deadline first.
 */
export const claimsDueOf = (partnerId: string): DocList => ({
  projection: 'fund-requests',
  where: `rm.state->>'partnerId' = $2 and rm.state->>'status' in ('Approved', 'ClaimRejected') and rm.state->>'claimDeadline' is not null`,
  params: [partnerId],
  orderBy: `rm.state->>'claimDeadline' asc`,
})

export function fundsQueries(sql: SqlExecutor) {
  const requests = 'fund-requests'
  const ledgers = 'fund-ledgers'
  return {
    request: async (coInvestmentId: string) => {
      const found = await doc<FundRequestDoc>(sql, requests, coInvestmentId)
      // a money-only stub (reservation seen before its request) is not a request
      return found && found.partnerId ? found : null
    },
    /** a page of a partner's requests, newest first, and how many it has in all */
    requestsOf: (partnerId: string, page?: PageRequest) => pageOfList<FundRequestDoc>(sql, fundRequestsOf(partnerId), page),
    /** every request of a partner that waits for a claim, the earliest deadline first (a work list: complete) */
    claimsDueOf: (partnerId: string) => {
      const list = claimsDueOf(partnerId)
      return everyDoc<FundRequestDoc>(sql, list.projection, list.where, [...list.params!]).then((found) => found.sort(byText((r) => r.claimDeadline!)))
    },
    /** every approved request (or rejected claim) whose claim deadline passed before `today`: the scheduler closes them */
    claimDeadlinesPassed: (today: string) =>
      everyDoc<FundRequestDoc>(
        sql, requests,
        `rm.state ? 'partnerId' and rm.state->>'status' in ('Approved', 'ClaimRejected') and rm.state->>'claimDeadline' < $2`,
        [today],
      ),
    /**
     * Every request the domain's release rule says is due for settling (settlementDue in domain/coinvestment): held
     * without an approval since before `orphanedBefore`, more held than a submitted or approved claim keeps, a closed
     * claim window still holding money, or a payment not recorded. Written in SQL so a tick reads only what is due;
     * tests/app/funds-unsettled-query.test.ts checks it agrees with settlementDue on every status.
     */
    unsettled: (orphanedBefore: string) =>
      everyDoc<FundRequestDoc>(
        sql, requests,
        `rm.state ? 'partnerId' and rm.state->>'paid' = 'false' and (
           (rm.state->>'status' in ('Requested', 'Rejected', 'Declined') and (rm.state->>'committed')::numeric > 0
             and (rm.state->>'reservedAt')::timestamptz < $2::timestamptz)
           or (rm.state->>'status' = 'ClaimSubmitted' and (rm.state->>'committed')::numeric > (rm.state->'claim'->>'claimableAmount')::numeric)
           or (rm.state->>'status' = 'ClaimApproved' and (rm.state->>'committed')::numeric > (rm.state->'claim'->>'approvedAmount')::numeric)
           or (rm.state->>'status' = 'ClaimWindowClosed' and (rm.state->>'committed')::numeric > 0)
           or rm.state->>'status' = 'Paid')`,
        [orphanedBefore],
      ),
    /** a page of the requests waiting for a decision, oldest first */
    /** the `n` oldest requests or claims waiting for a decision (the Queues page; queueSummary counts them all) */
    oldestWaiting: (status: 'Requested' | 'ClaimSubmitted', n: number) =>
      docs<FundRequestDoc>(sql, requests, `rm.state->>'status' = $2`, [status], `rm.state->>'waitingSince' asc, rm.key`, n),
    requestQueue: (page?: PageRequest) => pageOfDocs<FundRequestDoc>(sql, requests, `rm.state->>'status' = 'Requested'`, [], `rm.state->>'waitingSince' asc`, page),
    /** a page of the claims waiting for a decision, oldest first */
    claimQueue: (page?: PageRequest) => pageOfDocs<FundRequestDoc>(sql, requests, `rm.state->>'status' = 'ClaimSubmitted'`, [], `rm.state->>'waitingSince' asc`, page),
    /** a page of the approved claims waiting for payment, oldest first */
    paymentQueue: (page?: PageRequest) => pageOfDocs<FundRequestDoc>(sql, requests, `rm.state->>'status' = 'ClaimApproved'`, [], `rm.state->>'updatedAt' asc`, page),
    /** how many requests and claims wait for a decision (both queues together) */
    waitingCount: () => count(sql, requests, `rm.state->>'status' in ('Requested', 'ClaimSubmitted')`),
    /**
     * How many requests and claims wait, and how many of each are past the review SLA at `now`, however long the queues.
     * A request is due `sla` business days after it started waiting, and that due time does not grow with the start
     * (Saturday night is due after Sunday morning), so no cut-off on waitingSince answers it: the queues' start times
     * (one short string each) come in one query and are counted here, exactly.
     */
    async queueSummary(now: string, sla: number): Promise<{ requests: QueueSummary; claims: QueueSummary }> {
      const { rows } = await sql.query<{ requests: string[] | string; claims: string[] | string }>(
        `select coalesce(json_agg(rm.state->>'waitingSince') filter (where rm.state->>'status' = 'Requested'), '[]'::json) as requests,
                coalesce(json_agg(rm.state->>'waitingSince') filter (where rm.state->>'status' = 'ClaimSubmitted'), '[]'::json) as claims
           ${activeRows('$1')} and rm.state->>'status' in ('Requested', 'ClaimSubmitted')`,
        [requests],
      )
      const summary = (found: string[] | string | undefined): QueueSummary => {
        const since = typeof found === 'string' ? (JSON.parse(found) as string[]) : (found ?? [])
        return { waiting: since.length, overdue: since.filter((at) => addBusinessDays(at, sla) < now).length }
      }
      return { requests: summary(rows[0]?.requests), claims: summary(rows[0]?.claims) }
    },
    /** one ledger with its movements (stored as rows, Projection.logs), in one round trip */
    async ledger(partnerId: string, quarter: string): Promise<LedgerDoc | null> {
      const key = ledgerKey(partnerId, quarter)
      const found = await docsAndLogs(sql, [[ledgers, key]], [{ projection: ledgers, key, field: 'movements' }])
      const stored = found.docs.get(pairKey(ledgers, key)) as LedgerDoc | undefined
      return stored ? { ...stored, movements: mergeLogs(found.logs[0]!) as LedgerDoc['movements'] } : null
    },
    /**
     * The money still available on each of these allocations, by ledger key (`partnerId:quarter`; absent for one that
     * does not exist), in one query: a queue page shows it beside each request, and needs neither the movements nor
     * the rest of the ledger.
     */
    async availableIn(requests: readonly { partnerId: string; quarter: string }[]): Promise<Record<string, number>> {
      const keys = [...new Set(requests.map((r) => ledgerKey(r.partnerId, r.quarter)))]
      if (keys.length === 0) return {}
      const { rows } = await sql.query<{ key: string; available: number | string }>(
        `select rm.key, rm.state->'available' as available ${activeRows('$1')} and rm.key = any($2::text[])`,
        [ledgers, keys],
      )
      return Object.fromEntries(rows.map((row) => [row.key, Number(row.available)]))
    },
    /** every ledger of a partner, newest quarter first, without their movements (movementCount says how many): one a quarter */
    ledgersOf: (partnerId: string) =>
      everyDoc<LedgerDoc>(sql, ledgers, `rm.state->>'partnerId' = $2`, [partnerId]).then((list) => list.sort(byText((l) => l.quarter, 'desc'))),
    /** every partner's ledger of a quarter, by partner id, however many partners (the vendor's funds page totals them) */
    ledgersFor: (quarter: string) =>
      everyDoc<LedgerDoc>(sql, ledgers, `rm.state->>'quarter' = $2`, [quarter]).then((list) => list.sort(byText((l) => l.partnerId))),
    /** every ledger of a quarter before `quarter` that has not expired yet */
    ledgersToExpire: (quarter: string) =>
      everyDoc<LedgerDoc>(sql, ledgers, `rm.state->>'status' <> 'Expired' and rm.state->>'quarter' < $2`, [quarter]),
    tierOf: async (partnerId: string) => (await doc<FundsPartnerDoc>(sql, 'fund-settings', `partner:${partnerId}`))?.tier ?? null,
    /** every partner's tier, by partner id, in one query (a partner without a tier is absent) */
    async tiers(): Promise<Record<string, string>> {
      const { rows } = await sql.query<{ key: string; tier: string | null }>(
        `select rm.key, rm.state->>'tier' as tier ${activeRows('$1')} and rm.key like 'partner:%'`,
        ['fund-settings'],
      )
      return Object.fromEntries(rows.filter((row) => row.tier).map((row) => [row.key.slice('partner:'.length), row.tier!]))
    },
    async settings(at: string): Promise<ProgramSettings> {
      const history = await doc<FundSettingsDoc>(sql, 'fund-settings', 'settings')
      if (!history) return DEFAULT_PROGRAM_SETTINGS
      return settingsInForce({ status: 'Changed', changes: history.changes as never }, at)
    },
  }
}
export type FundsQueries = ReturnType<typeof fundsQueries>
