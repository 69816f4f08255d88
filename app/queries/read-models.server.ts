// Reads projection documents of the active version (loaders read projections only).
import { createHash } from 'node:crypto'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { lastPage, PAGE_SIZE, type PageRequest, type Paged } from '../paging.ts'

/**
 * The name a page's statement is prepared under: one per SQL text, so that the server parses and plans a page's
 * question once per connection, not on every view (planning a page's union took longer than running it). The texts
 * are the code's own (every value is a parameter; only names of projections and fields are written in), so there are
 * few; past MAX_PREPARED texts, nothing more is prepared.
 */
const MAX_PREPARED = 500
const preparedNames = new Map<string, string>()
function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text)
  if (!name && preparedNames.size < MAX_PREPARED) preparedNames.set(text, (name = `rm_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`))
  return name
}

/**
 * The rows (`rm`) of a projection's active version; `projection` is the SQL naming it (a parameter like `$1`, or the
 * name written in: sqlName, which prepared statements use). The version is a
 * scalar subquery (one active version per projection: a unique index says so), so the planner sees one version and
 * can read an index in its order, where a join would make it sort every row of a partner before a limit.
 */
export const activeRows = (projection: string) =>
  `from read_models rm where rm.projection = ${projection}
     and rm.version = (select pc.version from projection_checkpoints pc where pc.projection = ${projection} and pc.status = 'active')`

export async function doc<T>(sql: SqlExecutor, projection: string, key: string): Promise<T | null> {
  const { rows } = await sql.query<{ state: T }>(`select rm.state ${activeRows('$1')} and rm.key = $2`, [projection, key])
  return rows[0]?.state ?? null
}

/** At most `limit` documents of a projection filtered by a SQL condition on `rm.state` ($2.. are params): a caller says how many. */
export async function docs<T>(sql: SqlExecutor, projection: string, where: string, params: unknown[], orderBy: string, limit: number): Promise<T[]> {
  const { rows } = await sql.query<{ state: T }>(
    `select rm.state ${activeRows('$1')} and (${where}) order by ${orderBy} limit ${Math.max(1, Math.floor(limit))}`,
    [projection, ...params],
  )
  return rows.map((row) => row.state).filter((state) => state !== null)
}

/**
 * A projection's or field's name as an SQL literal, for the prepared statements' texts. The names are the code's own;
 * written in, they let the server's generic plan of a prepared statement use the partial indexes of one projection
 * (with them as parameters it could not, so the server planned every execution anew, which cost more than running it).
 */
function sqlName(value: string): string {
  if (!/^[A-Za-z0-9_$-]+$/.test(value)) throw new Error(`Not a projection or field name: ${JSON.stringify(value)}`)
  return `'${value}'`
}

/** Only the named top-level fields of a JSON column's value (`pick` of a docSets set or a log request). */
function picked(column: string, fields: readonly string[]): string {
  return `jsonb_build_object(${fields.map((field) => `${sqlName(field)}, ${column} -> ${sqlName(field)}`).join(', ')})`
}

/**
 * A list's own SQL (its `where` or `orderBy`, where `$1` is its projection and `$2`.. its parameters) placed in a
 * bigger statement after `base` parameters of others: `$1` becomes the projection's name, written in, and `$n`
 * becomes `$(base + n - 1)`.
 */
function placed(text: string, projectionName: string, base: number): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => (n === '1' ? projectionName : `$${base + Number(n) - 1}`))
}

/** One page of a list of documents, and how many documents the whole list holds. */
export type DocPage<T> = { rows: T[]; total: number }

/**
 * One page of the documents matching a condition ($2.. are params), in `orderBy` and then by key, so that documents
 * that tie keep their places and pages never overlap or skip one; and how many match in all. One round trip: the
 * count is its own scalar subquery rather than a window over the page's rows, so a page past the end (no rows) still
 * knows the total. Null documents are in neither, so the pages add up to the total.
 */
