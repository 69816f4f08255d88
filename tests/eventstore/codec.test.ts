import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createZodCodec } from '../../eventstore/codec.ts'
import { InvalidEvent } from '../../eventstore/errors.ts'
import type { EventMetadata, RecordedEvent } from '../../eventstore/types.ts'

const metadata = (schemaVersion = 1): EventMetadata => ({
  actor: 'user-1',
  tenant: 'vendor-1',
  occurredAt: '2025-01-02T03:04:05.000Z',
  correlationId: 'c-1',
  causationId: 'c-1',
  schemaVersion,
})

const codec = createZodCodec(
  {
    Counted: z.object({ value: z.number() }),
    Renamed: z.object({ fullName: z.string(), email: z.string() }),
  },
  {
    currentVersions: { Renamed: 3 },
    upcasters: {
      Renamed: {
        1: (data) => ({ fullName: (data as { name: string }).name }),
        2: (data) => ({ ...(data as object), email: 'unknown@example.com' }),
      },
    },
  },
)

function invalid(fn: () => unknown): InvalidEvent {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEvent)
    return error as InvalidEvent
  }
  throw new Error('expected InvalidEvent')
}

const recorded = (type: string, data: unknown, meta: EventMetadata): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: meta,
  streamId: 's-1',
  streamRevision: 0n,
  globalPosition: 1n,
  position: { commit: 1n, prepare: 1n },
  recordedAt: new Date(),
})

describe('createZodCodec', () => {
  it('encodes a valid event', () => {
    const event = { id: randomUUID(), type: 'Counted', data: { value: 3 }, metadata: metadata() }
    expect(codec.encode(event)).toEqual(event)
  })

  it('refuses invalid data, naming the field', () => {
    const error = invalid(() => codec.encode({ id: randomUUID(), type: 'Counted', data: { value: 'x' }, metadata: metadata() }))
    expect(error.issues.map((i) => i.path)).toEqual(['data.value'])
    expect(error.message).toContain('data.value')
    expect(error.eventType).toBe('Counted')
  })

  it('refuses an unknown type', () => {
    const error = invalid(() => codec.encode({ id: randomUUID(), type: 'Nope', data: {}, metadata: metadata() }))
    expect(error.issues[0]?.path).toBe('type')
  })

  it('validates metadata and the id', () => {
    const error = invalid(() =>
      codec.encode({
        id: 'not-a-uuid',
        type: 'Counted',
        data: { value: 1 },
        metadata: { ...metadata(), occurredAt: 'yesterday', schemaVersion: 1.5, actor: '' },
      }),
    )
    expect(error.issues.map((i) => i.path).sort()).toEqual(['id', 'metadata.actor', 'metadata.occurredAt', 'metadata.schemaVersion'])
  })

  it('requires new events to carry the current schema version', () => {
    const error = invalid(() =>
      codec.encode({ id: randomUUID(), type: 'Renamed', data: { fullName: 'A', email: 'a@b.c' }, metadata: metadata(1) }),
    )
    expect(error.issues).toEqual([expect.objectContaining({ path: 'metadata.schemaVersion' })])
  })

  it('upcasts on decode, step by step, then validates', () => {
    const decoded = codec.decode(recorded('Renamed', { name: 'Ada' }, metadata(1)))
    expect(decoded.data).toEqual({ fullName: 'Ada', email: 'unknown@example.com' })
    expect(decoded.metadata.schemaVersion).toBe(3)
    expect(codec.decode(recorded('Renamed', { fullName: 'B' }, metadata(2))).data).toEqual({
      fullName: 'B',
      email: 'unknown@example.com',
    })
  })

  it('refuses stored data that no longer validates, and versions it cannot upcast', () => {
    expect(invalid(() => codec.decode(recorded('Counted', { value: null }, metadata()))).issues[0]?.path).toBe('data.value')
    expect(invalid(() => codec.decode(recorded('Counted', { value: 1 }, metadata(2)))).issues[0]?.path).toBe('metadata.schemaVersion')
  })
})
