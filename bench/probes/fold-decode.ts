// Diagnosis, not a workload: what readAll's decode costs per event over the generated history (the events as a read
// gives them: data and metadata parsed from JSON), in CPU time, each step alone and the whole codec.decode.
// `--baseline <dir>` also times <dir>/eventstore/codec.ts's decode (a tree extracted as fold-cost.ts says), interleaved.
// Usage: node --import tsx bench/probes/fold-decode.ts [--partners 50] [--events 50000] [--rounds 3] [--baseline .tmp/fold-base]
import path from 'node:path'
import type { ZodType } from 'zod'
import { codecVersions, createDomainCodec } from '../../app/codec.server.ts'
import { historyEvents } from '../../app/seed/history/generator.ts'
import { eventSchemas, eventVersions } from '../../domain/index.ts'
import { eventMetadataSchema, type createZodCodec } from '../../eventstore/codec.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const count = Number(arg('events', '50000'))
const rounds = Number(arg('rounds', '3'))
const baselineDir = arg('baseline', '')

const codec = createDomainCodec()
const stored: RecordedEvent[] = []
let n = 0n
for (const { streamId, event } of historyEvents({ partners, events: count, seed: 7, validate: false })) {
  n++
  const encoded = codec.encode(event)
  // as a row gives it: jsonb parsed by the driver
  stored.push({
    ...encoded, data: JSON.parse(JSON.stringify(encoded.data)), metadata: JSON.parse(JSON.stringify(encoded.metadata)),
    streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt),
  } as RecordedEvent)
}

const schemas = eventSchemas as Record<string, ZodType>
const steps: Record<string, (e: RecordedEvent) => unknown> = {
  'codec.decode (whole)': (e) => codec.decode(e),
  'data: schema.safeParse': (e) => schemas[e.type]!.safeParse(e.data),
  'metadata: eventMetadataSchema.safeParse': (e) => eventMetadataSchema.safeParse(e.metadata),
  'envelope copy { ...event }': (e) => ({ ...e }),
}
if (baselineDir) {
  const { createZodCodec: baselineCodec } = (await import(path.resolve(baselineDir, 'eventstore/codec.ts'))) as { createZodCodec: typeof createZodCodec }
  const baseline = baselineCodec(eventSchemas, codecVersions(eventVersions))
  steps['baseline codec.decode (whole)'] = (e) => baseline.decode(e)
}

const cpu = (fn: (e: RecordedEvent) => unknown) => {
  const start = process.cpuUsage()
  for (const e of stored) fn(e)
  const used = process.cpuUsage(start)
  return (used.user + used.system) / stored.length
}
const results = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  for (const [label, fn] of Object.entries(steps)) {
    const list = results.get(label) ?? []
    list.push(cpu(fn))
    results.set(label, list)
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(JSON.stringify({ events: stored.length, partners, rounds }))
for (const [label, list] of results) console.log(JSON.stringify({ step: label, cpuUsPerEvent: Math.round(median(list) * 100) / 100 }))
