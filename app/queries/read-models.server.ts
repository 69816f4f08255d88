// Reads projection documents of the active version through Kysely (loaders read projections only), with typed answers.
import { expressionBuilder, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { AssetDoc, AssetUsageDoc, EnablementPartnerDoc } from '../../projections/assets.ts'
import type { DealDoc } from '../../projections/deals.ts'
import type { PlanDoc, SurveyAnswerDoc, SurveyRoundDoc, WorkshopDoc } from '../../projections/engagement.ts'
import type { FundRequestDoc, FundsPartnerDoc, LedgerDoc } from '../../projections/funds.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import type { PartnerDoc, ProgramSettingsDoc } from '../../projections/partners.ts'
import type { ProgramQuarterDoc } from '../../projections/program.ts'
import type { TimelineDoc } from '../../projections/timeline.ts'
import type { AssessmentDoc, CourseDoc, PartnerTrainingDoc } from '../../projections/training.ts'
import type { TrustDoc } from '../../projections/trust.ts'
import type { OrganisationDoc, UserDoc } from '../../projections/users.ts'
import { lastPage, PAGE_SIZE, type PageRequest, type Paged } from '../paging.ts'
import { kyselyOver } from './kysely.server.ts'

/** The read-model tables as projections/store.ts creates them. */
export interface ReadDatabase {
  read_models: { projection: string; version: number; key: string; state: unknown; position_commit: string; position_prepare: string; updated_at: Date }
  projection_checkpoints: { projection: string; version: number; position_commit: string; position_prepare: string; status: 'active' | 'building' | 'retired'; updated_at: Date }
  read_model_logs: { projection: string; version: number; key: string; field: string; position_commit: string; position_prepare: string; idx: number; entry: unknown }
}
/** The tables under the aliases the read side's SQL uses (`rm`, the rows a question reads). */
export type ReadRows = ReadDatabase & { rm: ReadDatabase['read_models'] }

/** Each projection's document type, by name; a document kept under a fixed key (settings) is doc's second type. */
export type ReadModelDocs = {
  assets: AssetDoc; asset_usage: AssetUsageDoc; enablement_partners: EnablementPartnerDoc
  deals: DealDoc
  workshops: WorkshopDoc; survey_rounds: SurveyRoundDoc; survey_answers: SurveyAnswerDoc; joint_plans: PlanDoc
  'fund-requests': FundRequestDoc; 'fund-ledgers': LedgerDoc; 'fund-settings': FundsPartnerDoc
  journey: JourneyDoc; trust: TrustDoc; program: ProgramQuarterDoc
  partners: PartnerDoc; 'program-settings': ProgramSettingsDoc
  timeline: TimelineDoc
  courses: CourseDoc; assessments: AssessmentDoc; training: PartnerTrainingDoc
  users: UserDoc; organisations: OrganisationDoc
}
export type Projection = keyof ReadModelDocs
/** The documents of a projection (unknown for a name the app does not know, as tests' own projections). */
export type DocOf<P extends string> = P extends Projection ? ReadModelDocs[P] : unknown

/** The Kysely of the read side over an executor. */
export const readModels = (executor: SqlExecutor): Kysely<ReadDatabase> => kyselyOver<ReadDatabase>(executor)

/** Builds conditions and sort keys on the rows `rm` (eb(field('status'), '=', 'Approved')). */
export const eb = expressionBuilder<ReadRows, 'rm'>()

/** A projection's or field's name as an SQL literal, so a generic plan can use its partial indexes (decision 007). */
export function name<N extends string>(value: N): RawBuilder<N> {
  return cached(names, value, () => {
    if (!/^[A-Za-z0-9_$-]+$/.test(value)) throw new Error(`Not a projection or field name: ${JSON.stringify(value)}`)
    return sql.lit(value)
  }) as RawBuilder<N>
}

// Kysely's nodes are immutable, so the fragments every question repeats are built once rather than per page view
const names = new Map<string, RawBuilder<string>>()
const fields = new Map<string, RawBuilder<string>>()
const jsonFields = new Map<string, RawBuilder<unknown>>()
function cached<V>(cache: Map<string, V>, cacheKey: string, make: () => V): V {
  let value = cache.get(cacheKey)
  if (value === undefined) cache.set(cacheKey, (value = make()))
  return value
}

/** A top-level field of a document as text: `rm.state->>'name'`, the expression the projections' indexes are on. */
export const field = (fieldName: string, alias = 'rm'): RawBuilder<string> =>
  cached(fields, `${alias}.${fieldName}`, () => sql<string>`${sql.ref(`${alias}.state`)}->>${name(fieldName)}`)
/** A top-level field of a document as jsonb: `rm.state->'name'`. */
export const jsonField = (fieldName: string, alias = 'rm'): RawBuilder<unknown> =>
  cached(jsonFields, `${alias}.${fieldName}`, () => sql`${sql.ref(`${alias}.state`)}->${name(fieldName)}`)
/** The rows' key. */
export const key = eb.ref('rm.key')

export type Where = Expression<SqlBool>
export type Direction = 'asc' | 'desc' | 'asc nulls last' | 'desc nulls last'
/** A sort key and its direction (ascending when absent). */
export type Sort = readonly [Expression<unknown>, Direction?]
export const KEY_ORDER: readonly Sort[] = [[key]]

/** An `order by` list, for a query's order and a row_number's window alike. */
function orderOf(sorts: readonly Sort[]): RawBuilder<unknown> {
  return sql.join(sorts.map(([by, direction]) => (direction ? sql`${by} ${sql.raw(direction)}` : by)))
}

/** A projection's active version as a scalar subquery, so the planner reads an index in order instead of sorting. */
const activeVersion = (db: Kysely<ReadDatabase>, projection: string) =>
  cached(perDb(versions, db), projection, () =>
    db.selectFrom('projection_checkpoints as pc').select('pc.version').where('pc.projection', '=', name(projection)).where('pc.status', '=', sql.lit('active')))

/** The rows `rm` of a projection's active version, its name written in. */
export function activeRowsOf(db: Kysely<ReadDatabase>, projection: string) {
  return cached(perDb(rowsOf, db), projection, () =>
    db.selectFrom('read_models as rm').where('rm.projection', '=', name(projection)).where('rm.version', '=', activeVersion(db, projection)))
}

/**
 * activeVersion as SQL text, for docSets' many parts: the same subquery, but one raw fragment costs Kysely's compiler
 * nothing to visit where the builder's nodes are visited again on every view (name() vets the name written in).
 */
const activeVersionText = (projection: string) =>
  cached(versionTexts, projection, () => {
    name(projection)
    return sql.raw<number>(`(select pc.version from projection_checkpoints pc where pc.projection = '${projection}' and pc.status = 'active')`)
  })
const versionTexts = new Map<string, RawBuilder<number>>()

const versions = new WeakMap<Kysely<ReadDatabase>, Map<string, ReturnType<typeof makeVersion>>>()
const rowsOf = new WeakMap<Kysely<ReadDatabase>, Map<string, ReturnType<typeof makeRows>>>()
const makeVersion = (db: Kysely<ReadDatabase>) => db.selectFrom('projection_checkpoints as pc').select('pc.version')
const makeRows = (db: Kysely<ReadDatabase>) => db.selectFrom('read_models as rm')
function perDb<V>(caches: WeakMap<Kysely<ReadDatabase>, Map<string, V>>, db: Kysely<ReadDatabase>): Map<string, V> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  return cache
}

