// The funds area's questions to the read models: requests, queues, ledgers, tiers and the settings in force.
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../../domain/settings/defaults.ts'
import { settingsInForce, type SettingsHistory } from '../../domain/settings/settings.ts'
import { tierProgress, type TierProgress } from '../../domain/settings/tiers.ts'
import { validCertifications } from '../../projections/insights/facts.ts'
import type { PartnerInProgram } from '../../domain/scheduler/policies.ts'
import { addBusinessDays } from '../../domain/shared/time.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { FundSettingsDoc, FundsPartnerDoc, LedgerDoc } from '../../projections/funds.ts'
import { ledgerKey } from '../../projections/funds.ts'
import type { PageRequest, QueueSummary } from '../paging.ts'
import { sql as q } from 'kysely'
import type { JourneyDoc } from '../../projections/journey.ts'
import {
  activeRowsOf, byText, count, doc, docSets, eb, everyDoc, field, jsonField, key, listDocs, mergeLogs, pageOf, readModels, type CountBy, type DocList, type SetsAnswer, type Where,
} from './read-models.server.ts'

const status = field('status')
const has = (name: string): Where => q<boolean>`rm.state ? ${q.lit(name)}`
/** a field as a number (committed, amounts) */
const numeric = (expression: ReturnType<typeof q>) => q<number>`(${expression})::numeric`


/** A partner's co-investment requests, newest first (as a list: see DocList). */
export const fundRequestsOf = (partnerId: string): DocList<'fund-requests'> => ({
  projection: 'fund-requests', where: eb(field('partnerId'), '=', partnerId), orderBy: [[field('requestedAt'), 'desc']],
})

/** the published library assets reserved for a tier and above, counted by that tier */
const assetsByMinimumTier: CountBy = {
  countBy: { projection: 'assets', where: eb(status, '=', q.lit('Published')) },
  by: q<string | null>`${jsonField('audienceRules')}->>${q.lit('minimumTier')}`,
}

/**
 * What tierProgressFrom reads besides the partner's journey document, as docSets questions: a page asks them with its
 * own in one round trip.
 */
export const tierProgressSets = (partnerId: string) => ({
  $tierDocs: { keys: [['fund-settings', `partner:${partnerId}`], ['fund-settings', 'settings']] as const },
  $tierAssets: assetsByMinimumTier,
})

/**
 * tierProgressSets for a page whose answer finds the fund settings' documents held in memory (insights' partnerWith,
 * decision 037): only the assets are asked.
 */
export const tierProgressHeldSets = () => ({ $tierAssets: assetsByMinimumTier })

/** What the partner's tier gives and what the next one needs, against its valid certifications and won deals at `now`. */
export function tierProgressFrom(
  found: Pick<SetsAnswer<object>, 'doc'> & { $tierAssets: Record<string, number> }, partnerId: string, journey: Pick<JourneyDoc, 'facts'> | null, now: string,
): TierProgress {
  const history = found.doc<'fund-settings', FundSettingsDoc>('fund-settings', 'settings')
  const settings = settingsInForce(history ? { status: 'Changed', changes: history.changes as never } : { status: 'Defaults', changes: [] }, now)
  const partner = found.doc<'fund-settings', FundsPartnerDoc>('fund-settings', `partner:${partnerId}`)
  const facts = journey?.facts
  return tierProgress(
    settings, partner?.tier ?? null, { certifications: facts ? validCertifications(facts, now).length : 0, wonDeals: facts?.wonDeals ?? 0 }, found.$tierAssets,
  )
}

/** A partner's requests waiting for a claim (approved, or claim rejected but refileable), earliest deadline first. */
export const claimsDueOf = (partnerId: string): DocList<'fund-requests'> => ({
  projection: 'fund-requests',
  where: eb.and([eb(field('partnerId'), '=', partnerId), eb(status, 'in', [q.lit('Approved'), q.lit('ClaimRejected')]), eb(field('claimDeadline'), 'is not', null)]),
  orderBy: [[field('claimDeadline'), 'asc']],
})

/** requests (or claims) in one status, the longest waiting first */
const waitingIn = (state: string, order = 'waitingSince'): DocList<'fund-requests'> => ({
  projection: 'fund-requests', where: eb(status, '=', q.lit(state)), orderBy: [[field(order), 'asc']],
})

