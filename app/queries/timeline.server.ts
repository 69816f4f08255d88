// The auditor's timeline read from the log itself (decision 025): the events table, decoded as the store decodes it, so
// the runner writes no document per event. A log kept outside SQL (EventStoreDB) falls back to the timeline projection.
import { erasureEvent, personalData, placeholder, type PersonalField } from '../../domain/index.ts'
import { createEncryptingCodec } from '../../eventstore/encryption.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { createSqlKeyStore } from '../../eventstore/postgres/key-store.ts'
import { EVENT_COLUMNS, toRecorded, type EventRow } from '../../eventstore/postgres/store.ts'
import { timelineEntryOf, type TimelineDoc } from '../../projections/timeline.ts'
import { createDomainCodec } from '../codec.server.ts'
import { sql as q } from 'kysely'
import { activeRowsOf, doc, eb, field, listDocs, readModels, type Where } from './read-models.server.ts'

/** from/to: on occurredAt; recordedTo: on recordedAt; before: a global position (the list is newest recorded first) */
export type TimelineFilter = { type?: string; actor?: string; partnerId?: string; from?: string; to?: string; recordedTo?: string; limit?: number; before?: string }

/** Event types and how many events of each, for the auditor's search. */
export type TypeCount = { type: string; n: number | string; total: number | string }

// The conditions as migration 009's indexes are written (projections/store-schema.ts), so that the planner uses them.
const ON = {
  type: 'e.type', actor: `(e.metadata->>'actor')`, partnerId: `(e.data->>'partnerId')`, occurredAt: `(e.metadata->>'occurredAt')`,
} as const

// Newest first as migration 011's events_newest_clocks is ordered (decision 033): the same order as global_position
// desc (positions are unique), but only that index gives it, so a list filtered on dates alone walks the index and its
// clocks instead of the rows (whose metadata JSON it would parse for each later event). With a type, actor or partner
// the list keeps global_position desc and that filter's own index.
const NEWEST = '(-e.global_position)'

/** The event types in the log, one index probe each (a loose scan of the type index), those matching an ILIKE pattern. */
const MATCHING_TYPES = `with recursive types(type) as (
    (select e.type from events e order by e.type limit 1)
    union all
    select (select e.type from events e where e.type > t.type order by e.type limit 1) from types t where t.type is not null
  ), matching as (select t.type from types t where t.type ilike $1)`

// The projection compared recordedAt's ISO text, to the millisecond: a row recorded within the millisecond after `p`
// (microseconds) is in, as it was; written as a range so that an index on recorded_at could serve it.
const recordedUpTo = (p: string) => `e.recorded_at < ${p}::timestamptz + interval '1 millisecond'`

