// Time travel: folding a projection in memory up to a position or a business date, and the pure fold helpers.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { foldUntil, jsonEqual } from '../../projections/index.ts'
import { appendAll, countingProjection, dayIso, expectedTallies, generateHistory, newStore, type Spec } from './runner-fixtures.ts'

describe('foldUntil', () => {
  test('by position: folds exactly the events at or before it', async () => {
    const store = newStore()
    const specs = generateHistory(500, 12, 5)
    await appendAll(store, specs)
    const events: RecordedEvent[] = []
    for await (const event of store.readAll()) events.push(event)
    const projection = countingProjection('tt')
    for (const cut of [0, 1, 137, 499]) {
      const folded = await foldUntil(store, projection, { position: events[cut]!.position })
      expect(folded).toEqual(expectedTallies(specs.slice(0, cut + 1)))
    }
    expect(await foldUntil(store, projection)).toEqual(expectedTallies(specs))
  })

  test('by date: includes events that occurred at or before it (inclusive), whatever their log order', async () => {
    const store = newStore()
    const specs = generateHistory(300, 8, 9)
    // business time runs backwards every 10th event, so log order and occurredAt disagree
    const day = (index: number) => (index % 10 === 9 ? index - 50 : index)
    await appendAll(store, specs, (index) => dayIso(day(index)))
    const projection = countingProjection('tt')
    for (const until of [0, 100, 180, 400]) {
      const expected = expectedTallies(specs.filter((_, index) => day(index) <= until))
      expect(await foldUntil(store, projection, { until: new Date(dayIso(until)) })).toEqual(expected)
    }
    // the boundary is inclusive to the millisecond
    const justBefore = new Date(Date.parse(dayIso(100)) - 1)
    expect(await foldUntil(store, projection, { until: justBefore })).toEqual(
      expectedTallies(specs.filter((_, index) => day(index) < 100)),
    )
  })

  test('position and date together: both limits apply', async () => {
    const store = newStore()
    const specs: Spec[] = [
      { type: 'Counted', partnerId: 'a', amount: 1 },
      { type: 'Counted', partnerId: 'a', amount: 2 },
      { type: 'Counted', partnerId: 'a', amount: 4 },
    ]
    await appendAll(store, specs, (index) => dayIso([5, 1, 2][index]!))
    const events: RecordedEvent[] = []
    for await (const event of store.readAll()) events.push(event)
    const folded = await foldUntil(store, countingProjection('tt'), { position: events[1]!.position, until: new Date(dayIso(2)) })
    expect(folded.get('a')).toEqual({ count: 1, total: 2, weighted: 2 })
  })
})

describe('jsonEqual', () => {
  test('ignores key order, not values', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(jsonEqual([1, 2], [2, 1])).toBe(false)
    expect(jsonEqual({ a: '1' }, { a: 1 })).toBe(false)
  })
})
