// What a catch-up write holds (decision 036): a folded event is let go, a failed write's events are read again from
// the store to find the culprit, the read-ahead is bounded by bytes, and a write stops growing after catchUpMs.
import { beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore, Position, RecordedEvent } from '../../eventstore/types.ts'
import { readDocuments, readFailures } from '../../projections/index.ts'
import { ABSENT, Member, documentCache } from '../../projections/runner/member.ts'
import { Work } from '../../projections/runner/work.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { nulProjection } from './runner-failures-suite.ts'
import {
  appendAll,
  countingProjection,
  eventually,
  expectedTallies,
  generateHistory,
  loggingProjection,
  newStore,
  toNewEvent,
  uniqueName,
  type Spec,
  useRunners,
} from './runner-fixtures.ts'

/** Where the runner's transactions moved the checkpoints to (one per write tried, committed or not). */
function recordingWrites(driver: SqlDriver) {
  const to: bigint[] = []
  const recorded: SqlDriver = {
    kind: driver.kind, query: driver.query.bind(driver), exec: driver.exec.bind(driver), listen: driver.listen.bind(driver), close: driver.close.bind(driver),
    transaction: (fn) =>
      driver.transaction((tx) =>
        fn({
          query(sql, params, options) {
            if (sql.trimStart().startsWith('update projection_checkpoints c')) to.push(BigInt(params![5] as string))
            return tx.query(sql, params, options)
          },
        }),
      ),
  }
  return { recorded, to }
}

async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of store.readAll()) events.push(event)
  return events
}

const moves = (to: readonly bigint[]) => to.map((position, index) => position - (index === 0 ? 0n : to[index - 1]!))

