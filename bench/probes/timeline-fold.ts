// Decision 025: the in-memory fold of every projection with and without the timeline projection, interleaved, CPU per event.
// Usage: npx tsx bench/probes/timeline-fold.ts (50 partners, 50,000 generated events, seed 7; three rounds, the first warms up)
import { historyEvents } from '../../cli/generate-history.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { foldEvents } from '../../projections/projection.ts'
import { timelineProjection } from '../../projections/timeline.ts'
const events: RecordedEvent[] = []
let n = 0n
for (const { streamId, event } of historyEvents({ partners: 50, events: 50_000, seed: 7, validate: false })) {
  n++
  events.push({ ...event, streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt) })
}
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
function run(list: typeof allProjections) {
  const docs = list.map(() => new Map<string, unknown>())
  const c0 = cpu()
  for (const e of events) for (let i = 0; i < list.length; i++) foldEvents(list[i]!, docs[i]!, e)
  return cpu() - c0
}
for (let r = 0; r < 3; r++) {
  const before = run([...allProjections, timelineProjection])
  const after = run(allProjections)
  console.log(JSON.stringify({ round: r, beforeMs: Math.round(before), afterMs: Math.round(after), beforeUsPerEvent: +(before * 1000 / events.length).toFixed(1), afterUsPerEvent: +(after * 1000 / events.length).toFixed(1) }))
}
