// The read side the loaders use: one function per question a page asks.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { DealDoc } from '../../projections/deals.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import type { TimelineDoc } from '../../projections/timeline.ts'
import type { OrganisationDoc, UserDoc } from '../../projections/users.ts'
import type { CurrentUser } from '../auth.server.ts'
import type { PageRequest, QueueSummary } from '../paging.ts'
import { createInsightQueries } from './insights.server.ts'
import { activeRows, doc, docs, everyDoc, firstOfList, namesOf, pageOfDocs, pageOfList, type DocList, type DocQuery } from './read-models.server.ts'

const byName = <T extends { name: string }>(list: T[]) => list.sort((a, b) => a.name.localeCompare(b.name))

/** A partner's deal registrations, newest first (as a list, so that a loader can ask it with other questions). */
export const dealsOfPartner = (partnerId: string): DocList => ({
  projection: 'deals', where: `rm.state->>'partnerId' = $2`, params: [partnerId], orderBy: `rm.state->>'registeredAt' desc`,
})

/** A partner's newest deal registrations (the dashboard's short list). */
export const recentDealsOf = (partnerId: string, limit: number): DocQuery => ({ ...dealsOfPartner(partnerId), limit })

/** A partner's approved deals whose protection ends on or before `until` (YYYY-MM-DD), soonest first. */
export const dealsProtectedUntil = (partnerId: string, until: string): DocList => ({
  projection: 'deals',
  where: `rm.state->>'partnerId' = $2 and rm.state->>'status' = 'Approved' and rm.state->>'protectedUntil' <= $3`,
  params: [partnerId, until],
  orderBy: `rm.state->>'protectedUntil' asc`,
})

const SUBMITTED = `rm.state->>'status' = 'Submitted'`

/** from/to: on occurredAt; recordedTo: on recordedAt; before: a global position (the list is newest recorded first) */
export type TimelineFilter = { type?: string; actor?: string; partnerId?: string; from?: string; to?: string; recordedTo?: string; limit?: number; before?: string }

/**
 * The read models' state: a digest of every active projection's version and position. A projection's documents change
 * only in the transaction that moves its checkpoint, so equal states mean equal documents.
 */
export const READ_MODELS_STATE = `select md5(coalesce(string_agg(c.projection || ':' || c.version || ':' || c.position_commit || ':' || c.position_prepare, ',' order by c.projection), ''))
  from projection_checkpoints c where c.status = 'active'`

/** an organisation (rm) whose partner record is approved: in the program, not an application waiting or refused */
const APPROVED = `exists (select 1 from read_models p
  where p.projection = 'partners' and p.key = rm.key and p.state->>'status' = 'Approved'
    and p.version = (select pc.version from projection_checkpoints pc where pc.projection = 'partners' and pc.status = 'active'))`

