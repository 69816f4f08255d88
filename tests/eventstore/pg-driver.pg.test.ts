// The node-postgres driver when the server ends its sessions (pg_terminate_backend, a restart, a failover): the process
// survives, the next query works, and the LISTEN connection comes back and says so.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isConnectionError, type SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { metadata, testCodec } from './contract.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const SUITE = 'node-postgres driver when the server ends its sessions'
const baseUrl = postgresOrSkip(SUITE)

async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('isConnectionError', () => {
  test.each([
    ['terminated by the administrator', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['connection exception class', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['node-postgres', new Error('Connection terminated unexpectedly')],
    ['node-postgres on a dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped', new Error('batch failed', { cause: Object.assign(new Error('x'), { code: '57P01' }) })],
  ])('%s is a connection error', (_, error) => {
    expect(isConnectionError(error)).toBe(true)
  })

  test.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain error', new Error('Something else')],
    ['not an error', 'Connection terminated'],
  ])('%s is not', (_, error) => {
    expect(isConnectionError(error)).toBe(false)
  })
})

describe.runIf(baseUrl)(SUITE, () => {
  let database: TestDatabase
  let driver: SqlDriver & { pool: pg.Pool }
  const warnings: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase(baseUrl!, 'driver')
    driver = await createPgDriver(database.url, { onConnectionError: (error) => warnings.push(error.message), reconnectDelayMs: { min: 20, max: 200 } })
  })
  afterAll(async () => {
    await driver?.close()
    await database?.drop()
  })

  test('idle, busy and transaction connections die without taking the process along, and the next query works', async () => {
    // idle connections in the pool
    await Promise.all(Array.from({ length: 5 }, () => driver.query('select pg_sleep(0.02)')))
    // a transaction holding its connection while the server ends it
    let inTransaction!: () => void
    const started = new Promise<void>((resolve) => (inTransaction = resolve))
    const transaction = driver.transaction(async (tx) => {
      await tx.query('select 1')
      inTransaction()
      await tx.query('select pg_sleep(5)')
    })
    await started
    const busy = driver.query('select pg_sleep(5)')
    const settled = Promise.allSettled([transaction, busy])
    await eventually(async () => (await database.query(`select 1 from pg_stat_activity where datname = $1 and query like 'select pg_sleep(5)%' having count(*) >= 2`, [database.name])).length > 0, 'both sleeps to run')
    // the five pool connections: two busy, three idle
    expect(await database.terminateBackends()).toBe(5)

    const [failedTransaction, failedQuery] = await settled
    expect(failedTransaction.status).toBe('rejected')
    expect(failedQuery.status).toBe('rejected')
    expect(isConnectionError((failedTransaction as PromiseRejectedResult).reason)).toBe(true)
    expect(isConnectionError((failedQuery as PromiseRejectedResult).reason)).toBe(true)
    // the pool drops dead connections as their sockets close (a query sent before that meets a dead one and is a
    // connection error, which the portal answers 503), then opens new ones: every query of a burst succeeds
    await eventually(() => driver.pool.totalCount === 0, 'the pool to drop its dead connections')
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => driver.query<{ n: number }>('select $1::int as n', [i])))
    expect(results.map((r) => r.rows[0]!.n)).toEqual([...Array(10).keys()])
    expect(await driver.transaction(async (tx) => (await tx.query<{ ok: number }>('select 1 as ok')).rows[0]!.ok)).toBe(1)
    expect(warnings.length).toBeGreaterThan(0)
  })

  test('the LISTEN connection listens again after it was ended, and says so with an empty notification', async () => {
    const received: string[] = []
    const stop = await driver.listen('partnerlog_faults', (payload) => received.push(payload))
    const sender = new pg.Client({ connectionString: database.url })
    await sender.connect()
    try {
      await sender.query(`select pg_notify('partnerlog_faults', 'before')`)
      await eventually(() => received.includes('before'), 'the first notification')
      await sender.end()
      for (let round = 0; round < 3; round++) {
        received.length = 0
        await database.terminateBackends()
        // the catch-up call: notifications sent while nobody listened are lost, so the owner reads what it missed
        await eventually(() => received.includes(''), `the catch-up call after round ${round}`)
        await database.query(`select pg_notify('partnerlog_faults', 'after ${round}')`)
        await eventually(() => received.includes(`after ${round}`), `a notification after round ${round}`)
      }
    } finally {
      await sender.end().catch(() => {})
      await stop()
    }
    // stopped: nothing more arrives, and no reconnection is attempted
    received.length = 0
    await database.terminateBackends()
    await database.query(`select pg_notify('partnerlog_faults', 'stopped')`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(received).toEqual([])
  })

  test("a subscription hears another process's appends after its LISTEN connection was ended, without waiting for its poll", async () => {
    await migrate(driver)
    // a poll far beyond the test's time: only NOTIFY (and the catch-up call after reconnecting) can deliver
    const store = createPostgresEventStore({ driver, codec: testCodec, safetyPollMs: 600_000 })
    const other = await createPgDriver(database.url, { onConnectionError: () => {} })
    const otherStore = createPostgresEventStore({ driver: other, codec: testCodec, safetyPollMs: 600_000 })
    const seen: number[] = []
    const subscription = store.subscribeToAll()
    const reading = (async () => {
      for await (const event of subscription) seen.push((event.data as { value: number }).value)
    })()
    try {
      // the other process's pool may hand out a connection the server has just ended: it sends the same event again
      const append = async (value: number) => {
        const event = { id: crypto.randomUUID(), type: 'Counted', data: { value }, metadata: metadata() }
        for (let attempt = 1; ; attempt++) {
          try {
            return await otherStore.appendToStream('counter-1', [event])
          } catch (error) {
            if (!isConnectionError(error) || attempt >= 5) throw error
          }
        }
      }
      // the other store NOTIFYs once it has seen this store's listening connection
      await eventually(async () => (await append(seen.length), seen.length > 1 || seen.includes(0)), 'a first live event')
      for (let round = 1; round <= 3; round++) {
        await database.terminateBackends()
        const before = seen.length
        await append(100 + round)
        await eventually(() => seen.includes(100 + round), `the event appended after termination ${round}`)
        expect(seen.length).toBeGreaterThan(before)
      }
    } finally {
      await subscription.unsubscribe()
      await reading.catch(() => {})
      await otherStore.close()
      await other.close()
      await store.close()
    }
  })

  test('a driver whose server is gone closes without waiting for it', async () => {
    const own = await createPgDriver(database.url, { onConnectionError: () => {}, reconnectDelayMs: { min: 20, max: 200 } })
    const stop = await own.listen('partnerlog_gone', () => {})
    await database.terminateBackends()
    await stop()
    await own.close()
  })
})
