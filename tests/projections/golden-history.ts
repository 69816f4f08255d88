// The generated history the golden tests fold (20 partners, 20,000 events, seed 7), recorded in generator order.
import { historyEvents } from '../../cli/generate-history.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'

export function goldenHistory(): RecordedEvent[] {
  const events: RecordedEvent[] = []
  let n = 0n
  for (const { streamId, event } of historyEvents({ partners: 20, events: 20_000, seed: 7, validate: false })) {
    n++
    events.push({ ...event, streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt) })
  }
  return events
}
