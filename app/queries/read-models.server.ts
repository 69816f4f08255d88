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
