// The migration runner on PGlite: the portal's migrations (migrations-suite.ts), each test in a schema of its own.
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { runMigrations } from '../../eventstore/postgres/migrations.ts'
import { EVENT_STORE_MIGRATIONS, MIGRATION } from '../../eventstore/postgres/schema.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { everything, migrationSuite } from './migrations-suite.ts'

migrationSuite('PGlite', async () => {
  const driver = await freshPGliteDriver()
  const schema = `m_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  await driver.exec(`create schema ${schema}; set search_path to ${schema}`)
  return { driver, schema, close: () => driver.close() }
})

describe('the event store\'s migrations', () => {
  test('the functions\' migration holds exactly MIGRATION\'s function statements, the tables\' all the others, in order', () => {
    const [functions, tablesMigration] = EVENT_STORE_MIGRATIONS
    expect(functions!.rerunnable).toBe(true)
    expect(tablesMigration!.rerunnable).toBeFalsy()
    expect(functions!.statements.length).toBeGreaterThan(0)
    for (const statement of functions!.statements) expect(statement).toMatch(/^\s*(create or replace|drop) (function|aggregate|procedure)\b/i)
    for (const statement of tablesMigration!.statements) expect(statement).not.toMatch(/^\s*(create or replace|drop) (function|aggregate|procedure)\b/i)
    expect([...functions!.statements, ...tablesMigration!.statements].sort()).toEqual([...MIGRATION].sort())
    expect(tablesMigration!.statements).toEqual(MIGRATION.filter((statement) => tablesMigration!.statements.includes(statement)))
  })

  test('the migrations are listed in increasing order of number, or the runner refuses the list', async () => {
    const list = everything()
    expect(list.map((migration) => migration.number)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const swapped = [list[1]!, list[0]!]
    await expect(runMigrations({} as SqlDriver, swapped)).rejects.toThrow('Migrations must be listed in increasing order of number: 002-event-store comes before 001-event-store-functions')
  })
})