export async function docPage<T>(
  sql: SqlExecutor, projection: string, where: string, params: readonly unknown[], orderBy: string,
  { limit, offset = 0 }: { limit: number; offset?: number },
): Promise<DocPage<T>> {
  // the projection is written in (see sqlName), and the list's parameters move down by one: in `where` and `orderBy`
  // both (a search orders by its rank, which names the query's parameter)
  const projectionName = sqlName(projection)
  const matching = `${activeRows(projectionName)} and (${placed(where, projectionName, 0)}) and rm.state <> 'null'::jsonb`
  const order = `${placed(orderBy, projectionName, 0)}, rm.key`
  const [limitParam, offsetParam] = [`$${params.length + 1}`, `$${params.length + 2}`]
  // the page as one JSON array (as docSets does): one value to parse instead of a row per document
  const text = `select (select count(*) ${matching})::int as total,
    (select coalesce(json_agg(p.state order by p.ord), '[]'::json)
       from (select rm.state, row_number() over (order by ${order}) as ord ${matching}
              order by ${order} limit ${limitParam}::int offset ${offsetParam}::int) p) as rows`
  const { rows } = await sql.query<{ total: number | string; rows: T[] | string }>(
    text,
    [...params, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset))],
    { prepareAs: preparedName(text) },
  )
  const found = rows[0]?.rows ?? []
  return { rows: typeof found === 'string' ? (JSON.parse(found) as T[]) : found, total: Number(rows[0]?.total ?? 0) }
}

/**
 * Page `page` (from 1) of `size` documents, as a page of the app shows a long list: a page past the end is the last
 * page (the list may have shrunk since its link was made), read with a second query only then.
 */
export async function pageOfDocs<T>(
  sql: SqlExecutor, projection: string, where: string, params: readonly unknown[], orderBy: string,
  { page = 1, size = PAGE_SIZE }: PageRequest = {},
): Promise<Paged<T>> {
  const read = (n: number) => docPage<T>(sql, projection, where, params, orderBy, { limit: size, offset: (n - 1) * size })
  const found = await read(page)
  const last = lastPage(found.total, size)
  if (found.rows.length > 0 || page <= last) return { ...found, page, size }
  if (found.total === 0) return { rows: [], total: 0, page: 1, size }
  return { ...(await read(last)), page: last, size }
}

/**
 * Every document of a projection that matches a condition, read in pages by key: no cap, for work lists that must be
 * complete however big the program grows (the scheduler's due items). The condition should be selective.
 */
export async function everyDoc<T>(sql: SqlExecutor, projection: string, where = 'true', params: unknown[] = [], pageSize = 1000): Promise<T[]> {
  const found: T[] = []
  let after = ''
  for (;;) {
    const { rows } = await sql.query<{ key: string; state: T }>(
      `select rm.key, rm.state ${activeRows('$1')} and (${where}) and rm.key > $${params.length + 2} order by rm.key limit ${pageSize}`,
      [projection, ...params, after],
    )
    for (const row of rows) if (row.state !== null) found.push(row.state)
    if (rows.length < pageSize) return found
    after = rows.at(-1)!.key
  }
}

/**
 * A comparison of documents by a text field in code-point order, as `order by` on it sorts ISO dates, quarters and ids:
 * everyDoc answers in key order, and a list read whole is sorted after.
 */
export function byText<T>(field: (doc: T) => string, direction: 'asc' | 'desc' = 'asc'): (a: T, b: T) => number {
  const sign = direction === 'asc' ? 1 : -1
  return (a, b) => {
    const [x, y] = [field(a), field(b)]
    return x < y ? -sign : x > y ? sign : 0
  }
}

/** The `name` field of the given documents of a projection (users, organisations), by key: a page names what it shows. */
export async function namesOf(sql: SqlExecutor, projection: string, keys: readonly string[]): Promise<Record<string, string>> {
  const unique = [...new Set(keys)]
  if (unique.length === 0) return {}
  const { rows } = await sql.query<{ key: string; name: string }>(
    `select rm.key, rm.state->>'name' as name ${activeRows('$1')} and rm.key = any($2::text[])`,
    [projection, unique],
  )
  return Object.fromEntries(rows.map((row) => [row.key, row.name]))
}

export async function count(sql: SqlExecutor, projection: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: string | number }>(`select count(*)::int as n ${activeRows('$1')} and (${where})`, [projection, ...params])
  return Number(rows[0]?.n ?? 0)
}

export const pairKey = (projection: string, key: string) => `${projection}\u0000${key}`

/**
 * Which documents, in which order, as a value: `where` numbers its own parameters from $2 ($1 is the projection). It
 * says nothing of how many: pageOfList reads a page of it, docSets a set of it with its own limit, or its count.
 */
