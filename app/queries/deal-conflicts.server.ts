// Deal conflicts and direct accounts as the pages show them: each registration's rivals with their partner, status
// and date; the direct account a customer belongs to; and the vendor's list of direct accounts.
import { sql as q } from 'kysely'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { DirectAccountDoc } from '../../projections/accounts.ts'
import type { DealDoc, DealStatus } from '../../projections/deals.ts'
import { sameDomainFamily } from '../../domain/shared/domains.ts'
import type { PageRequest, Paged } from '../paging.ts'
import { activeRowsOf, eb, everyDoc, field, namesOf, pageOf, readModels, type DocList, type Where } from './read-models.server.ts'

/** another partner's registration of the same customer, as the vendor sees it */
export type Rival = { dealId: string; partnerId: string; partnerName: string; registeredAt: string; status: DealStatus; protectedUntil: string | null }

const ACCOUNTS = 'direct-accounts'
/** statuses in which a registration still holds, or waits for, protection */
const OPEN = ['Submitted', 'Approved']
/** a registration to close because an approval superseded it (domain/scheduler dueSupersessions) */
export type SupersessionDue = { dealId: string; byDealId: string; byPartnerId: string; byRegisteredAt: string; reason: string | null }
const NAMED = eb(field('status'), '=', q.lit('Named'))

/** every registration a deal names as a rival: linked at registration, superseded by it, or approved instead of it */
export function rivalIdsOf(deal: DealDoc): string[] {
  return [...new Set([...(deal.rivalIds ?? []), ...(deal.conflictWon?.superseded.map((s) => s.dealId) ?? []), ...(deal.conflictLost ? [deal.conflictLost.byDealId] : [])])]
}

export function dealConflictQueries(sql: SqlExecutor) {
  const db = readModels(sql)
  const accountsList = (search: string): DocList<typeof ACCOUNTS> => {
    const where: Where[] = []
    const term = search.trim().toLowerCase()
    if (term) where.push(q<boolean>`strpos(${field('search')}, ${term}) > 0`)
    return { projection: ACCOUNTS, where: eb.and(where), orderBy: [[field('status'), 'asc'], [q`lower(${field('name')})`, 'asc']] }
  }
  const named = async () => (await everyDoc(sql, { projection: ACCOUNTS, where: NAMED })) as DirectAccountDoc[]

  return {
    /** the rivals of each of the given registrations, with their partners' names, oldest first, in two round trips */
    async rivalsOf(deals: readonly DealDoc[]): Promise<Record<string, Rival[]>> {
      const ids = [...new Set(deals.flatMap(rivalIdsOf))]
      if (ids.length === 0) return {}
      const rows = await activeRowsOf(db, 'deals').select('rm.state').where('rm.key', '=', q<string>`any(${ids}::text[])`).execute()
      const docs = new Map(rows.map((row) => row.state as DealDoc | null).filter((d): d is DealDoc => d !== null).map((d) => [d.dealId, d]))
      const names = await namesOf(sql, 'organisations', [...docs.values()].map((d) => d.partnerId))
      return Object.fromEntries(deals.map((deal) => [deal.dealId, rivalIdsOf(deal).flatMap((id) => {
        const d = docs.get(id)
        return d ? [{ dealId: d.dealId, partnerId: d.partnerId, partnerName: names[d.partnerId] ?? d.partnerId, registeredAt: d.registeredAt, status: d.status, protectedUntil: d.protectedUntil }] : []
      }).sort((a, b) => a.registeredAt.localeCompare(b.registeredAt))]))
    },
    /** every direct account named now (conflict detection reads all of them) */
    namedAccounts: named,
    /** the named direct account covering each customer domain, if any, by domain */
    async accountsFor(domains: readonly string[]): Promise<Record<string, { accountId: string; name: string }>> {
      if (domains.length === 0) return {}
      const accounts = await named()
      return Object.fromEntries(domains.flatMap((domain) => {
        const account = accounts.find((a) => a.domains.some((d) => sameDomainFamily(d, domain)))
        return account ? [[domain, { accountId: account.accountId, name: account.name }]] : []
      }))
    },
    /** a page of the direct accounts, named first, by name; `search` matches the name or a domain */
    accounts: async (search: string, page?: PageRequest) => (await pageOf(sql, accountsList(search), page)) as Paged<DirectAccountDoc>,
    /**
     * Registrations an approval superseded that are still open (its follow-up writes did not all happen), with what
     * closing each needs; the partial index deals_conflict_won keeps this to the approvals that settled a conflict.
     */
    async unfinishedSupersessions(): Promise<SupersessionDue[]> {
      const { rows } = await sql.query<SupersessionDue>(
        `select s->>'dealId' as "dealId", w.state->>'dealId' as "byDealId", w.state->>'partnerId' as "byPartnerId",
                w.state->>'registeredAt' as "byRegisteredAt", w.state->'conflictWon'->>'reason' as reason
           from read_models w
          cross join lateral jsonb_array_elements(w.state->'conflictWon'->'superseded') s
           join read_models r on r.projection = w.projection and r.version = w.version and r.key = s->>'dealId'
          where w.projection = 'deals' and w.state->'conflictWon' <> 'null'::jsonb
            and w.version = (select pc.version from projection_checkpoints pc where pc.projection = 'deals' and pc.status = 'active')
            and r.state->>'status' = any($1::text[])`,
        [OPEN],
      )
      return rows
    },
    account: async (accountId: string) =>
      ((await activeRowsOf(db, ACCOUNTS).select('rm.state').where('rm.key', '=', accountId).executeTakeFirst())?.state ?? null) as DirectAccountDoc | null,
  }
}
export type DealConflictQueries = ReturnType<typeof dealConflictQueries>
