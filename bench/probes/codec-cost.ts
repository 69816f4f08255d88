// Diagnosis, not a workload: where codec.encode / codec.decode spend their time, per event (µs).
// Usage: npx tsx bench/probes/codec-cost.ts
import { z } from 'zod'
import { eventMetadataSchema } from '../../eventstore/codec.ts'
import { codec } from '../lib/db.ts'
import { batchStream, toNewEvent } from '../lib/events.ts'
import { eventSchemas } from '../../domain/index.ts'
import { now } from '../lib/util.ts'

const events = Array.from({ length: 100 }, (_, i) => batchStream(i, 100)).flat().map(toNewEvent)
await codec.prepareAppend(events) // the keys of the personal fields' subjects
function per(label: string, fn: (e: (typeof events)[number]) => unknown): void {
  for (const e of events.slice(0, 2000)) fn(e) // warm up
  const t0 = now()
  for (const e of events) fn(e)
  console.log(JSON.stringify({ step: label, microsPerEvent: Math.round(((now() - t0) * 1000 * 10) / events.length) / 10 }))
}
const uuid = z.uuid()
per('codec.encode (whole)', (e) => codec.encode(e))
per('z.uuid() built per call + safeParse (what encode does)', (e) => z.uuid().safeParse(e.id))
per('prebuilt uuid schema safeParse', (e) => uuid.safeParse(e.id))
per('eventMetadataSchema.safeParse', (e) => eventMetadataSchema.safeParse(e.metadata))
per('data schema safeParse', (e) => (eventSchemas as Record<string, z.ZodType>)[e.type]!.safeParse(e.data))
const recorded = events.map((e) => codec.encode(e)).map((e, i) => ({ ...e, streamId: 's', streamRevision: BigInt(i), globalPosition: BigInt(i), position: { commit: 1n, prepare: BigInt(i) }, recordedAt: new Date() }))
await codec.prepareRead(recorded)
let k = 0
per('codec.decode (whole)', () => codec.decode(recorded[k++ % recorded.length]!))