export type DocList = { projection: string; where?: string; params?: readonly unknown[]; orderBy?: string }

/**
 * A question for docSets: a DocList and how many of its documents to read at most, or 'all' of them (a list small by
 * nature, or a few small fields picked of each). The limit is the set's own and never implied, so that no list stops
 * short without its page knowing: a page that shows "the latest N" asks the list's count beside it. `omit` leaves
 * top-level fields out of the answer (big ones a page does not show: they would be sent and parsed); `pick` answers
 * only these top-level fields of each document.
 */
export type DocQuery = DocList & { limit: number | 'all'; omit?: readonly string[]; pick?: readonly string[] }

/** Page `page` of a DocList (see pageOfDocs). */
export const pageOfList = <T>(sql: SqlExecutor, list: DocList, page?: PageRequest) =>
  pageOfDocs<T>(sql, list.projection, list.where ?? 'true', list.params ?? [], list.orderBy ?? 'rm.key', page)

/** The first `limit` documents of a DocList and how many it holds in all, in one round trip (a "latest N of M" list). */
export const firstOfList = <T>(sql: SqlExecutor, list: DocList, limit: number) =>
  docPage<T>(sql, list.projection, list.where ?? 'true', list.params ?? [], list.orderBy ?? 'rm.key', { limit })

/** The newest entries of a document's log field (Projection.logs): at most `limit`, those containing `match` if given. */
export type LogRequest = {
  projection: string; key: string; field: string; limit?: number; match?: Record<string, unknown>
  /** only these top-level fields of each entry (a chart of many entries needs two of their fields) */
  pick?: readonly string[]
}
export type LogRow = { entry: unknown; commit: string; prepare: string; idx: number }

/**
 * One set for docSets: a DocQuery, documents by [projection, key], the entries of a log field (oldest first), or how
 * many documents a DocList holds (the count beside a limited list, in the same round trip).
 */
export type DocSet = DocQuery | { keys: readonly (readonly [string, string])[]; omit?: readonly string[] } | { log: LogRequest } | { count: DocList }

type SetAnswer<S> = S extends { log: LogRequest } ? LogRow[] : S extends { count: DocList } ? number : unknown[]

/**
 * Several sets of documents and log entries in one round trip (a page's loader asks several questions; each query is
 * a round trip, and on loopback a round trip costs more CPU than these small lookups). Answers each set in its own
 * order; log entries oldest first, with their place in the log (commit, prepare, idx) so that answers can be merged.
 */
