// The port contract against the postgres adapter on embedded PGlite (always runs).
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { contractSuite, testCodec } from './contract.ts'

contractSuite({
  name: 'postgres on PGlite',
  async create() {
    const driver = await freshPGliteDriver()
    return { store: createPostgresEventStore({ driver, codec: testCodec }), cleanup: () => driver.close() }
  },
  stress: { writers: 16, events: 10_000, streams: 200 },
})