export function createTimelineQueries(sql: SqlExecutor) {
  // Its own codec over the same key store. Erased subjects are read again on every read of personal data (no 30 s
  // trust), so an erasure by this or another process hides the person from the next page at once.
  const codec = createEncryptingCodec<ReturnType<typeof createDomainCodec>, PersonalField>(createDomainCodec(), { keys: createSqlKeyStore(sql), personalData, placeholder, erasure: erasureEvent, erasedTtlMs: 0 })
  let inSql: Promise<boolean> | undefined
  /** whether the log is in this database (PostgreSQL or PGlite), or elsewhere (EventStoreDB) */
  const logInSql = () => (inSql ??= sql.query<{ present: boolean }>(`select to_regclass('events') is not null as present`)
    .then(({ rows }) => !!rows[0]?.present)
    .catch((error: unknown) => {
      inSql = undefined
      throw error
    }))

  async function entries(where: string, params: unknown[], order: string, limit: number | null): Promise<TimelineDoc[]> {
    const { rows } = await sql.query<EventRow>(
      `select ${EVENT_COLUMNS} from events e ${where ? `where ${where}` : ''} order by ${order}${limit === null ? '' : ` limit ${Math.max(1, Math.floor(limit))}`}`,
      params,
    )
    const events = rows.map(toRecorded)
    await codec.prepareRead(events)
    return events.map((event) => timelineEntryOf(codec.decode(event)))
  }

  /** the projection's documents, where the log is not in SQL */
  function listFromDocs(filter: TimelineFilter) {
    const where: Where[] = []
    if (filter.type) where.push(eb(field('type'), '=', filter.type))
    if (filter.actor) where.push(eb(field('actor'), '=', filter.actor))
    if (filter.partnerId) where.push(eb(field('partnerId'), '=', filter.partnerId))
    if (filter.from) where.push(eb(field('occurredAt'), '>=', filter.from))
    if (filter.to) where.push(eb(field('occurredAt'), '<=', filter.to))
    if (filter.recordedTo) where.push(eb(field('recordedAt'), '<=', filter.recordedTo))
    const position = q<bigint>`(${field('globalPosition')})::bigint`
    if (filter.before) where.push(eb(position, '<', q<bigint>`${filter.before}::bigint`))
    return listDocs(sql, { projection: 'timeline', where: eb.and(where), orderBy: [[position, 'desc']] }, filter.limit ?? 100)
  }

  return {
    /** The newest recorded events that match, newest first (keyset paging with `before`). */
    async list(filter: TimelineFilter = {}): Promise<TimelineDoc[]> {
      if (!(await logInSql())) return listFromDocs(filter)
      const params: unknown[] = []
      const where: string[] = []
      const add = (condition: (p: string) => string, value: unknown) => {
        params.push(value)
        where.push(condition(`$${params.length}`))
      }
      if (filter.type) add((p) => `${ON.type} = ${p}`, filter.type)
      if (filter.actor) add((p) => `${ON.actor} = ${p}`, filter.actor)
      if (filter.partnerId) add((p) => `${ON.partnerId} = ${p}`, filter.partnerId)
      if (filter.from) add((p) => `${ON.occurredAt} >= ${p}`, filter.from)
      if (filter.to) add((p) => `${ON.occurredAt} <= ${p}`, filter.to)
      if (filter.recordedTo) add(recordedUpTo, filter.recordedTo)
      const datesOnly = !filter.type && !filter.actor && !filter.partnerId && !!(filter.from || filter.to || filter.recordedTo)
      if (filter.before) add((p) => (datesOnly ? `${NEWEST} > -(${p}::bigint)` : `e.global_position < ${p}::bigint`), filter.before)
      return entries(where.join(' and '), params, datesOnly ? NEWEST : 'e.global_position desc', filter.limit ?? 100)
    },

    /** One event by id, decoded (null when there is none). */
    async byId(eventId: string): Promise<TimelineDoc | null> {
      if (!(await logInSql())) return doc(sql, 'timeline', eventId)
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return null // not a uuid: no event
      const [entry] = await entries('e.event_id = $1::uuid', [eventId], 'e.global_position', 1)
      return entry ?? null
    },

    /** Every event of these types, in log order (the erasure plan looks through those that hold personal data). */
    async ofTypes(types: readonly string[]): Promise<TimelineDoc[]> {
      if (!(await logInSql())) {
        const { rows } = await sql.query<{ state: TimelineDoc }>(
          `select rm.state from read_models rm where rm.projection = 'timeline' and rm.state->>'type' = any($1::text[])
             and rm.version = (select pc.version from projection_checkpoints pc where pc.projection = 'timeline' and pc.status = 'active')
           order by (rm.state->>'globalPosition')::bigint`,
          [types],
        )
        return rows.map((row) => row.state)
      }
      return entries('e.type = any($1::text[])', [[...types]], 'e.global_position', null)
    },

    /**
     * Event types matching an ILIKE pattern with how many events of each, most first, up to `until` (ISO) on the
     * given clock; `total` is the number of matching types.
     */
    async typeCounts(like: string, until: { clock: 'occurredAt' | 'recordedAt'; at: string } | null, limit: number): Promise<TypeCount[]> {
      if (!(await logInSql())) {
        return activeRowsOf(readModels(sql), 'timeline')
          .where(field('type'), 'ilike', like)
          .$if(until !== null, (query) => query.where(field(until!.clock), '<=', until!.at))
          .select([field('type').as('type'), q<number | string>`count(*)`.as('n'), q<number | string>`count(*) over ()`.as('total')])
          .groupBy(q`1`).orderBy(q`2 desc, 1`).limit(q.lit(limit)).execute()
      }
      // (decision 033) the matching types first, from the type index; then each one's count index-only from the type
      // index (which carries recorded_at). On the occurred clock a pass over rows is needed (occurredAt is in the
      // metadata): over those up to the date, or, when the date is past the middle of the log, over those after it,
      // taken from each type's whole count (an event without occurredAt counts as after it, as `<=` leaves it out)
      const top = `order by 2 desc, 1 limit ${Math.max(1, Math.floor(limit))}`
      if (until?.clock === 'occurredAt') {
        const middle = await sql.query<{ at: string | null }>(
          `select (e.metadata->>'occurredAt') as at from events e
            where e.global_position >= ((select max(global_position) from events) + (select min(global_position) from events)) / 2
            order by e.global_position limit 1`,
        )
        const mostlyBefore = middle.rows[0]?.at != null && until.at >= middle.rows[0].at
        const { rows } = mostlyBefore
          ? await sql.query<TypeCount>(
            `${MATCHING_TYPES}, after as (
               select e.type, count(*) as n from events e
                where e.type = any(array(select m.type from matching m)) and (${ON.occurredAt} > $2 or ${ON.occurredAt} is null) group by 1)
            select m.type, c.n - coalesce(a.n, 0) as n, count(*) over () as total from matching m
              cross join lateral (select count(*) as n from events e where e.type = m.type) c
              left join after a on a.type = m.type
             where c.n - coalesce(a.n, 0) > 0 ${top}`,
            [like, until.at],
          )
          : await sql.query<TypeCount>(
            `${MATCHING_TYPES}
            select e.type, count(*) as n, count(*) over () as total from events e
             where e.type = any(array(select m.type from matching m)) and ${ON.occurredAt} <= $2 group by 1 ${top}`,
            [like, until.at],
          )
        return rows
      }
      const { rows } = await sql.query<TypeCount>(
        `${MATCHING_TYPES}
        select m.type, c.n, count(*) over () as total from matching m
          cross join lateral (select count(*) as n from events e where e.type = m.type${until ? ` and ${recordedUpTo('$2')}` : ''}) c
         where c.n > 0 ${top}`,
        until ? [like, until.at] : [like],
      )
      return rows
    },
  }
}
export type TimelineQueries = ReturnType<typeof createTimelineQueries>

const perExecutor = new WeakMap<SqlExecutor, TimelineQueries>()
/** The timeline queries of a database, made once (its codec keeps the keys it loaded). */
export function timelineQueriesOf(sql: SqlExecutor): TimelineQueries {
  let queries = perExecutor.get(sql)
  if (!queries) perExecutor.set(sql, (queries = createTimelineQueries(sql)))
  return queries
}
