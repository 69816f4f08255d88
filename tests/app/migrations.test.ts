// The migration runner on PGlite: the portal's migrations (migrations-suite.ts), each test in a schema of its own.
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { migrationChecksum, migrationLabel, runMigrations } from '../../eventstore/postgres/migrations.ts'
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
    expect(list.map((migration) => migration.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    const swapped = [list[1]!, list[0]!]
    await expect(runMigrations({} as SqlDriver, swapped)).rejects.toThrow('Migrations must be listed in increasing order of number: 002-event-store comes before 001-event-store-functions')
  })

  test('the run-once migrations are as databases ran them: an edit fails here before it refuses a start', () => {
    // a failure here means a migration that databases have run was edited: put it back, add a new numbered migration
    const runOnce = everything().filter((migration) => !migration.rerunnable)
    expect(Object.fromEntries(runOnce.map((migration) => [migrationLabel(migration), migrationChecksum(migration).slice(0, 16)]))).toEqual({
      '002-event-store': '6a47148e7964f80d',
      '003-keys': '89b547a05e54b5bd',
      '004-auth': '6757512368ff8dbd',
      '005-people': 'd10812a2b85b6a0d',
      '006-read-models': '723a08b7aeeafe72',
      '008-event-json-columns': '6aa0ce9732e4bed7',
      '009-timeline-from-events': 'ef6beea480c2de0f',
      '010-removed-projections': '51a509eaf6945965',
      '011-timeline-clocks': 'bc4f52f4bf1322a9',
    })
  })
})
