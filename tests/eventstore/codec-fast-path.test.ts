// The append path's cheap first tests (assertStorable's pre-check, the id's pattern) refuse exactly what the precise
// rules refuse: property tests against the rules written out here.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { assertStorable, createZodCodec } from '../../eventstore/codec.ts'
import { InvalidEvent } from '../../eventstore/errors.ts'

/** the rule: NUL and the C0 controls but tab, LF, CR; DEL; a surrogate not in a high-low pair */
const refusedByRule = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c <= 0x1f && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
      else return true
    } else if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}

// mostly the characters near the rule's edges, so that most strings hit one
const edgy = fc.constantFrom('\u0000', '\u0008', '\t', '\n', '\u000B', '\r', '\u001F', ' ', '~', '\u007F', '\u0080', 'é', '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000', '😀', 'a')
const text = fc.oneof(fc.array(edgy, { maxLength: 6 }).map((parts) => parts.join('')), fc.string({ unit: 'binary', maxLength: 8 }))

const event = (data: unknown) => ({
  id: '00000000-0000-4000-8000-000000000000',
  type: 'T',
  data,
  metadata: { actor: 'a', tenant: 't', occurredAt: '2025-01-01T00:00:00Z', correlationId: 'c', causationId: 'c', schemaVersion: 1 },
})
const refuses = (fn: () => void): boolean => {
  try {
    fn()
    return false
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEvent)
    return true
  }
}

describe('assertStorable', () => {
  it('refuses a string value, a key or a stream id exactly when the rule does', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(refuses(() => assertStorable('s', event({ nested: [{ value: s }] })))).toBe(refusedByRule(s))
        expect(refuses(() => assertStorable('s', event({ [s]: 1 })))).toBe(refusedByRule(s))
        expect(refuses(() => assertStorable(`stream-${s}`, event({})))).toBe(refusedByRule(s))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('the codec id check', () => {
  const codec = createZodCodec({ T: z.object({}) })
  const hex = fc.constantFrom(...'0123456789abcdefABCDEFg-')
  const uuidLike = fc.oneof(
    fc.uuid().map(String),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'),
    fc.array(hex, { minLength: 36, maxLength: 36 }).map((c) => c.join('')),
    fc.tuple(fc.uuid(), fc.integer({ min: 0, max: 35 }), hex).map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
    fc.uuid().map((u) => ` ${u}`),
  )

  it('accepts an id exactly when zod accepts it as a uuid', () => {
    fc.assert(
      fc.property(uuidLike, (id) => {
        const refused = refuses(() => codec.encode({ ...event({}), id }))
        expect(refused).toBe(!z.uuid().safeParse(id).success)
      }),
      { numRuns: 3000 },
    )
  })
})
