// The runner's filter of keys written on an empty version: it may say yes to a key never added (a load, as before),
// never no to one that was added (that would fold on a fresh document over a stored one).
import { describe, expect, it } from 'vitest'
import { WrittenKeys } from '../../projections/runner/written.ts'

describe('WrittenKeys', () => {
  it('has every key added, through its growth from 16k to more than 300k keys', () => {
    const keys = new WrittenKeys()
    const added = Array.from({ length: 300_000 }, (_, i) => `partner-${i}-${(i * 2654435761) % 1000003}`)
    for (const key of added) keys.add(key)
    expect(added.every((key) => keys.mightHave(key))).toBe(true)
  })

  it('says no to most keys never added (each false yes only costs a load)', () => {
    const keys = new WrittenKeys()
    for (let i = 0; i < 100_000; i++) keys.add(globalThis.crypto.randomUUID())
    let yes = 0
    for (let i = 0; i < 20_000; i++) if (keys.mightHave(globalThis.crypto.randomUUID())) yes++
    expect(yes / 20_000).toBeLessThan(0.05)
  })

  it('tells apart keys that differ in one character or only in length', () => {
    const keys = new WrittenKeys()
    keys.add('a')
    keys.add('deal-0042')
    expect(keys.mightHave('a')).toBe(true)
    expect(keys.mightHave('deal-0042')).toBe(true)
    expect(keys.mightHave('')).toBe(false)
    expect(keys.mightHave('deal-0043')).toBe(false)
    expect(keys.mightHave('deal-00420')).toBe(false)
  })
})
