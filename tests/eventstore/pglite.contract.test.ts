// The port contract against the postgres adapter on embedded PGlite (always runs), and the schema's migration of a
// database an older version created.
import { describe, expect, it } from 'vitest'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { contractSuite, counted, lateAppendThrough, testCodec } from './contract.ts'

contractSuite({
  name: 'postgres on PGlite',
  async create() {
    const driver = await freshPGliteDriver()
    return { store: createPostgresEventStore({ driver, codec: testCodec }), cleanup: () => driver.close(), lateAppend: lateAppendThrough(driver) }
  },
  stress: { writers: 16, events: 10_000, streams: 200 },
})

/** the stream written before the migration (events 1 and 2) takes event 3 after it, in order */
async function expectAppendsAfterMigration(store: ReturnType<typeof createPostgresEventStore>, streamId: string) {
  await store.appendToStream(streamId, [counted(3)], { expectedRevision: 1n })
  const values = []
  for await (const event of store.readStream(streamId)) values.push((event.data as { value: number }).value)
  expect(values).toEqual([1, 2, 3])
}

describe('migration of an older schema', () => {
  it('drops the foreign key from events to streams that earlier versions created, and keeps every event', async () => {
    const driver = await freshPGliteDriver()
    try {
      const store = createPostgresEventStore({ driver, codec: testCodec })
      await store.appendToStream('old-1', [counted(1), counted(2)])
      await driver.query(`alter table events add constraint events_stream_id_fkey foreign key (stream_id) references streams (stream_id)`)
      const foreignKeys = async () =>
        (await driver.query<{ n: number }>(`select count(*)::int as n from pg_constraint where conrelid = 'events'::regclass and contype = 'f'`)).rows[0]!.n
      expect(await foreignKeys()).toBe(1)
      // a store from before this migration has no record of it
      await driver.query('delete from schema_migrations')
      await migrate(driver)
      expect(await foreignKeys()).toBe(0)
      await migrate(driver) // idempotent without it too
      await expectAppendsAfterMigration(store, 'old-1')
    } finally {
      await driver.close()
    }
  })

  it('moves stream ids to the "C" collation, keeping every event and the stream order', async () => {
    const driver = await freshPGliteDriver()
    try {
      const store = createPostgresEventStore({ driver, codec: testCodec })
      await store.appendToStream('old-2', [counted(1), counted(2)])
      await driver.query(`alter table streams alter column stream_id type text collate "default"`)
      await driver.query(`alter table events alter column stream_id type text collate "default"`)
      const collations = async () =>
        (await driver.query<{ c: string }>(
          `select string_agg(c.collname, ',' order by a.attrelid::regclass::text) as c
             from pg_attribute a join pg_collation c on c.oid = a.attcollation
            where a.attrelid in ('streams'::regclass, 'events'::regclass) and a.attname = 'stream_id'`,
        )).rows[0]!.c
      expect(await collations()).toBe('default,default')
      await driver.query('delete from schema_migrations')
      await migrate(driver)
      expect(await collations()).toBe('C,C')
      await migrate(driver) // idempotent
      await expectAppendsAfterMigration(store, 'old-2')
    } finally {
      await driver.close()
    }
  })
})