/** The rows (`rm`) of a projection's active version as SQL text, for hand-written statements (`$1` or a literal). */
export const activeRows = (projection: string) =>
  `from read_models rm where rm.projection = ${projection}
     and rm.version = (select pc.version from projection_checkpoints pc where pc.projection = ${projection} and pc.status = 'active')`

/** Which documents of a projection, in which order, as a value; how many is for the reader to say. */
export type DocList<P extends string = string> = { projection: P; where?: Where; orderBy?: readonly Sort[] }

const TRUE: Where = sql<SqlBool>`true`
const NOT_NULL: Where = sql<SqlBool>`rm.state <> 'null'::jsonb`

/** The matching rows of a list, null documents left out. */
function matching(db: Kysely<ReadDatabase>, list: DocList) {
  return activeRowsOf(db, list.projection).where(list.where ?? TRUE).where(NOT_NULL)
}

/** One document by key (T for a document stored under a fixed key beside the projection's own). */
export async function doc<P extends string, T = DocOf<P>>(executor: SqlExecutor, projection: P, docKey: string): Promise<T | null> {
  const db = readModels(executor)
  const row = await activeRowsOf(db, projection).select('rm.state').where('rm.key', '=', docKey).executeTakeFirst()
  return (row?.state as T | undefined) ?? null
}

