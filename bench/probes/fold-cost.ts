// Diagnosis, not a workload: the in-memory fold rate of each projection (and of all together) over a generated
// history, without any IO; run it under `node --cpu-prof` to see where a fold spends its time.
// Usage: npx tsx bench/probes/fold-cost.ts [--partners 50] [--events 50000] [--only journey,pyramid]
import { historyEvents } from '../../cli/generate-history.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { foldEvents } from '../../projections/projection.ts'
import { now, rate } from '../lib/util.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const count = Number(arg('events', '50000'))
const only = arg('only', '').split(',').filter(Boolean)

const events: RecordedEvent[] = []
let n = 0n
for (const { streamId, event } of historyEvents({ partners, events: count, seed: 7, validate: false })) {
  n++
  events.push({ ...event, streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt) })
}
const projections = only.length ? allProjections.filter((p) => only.includes(p.name)) : allProjections

for (const projection of projections) {
  const docs = new Map<string, unknown>()
  const start = now()
  for (const event of events) foldEvents(projection, docs, event)
  console.log(JSON.stringify({ projection: projection.name, eventsPerSec: rate(events.length, now() - start), documents: docs.size }))
}
const all = projections.map(() => new Map<string, unknown>())
const start = now()
for (const event of events) for (let i = 0; i < projections.length; i++) foldEvents(projections[i]!, all[i]!, event)
console.log(JSON.stringify({ projection: `all ${projections.length} together, event by event`, eventsPerSec: rate(events.length, now() - start) }))
