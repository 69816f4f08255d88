// Valid event envelopes for the benchmarks (they pass the portal's codec) and raw multi-row inserts of them.
import { randomUUID } from 'node:crypto'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { EventMetadata, NewEvent } from '../../eventstore/types.ts'
import { currentSchemaVersion } from '../../app/codec.server.ts'
import { eventIdFor } from '../../app/commands/handler.server.ts'

export type GenEvent = NewEvent & { streamId: string; revision: number }

const BASE_MS = Date.parse('2026-01-05T09:00:00.000Z')

/** an event's id as the portal's command handler gives it: the command's time, then bits of its id (a UUID v7) */
const idOf = (m: EventMetadata) => eventIdFor(m.commandId!, 0, m.occurredAt)

function metadata(i: number, tenant: string, schemaVersion = 1): EventMetadata {
  const commandId = randomUUID()
  return {
    actor: 'bench-user',
    tenant,
    occurredAt: new Date(BASE_MS + i * 1000).toISOString(),
    correlationId: commandId,
    causationId: commandId,
    schemaVersion,
    commandId,
  }
}

function partnerApplied(partnerId: string, i: number): Omit<GenEvent, 'streamId' | 'revision'> {
  const m = metadata(i, partnerId)
  return {
    id: idOf(m),
    type: 'PartnerApplied',
    data: {
      partnerId,
      company: `Partner ${i} GmbH`,
      websiteDomain: `partner${i}.example`,
      geographies: ['DE', 'AT'],
      segments: ['smb'],
      partnerType: 'reseller',
      applicant: { userId: `user-${i}`, name: `Applicant ${i}`, email: `applicant${i}@partner${i}.example` },
    },
    metadata: m,
  }
}

function partnerApproved(partnerId: string, i: number): Omit<GenEvent, 'streamId' | 'revision'> {
  const m = metadata(i, 'vendor')
  return { id: idOf(m), type: 'PartnerApproved', data: { partnerId, tier: 'silver', adminUserId: `user-${i}` }, metadata: m }
}

function dealRegistered(dealId: string, partnerId: string, i: number): Omit<GenEvent, 'streamId' | 'revision'> {
  const m = metadata(i, partnerId, currentSchemaVersion('DealRegistered'))
  return {
    id: idOf(m),
    type: 'DealRegistered',
    data: {
      dealId,
      partnerId,
      customerName: `Customer ${i}`,
      customerDomain: `customer${i}.example`,
      value: 1000 + (i % 997) * 10,
      currency: 'EUR',
      expectedCloseDate: '2026-06-30',
      items: [{ sku: 'FW-100', name: 'firewall', quantity: 2 }, { sku: 'SUP-1', name: 'support', quantity: 1 }],
      conflict: null,
      reviewDueAt: '2026-01-08T09:00:00.000Z',
      protectionDays: 90,
    },
    metadata: m,
  }
}

function dealApproved(dealId: string, partnerId: string, i: number): Omit<GenEvent, 'streamId' | 'revision'> {
  const m = metadata(i, 'vendor')
  return { id: idOf(m), type: 'DealApproved', data: { dealId, partnerId, protectedUntil: '2026-04-05', withinSla: true }, metadata: m }
}

/** One partner's block of 100 events as commands produce them: applied and approved, then 49 deals registered and approved. */
export function partnerBlock(index: number): GenEvent[] {
  const partnerId = randomUUID()
  const base = index * 100
  const partnerStream = `partner-${partnerId}`
  const events: GenEvent[] = [
    { ...partnerApplied(partnerId, base), streamId: partnerStream, revision: 0 },
    { ...partnerApproved(partnerId, base + 1), streamId: partnerStream, revision: 1 },
  ]
  for (let d = 0; d < 49; d++) {
    const dealId = randomUUID()
    const stream = `deal-${dealId}`
    events.push({ ...dealRegistered(dealId, partnerId, base + 2 + 2 * d), streamId: stream, revision: 0 })
    events.push({ ...dealApproved(dealId, partnerId, base + 3 + 2 * d), streamId: stream, revision: 1 })
  }
  return events
}

