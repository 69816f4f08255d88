// The projection runner with read models in a PostgreSQL server (TEST_DATABASE_URL), plus the advisory-lock hand-over.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createProjectionRunner, projectionLockKey, readDocuments, type LockConnection, type ProjectionRunner } from '../../projections/index.ts'
import { appendAll, collectingLogger, countingProjection, eventually, expectedTallies, generateHistory, newStore, uniqueName, type Tally } from './runner-fixtures.ts'
import { defineRunnerSuite } from './runner-suite.ts'

const url = process.env.TEST_DATABASE_URL

/** A driver whose connections use a schema of their own, so parallel test files cannot see each other's tables. */
async function openIsolated(): Promise<{ driver: SqlDriver & { pool: unknown }; schema: string; close(): Promise<void> }> {
  const schema = `projections_test_${randomBytes(4).toString('hex')}`
  const admin = await createPgDriver(url!, { max: 1 })
  await admin.exec(`create schema ${schema}`)
  const separator = url!.includes('?') ? '&' : '?'
  const driver = await createPgDriver(`${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`)
  return {
    driver,
    schema,
    async close() {
      await driver.close()
      await admin.exec(`drop schema ${schema} cascade`)
      await admin.close()
    },
  }
}

if (!url) {
  describe('projection runner (PostgreSQL)', () => {
    // skipped on purpose: no PostgreSQL server configured; CI sets TEST_DATABASE_URL and runs it
    test.skip('skipped: TEST_DATABASE_URL is not set (e.g. postgres://partnerlog:partnerlog@localhost:5432/partnerlog_test)', () => {})
  })
  console.info('tests/projections/runner.pg.test.ts skipped: TEST_DATABASE_URL is not set')
} else {
  defineRunnerSuite('PostgreSQL', openIsolated)

  describe('projection runner advisory lock (PostgreSQL)', () => {
    let opened: Awaited<ReturnType<typeof openIsolated>>
    beforeAll(async () => {
      opened = await openIsolated()
    })
    afterAll(async () => {
      await opened?.close()
    })

    /** `aDiesWithItsLock`: once a's lock connection is gone, a cannot connect again (as if its process died) */
    async function pair(name: string, aDiesWithItsLock = false) {
      const store = newStore()
      const counts = { a: 0, b: 0 }
      let aConnections = 0
      const pool = (opened.driver as unknown as { pool: { connect(): Promise<LockConnection> } }).pool
      const make = (who: 'a' | 'b') =>
        createProjectionRunner({
          store,
          driver: opened.driver,
          projections: [countingProjection(name, 1, { onEvolve: () => counts[who]++ })],
          logger: collectingLogger(),
          lockRetryMs: 100,
          retryDelayMs: 50,
          ...(who === 'a' && aDiesWithItsLock
            ? {
                lockConnection: async () => {
                  if (aConnections++ > 0) throw new Error('process a is gone')
                  return pool.connect()
                },
              }
            : {}),
        })
      return { store, counts, a: make('a'), b: make('b') }
    }

    async function runBoth(a: ProjectionRunner, b: ProjectionRunner) {
      await a.start()
      await eventually(() => a.status()[0]!.state === 'live', 10_000, 'a live')
      await b.start()
      await eventually(() => b.status()[0]!.state === 'waiting-for-lock', 10_000, 'b waiting')
    }

    test('only one of two runners processes a projection; the other takes over when it stops', async () => {
      const name = uniqueName()
      const { store, counts, a, b } = await pair(name)
      try {
        await runBoth(a, b)
        const specs = generateHistory(300, 10, 21)
        const first = await appendAll(store, specs.slice(0, 150))
        await a.waitFor(first!)
        await b.waitFor(first!) // b sees a's progress through the checkpoint table
        expect(counts.b).toBe(0)
        expect(counts.a).toBeGreaterThan(0)
        expect(b.status()[0]!.state).toBe('waiting-for-lock')

        await a.stop()
        await eventually(() => b.status()[0]!.state === 'live', 10_000, 'b takes over')
        const last = await appendAll(store, specs.slice(150))
        await b.waitFor(last!)
        expect(counts.b).toBe(specs.slice(150).filter((s) => s.type !== 'Noted').length)
        expect(await readDocuments<Tally>(opened.driver, name)).toEqual(expectedTallies(specs))
      } finally {
        await a.stop()
        await b.stop()
      }
    })

    test('when the lock holder’s connection dies, the other runner takes over without double counting', async () => {
      const name = uniqueName()
      const { store, counts, a, b } = await pair(name, true)
      try {
        await runBoth(a, b)
        const specs = generateHistory(400, 10, 22)
        const first = await appendAll(store, specs.slice(0, 200))
        await a.waitFor(first!)
        const { rows } = await opened.driver.query<{ pid: number }>(
          `select pid from pg_locks where locktype = 'advisory' and objsubid = 2 and classid = $1 and objid = $2 and granted`,
          [0x50726f6a, projectionLockKey(name, opened.schema) >>> 0],
        )
        expect(rows).toHaveLength(1)
        await opened.driver.query('select pg_terminate_backend($1)', [rows[0]!.pid])
        await eventually(() => b.status()[0]!.state === 'live', 10_000, 'b takes over')
        expect(a.status()[0]!.state).toBe('waiting-for-lock')
        const aCount = counts.a
        const last = await appendAll(store, specs.slice(200))
        await b.waitFor(last!)
        expect(counts.a).toBe(aCount)
        expect(await readDocuments<Tally>(opened.driver, name)).toEqual(expectedTallies(specs))
      } finally {
        await a.stop()
        await b.stop()
      }
    })
  })
}
