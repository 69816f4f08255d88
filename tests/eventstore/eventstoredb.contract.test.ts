// The port contract against EventStoreDB / KurrentDB, when EVENTSTORE_URL points at a server (e.g. esdb://localhost:2113?tls=false).
import { createEventStoreDBStore } from '../../eventstore/eventstoredb.ts'
import { contractSuite, testCodec } from './contract.ts'

const url = process.env.EVENTSTORE_URL?.trim()

contractSuite({
  name: 'eventstoredb',
  skipReason: url ? undefined : 'EVENTSTORE_URL is not set (no EventStoreDB server to test against)',
  async create() {
    return { store: createEventStoreDBStore({ connectionString: url!, codec: testCodec }), cleanup: async () => {} }
  },
  stress: { writers: 16, events: 10_000, streams: 200 },
})
