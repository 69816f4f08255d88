// The port contract against the postgres adapter on a PostgreSQL server (TEST_DATABASE_URL), plus what only a
// server with concurrent sessions can show: a transaction that commits after a later one is never skipped.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { APPEND_CALL, appendArguments, migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore, READ_ALL_SQL } from '../../eventstore/postgres/store.ts'
import { comparePositions, type EventStore, type RecordedEvent } from '../../eventstore/types.ts'
import { isolatedPostgresSchema, testDatabaseUrl } from '../support/pglite.ts'
import { collect, contractSuite, counted, lateAppendThrough, testCodec } from './contract.ts'

const baseUrl = testDatabaseUrl()
let url = ''

contractSuite({
  name: 'postgres on PostgreSQL server',
  skipReason: baseUrl ? undefined : 'TEST_DATABASE_URL is not set',
  async create() {
    const schema = await isolatedPostgresSchema(baseUrl!, 'eventstore')
    url = schema.url
    const driver = await createPgDriver(schema.url)
    await migrate(driver)
    await migrate(driver) // idempotent
    return {
      store: createPostgresEventStore({ driver, codec: testCodec, notifyChannel: schema.schema }),
      async cleanup() {
        await driver.close()
        await schema.drop()
      },
      lateAppend: lateAppendThrough(driver),
    }
  },
  stress: { writers: 16, events: 10_000, streams: 200 },
  extra: (store) => {
    describe('PostgreSQL specifics', () => {
      it('a transaction that takes its position first but commits last is delivered, and nothing is skipped', async () => {
        const sessionA = new pg.Client({ connectionString: url })
        const sessionB = new pg.Client({ connectionString: url })
        await sessionA.connect()
        await sessionB.connect()
        const subscription = store().subscribeToAll({ filter: { streamPrefixes: ['late-'] } })
        const received: RecordedEvent[] = []
        const consumer = (async () => {
          for await (const event of subscription) received.push(event)
        })()
        try {
          const append = (client: pg.Client, stream: string, value: number) =>
            client.query(`select status, prepare_position::text as prepare from ${APPEND_CALL}`, [stream, 'any', ...appendArguments([counted(value)]), null])
          const streamA = `late-${randomUUID()}`
          const streamB = `late-${randomUUID()}`
          await sessionA.query('begin')
          await sessionB.query('begin')
          const a = await append(sessionA, streamA, 1)
          const b = await append(sessionB, streamB, 2)
          expect(BigInt(a.rows[0].prepare)).toBeLessThan(BigInt(b.rows[0].prepare))
          await sessionB.query('commit')
          await new Promise((resolve) => setTimeout(resolve, 300))
          // B is committed, but A (older) is still open: delivering B now would let a checkpoint skip A
          expect(received).toHaveLength(0)
          await sessionA.query('commit')
          const deadline = Date.now() + 3000
          while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
          expect(received.map((e) => e.streamId)).toEqual([streamA, streamB])
          expect(comparePositions(received[0]!.position, received[1]!.position)).toBe(-1)

          // the reverse: B takes the lower global position, A the older transaction id; order follows commit ids
          const streamC = `late-${randomUUID()}`
          const streamD = `late-${randomUUID()}`
          await sessionA.query('begin')
          await sessionA.query('select pg_current_xact_id()') // A's transaction id is assigned first
          await sessionB.query('begin')
          const d = await append(sessionB, streamD, 4)
          const c = await append(sessionA, streamC, 3)
          expect(BigInt(d.rows[0].prepare)).toBeLessThan(BigInt(c.rows[0].prepare))
          await sessionB.query('commit')
          await new Promise((resolve) => setTimeout(resolve, 100))
          expect(received).toHaveLength(2)
          await sessionA.query('commit')
          const deadline2 = Date.now() + 3000
          while (received.length < 4 && Date.now() < deadline2) await new Promise((resolve) => setTimeout(resolve, 10))
          expect(received.map((e) => e.streamId)).toEqual([streamA, streamB, streamC, streamD])
          expect(received[2]!.position.commit).toBeLessThan(received[3]!.position.commit)
        } finally {
          await subscription.unsubscribe()
          await consumer
          await sessionA.end()
          await sessionB.end()
        }
      })

      it("an append waiting for another append to the same stream holds no transaction id yet, so it commits after in global order ('any')", async () => {
        const sessionA = new pg.Client({ connectionString: url })
        const sessionB = new pg.Client({ connectionString: url })
        const observer = new pg.Client({ connectionString: url })
        await Promise.all([sessionA.connect(), sessionB.connect(), observer.connect()])
        try {
          const stream = `order-${randomUUID()}`
          const append = (client: pg.Client, value: number) =>
            client.query(`select status from ${APPEND_CALL}`, [stream, 'any', ...appendArguments([counted(value)]), null])
          const pidB = (await sessionB.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid
          await store().appendToStream(stream, [counted(0)]) // the stream exists: B waits on its row, not on A's insert
          await sessionA.query('begin')
          await append(sessionA, 1)
          await sessionB.query('begin')
          const waiting = append(sessionB, 2)
          waiting.catch(() => {}) // awaited below; a failed expectation ends the sessions first
          let activity: { backend_xid: string | null; wait_event_type: string | null } | undefined
          for (let i = 0; i < 500 && activity?.wait_event_type !== 'Lock'; i++) {
            await new Promise((resolve) => setTimeout(resolve, 10))
            activity = (await observer.query('select backend_xid::text, wait_event_type from pg_stat_activity where pid = $1', [pidB])).rows[0]
          }
          expect(activity?.wait_event_type).toBe('Lock')
          // without a transaction id while it waits: the id it takes after A committed is newer than A's
          expect(activity?.backend_xid).toBeNull()
          await sessionA.query('commit')
          await waiting
          await sessionB.query('commit')
          const events = await collect(store().readStream(stream))
          expect(events.map((e) => e.streamRevision)).toEqual([0n, 1n, 2n])
          expect(events[1]!.position.commit).toBeLessThan(events[2]!.position.commit)
        } finally {
          await Promise.all([sessionA.end(), sessionB.end(), observer.end()])
        }
      })

      it('refuses (40001) an append whose transaction took its id before the stream got an event of a newer one, and allows it otherwise', async () => {
        const session = new pg.Client({ connectionString: url })
        await session.connect()
        try {
          const stream = `older-${randomUUID()}`
          const own = `own-${randomUUID()}`
          const append = (target: string, value: number, expected = 'any') =>
            session.query(`select status from ${APPEND_CALL}`, [target, expected, ...appendArguments([counted(value)]), null])
          await session.query('begin')
          await session.query('select pg_current_xact_id()') // the caller wrote something first
          await store().appendToStream(stream, [counted(1)]) // a newer transaction appends and commits
          // its own stream, twice in the same transaction: nothing newer there
          await append(own, 1)
          await append(own, 2)
          for (const expected of ['any', 'stream_exists', '0']) {
            await session.query('savepoint s')
            const error = await append(stream, 2, expected).catch((e: unknown) => e)
            expect(error).toMatchObject({ code: '40001' })
            await session.query('rollback to savepoint s')
          }
          await session.query('commit')
          expect((await collect(store().readStream(stream))).map((e) => e.streamRevision)).toEqual([0n])
          expect((await collect(store().readStream(own))).map((e) => e.streamRevision)).toEqual([0n, 1n])
        } finally {
          await session.end()
        }
      })

      it('reads the global log with an index range scan (no sort)', async () => {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        try {
          // runs after the stress test: with 10k+ rows the planner must choose the index range scan, in order (no Sort)
          await client.query('analyze events')
          const plan = await client.query(`explain ${READ_ALL_SQL.replace('$1', "'0'").replace('$2', '-1').replace('$3', '500')}`)
          const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
          expect(text).toMatch(/Index (Only )?Scan using events_transaction_position/)
          expect(text).toMatch(/Index Cond: .*transaction_id, global_position\) > /)
          expect(text).not.toMatch(/Sort/)
        } finally {
          await client.end()
        }
      })

      it('wakes a subscriber of another process through NOTIFY (its own polling is off)', async () => {
        // two stores on two pools stand for two processes; the listener would otherwise poll only once a minute
        const listenerDriver = await createPgDriver(url)
        const appenderDriver = await createPgDriver(url)
        const channel = `wake_${randomUUID().replaceAll('-', '_')}`
        const listener = createPostgresEventStore({ driver: listenerDriver, codec: testCodec, notifyChannel: channel, safetyPollMs: 60_000 })
        const appender = createPostgresEventStore({ driver: appenderDriver, codec: testCodec, notifyChannel: channel })
        const stream = `wake-${randomUUID()}`
        const subscription = listener.subscribeToAll({ filter: { streamPrefixes: [stream] } })
        const received: number[] = []
        const consumer = (async () => {
          for await (const event of subscription) {
            received.push((event.data as { value: number }).value)
            if (received.length === 3) break
          }
        })()
        try {
          // spaced wider than the appender's cache of "who listens", so each append looks the listeners up again
          for (const value of [1, 2, 3]) {
            await new Promise((resolve) => setTimeout(resolve, 600))
            await appender.appendToStream(stream, [counted(value)])
          }
          await consumer
          expect(received).toEqual([1, 2, 3])
        } finally {
          await subscription.unsubscribe()
          await listener.close()
          await appender.close()
          await listenerDriver.close()
          await appenderDriver.close()
        }
      })

      it('a wake-up held back by an older open transaction longer than the backoff is delivered once it ends, not at the next safety poll', async () => {
        const driver = await createPgDriver(url)
        const channel = `held_${randomUUID().replaceAll('-', '_')}`
        const s = createPostgresEventStore({ driver, codec: testCodec, notifyChannel: channel, safetyPollMs: 60_000 })
        const blocker = new pg.Client({ connectionString: url })
        await blocker.connect()
        const stream = `held-${randomUUID()}`
        const subscription = s.subscribeToAll({ filter: { streamPrefixes: [stream] } })
        let deliveredAt = 0
        const consumer = (async () => {
          for await (const _event of subscription) {
            deliveredAt = Date.now()
            break
          }
        })()
        try {
          // an older transaction holds the horizon (it has a transaction id), then an event commits and wakes the subscriber
          await blocker.query('begin')
          await blocker.query('select pg_current_xact_id()')
          await s.appendToStream(stream, [counted(1)])
          // longer than the whole backoff (10 ms doubling to 500 ms, about 1.1 s)
          await new Promise((resolve) => setTimeout(resolve, 2500))
          expect(deliveredAt).toBe(0)
          await blocker.query('rollback')
          const ended = Date.now()
          await Promise.race([consumer, new Promise((resolve) => setTimeout(resolve, 5000))])
          expect(deliveredAt).toBeGreaterThan(0)
          expect(deliveredAt - ended).toBeLessThan(5000)
        } finally {
          await subscription.unsubscribe()
          await blocker.end()
          await s.close()
          await driver.close()
        }
      })

      it('appends in one round trip, with the events of a batch sharing one transaction id', async () => {
        const s: EventStore = store()
        const stream = `batch-${randomUUID()}`
        await s.appendToStream(stream, [counted(1), counted(2), counted(3)])
        const events: RecordedEvent[] = []
        for await (const event of s.readStream(stream)) events.push(event)
        expect(new Set(events.map((e) => e.position.commit)).size).toBe(1)
        expect(events.map((e) => e.globalPosition)).toEqual([...events.map((e) => e.globalPosition)].sort((x, y) => (x < y ? -1 : 1)))
      })
    })
  },
})
