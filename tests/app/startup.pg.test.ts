// Several portal processes starting together on one empty PostgreSQL database: every one starts (the migrations run
// under one advisory lock), and the demo program is seeded exactly once (one seeder at a time; the seed's ids come from
// its command ids, so a second run of a seed command is recognised as the same command).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { migrateAll } from '../../app/services.server.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const SUITE = 'portal processes starting together on PostgreSQL'
const baseUrl = postgresOrSkip(SUITE)
const root = path.resolve(import.meta.dirname, '../..')
const PROCESSES = 4
const ROUNDS = 5

type Exit = { code: number | null; output: string }

/** `tsx cli/seed.ts`: opens the services (migrations, projections) and seeds the demo program into an empty store. */
function seedProcess(databaseUrl: string): Promise<Exit> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-startup-'))
  return new Promise((resolve) => {
    let output = ''
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'cli/seed.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      resolve({ code, output })
    })
  })
}

async function eventCounts(database: TestDatabase): Promise<Record<string, number>> {
  const rows = await database.query<{ type: string; n: number }>('select type, count(*)::int as n from events group by type order by type')
  return Object.fromEntries(rows.map((row) => [row.type, row.n]))
}

describe.runIf(baseUrl)(SUITE, () => {
  const databases: TestDatabase[] = []
  afterAll(async () => {
    for (const database of databases) await database.drop().catch(() => {})
  })

  test('migrations started together from several connections on an empty database all succeed (5 rounds)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const database = await createTestDatabase(baseUrl!, 'migrate')
      databases.push(database)
      const drivers = await Promise.all(Array.from({ length: PROCESSES }, () => createPgDriver(database.url)))
      try {
        const results = await Promise.allSettled(drivers.map((driver) => migrateAll(driver, { events: true })))
        expect(results.filter((result) => result.status === 'rejected')).toEqual([])
      } finally {
        await Promise.all(drivers.map((driver) => driver.close()))
      }
      await database.drop()
    }
  }, 120_000)

  let oneSeed: Record<string, number> = {}

  test('one process alone seeds the demo program (the reference count of events by type)', async () => {
    const database = await createTestDatabase(baseUrl!, 'startup')
    databases.push(database)
    const exit = await seedProcess(database.url)
    expect(exit.code, exit.output).toBe(0)
    expect(exit.output).toContain('Seeded the demo program in')
    oneSeed = await eventCounts(database)
    // the demo program: sixty-odd partners with workshops and survey rounds over two years
    expect(oneSeed.PartnerApproved).toBeGreaterThanOrEqual(50)
    expect(oneSeed.WorkshopRequested).toBeGreaterThan(10)
    expect(oneSeed.SurveyRoundOpened).toBeGreaterThan(1)
  }, 180_000)

  test.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    `round %i: ${PROCESSES} processes started together on an empty database all start, and the log holds one seed`,
    async () => {
      const database = await createTestDatabase(baseUrl!, 'startup')
      databases.push(database)
      const exits = await Promise.all(Array.from({ length: PROCESSES }, () => seedProcess(database.url)))
      for (const exit of exits) expect(exit.code, exit.output).toBe(0)
      expect(exits.filter((exit) => exit.output.includes('Seeded the demo program in'))).toHaveLength(1)
      expect(await eventCounts(database)).toEqual(oneSeed)
      await database.drop()
    },
    240_000,
  )
})
