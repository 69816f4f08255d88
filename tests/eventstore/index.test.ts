// openEventStore: one factory for every adapter.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openEventStore, StreamNotFound } from '../../eventstore/index.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { collect, counted, testCodec } from './contract.ts'

describe('openEventStore', () => {
  it('opens the memory adapter', async () => {
    const store = await openEventStore({ kind: 'memory' }, testCodec)
    await store.appendToStream('partner-1', [counted(1)])
    expect(await collect(store.readStream('partner-1'))).toHaveLength(1)
    await store.close()
  })

  it('opens the postgres adapter on a driver, migrating it (idempotently)', async () => {
    const driver = await freshPGliteDriver()
    try {
      const store = await openEventStore({ kind: 'postgres', driver }, testCodec)
      const stream = `deal-${randomUUID()}`
      await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFound)
      await store.appendToStream(stream, [counted(1)], { expectedRevision: 'no_stream' })
      expect(await collect(store.readStream(stream))).toHaveLength(1)
      await store.close()
    } finally {
      await driver.close()
    }
  })

  it('creates the eventstoredb adapter without connecting until used', async () => {
    const store = await openEventStore({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' }, testCodec)
    await store.close()
  })
})
