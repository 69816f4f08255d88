// Seals on the postgres adapter (PGlite always, PostgreSQL with TEST_DATABASE_URL): tampering in SQL that the hash chain
// cannot see (a stream's tail rewritten consistently, or deleted with its recorded revision lowered) breaks a seal; so do
// an edited or deleted seal row and a seal under another key. Two sealers at once make one sequence, and an event that
// commits late is sealed after the events that committed before it, never skipped.
import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { eventHash, GENESIS_HASH } from '../../eventstore/chain.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresSealStorage } from '../../eventstore/postgres/seals.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { anchorLine, parseAnchorLine, sealNew, type SealStorage } from '../../eventstore/seal.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { verifyLog } from '../../eventstore/verify-log.ts'
import { verifySeals } from '../../eventstore/verify-seals.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl } from '../support/pglite.ts'
import { keyPair } from '../support/seal-keys.ts'
import { counted, testCodec } from './contract.ts'

type Opened = { driver: SqlDriver; store: EventStore; seals: SealStorage; url?: string; close(): Promise<void> }

const pglite = async (): Promise<Opened> => {
  const driver = await freshPGliteDriver()
  return { driver, store: createPostgresEventStore({ driver, codec: testCodec }), seals: createPostgresSealStorage(driver), close: () => driver.close() }
}
const baseUrl = testDatabaseUrl()
const server = async (): Promise<Opened> => {
  const schema = await isolatedPostgresSchema(baseUrl!, 'seals')
  const driver = await createPgDriver(schema.url)
  await migrate(driver)
  return {
    driver, url: schema.url,
    store: createPostgresEventStore({ driver, codec: testCodec, notifyChannel: schema.schema }),
    seals: createPostgresSealStorage(driver),
    async close() {
      await driver.close()
      await schema.drop()
    },
  }
}

const now = () => new Date('2026-12-07T10:00:00.000Z')

