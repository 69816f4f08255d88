// The per-stream hash chain on the postgres adapter (PGlite always, PostgreSQL with TEST_DATABASE_URL): the log is
// tampered with directly in SQL and verifyLog names the first broken event; a store from before the chain is chained
// by the migration, which verify reports.
import { describe, expect, it } from 'vitest'
import { canonicalJson, eventHash, GENESIS_HASH, type ChainReader } from '../../eventstore/chain.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { verifyLog } from '../../eventstore/verify-log.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl } from '../support/pglite.ts'
import { collect, counted, testCodec } from './contract.ts'

type Opened = { driver: SqlDriver; store: EventStore; close(): Promise<void> }

const pglite = async (): Promise<Opened> => {
  const driver = await freshPGliteDriver()
  return { driver, store: createPostgresEventStore({ driver, codec: testCodec }), close: () => driver.close() }
}
const baseUrl = testDatabaseUrl()
const server = async (): Promise<Opened> => {
  const schema = await isolatedPostgresSchema(baseUrl!, 'chain')
  const driver = await createPgDriver(schema.url)
  await migrate(driver)
  return {
    driver,
    store: createPostgresEventStore({ driver, codec: testCodec, notifyChannel: schema.schema }),
    async close() {
      await driver.close()
      await schema.drop()
    },
  }
}

/** three streams, a batch and single appends, so that positions interleave */
async function seed(store: EventStore) {
  await store.appendToStream('deal-a', [counted(5000), counted(2)])
  await store.appendToStream('deal-b', [counted(10)])
  await store.appendToStream('deal-a', [counted(3)])
  await store.appendToStream('deal-b', [counted(11), counted(12)])
  await store.appendToStream('deal-c', [counted(20)])
}

const positionOf = async (driver: SqlDriver, stream: string, revision: number) =>
  BigInt((await driver.query<{ p: string }>('select global_position::text as p from events where stream_id = $1 and stream_revision = $2', [stream, revision])).rows[0]!.p)
const idOf = async (driver: SqlDriver, stream: string, revision: number) =>
  (await driver.query<{ id: string }>('select event_id::text as id from events where stream_id = $1 and stream_revision = $2', [stream, revision])).rows[0]!.id