export async function docSets<S extends Record<string, DocSet>>(sql: SqlExecutor, sets: S): Promise<{ [K in keyof S]: SetAnswer<S[K]> } & { byKey: Map<string, unknown> }> {
  const params: unknown[] = []
  const p = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const parts: string[] = []
  const names = Object.keys(sets)
  const NO_PLACE = 'null::text as commit, null::text as prepare, null::int as idx'
  names.forEach((setName, index) => {
    const set = sets[setName]!
    const state = (omit?: readonly string[]) => (omit?.length ? `rm.state - ${p([...omit])}::text[]` : 'rm.state')
    if ('keys' in set) {
      for (const [projection, key] of set.keys) {
        parts.push(`(select ${index} as s, 0::bigint as ord, rm.projection, rm.key, ${state(set.omit)} as state, ${NO_PLACE} ${activeRows(sqlName(projection))} and rm.key = ${p(key)})`)
      }
      return
    }
    if ('log' in set) {
      const log = set.log
      const newestFirst = 'l.position_commit desc, l.position_prepare desc, l.idx desc'
      const projection = sqlName(log.projection)
      const entry = log.pick ? picked('l.entry', log.pick) : 'l.entry'
      parts.push(`(select ${index} as s, row_number() over (order by ${newestFirst}) as ord, l.projection, l.key, ${entry} as state,
            l.position_commit::text as commit, l.position_prepare::text as prepare, l.idx
          from read_model_logs l
         where l.projection = ${projection}
           and l.version = (select pc.version from projection_checkpoints pc where pc.projection = ${projection} and pc.status = 'active')
           and l.key = ${p(log.key)} and l.field = ${sqlName(log.field)}${log.match ? ` and l.entry @> ${p(JSON.stringify(log.match))}::jsonb` : ''}
         order by ${newestFirst}${log.limit === undefined ? '' : ` limit ${Math.max(0, Math.floor(log.limit))}`})`)
      return
    }
    const list = 'count' in set ? set.count : set
    const base = params.length
    params.push(...(list.params ?? []))
    // the set's own $1 is its projection (written in), $2.. its parameters: they move to after those of the sets before
    const projection = sqlName(list.projection)
    const where = placed(list.where ?? 'true', projection, base)
    if ('count' in set) {
      // null documents are in no list (docSets skips them), so they are not counted either
      parts.push(`(select ${index} as s, 0::bigint as ord, ${projection}::text as projection, ''::text as key, to_jsonb(count(*)) as state, ${NO_PLACE}
        ${activeRows(projection)} and (${where}) and rm.state <> 'null'::jsonb)`)
      return
    }
    const orderBy = placed(set.orderBy ?? 'rm.key', projection, base)
    const limit = set.limit === 'all' ? 'all' : Math.max(1, Math.floor(set.limit))
    const shown = set.pick ? picked('rm.state', set.pick) : state(set.omit)
    parts.push(`(select ${index} as s, row_number() over (order by ${orderBy}) as ord, rm.projection, rm.key, ${shown} as state, ${NO_PLACE} ${activeRows(projection)}
      and (${where}) and rm.state <> 'null'::jsonb order by ${orderBy} limit ${limit})`)
  })
  const answer: Record<string, unknown[] | number> = Object.fromEntries(names.map((name) => [name, 'count' in sets[name]! ? 0 : []]))
  const byKey = new Map<string, unknown>()
  if (parts.length > 0) {
    // one row holding every answer as a JSON array: parsing one value costs less than a row per document or entry
    const text = `select coalesce(json_agg(json_build_array(s, projection, key, state, commit, prepare, idx) order by s, ord), '[]') as found
      from (${parts.join(' union all ')}) sets`
    type Found = [s: number, projection: string, key: string, state: unknown, commit: string | null, prepare: string | null, idx: number | null]
    const { rows } = await sql.query<{ found: Found[] | string }>(text, params, { prepareAs: preparedName(text) })
    const found = rows[0]?.found ?? []
    for (const [s, projection, key, state, commit, prepare, idx] of typeof found === 'string' ? (JSON.parse(found) as Found[]) : found) {
      const setName = names[s]!
      if ('count' in sets[setName]!) {
        ;(answer as Record<string, unknown>)[setName] = Number(state)
        continue
      }
      if ('log' in sets[setName]!) {
        (answer[setName] as unknown[]).push({ entry: state, commit: commit!, prepare: prepare!, idx: Number(idx) } satisfies LogRow)
        continue
      }
      if (state === null) continue
      (answer[setName] as unknown[]).push(state)
      byKey.set(pairKey(projection, key), state)
    }
    // logs were read newest first (for their limit): answer them oldest first
    for (const setName of names) if ('log' in sets[setName]!) (answer[setName] as unknown[]).reverse()
  }
  return Object.assign(answer, { byKey }) as { [K in keyof S]: SetAnswer<S[K]> } & { byKey: Map<string, unknown> }
}

/** Documents ([projection, key] pairs) and log entries in one round trip (docSets with one set per log request). */
export async function docsAndLogs(
  sql: SqlExecutor,
  pairs: readonly (readonly [string, string])[],
  logs: readonly LogRequest[],
): Promise<{ docs: Map<string, unknown>; logs: LogRow[][] }> {
  const sets: Record<string, DocSet> = { docs: { keys: pairs } }
  logs.forEach((log, i) => (sets[`log${i}`] = { log }))
  const found = await docSets(sql, sets)
  return { docs: found.byKey, logs: logs.map((_, i) => found[`log${i}`] as LogRow[]) }
}

/** Entries of several answers to docsAndLogs, each once, oldest first; of an entry in several lists, the last list's copy (a list may pick fields). */
export function mergeLogs(...lists: LogRow[][]): unknown[] {
  const byPlace = new Map<string, LogRow>()
  for (const list of lists) for (const row of list) byPlace.set(`${row.commit}/${row.prepare}/${row.idx}`, row)
  const cmp = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0)
  return [...byPlace.values()].sort((a, b) => cmp(a.commit, b.commit) || cmp(a.prepare, b.prepare) || a.idx - b.idx).map((row) => row.entry)
}
