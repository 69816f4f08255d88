// The projection runner with read models in a PostgreSQL server (TEST_DATABASE_URL), plus the lease hand-over between two runners.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import type { QueryOptions, Row, SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { createProjectionRunner, readCheckpoint, readDocuments, type ProjectionRunner } from '../../projections/index.ts'
import { appendAll, collectingLogger, countingProjection, eventually, expectedTallies, generateHistory, newStore, uniqueName, type Tally } from './runner-fixtures.ts'
import { defineRunnerFailureSuite } from './runner-failures-suite.ts'
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

  defineRunnerFailureSuite('PostgreSQL', openIsolated)

  describe('projection runner lease (PostgreSQL)', () => {
    let opened: Awaited<ReturnType<typeof openIsolated>>
    beforeAll(async () => {
      opened = await openIsolated()
    })
    afterAll(async () => {
      await opened?.close()
    })

    async function pair(name: string, driverOfA: SqlDriver = opened.driver) {
      const store = newStore()
      const counts = { a: 0, b: 0 }
      const logs = { a: collectingLogger(), b: collectingLogger() }
      const make = (who: 'a' | 'b') =>
        createProjectionRunner({
          store,
          driver: who === 'a' ? driverOfA : opened.driver,
          projections: [countingProjection(name, 1, { onEvolve: () => counts[who]++ })],
          logger: logs[who],
          lockRetryMs: 100,
          leaseMs: 1000,
          retryDelayMs: 50,
        })
      return { store, counts, logs, a: make('a'), b: make('b') }
    }

    async function runBoth(a: ProjectionRunner, b: ProjectionRunner) {
      await a.start()
      await eventually(() => a.status()[0]!.state === 'live', 10_000, 'a live')
      await b.start()
      await eventually(() => b.status()[0]!.state === 'waiting-for-lease', 10_000, 'b waiting')
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
        expect(b.status()[0]!.state).toBe('waiting-for-lease')

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

    test('a frozen holder loses its projection to the other runner within the lease, and writes nothing when it wakes', async () => {
      const name = uniqueName()
      const frozen = freezable(opened.driver)
      const { store, counts, logs, a, b } = await pair(name, frozen)
      try {
        await runBoth(a, b)
        const specs = generateHistory(400, 10, 22)
        const first = await appendAll(store, specs.slice(0, 200))
        await a.waitFor(first!)
        const before = await leaseOf(name)

        // a stops answering (SIGSTOP, a long GC pause, a partition): no renewal, and its next batch hangs before its transaction
        frozen.freeze()
        const last = await appendAll(store, specs.slice(200))
        await eventually(() => frozen.waitingTransactions > 0, 10_000, 'a batch of a waiting to be written')
        // b takes the lease once it expires, with a higher epoch, while a is still frozen
        await eventually(() => b.status()[0]!.state === 'live', 15_000, 'b takes over')
        const after = await leaseOf(name)
        expect(after.epoch).toBe(before.epoch + 1n)
        expect(after.holder).not.toBe(before.holder)
        await b.waitFor(last!)
        expect(counts.b).toBeGreaterThan(0)
        const rows = await readDocuments<Tally>(opened.driver, name)
        expect(rows).toEqual(expectedTallies(specs))
        const checkpoint = await readCheckpoint(opened.driver, name, 1)

        // a wakes: its batch's transaction (let go before its renewal, which would give the lease up first) finds its
        // epoch taken in the database and writes nothing, not even its checkpoint
        frozen.thawTransactions()
        await eventually(() => frozen.fenced > 0, 10_000, 'the write of a refused by the fence')
        frozen.thaw()
        await eventually(() => a.status()[0]!.state === 'waiting-for-lease', 10_000, 'a gives the projection up')
        expect(frozen.writesAfterThaw).toEqual([])
        expect(logs.a.infos.join('\n')).toContain('lost the lease')
        expect(await readDocuments<Tally>(opened.driver, name)).toEqual(rows)
        expect(await readCheckpoint(opened.driver, name, 1)).toEqual(checkpoint)
        expect(await leaseOf(name)).toEqual(after)

        // b goes on alone
        const more = generateHistory(50, 10, 23)
        const end = await appendAll(store, more)
        await b.waitFor(end!)
        expect(await readDocuments<Tally>(opened.driver, name)).toEqual(expectedTallies([...specs, ...more]))
        expect(a.status()[0]!.state).toBe('waiting-for-lease')
      } finally {
        frozen.thaw()
        await a.stop()
        await b.stop()
      }
    })

    async function leaseOf(name: string): Promise<{ holder: string; epoch: bigint }> {
      const { rows } = await opened.driver.query<{ holder: string; epoch: string }>('select holder, epoch::text as epoch from projection_leases where projection = $1', [name])
      return { holder: rows[0]!.holder, epoch: BigInt(rows[0]!.epoch) }
    }
  })
}

/**
 * A driver that can be frozen like a stopped process: while frozen, every query and transaction waits before it
 * starts; transactions can be let go before plain queries. Counts the transactions the lease fence refused and the
 * read-model writes made after thawing.
 */
function freezable(driver: SqlDriver) {
  const gates = { query: undefined as { promise: Promise<void>; open(): void } | undefined, transaction: undefined as { promise: Promise<void>; open(): void } | undefined }
  let thawed = false
  const gate = () => {
    let open!: () => void
    const promise = new Promise<void>((resolve) => (open = resolve))
    return { promise, open }
  }
  const wrapper = {
    kind: driver.kind,
    exec: driver.exec.bind(driver),
    listen: driver.listen.bind(driver),
    close: driver.close.bind(driver),
    waitingTransactions: 0,
    fenced: 0,
    writesAfterThaw: [] as string[],
    freeze() {
      gates.query ??= gate()
      gates.transaction ??= gate()
    },
    thawTransactions() {
      thawed = true
      gates.transaction?.open()
      gates.transaction = undefined
    },
    thaw() {
      wrapper.thawTransactions()
      gates.query?.open()
      gates.query = undefined
    },
    async query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      if (gates.query) await gates.query.promise
      return driver.query<R>(sql, params, options)
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      if (gates.transaction) {
        wrapper.waitingTransactions++
        await gates.transaction.promise
      }
      return driver.transaction((tx) =>
        fn({
          async query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
            const result = await tx.query<R>(sql, params, options)
            if (/for share of l/.test(sql) && result.rows.length < ((params?.[0] as unknown[] | undefined) ?? []).length) wrapper.fenced++
            if (thawed && /^\s*(insert into read_models|update projection_checkpoints|insert into read_model_logs)/.test(sql)) wrapper.writesAfterThaw.push(sql.trim().split('\n')[0]!)
            return result
          },
        }),
      )
    },
  }
  return wrapper satisfies SqlDriver
}