describe('what a catch-up write holds (PGlite)', () => {
  const runners = useRunners(async () => {
    const driver = await freshPGliteDriver()
    return { driver, close: () => driver.close() }
  })
  let driver: SqlDriver
  beforeAll(() => {
    driver = runners.driver()
  })

  test('a write keeps no event once folded: only its documents, log entries and the count of events it took', async () => {
    const store = newStore()
    await appendAll(store, generateHistory(300, 10, 5))
    const events = await readAllEvents(store)
    const member = new Member(countingProjection(uniqueName()))
    member.cache = documentCache(100)
    const work = new Work(member, events.slice(0, 100))
    for (const key of work.misses()) work.loaded(key, ABSENT)
    work.fold()
    expect(work.pendingEvents).toEqual([])
    work.extend(events.slice(100, 200))
    work.extend(events.slice(200))
    expect(work.pendingEvents).toHaveLength(200)
    for (const key of work.misses()) work.loaded(key, ABSENT)
    work.fold()
    expect(work.pendingEvents).toEqual([])
    expect(work.eventCount).toBe(300)
    const tallies = expectedTallies(generateHistory(300, 10, 5))
    for (const [key, tally] of tallies) expect(work.touched.get(key)?.state).toEqual(tally)
  })

  test('the culprit of a write whose events were let go is found in the events read again from the store', async () => {
    const store = newStore()
    await appendAll(store, generateHistory(150, 10, 95))
    const poisonEvent = toNewEvent({ type: 'Counted', partnerId: 'pz', amount: 1 })
    const { position: poison } = await store.appendToStream('partner-pz', [poisonEvent])
    const last = (await appendAll(store, generateHistory(150, 10, 96)))!
    // and events after the write, which the search must not fold
    await appendAll(store, [{ type: 'Counted', partnerId: 'pz', amount: 2 }])
    const events = await readAllEvents(store)
    const member = new Member(nulProjection(uniqueName('nul'), 'pz'))
    member.cache = documentCache(100)
    // three read batches folded one after the other, the poisoned event in the second
    const work = new Work(member, events.slice(0, 100))
    for (let start = 0; start < 301; start += 100) {
      if (start > 0) work.extend(events.slice(start, Math.min(start + 100, 301)))
      for (const key of work.misses()) work.loaded(key, ABSENT)
      work.fold()
    }
    expect(work.pendingEvents).toEqual([])
    expect(work.eventCount).toBe(301)
    const found = await work.culprit(driver, store.readAll({ fromPosition: work.from }), last)
    expect(found?.event.id).toBe(poisonEvent.id)
    expect(found?.event.position).toEqual(poison)
    // a write without it finds none
    const clean = new Work(member, events.slice(0, 100))
    for (const key of clean.misses()) clean.loaded(key, ABSENT)
    clean.fold()
    expect(await clean.culprit(driver, store.readAll({ fromPosition: clean.from }), events[99]!.position)).toBeUndefined()
  })

  test('a document the database cannot store, in a write of several read batches, stops its projection on the event that wrote it', async () => {
    const store = newStore()
    const name = uniqueName('nul')
    await appendAll(store, generateHistory(250, 10, 93))
    const poisonEvent = toNewEvent({ type: 'Counted', partnerId: 'pz', amount: 1 })
    const { position: poison } = await store.appendToStream('partner-pz', [poisonEvent])
    const last = await appendAll(store, generateHistory(700, 10, 94))
    const { recorded, to } = recordingWrites(driver)
    // far behind from the first batch, writes of up to 10 read batches of 100 that grow for as long as they need
    const r = runners.runner({ store, driver: recorded, projections: [nulProjection(name, 'pz')], batchSize: 100, catchUpEvents: 1000, catchUpMs: 60_000, catchUpAgeMs: 0 })
    await r.start()
    await eventually(() => r.status()[0]!.state === 'halted', 10_000, 'the stop')
    await r.waitFor(last!, 5000)
    const failure = r.status()[0]!.failure!
    expect(failure).toMatchObject({ projection: name, position: poison, eventId: poisonEvent.id, eventType: 'Counted', streamId: 'partner-pz' })
    expect(failure.error).toMatch(/unicode|\\u0000|0x00/i)
    // writes took several read batches (how many depends on how fast the reader fills them)
    expect(moves(to).some((events) => events > 100n)).toBe(true)
    await eventually(async () => (await readFailures(driver, [name])).length === 1, 5000, 'the record')
  })

  test('a read-ahead bounded to a few events at a time still brings every projection to the head, with the same documents and logs', async () => {
    const store = newStore()
    const specs: Spec[] = generateHistory(1200, 20, 14)
    const last = await appendAll(store, specs)
    const [counting, logging] = [uniqueName(), uniqueName('logging')]
    const r = runners.runner({ store, projections: [countingProjection(counting), loggingProjection(logging)], batchSize: 100, catchUpEvents: 1000, catchUpAgeMs: 0, readAheadBytes: 20_000 })
    await r.start()
    await r.waitFor(last!, 20_000)
    expect(await readDocuments(driver, counting)).toEqual(expectedTallies(specs))
    const logged = await readDocuments<{ count: number }>(driver, logging)
    const counted = await readDocuments<{ count: number }>(driver, counting)
    for (const [key, tally] of counted) if (key !== 'settings') expect(logged.get(key)?.count).toBe(tally.count)
  })

  test('far behind, a write stops taking read batches after catchUpMs of folding, even while the write before runs', async () => {
    const store = newStore()
    const specs = generateHistory(1500, 20, 15)
    const last: Position | undefined = await appendAll(store, specs)
    const name = uniqueName()
    const { recorded, to } = recordingWrites(driver)
    // no time to grow: every write is one read batch, however many are read ahead
    const r = runners.runner({ store, driver: recorded, projections: [countingProjection(name)], batchSize: 100, catchUpEvents: 1000, catchUpMs: 0, catchUpAgeMs: 0 })
    await r.start()
    await r.waitFor(last!, 20_000)
    expect(await readDocuments(driver, name)).toEqual(expectedTallies(specs))
    expect(moves(to).every((events) => events <= 100n)).toBe(true)
  })
})
