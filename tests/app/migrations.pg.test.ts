// The migration runner on PostgreSQL: the portal's migrations (migrations-suite.ts) in isolated schemas; processes
// starting together run each migration once; an up-to-date start takes no lock that waits for the portal's writes.
import pg from 'pg'
import { afterAll, describe, expect, test } from 'vitest'
import { migrateAll } from '../../app/services.server.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { runMigrations } from '../../eventstore/postgres/migrations.ts'
import { isolatedPostgresSchema, type IsolatedSchema } from '../support/pglite.ts'
import { createTestDatabase, postgresOrSkip } from '../support/pg-database.ts'
import { everything, migrationSuite, statementLog } from './migrations-suite.ts'

const SUITE = 'the migration runner on PostgreSQL'
const baseUrl = postgresOrSkip(SUITE)

/** The connection string with a server setting for its sessions. */
const withSetting = (url: string, setting: string) => {
  const next = new URL(url)
  next.searchParams.set('options', `-c ${setting}`)
  return next.toString()
}

describe.runIf(baseUrl)(SUITE, () => {
  const schemas: IsolatedSchema[] = []
  afterAll(async () => {
    for (const schema of schemas) await schema.drop().catch(() => {})
  })
  const isolated = async () => {
    const schema = await isolatedPostgresSchema(baseUrl!, 'migrations')
    schemas.push(schema)
    return schema
  }

  migrationSuite('PostgreSQL', async () => {
    const schema = await isolated()
    const driver = await createPgDriver(schema.url)
    return { driver, schema: schema.schema, close: () => driver.close() }
  })

  test('two processes (two pools) starting together on an empty database run each migration once (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const schema = await isolated()
      const pools = await Promise.all([createPgDriver(schema.url), createPgDriver(schema.url)])
      try {
        const [first, second] = await Promise.all(pools.map((driver) => migrateAll(driver, { events: true })))
        const ran = [...first!, ...second!].map((outcome) => `${outcome.migration} ${outcome.outcome}`)
        expect(ran.sort()).toEqual(everything().map((migration) => `${String(migration.number).padStart(3, '0')}-${migration.name} applied`))
        expect([first!.length, second!.length].sort()).toEqual([0, everything().length])
        const { rows } = await pools[0]!.query<{ n: number }>('select count(*)::int as n from schema_migrations')
        expect(rows[0]!.n).toBe(everything().length)
      } finally {
        await Promise.all(pools.map((driver) => driver.close()))
      }
    }
  }, 120_000)

  test('an up-to-date start waits for no lock while other sessions write to every table, and sends only reads', async () => {
    // a database of its own: the advisory lock is the database's, other test files migrate schemas of the shared one
    const database = await createTestDatabase(baseUrl!, 'migrations')
    const driver = await createPgDriver(database.url)
    // a lock the start had to wait for would fail it at once instead of waiting
    const impatient = await createPgDriver(withSetting(database.url, 'lock_timeout=50'))
    const writer = new pg.Client({ connectionString: database.url })
    try {
      await migrateAll(driver, { events: true })
      await writer.connect()
      const { rows } = await writer.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = current_schema() and table_name <> 'schema_migrations'`,
      )
      await writer.query('begin')
      // what appends, sessions and projection writes hold until they commit
      await writer.query(`lock table ${rows.map((row) => pg.escapeIdentifier(row.name)).join(', ')} in row exclusive mode`)
      const log = statementLog(impatient)
      expect(await runMigrations(log.driver, everything())).toEqual([])
      expect(log.statements.filter((sql) => !/^\s*select\b/i.test(sql))).toEqual([])
      await writer.query('rollback')
    } finally {
      await writer.end().catch(() => {})
      await impatient.close()
      await driver.close()
      await database.drop()
    }
  })
})