/** `count` schema-valid events of one deal stream, for batch appends. */
export function batchStream(index: number, count = 100): GenEvent[] {
  const partnerId = randomUUID()
  const dealId = randomUUID()
  const stream = `deal-${dealId}`
  return Array.from({ length: count }, (_, r) => ({
    ...(r % 2 === 0 ? dealRegistered(dealId, partnerId, index * count + r) : dealApproved(dealId, partnerId, index * count + r)),
    streamId: stream,
    revision: r,
  }))
}

export function toNewEvent(event: GenEvent): NewEvent {
  return { id: event.id, type: event.type, data: event.data, metadata: event.metadata }
}

/** The last revision of every stream among `events`. */
export function streamsOf(events: readonly GenEvent[]): Map<string, number> {
  const streams = new Map<string, number>()
  for (const event of events) streams.set(event.streamId, Math.max(streams.get(event.streamId) ?? -1, event.revision))
  return streams
}

// arrays travel as text[] cast in SQL, so node-postgres and PGlite serialise them alike
const EVENTS_UNNEST = `select id::uuid, stream_id, revision::bigint, type, data::json, metadata::json
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
    as t(id, stream_id, revision, type, data, metadata)`

function eventArrays(events: readonly GenEvent[]): string[][] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.streamId),
    events.map((e) => String(e.revision)),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(e.metadata)),
  ]
}

/** One multi-row insert (unnest) straight into the events table; the streams must exist. */
export async function insertEventsRaw(db: SqlExecutor, events: readonly GenEvent[]): Promise<void> {
  await db.query(`insert into events (event_id, stream_id, stream_revision, type, data, metadata) ${EVENTS_UNNEST}`, eventArrays(events))
}

/** One single-row insert straight into the events table (its own transaction); the stream must exist. */
export async function insertEventRaw(db: SqlExecutor, e: GenEvent): Promise<void> {
  await db.query(
    `insert into events (event_id, stream_id, stream_revision, type, data, metadata) values ($1::uuid, $2, $3::bigint, $4, $5::json, $6::json)`,
    [e.id, e.streamId, String(e.revision), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
  )
}

/** Creates the stream rows (at their final revision) for events that will be inserted raw. */
export async function insertStreamsRaw(db: SqlExecutor, streams: Map<string, number>): Promise<void> {
  await db.query(`insert into streams (stream_id, revision) select s, r::bigint from unnest($1::text[], $2::text[]) as t(s, r)`, [
    [...streams.keys()],
    [...streams.values()].map(String),
  ])
}

/** Streams and events of a chunk in one statement (the generator of large logs). */
export async function insertChunkRaw(db: SqlExecutor, events: readonly GenEvent[]): Promise<void> {
  const streams = streamsOf(events)
  await db.query(
    `with s as (insert into streams (stream_id, revision) select s, r::bigint from unnest($7::text[], $8::text[]) as t(s, r))
     insert into events (event_id, stream_id, stream_revision, type, data, metadata) ${EVENTS_UNNEST}`,
    [...eventArrays(events), [...streams.keys()], [...streams.values()].map(String)],
  )
}

/** Fills the log with `total` valid events in chunks of 1,000 (10 partner blocks), one statement per chunk. */
export async function generateLog(db: SqlExecutor, total: number, onChunk?: (done: number) => void): Promise<void> {
  const blocks = Math.ceil(total / 100)
  for (let b = 0; b < blocks; b += 10) {
    const events: GenEvent[] = []
    for (let k = b; k < Math.min(blocks, b + 10); k++) events.push(...partnerBlock(k))
    await insertChunkRaw(db, events)
    onChunk?.(Math.min(total, (b + 10) * 100))
  }
}
