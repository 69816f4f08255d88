// The read side the loaders use: one function per question a page asks.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { OrganisationDoc, UserDoc } from '../../projections/users.ts'
import type { CurrentUser } from '../auth.server.ts'
import type { PageRequest, QueueSummary } from '../paging.ts'
import { createInsightQueries } from './insights.server.ts'
import { timelineQueriesOf } from './timeline.server.ts'
import { sql as q, type InferResult, type Kysely } from 'kysely'
import { activeRowsOf, doc, eb, everyDoc, field, firstOf, listDocs, namesOf, pageOf, readModels, key, name, type DocList, type DocQuery, type ReadDatabase, type Where } from './read-models.server.ts'

const byName = <T extends { name: string }>(list: T[]) => list.sort((a, b) => a.name.localeCompare(b.name))

/** A partner's deal registrations, newest first (as a list, so that a loader can ask it with other questions). */
export const dealsOfPartner = (partnerId: string): DocList<'deals'> => ({
  projection: 'deals', where: eb(field('partnerId'), '=', partnerId), orderBy: [[field('registeredAt'), 'desc']],
})

/** A partner's newest deal registrations (the dashboard's short list). */
export const recentDealsOf = (partnerId: string, limit: number): DocQuery<'deals'> => ({ ...dealsOfPartner(partnerId), limit })

/** A partner's approved deals whose protection ends on or before `until` (YYYY-MM-DD), soonest first. */
export const dealsProtectedUntil = (partnerId: string, until: string): DocList<'deals'> => ({
  projection: 'deals',
  where: eb.and([eb(field('partnerId'), '=', partnerId), eb(field('status'), '=', q.lit('Approved')), eb(field('protectedUntil'), '<=', until)]),
  orderBy: [[field('protectedUntil'), 'asc']],
})

/** The registrations waiting for review, oldest first. */
export const dealsWaiting: DocList<'deals'> = { projection: 'deals', where: eb(field('status'), '=', q.lit('Submitted')), orderBy: [[field('registeredAt'), 'asc']] }

export type { TimelineFilter } from './timeline.server.ts'

/** The read models' state: a digest of active projections' versions and positions (equal states, equal documents). */
const readModelsState = (db: Kysely<ReadDatabase>) =>
  db.selectFrom('projection_checkpoints as c').where('c.status', '=', q.lit('active'))
    .select(q<string>`md5(coalesce(string_agg(c.projection || ':' || c.version || ':' || c.position_commit || ':' || c.position_prepare, ',' order by c.projection), ''))`.as('state'))

/** The signed-in user, their organisation and the read models' state: compiled once, asked by every request. */
function signedInQuery(db: Kysely<ReadDatabase>) {
  const query = db.selectFrom(q`(select 1)`.as('one'))
    .leftJoin('read_models as u', (join) => join.on('u.projection', '=', name('users')).on('u.key', '=', 'userId')
      .on('u.version', '=', db.selectFrom('projection_checkpoints as c').select('c.version').where('c.projection', '=', name('users')).where('c.status', '=', q.lit('active'))))
    .leftJoin('projection_checkpoints as oc', (join) => join.on('oc.projection', '=', name('organisations')).on('oc.status', '=', q.lit('active')))
    .leftJoin('read_models as o', (join) => join.on('o.projection', '=', name('organisations')).onRef('o.version', '=', 'oc.version').on('o.key', '=', field('organisationId', 'u')))
    .select([q<UserDoc | null>`u.state`.as('user'), q<OrganisationDoc | null>`o.state`.as('organisation'), readModelsState(db).as('read_models')])
  const compiled = query.compile()
  if (compiled.parameters.length !== 1) throw new Error('The signed-in question takes the user id alone')
  return (userId: string) => db.executeQuery<InferResult<typeof query>[number]>({ ...compiled, parameters: [userId] })
}

/** an organisation (rm) whose partner record is approved: in the program, not an application waiting or refused */
const APPROVED = q<boolean>`exists (select 1 from read_models p
  where p.projection = 'partners' and p.key = rm.key and p.state->>'status' = 'Approved'
    and p.version = (select pc.version from projection_checkpoints pc where pc.projection = 'partners' and pc.status = 'active'))`
const PARTNER_KIND = eb(field('kind'), '=', q.lit('partner'))

