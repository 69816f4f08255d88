// A PostgreSQL database of a test's own on the TEST_DATABASE_URL server, for tests that terminate every backend of
// "the portal's database" or start several processes on an empty one (a schema is not enough for either).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, test } from 'vitest'

export type TestDatabase = {
  /** connection string of the new database */
  url: string
  name: string
  /** pg_terminate_backend for every session of this database but the caller's; returns how many were ended */
  terminateBackends(): Promise<number>
  /** runs one query on a connection of its own (not one of the portal's) */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>
  drop(): Promise<void>
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database named `partnerlog_<prefix>_<random>` on the server of `baseUrl`. */
export async function createTestDatabase(baseUrl: string, prefix: string): Promise<TestDatabase> {
  const name = `partnerlog_${prefix}_${randomBytes(5).toString('hex')}`
  await withClient(baseUrl, (client) => client.query(`create database ${pg.escapeIdentifier(name)}`))
  const target = new URL(baseUrl)
  target.pathname = `/${name}`
  const url = target.toString()
  return {
    url,
    name,
    async terminateBackends() {
      return withClient(baseUrl, async (client) => {
        const { rows } = await client.query<{ ended: boolean }>(
          `select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
          [name],
        )
        return rows.filter((row) => row.ended).length
      })
    },
    async query(sql, params) {
      return withClient(url, async (client) => (await client.query(sql, params)).rows)
    },
    async drop() {
      await withClient(baseUrl, (client) => client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`))
    },
  }
}

/**
 * The PostgreSQL server tests may use (TEST_DATABASE_URL), or undefined after registering a skipped test that says why
 * (CI sets it; locally e.g. postgres://partnerlog:partnerlog@localhost:5432/partnerlog_test).
 */
export function postgresOrSkip(suite: string): string | undefined {
  const url = process.env.TEST_DATABASE_URL
  if (url && url.trim() !== '') return url
  describe(suite, () => {
    // skipped on purpose: no PostgreSQL server configured here
    test.skip('skipped: TEST_DATABASE_URL is not set', () => {})
  })
  return undefined
}
