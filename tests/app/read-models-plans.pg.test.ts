// Decision 007 on PostgreSQL: the read side's prepared statements name their projection and fields in the text, so that
// the server's generic plan (the one a prepared statement settles on) still uses one projection's partial index.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { dealsOfPartner, recentDealsOf } from '../../app/queries/index.server.ts'
import { docSets, firstOf } from '../../app/queries/read-models.server.ts'
import { dealsProjection } from '../../projections/deals.ts'
import { migrateProjections } from '../../projections/store.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const SUITE = 'read-model statements keep their partial indexes in generic plans'
const baseUrl = postgresOrSkip(SUITE)

/** Records the statements a query sends instead of running them (answers no rows). */
function recorder(): SqlExecutor & { sent: { sql: string; params: readonly unknown[]; prepareAs?: string }[] } {
  const sent: { sql: string; params: readonly unknown[]; prepareAs?: string }[] = []
  return { sent, async query(sql, params = [], options) { sent.push({ sql, params, prepareAs: options?.prepareAs }); return { rows: [] } } }
}

/** Every index named in a plan (EXPLAIN's JSON). */
function indexesIn(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(indexesIn)
  if (!plan || typeof plan !== 'object') return []
  const node = plan as Record<string, unknown>
  return [...(typeof node['Index Name'] === 'string' ? [node['Index Name']] : []), ...Object.values(node).flatMap(indexesIn)]
}

describe.runIf(baseUrl)(SUITE, () => {
  let database: TestDatabase
  let client: pg.Client

  beforeAll(async () => {
    database = await createTestDatabase(baseUrl!, 'plans')
    const driver = await createPgDriver(database.url)
    try {
      await migrateProjections(driver, [dealsProjection])
    } finally {
      await driver.close()
    }
    client = new pg.Client({ connectionString: database.url })
    await client.connect()
    // a big deals projection (400 partners) beside another projection as big, so a plan that ignores the partial index
    // reads far more than one partner's rows
    await client.query(`insert into projection_checkpoints (projection, version, position_commit, position_prepare, status)
      values ('deals', 1, 0, 0, 'active'), ('other', 1, 0, 0, 'active')`)
    await client.query(`insert into read_models (projection, version, key, state, position_commit, position_prepare)
      select p, 1, 'd' || i, jsonb_build_object('dealId', 'd' || i, 'partnerId', 'p' || (i % 400), 'status', case when i % 7 = 0 then 'Submitted' else 'Approved' end,
             'registeredAt', to_char(timestamp '2026-01-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), 0, 0
        from generate_series(1, 40000) i, (values ('deals'), ('other')) v(p)`)
    await client.query('analyze read_models')
    await client.query('analyze projection_checkpoints')
  }, 120_000)

  afterAll(async () => {
    await client?.end()
    await database?.drop()
  })

  /** the indexes of the generic plan of a statement, prepared as the app prepares it */
  async function genericPlanIndexes(statement: { sql: string; params: readonly unknown[] }): Promise<string[]> {
    await client.query('set plan_cache_mode = force_generic_plan')
    await client.query('deallocate all')
    await client.query(`prepare q as ${statement.sql}`)
    const args = statement.params.map((value) => (typeof value === 'number' ? String(value) : client.escapeLiteral(String(value))))
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`explain (format json) execute q${args.length ? `(${args.join(', ')})` : ''}`)
    return indexesIn(rows[0]!['QUERY PLAN'])
  }

  test('a page of one partner deals is prepared, and its generic plan reads deals_partner_registered', async () => {
    const sent = recorder()
    await firstOf(sent, dealsOfPartner('p7'), { limit: 50, offset: 0 })
    expect(sent.sent).toHaveLength(1)
    expect(sent.sent[0]!.prepareAs).toMatch(/^rm_/)
    expect(sent.sent[0]!.sql).toContain(`'deals'`)
    expect(await genericPlanIndexes(sent.sent[0]!)).toContain('deals_partner_registered')
  })

  test('a docSets union (the partner dashboard newest deals) keeps the index too', async () => {
    const sent = recorder()
    await docSets(sent, { recent: recentDealsOf('p7', 5) })
    expect(await genericPlanIndexes(sent.sent[0]!)).toContain('deals_partner_registered')
  })

  test('the same statement with the projection as a parameter does not: the test sees the difference', async () => {
    const sent = recorder()
    await firstOf(sent, dealsOfPartner('p7'), { limit: 50, offset: 0 })
    const { sql, params } = sent.sent[0]!
    const n = params.length + 1
    expect(await genericPlanIndexes({ sql: sql.replaceAll(`'deals'`, `$${n}`), params: [...params, 'deals'] })).not.toContain('deals_partner_registered')
  })
})