for (const [name, open, skip] of [
  ['PGlite', pglite, undefined],
  ['PostgreSQL', server, baseUrl ? undefined : 'TEST_DATABASE_URL is not set'],
] as const) {
  describe.skipIf(!!skip)(`hash chain on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const withStore = async (fn: (o: Opened) => Promise<void>) => {
      const opened = await open()
      try {
        await fn(opened)
      } finally {
        await opened.close()
      }
    }

    it('an untampered store verifies clean, and every event read carries its hash and link', async () => {
      await withStore(async ({ store }) => {
        await seed(store)
        const result = await verifyLog(store.chain!)
        expect(result).toMatchObject({ eventsVerified: 7, streamsVerified: 3, firstBroken: null, brokenCount: 0, migratedThrough: null })
        const events = await collect(store.readStream('deal-a'))
        expect(events[0]!.previousHash).toBe(GENESIS_HASH)
        expect(events[1]!.previousHash).toBe(events[0]!.hash)
        expect(events[2]!.previousHash).toBe(events[1]!.hash)
        expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true)
      })
    })

    it('an edited data value names the event (deal value 5000 -> 999999)', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`update events set data = jsonb_set(data::jsonb, '{value}', '999999') where stream_id = 'deal-a' and stream_revision = 0`)
        const { firstBroken, brokenCount } = await verifyLog(store.chain!)
        expect(firstBroken).toMatchObject({ position: await positionOf(driver, 'deal-a', 0), eventId: await idOf(driver, 'deal-a', 0), streamId: 'deal-a', streamRevision: 0n, problem: 'edited' })
        expect(brokenCount).toBe(1)
      })
    })

    it('an edited metadata field (correlationId) names the event', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`update events set metadata = jsonb_set(metadata::jsonb, '{correlationId}', '"forged"') where stream_id = 'deal-b' and stream_revision = 1`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-b', streamRevision: 1n, problem: 'edited', position: await positionOf(driver, 'deal-b', 1) })
      })
    })

    it('a deleted event names the event after the gap; a deleted last event is named by its stream', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`delete from events where stream_id = 'deal-b' and stream_revision = 1`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-b', streamRevision: 2n, problem: 'deleted', position: await positionOf(driver, 'deal-b', 2) })
      })
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`delete from events where stream_id = 'deal-c'`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-c', position: null, problem: 'deleted' })
      })
    })

    it('a forged event inserted with or without a hash is named', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`insert into events (event_id, stream_id, stream_revision, type, data, metadata)
          select gen_random_uuid(), stream_id, 3, type, data, metadata from events where stream_id = 'deal-a' and stream_revision = 2`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-a', streamRevision: 3n, problem: 'inserted', position: await positionOf(driver, 'deal-a', 3) })
      })
      await withStore(async ({ driver, store }) => {
        await seed(store)
        // a copy of an event with its hashes, at the end of the stream and recorded there
        await driver.query(`insert into events (event_id, stream_id, stream_revision, type, data, metadata, hash, previous_hash)
          select gen_random_uuid(), stream_id, 3, type, data, metadata, hash, previous_hash from events where stream_id = 'deal-a' and stream_revision = 2`)
        await driver.query(`update streams set revision = 3 where stream_id = 'deal-a'`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-a', streamRevision: 3n, problem: 'inserted' })
      })
    })

    it('two events whose revisions were swapped are named as reordered', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`update events set stream_revision = -1 where stream_id = 'deal-b' and stream_revision = 1`)
        await driver.query(`update events set stream_revision = 1 where stream_id = 'deal-b' and stream_revision = 2`)
        await driver.query(`update events set stream_revision = 2 where stream_id = 'deal-b' and stream_revision = -1`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-b', streamRevision: 1n, problem: 'reordered', position: await positionOf(driver, 'deal-b', 1) })
      })
    })

    it('the first broken event in global order is named when several are', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        await driver.query(`update events set data = jsonb_set(data::jsonb, '{value}', '1') where stream_id = 'deal-c' and stream_revision = 0`)
        await driver.query(`update events set data = jsonb_set(data::jsonb, '{value}', '1') where stream_id = 'deal-a' and stream_revision = 1`)
        const result = await verifyLog(store.chain!)
        expect(result.firstBroken).toMatchObject({ streamId: 'deal-a', streamRevision: 1n })
        expect(result.brokenCount).toBe(2)
      })
    })

    it('stores data and metadata as the text sent, so the hash covers the stored bytes: a whitespace-only edit is named', async () => {
      await withStore(async ({ driver, store }) => {
        const event = counted(5000)
        await store.appendToStream('deal-j', [event, counted(2)])
        const stored = await driver.query<{ data: string; metadata: string; type: string; jsonb: string }>(
          `select data::text as data, metadata::text as metadata, pg_typeof(data)::text as type, metadata::jsonb::text as jsonb from events where event_id = $1::uuid`,
          [event.id],
        )
        expect(stored.rows[0]).toEqual({ data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata), type: 'json', jsonb: expect.any(String) })
        // jsonb would have ordered the keys its own way (correlationId after causationId) and spaced them out
        expect(stored.rows[0]!.jsonb).not.toBe(stored.rows[0]!.metadata)
        expect((await verifyLog(store.chain!)).firstBroken).toBeNull()
        await driver.query(`update events set data = (data::text || ' ')::json where event_id = $1::uuid`, [event.id])
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ eventId: event.id, streamRevision: 0n, problem: 'edited' })
      })
    })

    it('a store chained on jsonb verifies unchanged after migration 008 made the columns json; an edit after it is named', async () => {
      await withStore(async ({ driver, store }) => {
        // the columns before migration 008, and events hashed as the append function hashed them then: jsonb's text
        await driver.query('alter table events alter column data type jsonb using data::jsonb, alter column metadata type jsonb using metadata::jsonb')
        const sent = [
          ['deal-j', 0, '{"value": 5000,   "currency":"EUR", "note": "b  a"}'],
          ['deal-j', 1, '{"zeta":1.50, "alpha":[1e2, {"b":null,"a":true}], "ü": "日本"}'],
          ['deal-k', 0, '{"value":7}'],
        ] as const
        for (const [stream, revision, data] of sent) {
          const previous = revision === 0 ? null : `(select hash from events where stream_id = $1 and stream_revision = ${revision - 1})`
          await driver.query(
            `with e as (select gen_random_uuid() as id, now() as at, $3::jsonb as data, $4::jsonb as metadata, coalesce(${previous ?? 'null'}, decode(repeat('00', 32), 'hex')) as previous)
             insert into events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, previous_hash, hash)
               select e.id, $1, $2, 'Counted', e.data, e.metadata, e.at, e.previous,
                      partnerlog_event_hash(null, e.previous, e.id, $1, $2, 'Counted', e.data::text, e.metadata::text, ((extract(epoch from e.at) * 1000000)::bigint)::text)
                 from e`,
            [stream, revision, data, JSON.stringify(counted(0).metadata)],
          )
        }
        await driver.query(`insert into streams (stream_id, revision) values ('deal-j', 1), ('deal-k', 0)`)
        const before = await driver.query<{ data: string; hash: string }>(`select data::text as data, encode(hash, 'hex') as hash from events order by global_position`)
        expect(before.rows[1]!.data).not.toBe(sent[1][2]) // jsonb's own text
        expect((await verifyLog(store.chain!)).firstBroken).toBeNull()
        // the appends refuse jsonb columns: they would hash a text other than the one stored
        await expect(store.appendToStream('deal-j', [counted(3)])).rejects.toThrow(/migration 008/)

        await driver.query('delete from schema_migrations where number = 8')
        await migrate(driver)
        const after = await driver.query<{ data: string; hash: string; type: string }>(
          `select data::text as data, encode(hash, 'hex') as hash, pg_typeof(data)::text as type from events order by global_position`)
        expect(after.rows).toEqual(before.rows.map((row) => ({ ...row, type: 'json' })))
        expect(await verifyLog(store.chain!)).toMatchObject({ firstBroken: null, eventsVerified: 3 })
        await store.appendToStream('deal-j', [counted(3)])
        expect(await verifyLog(store.chain!)).toMatchObject({ firstBroken: null, eventsVerified: 4 })

        await driver.query(`update events set data = jsonb_set(data::jsonb, '{value}', '999999') where stream_id = 'deal-j' and stream_revision = 0`)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-j', streamRevision: 0n, problem: 'edited', position: await positionOf(driver, 'deal-j', 0) })
      })
    })

    it('a store from before the chain is chained once by the migration, which verify reports', async () => {
      await withStore(async ({ driver, store }) => {
        await seed(store)
        // the old schema: no hash columns, no chain state
        await driver.query('alter table events drop column hash, drop column previous_hash')
        await driver.query('drop table chain_state')
        await driver.query('delete from schema_migrations')
        const last = (await driver.query<{ p: string }>('select max(global_position)::text as p from events')).rows[0]!.p
        await migrate(driver)
        const chained = await verifyLog(store.chain!)
        expect(chained).toMatchObject({ firstBroken: null, eventsVerified: 7, migratedThrough: BigInt(last) })
        expect(chained.migratedAt).toBeInstanceOf(Date)
        await store.appendToStream('deal-a', [counted(4)])
        await store.appendToStream('deal-d', [counted(5)])
        expect((await verifyLog(store.chain!)).firstBroken).toBeNull()
        // once chained, an event inserted without a hash is not chained by a later migration
        await driver.query(`insert into events (event_id, stream_id, stream_revision, type, data, metadata)
          select gen_random_uuid(), stream_id, 2, type, data, metadata from events where stream_id = 'deal-c' and stream_revision = 0`)
        await driver.query('delete from schema_migrations')
        await migrate(driver)
        expect((await verifyLog(store.chain!)).firstBroken).toMatchObject({ streamId: 'deal-c', streamRevision: 2n, problem: 'deleted' })
      })
    })
  })
}

describe('the chain in TypeScript', () => {
  it('encodes fields unambiguously: moving text between fields changes the hash', () => {
    const base = { previousHash: GENESIS_HASH, id: 'i', streamId: 'a', streamRevision: 0n, type: 'T', dataText: '{}', metadataText: '{}', recordedAtMicros: 1n }
    expect(eventHash({ ...base, streamId: 'ab', type: 'T' })).not.toBe(eventHash({ ...base, streamId: 'a', type: 'bT' }))
  })

  it('canonical JSON sorts keys and leaves out undefined', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}')
  })

  it('events appended while it verifies are no finding (the recorded revisions are read before and after the events)', async () => {
    const store = createMemoryEventStore({ codec: testCodec })
    await seed(store)
    const reader = store.chain!
    let calls = 0
    const live: ChainReader = {
      ...reader,
      async streamRevisions() {
        const recorded = await reader.streamRevisions!()
        if (calls++ === 0) {
          await store.appendToStream('deal-a', [counted(9)])
          await store.appendToStream('deal-z', [counted(1)])
        }
        return recorded
      },
    }
    expect(await verifyLog(live)).toMatchObject({ firstBroken: null, eventsVerified: 9 })
    expect(calls).toBe(2)
  })

  it('the memory adapter chains and verifies the same way', async () => {
    const store = createMemoryEventStore({ codec: testCodec })
    await seed(store)
    expect(await verifyLog(store.chain!)).toMatchObject({ eventsVerified: 7, firstBroken: null })
    const [first, second] = await collect(store.readStream('deal-a'))
    expect(first!.previousHash).toBe(GENESIS_HASH)
    expect(second!.previousHash).toBe(first!.hash)
  })
})
