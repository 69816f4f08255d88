// The runner's document cache (decisions 028 and 031): bounded by bytes, and it tells what a document weighs on average.
import { describe, expect, test } from 'vitest'
import { ABSENT, documentCache } from '../../projections/runner/member.ts'

const doc = (chars: number) => ({ state: { text: 'x'.repeat(chars) } })

describe('document cache', () => {
  test('keeps the newest documents within its byte budget', () => {
    const cache = documentCache(10_000, 100_000)
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, doc(1000))
    expect(cache.size).toBeGreaterThan(50)
    expect(cache.size).toBeLessThan(100)
    expect(cache.has('k999')).toBe(true)
    expect(cache.has('k0')).toBe(false)
  })

  test('documentBytes follows the measured documents: what a catch-up write counts per touched document', () => {
    const cache = documentCache(10_000, 1_000_000_000)
    expect(cache.documentBytes()).toBeLessThan(200)
    for (let i = 0; i < 100; i++) cache.set(`small${i}`, doc(1000))
    const small = cache.documentBytes()
    expect(small).toBeGreaterThan(1000)
    expect(small).toBeLessThan(1200)
    // documents grow along the history: the average moves to the recent ones
    for (let i = 0; i < 2000; i++) cache.set(`big${i}`, doc(10_000))
    expect(cache.documentBytes()).toBeGreaterThan(9000)
    // a key known to have no document weighs nothing towards the average
    for (let i = 0; i < 2000; i++) cache.set(`none${i}`, { state: ABSENT })
    expect(cache.documentBytes()).toBeGreaterThan(9000)
  })
})