export function createQueries(sql: SqlExecutor) {
  /**
   * The signed-in user and their organisation, and the state of the read models (every active projection's version
   * and position, as a digest): one round trip, asked by every signed-in request. The state keys the view cache.
   */
  async function signedIn(userId: string): Promise<{ user: CurrentUser | null; readModels: string }> {
    const { rows } = await sql.query<{ user: UserDoc | null; organisation: OrganisationDoc | null; read_models: string }>(
      `select u.state as user, o.state as organisation, (${READ_MODELS_STATE}) as read_models
         from (select 1) one
         left join read_models u on u.projection = 'users' and u.key = $1
          and u.version = (select c.version from projection_checkpoints c where c.projection = 'users' and c.status = 'active')
         left join projection_checkpoints oc on oc.projection = 'organisations' and oc.status = 'active'
         left join read_models o on o.projection = 'organisations' and o.version = oc.version and o.key = u.state->>'organisationId'`,
      [userId],
      // parsed and planned once per connection, not on every request
      { prepareAs: 'partnerlog_signed_in' },
    )
    const readModels = rows[0]?.read_models ?? ''
    const user = rows[0]?.user
    if (!user || !user.active) return { user: null, readModels }
    const organisation = rows[0]?.organisation ?? null
    return {
      user: {
        userId: user.userId, name: user.name, email: user.email, role: user.role,
        organisationId: user.organisationId, organisationName: organisation?.name ?? user.organisationId,
      },
      readModels,
    }
  }

  return {
    insights: createInsightQueries(sql),
    users: {
      signedIn,
      async byId(userId: string): Promise<CurrentUser | null> {
        return (await signedIn(userId)).user
      },
      /** names of the given users (a page names the people it shows; it never needs the whole directory) */
      names: (userIds: readonly string[]) => namesOf(sql, 'users', userIds),
      /** the people of one organisation, by name */
      ofOrganisation: (organisationId: string) => everyDoc<UserDoc>(sql, 'users', `rm.state->>'organisationId' = $2`, [organisationId]).then(byName),
      /** the user with this email (any case), if any */
      byEmail: async (email: string) =>
        (await docs<UserDoc>(sql, 'users', `lower(rm.state->>'email') = lower($2)`, [email], 'rm.key', 1))[0] ?? null,
    },
    organisations: {
      byId: (id: string) => doc<OrganisationDoc>(sql, 'organisations', id),
      /** every partner organisation, by name (however many: pages name partners from it) */
      partners: () => everyDoc<OrganisationDoc>(sql, 'organisations', `rm.state->>'kind' = 'partner'`).then(byName),
      /**
       * every approved partner organisation, by name: those in the program (allocations, survey rounds, plans), not the
       * companies whose application waits or was rejected
       */
      approvedPartners: () => everyDoc<OrganisationDoc>(sql, 'organisations', `rm.state->>'kind' = 'partner' and ${APPROVED}`).then(byName),
      /** every partner organisation and the approved ones among them, by name, in one read (what partners() and
       * approvedPartners() answer together) */
      async partnersAndApproved(): Promise<{ all: OrganisationDoc[]; approved: OrganisationDoc[] }> {
        const { rows } = await sql.query<{ state: OrganisationDoc | null; approved: boolean }>(
          `select rm.state, ${APPROVED} as approved ${activeRows(`'organisations'`)} and rm.state->>'kind' = 'partner'`,
        )
        const kept = rows.filter((row): row is { state: OrganisationDoc; approved: boolean } => row.state !== null)
        return { all: byName(kept.map((row) => row.state)), approved: byName(kept.filter((row) => row.approved).map((row) => row.state)) }
      },
      /** names of the given organisations (a page of a queue names its rows' partners, not all partners) */
      names: (organisationIds: readonly string[]) => namesOf(sql, 'organisations', organisationIds),
    },
    deals: {
      byId: (dealId: string) => doc<DealDoc>(sql, 'deals', dealId),
      /** a page of a partner's registrations, newest first, and how many it has in all */
      forPartner: (partnerId: string, page?: PageRequest) => pageOfList<DealDoc>(sql, dealsOfPartner(partnerId), page),
      /** a partner's `limit` newest registrations and how many it has in all, in one round trip */
      latestOf: (partnerId: string, limit: number) => firstOfList<DealDoc>(sql, dealsOfPartner(partnerId), limit),
      /** a page of the registrations waiting for review, oldest first */
      queue: (page?: PageRequest) => pageOfDocs<DealDoc>(sql, 'deals', SUBMITTED, [], `rm.state->>'registeredAt' asc`, page),
      /** the `n` oldest registrations waiting for review (the Queues page; queueSummary counts them all) */
      oldestWaiting: (n: number) => docs<DealDoc>(sql, 'deals', SUBMITTED, [], `rm.state->>'registeredAt' asc, rm.key`, n),
      /** how many registrations wait for review, and how many of them are past their review SLA at `now`, however many */
      async queueSummary(now: string): Promise<QueueSummary> {
        const { rows } = await sql.query<{ waiting: number | string; overdue: number | string }>(
          `select count(*)::int as waiting, (count(*) filter (where (rm.state->>'reviewDueAt')::timestamptz < $2::timestamptz))::int as overdue
             ${activeRows('$1')} and ${SUBMITTED}`,
          ['deals', now],
        )
        return { waiting: Number(rows[0]?.waiting ?? 0), overdue: Number(rows[0]?.overdue ?? 0) }
      },
      /**
       * Every deal a scheduler policy may act on at `now` (however many): protection ended, or a review past its SLA
       * and not marked yet. The policies decide; this only leaves out deals they would pass over.
       */
      due: (now: string) =>
        everyDoc<DealDoc>(
          sql, 'deals',
          `(rm.state->>'status' = 'Approved' and rm.state->>'protectedUntil' < $2)
            or (rm.state->>'status' = 'Submitted' and coalesce(rm.state->>'slaBreached', 'false') = 'false' and (rm.state->>'reviewDueAt')::timestamptz < $3::timestamptz)`,
          [now.slice(0, 10), now],
        ),
      /**
       * Every registration a new one of `partnerId` for `domain` may conflict with, however many: another partner's, in
       * one of `statuses`, for the domain, a parent or a subdomain of it. Suffixes are compared exactly (no LIKE: a `%` or
       * `_` typed into the domain would widen the question to other customers' deals).
       */
      rivalsInDomainFamily: (domain: string, partnerId: string, statuses: readonly string[]) =>
        everyDoc<DealDoc>(
          sql, 'deals',
          `rm.state->>'status' = any($4::text[]) and rm.state->>'partnerId' <> $3
            and (rm.state->>'customerDomain' = $2
              or right($2, length(rm.state->>'customerDomain') + 1) = ('.' || (rm.state->>'customerDomain'))
              or right(rm.state->>'customerDomain', length($2) + 1) = ('.' || $2))`,
          [domain, partnerId, [...statuses]],
        ),
    },
    journey: {
      forPartner: (partnerId: string) => doc<JourneyDoc>(sql, 'journey', partnerId),
    },
    timeline: {
      async list(filter: TimelineFilter = {}) {
        const where: string[] = []
        const params: unknown[] = []
        const add = (clause: string, value: unknown) => {
          params.push(value)
          where.push(clause.replace('?', `$${params.length + 1}`))
        }
        if (filter.type) add(`rm.state->>'type' = ?`, filter.type)
        if (filter.actor) add(`rm.state->>'actor' = ?`, filter.actor)
        if (filter.partnerId) add(`rm.state->>'partnerId' = ?`, filter.partnerId)
        if (filter.from) add(`rm.state->>'occurredAt' >= ?`, filter.from)
        if (filter.to) add(`rm.state->>'occurredAt' <= ?`, filter.to)
        if (filter.recordedTo) add(`rm.state->>'recordedAt' <= ?`, filter.recordedTo)
        if (filter.before) add(`(rm.state->>'globalPosition')::bigint < ?::bigint`, filter.before)
        return docs<TimelineDoc>(
          sql, 'timeline', where.length ? where.join(' and ') : 'true', params,
          `(rm.state->>'globalPosition')::bigint desc`, filter.limit ?? 100,
        )
      },
      byId: (eventId: string) => doc<TimelineDoc>(sql, 'timeline', eventId),
    },
  }
}
export type Queries = ReturnType<typeof createQueries>