export function fundsQueries(sql: SqlExecutor) {
  const db = readModels(sql)
  const requests = 'fund-requests'
  const ledgers = 'fund-ledgers'
  return {
    request: async (coInvestmentId: string) => {
      const found = await doc(sql, requests, coInvestmentId)
      // a money-only stub (reservation seen before its request) is not a request
      return found && found.partnerId ? found : null
    },
    /** a page of a partner's requests, newest first, and how many it has in all */
    requestsOf: (partnerId: string, page?: PageRequest) => pageOf(sql, fundRequestsOf(partnerId), page),
    /** every request of a partner that waits for a claim, the earliest deadline first (a work list: complete) */
    claimsDueOf: (partnerId: string) => everyDoc(sql, claimsDueOf(partnerId)).then((found) => found.sort(byText((r) => r.claimDeadline!))),
    /** every approved request (or rejected claim) whose claim deadline passed before `today`: the scheduler closes them */
    claimDeadlinesPassed: (today: string) =>
      everyDoc(sql, {
        projection: requests,
        where: eb.and([has('partnerId'), eb(status, 'in', [q.lit('Approved'), q.lit('ClaimRejected')]), eb(field('claimDeadline'), '<', today)]),
      }),
    /**
     * Every request due for settling by the domain's settlementDue, in SQL so a tick reads only what is due;
     * tests/app/funds-unsettled-query.test.ts checks the two agree on every status.
     */
    unsettled: (orphanedBefore: string) => {
      const committed = numeric(field('committed'))
      const claimed = (amount: string) => numeric(q`${jsonField('claim')}->>${q.lit(amount)}`)
      const is = (state: string) => eb(status, '=', q.lit(state))
      return everyDoc(sql, {
        projection: requests,
        where: eb.and([
          has('partnerId'),
          eb(field('paid'), '=', q.lit('false')),
          eb.or([
            eb.and([
              eb(status, 'in', [q.lit('Requested'), q.lit('Rejected'), q.lit('Declined')]), eb(committed, '>', q.lit(0)),
              eb(q`(${field('reservedAt')})::timestamptz`, '<', q`${orphanedBefore}::timestamptz`),
            ]),
            eb.and([is('ClaimSubmitted'), eb(committed, '>', claimed('claimableAmount'))]),
            eb.and([is('ClaimApproved'), eb(committed, '>', claimed('approvedAmount'))]),
            eb.and([is('ClaimWindowClosed'), eb(committed, '>', q.lit(0))]),
            is('Paid'),
          ]),
        ]),
      })
    },
    /** a page of the requests waiting for a decision, oldest first */
    /** the `n` oldest requests or claims waiting for a decision (the Queues page; queueSummary counts them all) */
    oldestWaiting: (state: 'Requested' | 'ClaimSubmitted', n: number) =>
      listDocs(sql, { projection: requests, where: eb(status, '=', state), orderBy: [[field('waitingSince'), 'asc'], [key]] }, n),
    requestQueue: (page?: PageRequest) => pageOf(sql, waitingIn('Requested'), page),
    /** a page of the claims waiting for a decision, oldest first */
    claimQueue: (page?: PageRequest) => pageOf(sql, waitingIn('ClaimSubmitted'), page),
    /** a page of the approved claims waiting for payment, oldest first */
    paymentQueue: (page?: PageRequest) => pageOf(sql, waitingIn('ClaimApproved', 'updatedAt'), page),
    /** how many requests and claims wait for a decision (both queues together) */
    waitingCount: () => count(sql, { projection: requests, where: eb(status, 'in', [q.lit('Requested'), q.lit('ClaimSubmitted')]) }),
    /**
     * How many requests and claims wait, and how many are past the review SLA at `now`. Business-day due times are not
     * monotonic in the start (Saturday night is due after Sunday morning), so start times are read and counted here.
     */
    async queueSummary(now: string, sla: number): Promise<{ requests: QueueSummary; claims: QueueSummary }> {
      const since = (state: string) => q<string[] | string>`coalesce(json_agg(${field('waitingSince')}) filter (where ${status} = ${q.lit(state)}), '[]'::json)`
      const rows = await activeRowsOf(db, requests).where(status, 'in', [q.lit('Requested'), q.lit('ClaimSubmitted')])
        .select([since('Requested').as('requests'), since('ClaimSubmitted').as('claims')]).execute()
      const summary = (found: string[] | string | undefined): QueueSummary => {
        const since = typeof found === 'string' ? (JSON.parse(found) as string[]) : (found ?? [])
        return { waiting: since.length, overdue: since.filter((at) => addBusinessDays(at, sla) < now).length }
      }
      return { requests: summary(rows[0]?.requests), claims: summary(rows[0]?.claims) }
    },
    /** one ledger with its movements (stored as rows, Projection.logs), in one round trip */
    async ledger(partnerId: string, quarter: string): Promise<LedgerDoc | null> {
      const found = await docSets(sql, { ledger: { keys: [[ledgers, ledgerKey(partnerId, quarter)]] }, movements: { log: { projection: ledgers, key: ledgerKey(partnerId, quarter), field: 'movements' } } })
      const stored = found.doc(ledgers, ledgerKey(partnerId, quarter))
      return stored ? { ...stored, movements: mergeLogs(found.movements) as LedgerDoc['movements'] } : null
    },
    /** The money available on each of these allocations by ledger key (`partnerId:quarter`), in one query, for a queue page. */
    async availableIn(requests: readonly { partnerId: string; quarter: string }[]): Promise<Record<string, number>> {
      const keys = [...new Set(requests.map((r) => ledgerKey(r.partnerId, r.quarter)))]
      if (keys.length === 0) return {}
      const rows = await activeRowsOf(db, ledgers).where('rm.key', '=', q<string>`any(${keys}::text[])`)
        .select(['rm.key', q<number | string>`${jsonField('available')}`.as('available')]).execute()
      return Object.fromEntries(rows.map((row) => [row.key, Number(row.available)]))
    },
    /** every ledger of a partner, newest quarter first, without their movements (movementCount says how many): one a quarter */
    ledgersOf: (partnerId: string) =>
      everyDoc(sql, { projection: ledgers, where: eb(field('partnerId'), '=', partnerId) }).then((list) => list.sort(byText((l) => l.quarter, 'desc'))),
    /** every partner's ledger of a quarter, by partner id, however many partners (the vendor's funds page totals them) */
    ledgersFor: (quarter: string) =>
      everyDoc(sql, { projection: ledgers, where: eb(field('quarter'), '=', quarter) }).then((list) => list.sort(byText((l) => l.partnerId))),
    /** every ledger of a quarter before `quarter` that has not expired yet */
    ledgersToExpire: (quarter: string) =>
      everyDoc(sql, { projection: ledgers, where: eb.and([eb(status, '<>', q.lit('Expired')), eb(field('quarter'), '<', quarter)]) }),
    tierOf: async (partnerId: string) => (await doc(sql, 'fund-settings', `partner:${partnerId}`))?.tier ?? null,
    /** every partner's tier, by partner id, in one query (a partner without a tier is absent) */
    async tiers(): Promise<Record<string, string>> {
      const rows = await activeRowsOf(db, 'fund-settings').where('rm.key', 'like', q.lit('partner:%'))
        .select(['rm.key', q<string | null>`${field('tier')}`.as('tier')]).execute()
      return Object.fromEntries(rows.filter((row) => row.tier).map((row) => [row.key.slice('partner:'.length), row.tier!]))
    },
    async settings(at: string): Promise<ProgramSettings> {
      return settingsInForce(await this.settingsHistory(), at)
    },
    /** every change of the program settings, for the rules that need the settings of another moment */
    async settingsHistory(): Promise<SettingsHistory> {
      const history = await doc<'fund-settings', FundSettingsDoc>(sql, 'fund-settings', 'settings')
      return history ? { status: 'Changed', changes: history.changes as never } : { status: 'Defaults', changes: [] }
    },
    /** What the partner's tier gives and what the next one needs, against its valid certifications and won deals at `now`. */
    async tierProgressOf(partnerId: string, now: string): Promise<TierProgress> {
      const found = await docSets(sql, { ...tierProgressSets(partnerId), journey: { keys: [['journey', partnerId]] } })
      return tierProgressFrom(found, partnerId, found.doc('journey', partnerId), now)
    },
    /** a partner's tier, when it joined and its tiers over time */
    partnerTiers: (partnerId: string) => doc<'fund-settings', FundsPartnerDoc>(sql, 'fund-settings', `partner:${partnerId}`),
    /**
     * Every approved partner, with whether it has a ledger for `quarter`: what the tier allocation policy reads (one
     * row per partner in the program, read once a scheduler tick).
     */
    async partnersInProgram(quarter: string): Promise<PartnerInProgram[]> {
      const [rows, allocated] = await Promise.all([
        activeRowsOf(db, 'fund-settings').where('rm.key', 'like', q.lit('partner:%')).select('rm.state').execute(),
        activeRowsOf(db, ledgers).where(field('quarter'), '=', quarter).select(q<string>`${field('partnerId')}`.as('partnerId')).execute(),
      ])
      const has = new Set(allocated.map((row) => row.partnerId))
      return rows.flatMap(({ state }) => {
        const p = state as FundsPartnerDoc
        return p.joinedAt && p.tiers ? [{ partnerId: p.partnerId, joinedAt: p.joinedAt, tiers: p.tiers, allocated: has.has(p.partnerId) }] : []
      })
    },
  }
}
export type FundsQueries = ReturnType<typeof fundsQueries>