/** Waits until every event stored is below the snapshot horizon: other sessions on the server may hold it back a moment. */
async function settled(driver: SqlDriver) {
  for (let i = 0; i < 200; i++) {
    const { rows } = await driver.query<{ safe: boolean }>(
      'select coalesce((select max(transaction_id) from events) < pg_snapshot_xmin(pg_current_snapshot()), true) as safe',
    )
    if (rows[0]!.safe) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function seed(store: EventStore) {
  await store.appendToStream('deal-a', [counted(5000), counted(2)])
  await store.appendToStream('deal-b', [counted(10)])
  await store.appendToStream('deal-a', [counted(3)])
  await store.appendToStream('deal-b', [counted(11), counted(12)])
  await store.appendToStream('deal-c', [counted(20)])
}

/** Rewrites a stream from `fromRevision` on with every hash and link recomputed: the chain still holds. */
async function rewriteConsistently(driver: SqlDriver, store: EventStore, streamId: string, fromRevision: bigint, edit: string) {
  await driver.query(`update events set data = ${edit} where stream_id = $1 and stream_revision = $2`, [streamId, fromRevision.toString()])
  let previous = GENESIS_HASH
  for await (const event of store.chain!.storedEvents()) {
    if (event.streamId !== streamId) continue
    if (event.streamRevision >= fromRevision) {
      const hash = eventHash({ ...event, previousHash: previous })
      await driver.query(`update events set hash = decode($1, 'hex'), previous_hash = decode($2, 'hex') where event_id = $3::uuid`, [hash, previous, event.id])
      previous = hash
    } else {
      previous = event.hash!
    }
  }
}

const positionOf = async (driver: SqlDriver, stream: string, revision: number) =>
  BigInt((await driver.query<{ p: string }>('select global_position::text as p from events where stream_id = $1 and stream_revision = $2', [stream, revision])).rows[0]!.p)

for (const [name, open, skip] of [
  ['PGlite', pglite, undefined],
  ['PostgreSQL', server, baseUrl ? undefined : 'TEST_DATABASE_URL is not set'],
] as const) {
  describe.skipIf(!!skip)(`seals on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const withStore = async (fn: (o: Opened) => Promise<void>) => {
      const opened = await open()
      try {
        await fn(opened)
      } finally {
        await opened.close()
      }
    }

    it('seals the log in two ranges and verifies them: sealed through the last event, nothing unsealed', async () => {
      await withStore(async ({ driver, store, seals }) => {
        const key = keyPair()
        await seed(store)
        await settled(driver)
        const [first] = await sealNew(seals, key, now)
        expect(first).toMatchObject({ number: 1n, eventCount: 7n, from: { prepare: await positionOf(driver, 'deal-a', 0) }, to: { prepare: await positionOf(driver, 'deal-c', 0) } })
        expect(await sealNew(seals, key, now)).toEqual([])
        await store.appendToStream('deal-d', [counted(1)])
        await settled(driver)
        expect(await sealNew(seals, key, now)).toHaveLength(1)
        const stored = []
        for await (const seal of seals.seals()) stored.push(seal)
        expect(stored[0]).toEqual(first)
        expect(await verifySeals(seals, key.check)).toMatchObject({
          sealsVerified: 2, eventsSealed: 8n, unsealedEvents: 0, firstBroken: null, lastSeal: { number: 2n, through: { prepare: await positionOf(driver, 'deal-d', 0) } },
        })
      })
    })

    it('a stream tail rewritten consistently after sealing: the chain holds, the seal names its range', async () => {
      await withStore(async ({ driver, store, seals }) => {
        const key = keyPair()
        await seed(store)
        await settled(driver)
        await sealNew(seals, key, now)
        await rewriteConsistently(driver, store, 'deal-a', 0n, `jsonb_set(data::jsonb, '{value}', '999999')`)
        expect((await verifyLog(store.chain!)).firstBroken).toBeNull()
        const result = await verifySeals(seals, key.check)
        expect(result.firstBroken).toMatchObject({ number: 1n, problem: 'events', fromPosition: await positionOf(driver, 'deal-a', 0), toPosition: await positionOf(driver, 'deal-c', 0) })
        expect(result.firstBroken!.detail).toContain('rewritten')
      })
    })

    it("a stream's tail deleted with its recorded revision lowered: the chain holds, the seal counts an event less", async () => {
      await withStore(async ({ driver, store, seals }) => {
        const key = keyPair()
        await seed(store)
        await settled(driver)
        await sealNew(seals, key, now)
        await store.appendToStream('deal-e', [counted(1)])
        await settled(driver)
        await sealNew(seals, key, now)
        await driver.query(`delete from events where stream_id = 'deal-b' and stream_revision = 2`)
        await driver.query(`update streams set revision = 1 where stream_id = 'deal-b'`)
        expect((await verifyLog(store.chain!)).firstBroken).toBeNull()
        expect((await verifySeals(seals, key.check)).firstBroken).toMatchObject({ number: 1n, problem: 'events', detail: expect.stringContaining('6 event(s) are stored in its range, 7 were sealed') })
      })
    })

    it('an edited seal row, a seal under another key, a deleted seal, and a deleted last seal against its anchor', async () => {
      await withStore(async ({ driver, store, seals }) => {
        const key = keyPair()
        for (const stream of ['deal-a', 'deal-b', 'deal-c']) {
          await store.appendToStream(stream, [counted(1)])
          await settled(driver)
          await sealNew(seals, key, now)
        }
        expect((await verifySeals(seals, key.check)).firstBroken).toBeNull()
        expect((await verifySeals(seals, keyPair().check)).firstBroken).toMatchObject({ number: 1n, problem: 'signature' })
        const anchors = []
        for await (const seal of seals.seals()) anchors.push(parseAnchorLine(anchorLine(seal))!)

        await driver.query(`update seals set event_count = event_count + 1 where seal_number = 2`)
        expect((await verifySeals(seals, key.check)).firstBroken).toMatchObject({ number: 2n, problem: 'signature' })
        await driver.query(`update seals set event_count = event_count - 1 where seal_number = 2`)

        await driver.query(`update seals set sealed_at = sealed_at + interval '1 second' where seal_number = 3`)
        expect((await verifySeals(seals, key.check)).firstBroken).toMatchObject({ number: 3n, problem: 'signature' })
        await driver.query(`update seals set sealed_at = sealed_at - interval '1 second' where seal_number = 3`)
        expect((await verifySeals(seals, key.check, { anchors })).firstBroken).toBeNull()

        await driver.query(`delete from seals where seal_number = 3`)
        expect((await verifySeals(seals, key.check)).firstBroken).toBeNull()
        expect((await verifySeals(seals, key.check, { anchors })).firstBroken).toMatchObject({ number: 3n, problem: 'missing' })
        await driver.query(`delete from seals where seal_number = 1`)
        expect((await verifySeals(seals, key.check)).firstBroken).toMatchObject({ number: 1n, problem: 'missing' })
      })
    })

    it('two sealers at once, while events are appended, give one consistent seal sequence', async () => {
      await withStore(async ({ driver, store, seals, url }) => {
        const key = keyPair()
        // on PostgreSQL the second sealer has its own connection pool, as another process would
        const other = url ? await createPgDriver(url) : null
        try {
          const sealers = [seals, other ? createPostgresSealStorage(other) : seals]
          const appends = (async () => {
            for (let i = 0; i < 40; i++) await store.appendToStream(`deal-${i % 7}`, [counted(i)])
          })()
          let done = false
          void appends.finally(() => { done = true })
          await Promise.all(sealers.map(async (sealer) => {
            while (!done) await sealNew(sealer, key, now)
            await sealNew(sealer, key, now)
          }))
          await appends
          await settled(driver)
          await sealNew(seals, key, now)
          const result = await verifySeals(seals, key.check)
          expect(result).toMatchObject({ firstBroken: null, eventsSealed: 40n, unsealedEvents: 0 })
          const numbers = (await driver.query<{ n: string }>('select seal_number::text as n from seals order by seal_number')).rows.map((r) => Number(r.n))
          expect(numbers).toEqual(numbers.map((_, i) => i + 1))
        } finally {
          await other?.close()
        }
      })
    })
  })
}

describe.skipIf(!baseUrl)(`an event that commits late on PostgreSQL${baseUrl ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  it('is not passed over: the sealer stops before the running transaction and seals it once it commits', async () => {
    const opened = await server()
    const client = new pg.Client({ connectionString: opened.url })
    await client.connect()
    try {
      const { driver, store, seals } = opened
      const key = keyPair()
      await store.appendToStream('deal-a', [counted(1)])
      // a transaction that appended and has not committed yet
      await client.query('begin')
      // (a plain insert: the seals do not depend on how the append function is called)
      await client.query(
        `insert into events (event_id, stream_id, stream_revision, type, data, metadata) values (gen_random_uuid(), 'deal-late', 0, 'Counted', '{"value":2}', $1::jsonb)`,
        [JSON.stringify(counted(2).metadata)],
      )
      await store.appendToStream('deal-b', [counted(3)])
      const [first] = await sealNew(seals, key, now)
      expect(first).toMatchObject({ eventCount: 1n, to: { prepare: await positionOf(driver, 'deal-a', 0) } })
      await client.query('commit')
      await settled(driver)
      const [second] = await sealNew(seals, key, now)
      expect(second).toMatchObject({ eventCount: 2n, from: { prepare: await positionOf(driver, 'deal-late', 0) }, to: { prepare: await positionOf(driver, 'deal-b', 0) } })
      expect(await verifySeals(seals, key.check)).toMatchObject({ firstBroken: null, eventsSealed: 3n, unsealedEvents: 0 })
    } finally {
      await client.end()
      await opened.close()
    }
  })
})
