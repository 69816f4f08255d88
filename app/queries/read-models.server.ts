// Reads projection documents of the active version (loaders read projections only).
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'

const ACTIVE = `
  from read_models rm
  join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'`

export async function doc<T>(sql: SqlExecutor, projection: string, key: string): Promise<T | null> {
  const { rows } = await sql.query<{ state: T }>(`select rm.state ${ACTIVE} where rm.projection = $1 and rm.key = $2`, [projection, key])
  return rows[0]?.state ?? null
}

/** Documents of a projection filtered by a SQL condition on `rm.state` ($2.. are params). */
export async function docs<T>(sql: SqlExecutor, projection: string, where = 'true', params: unknown[] = [], orderBy = 'rm.key', limit = 1000): Promise<T[]> {
  const { rows } = await sql.query<{ state: T }>(
    `select rm.state ${ACTIVE} where rm.projection = $1 and (${where}) order by ${orderBy} limit ${Math.max(1, Math.floor(limit))}`,
    [projection, ...params],
  )
  return rows.map((row) => row.state).filter((state) => state !== null)
}

export async function count(sql: SqlExecutor, projection: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: string | number }>(`select count(*)::int as n ${ACTIVE} where rm.projection = $1 and (${where})`, [projection, ...params])
  return Number(rows[0]?.n ?? 0)
}

/** Several documents of several projections in one round trip: [projection, key] pairs, answered as a map by pair. */
export async function docsByKeys(sql: SqlExecutor, pairs: readonly (readonly [string, string])[]): Promise<Map<string, unknown>> {
  if (pairs.length === 0) return new Map()
  // a union of single-key lookups: each one is the primary-key lookup doc() makes
  const statement = pairs
    .map((_, i) => `(select rm.projection, rm.key, rm.state ${ACTIVE} where rm.projection = $${2 * i + 1} and rm.key = $${2 * i + 2})`)
    .join(' union all ')
  const { rows } = await sql.query<{ projection: string; key: string; state: unknown }>(statement, pairs.flat())
  return new Map(rows.map((row) => [pairKey(row.projection, row.key), row.state]))
}
export const pairKey = (projection: string, key: string) => `${projection}\u0000${key}`

/** A question for docs() as a value: `where` numbers its own parameters from $2 ($1 is the projection). */
export type DocQuery = { projection: string; where?: string; params?: readonly unknown[]; orderBy?: string; limit?: number }

/** One set of documents for docSets: a DocQuery, or documents by [projection, key]. */
export type DocSet = DocQuery | { keys: readonly (readonly [string, string])[] }

/** The documents of one set (the same question docSets can ask together with others). */
export async function docsOf<T>(sql: SqlExecutor, set: DocQuery): Promise<T[]> {
  return docs<T>(sql, set.projection, set.where, [...(set.params ?? [])], set.orderBy, set.limit)
}

/**
 * Several sets of documents in one round trip (a page's loader asks several questions; each query is a round trip,
 * and on loopback a round trip costs more CPU than these small lookups). Answers each set in its own order.
 */
export async function docSets<K extends string>(sql: SqlExecutor, sets: Record<K, DocSet>): Promise<Record<K, unknown[]> & { byKey: Map<string, unknown> }> {
  const params: unknown[] = []
  const parts: string[] = []
  const names = Object.keys(sets) as K[]
  names.forEach((name, index) => {
    const set = sets[name]
    if ('keys' in set) {
      for (const [projection, key] of set.keys) {
        params.push(projection, key)
        parts.push(`(select ${index} as s, 0::bigint as ord, rm.projection, rm.key, rm.state ${ACTIVE}
          where rm.projection = $${params.length - 1} and rm.key = $${params.length})`)
      }
      return
    }
    const base = params.length
    params.push(set.projection, ...(set.params ?? []))
    // the set's own $1 (projection), $2.. (its parameters) move up by what the sets before it took
    const where = (set.where ?? 'true').replace(/\$(\d+)/g, (_, n: string) => `$${base + Number(n)}`)
    const orderBy = set.orderBy ?? 'rm.key'
    const limit = Math.max(1, Math.floor(set.limit ?? 1000))
    parts.push(`(select ${index} as s, row_number() over (order by ${orderBy}) as ord, rm.projection, rm.key, rm.state ${ACTIVE}
      where rm.projection = $${base + 1} and (${where}) order by ${orderBy} limit ${limit})`)
  })
  const answer = Object.fromEntries(names.map((name) => [name, [] as unknown[]])) as Record<K, unknown[]>
  const byKey = new Map<string, unknown>()
  if (parts.length === 0) return Object.assign(answer, { byKey })
  const { rows } = await sql.query<{ s: number; ord: string; projection: string; key: string; state: unknown }>(
    `select s, ord, projection, key, state from (${parts.join(' union all ')}) sets order by s, ord`,
    params,
  )
  for (const row of rows) {
    if (row.state === null) continue
    answer[names[row.s]!].push(row.state)
    byKey.set(pairKey(row.projection, row.key), row.state)
  }
  return Object.assign(answer, { byKey })
}
