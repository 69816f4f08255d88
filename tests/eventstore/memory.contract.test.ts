// The port contract against the in-memory adapter.
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import { contractSuite, testCodec } from './contract.ts'

contractSuite({
  name: 'memory',
  async create() {
    return { store: createMemoryEventStore({ codec: testCodec }), cleanup: async () => {} }
  },
  stress: { writers: 16, events: 10_000, streams: 200 },
})
