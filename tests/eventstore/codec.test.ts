import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { assertStorable, createZodCodec, encodeForAppend } from '../../eventstore/codec.ts'
import { createEncryptingCodec, createMemoryKeyStore } from '../../eventstore/encryption.ts'
import { InvalidEvent } from '../../eventstore/errors.ts'
import type { EventMetadata, NewEvent, RecordedEvent } from '../../eventstore/types.ts'

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

  it('refuses a stored payload its upcaster cannot read, naming the stored version and what the upcaster said', () => {
    const strict = createZodCodec(
      { Renamed: z.object({ fullName: z.string() }) },
      { currentVersions: { Renamed: 2 }, upcasters: { Renamed: { 1: (data) => ({ fullName: z.object({ name: z.string() }).parse(data).name }) } } },
    )
    const error = invalid(() => strict.decode(recorded('Renamed', { name: 42 }, metadata(1))))
    expect(error.eventType).toBe('Renamed')
    expect(error.issues[0]?.path).toBe('data')
    expect(error.issues[0]?.message).toMatch(/stored as version 1.*upcaster to version 2.*expected string/is)
  })
})

describe('unstorable text on append (assertStorable, encodeForAppend)', () => {
  const noted = (data: unknown, meta: Partial<EventMetadata> = {}): NewEvent => ({
    id: randomUUID(),
    type: 'WorkshopRequested',
    data,
    metadata: { ...metadata(), ...meta },
  })
  const refused = (event: NewEvent, streamId = 'workshop-1') => invalid(() => assertStorable(streamId, event))

  it('refuses NUL in a nested list, naming the event type and the field path', () => {
    const error = refused(noted({ workshopId: 'w-1', attendees: ['Maria\u0000Jensen'] }))
    expect(error.eventType).toBe('WorkshopRequested')
    expect(error.issues).toEqual([{ path: 'data.attendees[0]', message: 'contains a control character (U+0000)' }])
    expect(error.message).toBe('Invalid WorkshopRequested: data.attendees[0]: contains a control character (U+0000)')
  })

  it.each([
    ['U+0001', '\u0001'],
    ['U+0008', '\u0008'],
    ['U+000B', '\u000B'],
    ['U+000C', '\u000C'],
    ['U+000E', '\u000E'],
    ['U+001F', '\u001F'],
    ['U+007F', '\u007F'],
  ])('refuses the control character %s', (name, char) => {
    expect(refused(noted({ goal: `a${char}b` })).issues).toEqual([{ path: 'data.goal', message: `contains a control character (${name})` }])
  })

  it.each([
    ['a lone high surrogate', 'x\uD800', 'U+D800'],
    ['a high surrogate followed by no low one', '\uDBFFx', 'U+DBFF'],
    ['a lone low surrogate', '\uDC00x', 'U+DC00'],
    ['a low surrogate after a complete pair', '\uD83D\uDE00\uDFFF', 'U+DFFF'],
  ])('refuses %s', (_, text, name) => {
    expect(refused(noted({ goal: text })).issues).toEqual([{ path: 'data.goal', message: `contains a lone surrogate (${name})` }])
  })

  it('accepts tab, newline, carriage return, emoji (surrogate pairs), accents and other scripts', () => {
    expect(() => assertStorable('workshop-1', noted({ goal: 'Line 1\r\nLine 2\tend', who: ['Zoë 😀', 'Ærø', '日本語', '\u00A0\u2028'] }))).not.toThrow()
  })

  it('looks at every depth, at keys and at metadata, and lists every issue', () => {
    const error = refused(
      noted({ a: { b: [{ c: 'ok' }, { 'k\u0000ey': 'fine', d: ['\u0007'] }] } }, { actor: 'user\u001B', commandId: 'c\uDFFF' }),
    )
    expect(error.issues).toEqual([
      { path: 'data.a.b[1]["k\\u0000ey"]', message: 'key contains a control character (U+0000)' },
      { path: 'data.a.b[1].d[0]', message: 'contains a control character (U+0007)' },
      { path: 'metadata.actor', message: 'contains a control character (U+001B)' },
      { path: 'metadata.commandId', message: 'contains a lone surrogate (U+DFFF)' },
    ])
    // the message shows the escape, never the character itself
    expect(error.message).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/)
  })

  it('refuses a control character in the stream id', () => {
    expect(refused(noted({ goal: 'ok' }), 'deal-\u0000').issues).toEqual([{ path: 'streamId', message: 'contains a control character (U+0000)' }])
  })

  it('stops at a cyclic value instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = { goal: 'ok' }
    cyclic.self = cyclic
    expect(refused(noted(cyclic)).issues[0]?.message).toMatch(/nested deeper than/)
  })

  it('refuses before encryption: a personal field is named, and no key is created for the refused event', async () => {
    const keys = createMemoryKeyStore()
    const encrypting = createEncryptingCodec(
      createZodCodec({ WorkshopRequested: z.object({ partnerId: z.string(), attendees: z.array(z.string()) }) }),
      {
        keys,
        personalData: { WorkshopRequested: [{ subject: (data: { partnerId: string }) => `partner:${data.partnerId}`, fields: [{ path: 'attendees.*' }] }] },
        placeholder: () => '(erased)',
      },
    )
    const bad = noted({ partnerId: 'p-1', attendees: ['Ada', 'Maria\u0000Jensen'] })
    let error: unknown
    await encodeForAppend(encrypting, 'workshop-1', [bad]).catch((e: unknown) => (error = e))
    expect(error).toBeInstanceOf(InvalidEvent)
    expect((error as InvalidEvent).message).toBe('Invalid WorkshopRequested: data.attendees[1]: contains a control character (U+0000)')
    expect(keys.size).toBe(0)
    // the same event without the NUL is encrypted as usual
    const [encoded] = await encodeForAppend(encrypting, 'workshop-1', [noted({ partnerId: 'p-1', attendees: ['Ada', 'Maria Jensen'] })])
    expect((encoded!.data as { attendees: string[] }).attendees.every((a) => a.startsWith('enc:v1:'))).toBe(true)
  })
})