/** The `name` field of the given documents (users, organisations), by key: a page names what it shows. */
export async function namesOf(executor: SqlExecutor, projection: 'users' | 'organisations', keys: readonly string[]): Promise<Record<string, string>> {
  const unique = [...new Set(keys)]
  if (unique.length === 0) return {}
  const db = readModels(executor)
  const rows = await activeRowsOf(db, projection).select(['rm.key', field('name').as('name')]).where('rm.key', '=', sql<string>`any(${unique}::text[])`).execute()
  return Object.fromEntries(rows.map((row) => [row.key, row.name]))
}

/** At most `limit` documents of a list, in its order (a caller that shows "the latest N" says N). */
export async function listDocs<P extends string>(executor: SqlExecutor, list: DocList<P>, limit: number): Promise<DocOf<P>[]> {
  const db = readModels(executor)
  const rows = await activeRowsOf(db, list.projection).select('rm.state').where(list.where ?? TRUE)
    .orderBy(orderOf(list.orderBy ?? KEY_ORDER)).limit(sql.lit(Math.max(1, Math.floor(limit)))).execute()
  return rows.map((row) => row.state as DocOf<P>).filter((state) => state !== null)
}

/** How many documents a list holds (null documents are in no list). */
export async function count(executor: SqlExecutor, list: DocList): Promise<number> {
  const db = readModels(executor)
  const row = await matching(db, list).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Every document of a list in key order, read in pages: no cap, for work lists that must be complete (scheduler). */
export async function everyDoc<P extends string>(executor: SqlExecutor, list: DocList<P>, pageSize = 1000): Promise<DocOf<P>[]> {
  const db = readModels(executor)
  const found: DocOf<P>[] = []
  let after = ''
  for (;;) {
    const rows = await activeRowsOf(db, list.projection).select(['rm.key', 'rm.state']).where(list.where ?? TRUE)
      .where('rm.key', '>', after).orderBy('rm.key').limit(sql.lit(pageSize)).execute()
    for (const row of rows) if (row.state !== null) found.push(row.state as DocOf<P>)
    if (rows.length < pageSize) return found
    after = rows.at(-1)!.key
  }
}

/** Compares documents by a text field in code-point order, as SQL sorts it: for sorting everyDoc's answer. */
export function byText<T>(text: (doc: T) => string, direction: 'asc' | 'desc' = 'asc'): (a: T, b: T) => number {
  const sign = direction === 'asc' ? 1 : -1
  return (a, b) => {
    const [x, y] = [text(a), text(b)]
    return x < y ? -sign : x > y ? sign : 0
  }
}

/** One page of a list of documents, and how many documents the whole list holds. */
export type DocPage<T> = { rows: T[]; total: number }

/**
 * `limit` documents from `offset` in the list's order then by key (pages never overlap), and the total, in one round
 * trip; the count is its own subquery so a page past the end still knows it.
 */
export async function firstOf<P extends string>(
  executor: SqlExecutor, list: DocList<P>, { limit, offset = 0 }: { limit: number; offset?: number },
): Promise<DocPage<DocOf<P>>> {
  const db = readModels(executor)
  const order = orderOf([...(list.orderBy ?? []), [key]])
  const page = matching(db, list).select(['rm.state', sql<number>`row_number() over (order by ${order})`.as('ord')])
    .orderBy(order).limit(sql<number>`${Math.max(0, Math.floor(limit))}::int`).offset(sql<number>`${Math.max(0, Math.floor(offset))}::int`)
  // the page as one JSON array: one value to parse instead of a row per document
  const row = await db.selectNoFrom([
    matching(db, list).select(sql<number>`count(*)::int`.as('n')).as('total'),
    db.selectFrom(page.as('p')).select(sql<unknown>`coalesce(json_agg(p.state order by p.ord), '[]'::json)`.as('rows')).as('rows'),
  ]).executeTakeFirst()
  const found = (row?.rows ?? []) as DocOf<P>[] | string
  return { rows: typeof found === 'string' ? (JSON.parse(found) as DocOf<P>[]) : found, total: Number(row?.total ?? 0) }
}

/** Page `page` (from 1) of `size` documents; a page past the end (the list shrank) is the last page, read again. */
export async function pageOf<P extends string>(executor: SqlExecutor, list: DocList<P>, { page = 1, size = PAGE_SIZE }: PageRequest = {}): Promise<Paged<DocOf<P>>> {
  const read = (n: number) => firstOf(executor, list, { limit: size, offset: (n - 1) * size })
  const found = await read(page)
  const last = lastPage(found.total, size)
  if (found.rows.length > 0 || page <= last) return { ...found, page, size }
  if (found.total === 0) return { rows: [], total: 0, page: 1, size }
  return { ...(await read(last)), page: last, size }
}

export const pairKey = (projection: string, docKey: string) => `${projection}\u0000${docKey}`

/**
 * A question for docSets: a DocList and an explicit limit (or 'all'), so no list stops short unknown to its page;
 * `omit` drops top-level fields from the answer, `pick` keeps only those.
 */
export type DocQuery<P extends string = string> = DocList<P> & {
  limit: number | 'all'; omit?: readonly (keyof DocOf<P> & string)[]; pick?: readonly (keyof DocOf<P> & string)[]
}

/** The newest entries of a document's log field (Projection.logs): at most `limit`, those containing `match` if given. */
export type LogRequest = {
  projection: string; key: string; field: string; limit?: number; match?: Record<string, unknown>
  /** only these top-level fields of each entry (a chart of many entries needs two of their fields) */
  pick?: readonly string[]
}
export type LogRow = { entry: unknown; commit: string; prepare: string; idx: number }

/** Documents by [projection, key]: read them from the answer's `doc`. */
export type KeySet = { keys: readonly (readonly [string, string])[]; omit?: readonly string[] }

/** How many documents of a list hold each value of `by` (text on the rows `rm`; documents where it is null are left out). */
export type CountBy = { countBy: DocList; by: Expression<string | null> }

/** One set for docSets: a DocQuery, documents by [projection, key], a log field's entries, a DocList's count or counts. */
export type DocSet = DocQuery<any> | KeySet | { log: LogRequest } | { count: DocList } | CountBy

/** What a set answers: its documents (fields picked or omitted), entries or count. */
export type SetAnswer<S> = S extends { log: LogRequest } ? LogRow[]
  : S extends { count: DocList } ? number
  : S extends CountBy ? Record<string, number>
  : S extends KeySet ? unknown[]
  : S extends { projection: infer P extends string; pick: readonly (infer F)[] } ? Pick<DocOf<P>, F & keyof DocOf<P>>[]
  : S extends { projection: infer P extends string; omit: readonly (infer F)[] } ? Omit<DocOf<P>, F & keyof DocOf<P>>[]
  : S extends { projection: infer P extends string } ? DocOf<P>[]
  : never

/** docSets' answer: each set's answer, and the documents of its key sets by [projection, key]. */
export type SetsAnswer<S> = { [K in keyof S]: SetAnswer<S[K]> } & {
  byKey: Map<string, unknown>
  /** a document of a key set (T for a document under a fixed key) */
  doc<P extends string, T = DocOf<P>>(projection: P, docKey: string): T | null
}

/** Only the named top-level fields of a JSON column's value. */
const picked = (column: RawBuilder<unknown>, fields: readonly string[]) =>
  sql`jsonb_build_object(${sql.join(fields.map((f) => sql`${name(f)}, ${column} -> ${name(f)}`))})`

const NO_PLACE = sql`null::text as commit, null::text as prepare, null::int as idx`

/**
 * Several sets of documents and log entries in one round trip, since a round trip costs more than these small lookups.
 * Each set answers in its own order; log entries oldest first with their place in the log, so answers can be merged.
 */
export async function docSets<const S extends Record<string, DocSet>>(executor: SqlExecutor, sets: S): Promise<SetsAnswer<S>> {
  const db = readModels(executor)
  const parts: RawBuilder<unknown>[] = []
  const names = Object.keys(sets)
  names.forEach((setName, index) => {
    const set = sets[setName]! as DocSet
    const state = (omit?: readonly string[]) => (omit?.length ? sql`rm.state - ${[...omit]}::text[]` : sql`rm.state`)
    if ('keys' in set) {
      for (const [projection, docKey] of set.keys) {
        parts.push(sql`(select ${sql.lit(index)} as s, 0::bigint as ord, rm.projection, rm.key, ${state(set.omit)} as state, ${NO_PLACE}
          from read_models rm where rm.projection = ${name(projection)} and rm.version = ${activeVersionText(projection)} and rm.key = ${docKey})`)
      }
      return
    }
    if ('log' in set) {
      const log = set.log
      const newestFirst = sql`l.position_commit desc, l.position_prepare desc, l.idx desc`
      const projection = name(log.projection)
      const entry = log.pick ? picked(sql`l.entry`, log.pick) : sql`l.entry`
      parts.push(sql`(select ${sql.lit(index)} as s, row_number() over (order by ${newestFirst}) as ord, l.projection, l.key, ${entry} as state,
            l.position_commit::text as commit, l.position_prepare::text as prepare, l.idx
          from read_model_logs l
         where l.projection = ${projection} and l.version = ${activeVersionText(log.projection)}
           and l.key = ${log.key} and l.field = ${name(log.field)}${log.match ? sql` and l.entry @> ${JSON.stringify(log.match)}::jsonb` : sql``}
         order by ${newestFirst}${log.limit === undefined ? sql`` : sql` limit ${sql.lit(Math.max(0, Math.floor(log.limit)))}`})`)
      return
    }
    if ('countBy' in set) {
      const list = set.countBy
      parts.push(sql`(select ${sql.lit(index)} as s, 0::bigint as ord, ${name(list.projection)}::text as projection, (${set.by})::text as key, to_jsonb(count(*)) as state, ${NO_PLACE}
        from read_models rm where rm.projection = ${name(list.projection)} and rm.version = ${activeVersionText(list.projection)} and (${list.where ?? TRUE}) and ${NOT_NULL}
          and (${set.by}) is not null group by 4)`)
      return
    }
    const list = 'count' in set ? set.count : set
    const where = sql`rm.projection = ${name(list.projection)} and rm.version = ${activeVersionText(list.projection)} and (${list.where ?? TRUE}) and ${NOT_NULL}`
    if ('count' in set) {
      parts.push(sql`(select ${sql.lit(index)} as s, 0::bigint as ord, ${name(list.projection)}::text as projection, ''::text as key, to_jsonb(count(*)) as state, ${NO_PLACE}
        from read_models rm where ${where})`)
      return
    }
    const query = set as DocQuery
    const orderBy = orderOf(query.orderBy ?? KEY_ORDER)
    const limit = query.limit === 'all' ? sql`all` : sql.lit(Math.max(1, Math.floor(query.limit)))
    const shown = query.pick ? picked(sql`rm.state`, query.pick) : state(query.omit)
    parts.push(sql`(select ${sql.lit(index)} as s, row_number() over (order by ${orderBy}) as ord, rm.projection, rm.key, ${shown} as state, ${NO_PLACE}
      from read_models rm where ${where} order by ${orderBy} limit ${limit})`)
  })
  const answer: Record<string, unknown[] | number | Record<string, number>> = Object.fromEntries(
    names.map((setName) => [setName, 'count' in sets[setName]! ? 0 : 'countBy' in sets[setName]! ? {} : []]),
  )
  const byKey = new Map<string, unknown>()
  if (parts.length > 0) {
    // one row holding every answer as a JSON array: parsing one value costs less than a row per document or entry
    type Found = [s: number, projection: string, key: string, state: unknown, commit: string | null, prepare: string | null, idx: number | null]
    const { rows } = await sql<{ found: Found[] | string }>`select coalesce(json_agg(json_build_array(s, projection, key, state, commit, prepare, idx) order by s, ord), '[]') as found
      from (${sql.join(parts, sql` union all `)}) sets`.execute(db)
    const found = rows[0]?.found ?? []
    for (const [s, projection, docKey, state, commit, prepare, idx] of typeof found === 'string' ? (JSON.parse(found) as Found[]) : found) {
      const setName = names[s]!
      if ('count' in sets[setName]!) {
        answer[setName] = Number(state)
        continue
      }
      if ('countBy' in sets[setName]!) {
        (answer[setName] as Record<string, number>)[docKey] = Number(state)
        continue
      }
      if ('log' in sets[setName]!) {
        (answer[setName] as unknown[]).push({ entry: state, commit: commit!, prepare: prepare!, idx: Number(idx) } satisfies LogRow)
        continue
      }
      if (state === null) continue
      ;(answer[setName] as unknown[]).push(state)
      byKey.set(pairKey(projection, docKey), state)
    }
    // logs were read newest first (for their limit): answer them oldest first
    for (const setName of names) if ('log' in sets[setName]!) (answer[setName] as unknown[]).reverse()
  }
  const docOf = <T>(projection: string, docKey: string) => (byKey.get(pairKey(projection, docKey)) as T | undefined) ?? null
  return Object.assign(answer, { byKey, doc: docOf }) as unknown as SetsAnswer<S>
}

/** Documents ([projection, key] pairs) and log entries in one round trip (docSets with one set per log request). */
export async function docsAndLogs(
  executor: SqlExecutor,
  pairs: readonly (readonly [string, string])[],
  logs: readonly LogRequest[],
): Promise<{ docs: Map<string, unknown>; logs: LogRow[][] }> {
  const sets: Record<string, DocSet> = { docs: { keys: pairs } }
  logs.forEach((log, i) => (sets[`log${i}`] = { log }))
  const found = await docSets(executor, sets)
  return { docs: found.byKey, logs: logs.map((_, i) => found[`log${i}`] as LogRow[]) }
}

/** Entries of several docsAndLogs answers, each once, oldest first (an entry in several lists: the last list's copy). */
export function mergeLogs(...lists: LogRow[][]): unknown[] {
  const byPlace = new Map<string, LogRow>()
  for (const list of lists) for (const row of list) byPlace.set(`${row.commit}/${row.prepare}/${row.idx}`, row)
  const cmp = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0)
  return [...byPlace.values()].sort((a, b) => cmp(a.commit, b.commit) || cmp(a.prepare, b.prepare) || a.idx - b.idx).map((row) => row.entry)
}