export function createQueries(sql: SqlExecutor) {
  const db = readModels(sql)
  const signedInAs = signedInQuery(db)
  /**
   * The signed-in user and their organisation, and the state of the read models (every active projection's version
   * and position, as a digest): one round trip, asked by every signed-in request. The state keys the view cache.
   */
  async function signedIn(userId: string): Promise<{ user: CurrentUser | null; readModels: string }> {
    const { rows } = await signedInAs(userId)
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
      ofOrganisation: (organisationId: string) => everyDoc(sql, { projection: 'users', where: eb(field('organisationId'), '=', organisationId) }).then(byName),
      /** the user with this email (any case), if any */
      byEmail: async (email: string) =>
        (await listDocs(sql, { projection: 'users', where: eb(eb.fn('lower', [field('email')]), '=', eb.fn('lower', [eb.val(email)])) }, 1))[0] ?? null,
    },
    organisations: {
      byId: (id: string) => doc(sql, 'organisations', id),
      /** every partner organisation, by name (however many: pages name partners from it) */
      partners: () => everyDoc(sql, { projection: 'organisations', where: PARTNER_KIND }).then(byName),
      /**
       * every approved partner organisation, by name: those in the program (allocations, survey rounds, plans), not the
       * companies whose application waits or was rejected
       */
      approvedPartners: () => everyDoc(sql, { projection: 'organisations', where: eb.and([PARTNER_KIND, APPROVED]) }).then(byName),
      /** every partner organisation and the approved ones among them, by name, in one read (what partners() and
       * approvedPartners() answer together) */
      async partnersAndApproved(): Promise<{ all: OrganisationDoc[]; approved: OrganisationDoc[] }> {
        const rows = await activeRowsOf(db, 'organisations').select(['rm.state', APPROVED.as('approved')]).where(PARTNER_KIND).execute()
        const kept = rows.flatMap((row) => (row.state === null ? [] : [{ state: row.state as OrganisationDoc, approved: row.approved }]))
        return { all: byName(kept.map((row) => row.state)), approved: byName(kept.filter((row) => row.approved).map((row) => row.state)) }
      },
      /** names of the given organisations (a page of a queue names its rows' partners, not all partners) */
      names: (organisationIds: readonly string[]) => namesOf(sql, 'organisations', organisationIds),
    },
    deals: {
      byId: (dealId: string) => doc(sql, 'deals', dealId),
      /** a page of a partner's registrations, newest first, and how many it has in all */
      forPartner: (partnerId: string, page?: PageRequest) => pageOf(sql, dealsOfPartner(partnerId), page),
      /** a partner's `limit` newest registrations and how many it has in all, in one round trip */
      latestOf: (partnerId: string, limit: number) => firstOf(sql, dealsOfPartner(partnerId), { limit }),
      /** a page of the registrations waiting for review, oldest first */
      queue: (page?: PageRequest) => pageOf(sql, dealsWaiting, page),
      /** the `n` oldest registrations waiting for review (the Queues page; queueSummary counts them all) */
      oldestWaiting: (n: number) => listDocs(sql, { ...dealsWaiting, orderBy: [...dealsWaiting.orderBy!, [key]] }, n),
      /** how many registrations wait for review, and how many of them are past their review SLA at `now`, however many */
      async queueSummary(now: string): Promise<QueueSummary> {
        const row = await activeRowsOf(db, 'deals').where(dealsWaiting.where!)
          .select([q<number>`count(*)::int`.as('waiting'), q<number>`(count(*) filter (where (${field('reviewDueAt')})::timestamptz < ${now}::timestamptz))::int`.as('overdue')])
          .executeTakeFirst()
        return { waiting: Number(row?.waiting ?? 0), overdue: Number(row?.overdue ?? 0) }
      },
      /**
       * Every deal a scheduler policy may act on at `now` (however many): protection ended, or a review past its SLA
       * and not marked yet. The policies decide; this only leaves out deals they would pass over.
       */
      due: (now: string) =>
        everyDoc(sql, {
          projection: 'deals',
          where: eb.or([
            eb.and([eb(field('status'), '=', q.lit('Approved')), eb(field('protectedUntil'), '<', now.slice(0, 10))]),
            eb.and([
              eb(field('status'), '=', q.lit('Submitted')),
              eb(eb.fn.coalesce(field('slaBreached'), q.lit('false')), '=', q.lit('false')),
              eb(q`(${field('reviewDueAt')})::timestamptz`, '<', q`${now}::timestamptz`),
            ]),
          ]),
        }),
      /**
       * Every other partner's registration in `statuses` for `domain`, a parent or a subdomain of it. Suffixes compare
       * exactly, not with LIKE, so a `%` or `_` typed into the domain cannot widen the question.
       */
      rivalsInDomainFamily: (domain: string, partnerId: string, statuses: readonly string[]) => {
        const customer = field('customerDomain')
        return everyDoc(sql, {
          projection: 'deals',
          where: q<boolean>`${field('status')} = any(${[...statuses]}::text[]) and ${field('partnerId')} <> ${partnerId}
            and (${customer} = ${domain}
              or right(${domain}, length(${customer}) + 1) = ('.' || (${customer}))
              or right(${customer}, length(${domain}) + 1) = ('.' || ${domain}))`,
        })
      },
    },
    journey: {
      forPartner: (partnerId: string) => doc(sql, 'journey', partnerId),
    },
    // read from the log itself, not from documents (decision 025)
    timeline: timelineQueriesOf(sql),
  }
}
export type Queries = ReturnType<typeof createQueries>
