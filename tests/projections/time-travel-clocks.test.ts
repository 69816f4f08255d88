// Time travel on both clocks: "as it happened" (occurredAt) and "as the vendor knew it" (recordedAt), with backdated events.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { EventStore } from '../../eventstore/types.ts'
import { foldUntil } from '../../projections/index.ts'
import { countingProjection, newStore, toNewEvent, type Spec } from './runner-fixtures.ts'

const endOf = (date: string) => new Date(`${date}T23:59:59.999Z`)

/** appends one event whose store clock reads `recordedAt` (the memory store stamps new Date()) */
async function record(store: EventStore, streamId: string, spec: Spec, occurredAt: string, recordedAt: string) {
  vi.setSystemTime(new Date(recordedAt))
  await store.appendToStream(streamId, [toNewEvent(spec, occurredAt)])
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('foldUntil on two clocks', () => {
  test('a backdated event counts from when it happened on one clock and from when it was recorded on the other', async () => {
    const store = newStore()
    await record(store, 'partner-a', { type: 'Counted', partnerId: 'a', amount: 1 }, '2024-03-01T10:00:00.000Z', '2024-03-01T10:00:01.000Z')
    // recorded in June, happened in January: months backdated
    await record(store, 'partner-a', { type: 'Counted', partnerId: 'a', amount: 10 }, '2024-01-15T09:00:00.000Z', '2024-06-01T12:00:00.000Z')
    const projection = countingProjection('clocks')

    const happened = await foldUntil(store, projection, { until: endOf('2024-03-31'), clock: 'occurred' })
    const known = await foldUntil(store, projection, { until: endOf('2024-03-31'), clock: 'recorded' })
    expect(happened.get('a')).toMatchObject({ count: 2, total: 11 })
    expect(known.get('a')).toMatchObject({ count: 1, total: 1 })

    // before anything was recorded the vendor knew nothing, though the backdated event had happened
    expect((await foldUntil(store, projection, { until: endOf('2024-02-01'), clock: 'occurred' })).get('a')).toMatchObject({ count: 1, total: 10 })
    expect((await foldUntil(store, projection, { until: endOf('2024-02-01'), clock: 'recorded' })).size).toBe(0)

    // once it is recorded both clocks agree
    const laterHappened = await foldUntil(store, projection, { until: endOf('2024-06-01'), clock: 'occurred' })
    const laterKnown = await foldUntil(store, projection, { until: endOf('2024-06-01'), clock: 'recorded' })
    expect(laterKnown).toEqual(laterHappened)
    // business time stays the default clock of a date cut
    expect(await foldUntil(store, projection, { until: endOf('2024-03-31') })).toEqual(happened)
  })

  test('"as it happened" keeps log order: a backdated event is folded after what was recorded before it', async () => {
    const store = newStore()
    // the rate changes in March; a count that happened in January is recorded in June
    await record(store, 'settings-program', { type: 'RateSet', rate: 3 }, '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z')
    await record(store, 'partner-a', { type: 'Counted', partnerId: 'a', amount: 10 }, '2024-01-15T00:00:00.000Z', '2024-06-01T00:00:00.000Z')
    const projection = countingProjection('clocks')
    // as of April, as it happened: both events, folded in log order, so the count sees the March rate
    expect((await foldUntil(store, projection, { until: endOf('2024-04-01'), clock: 'occurred' })).get('a')).toEqual({ count: 1, total: 10, weighted: 30 })
    // as of February, as it happened: the count alone (the rate had not changed yet)
    expect((await foldUntil(store, projection, { until: endOf('2024-02-01'), clock: 'occurred' })).get('a')).toEqual({ count: 1, total: 10, weighted: 10 })
    // as of April, as the vendor knew it: the rate only
    const known = await foldUntil(store, projection, { until: endOf('2024-04-01'), clock: 'recorded' })
    expect(known.get('a')).toBeUndefined()
    expect(known.get('settings')).toMatchObject({ rate: 3 })
  })
})
