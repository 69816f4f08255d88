// A projection that cannot get past an event stops there, loudly (decision 010): run once per SQL backend.
import { beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { comparePositions, type EventStore, type Position } from '../../eventstore/types.ts'
import {
  readCheckpoint,
  readDocuments,
  readFailures,
  type Projection,
  verifyProjection,
} from '../../projections/index.ts'
import {
  appendAll,
  collectingLogger,
  countingProjection,
  eventually,
  expectedTallies,
  generateHistory,
  newStore,
  toNewEvent,
  uniqueName,
  type Spec,
  type Tally,
  type TestEvent,
  useRunners,
} from './runner-fixtures.ts'

/** The counting projection, except that its evolve throws on a Counted event of `poisoned` while `broken` says so. */
function throwingProjection(name: string, poisoned: string, broken: { on: boolean }): Projection<Tally, TestEvent> {
  const inner = countingProjection(name)
  return {
    ...inner,
    evolve(state, event, shared) {
      if (broken.on && event.type === 'Counted' && event.data.partnerId === poisoned) throw new Error(`cannot count ${poisoned}`)
      return inner.evolve(state, event, shared)
    },
  }
}

/** Per partner a label copied from its events: text PostgreSQL cannot store in JSONB reaches the document for `poisoned`. */
export function nulProjection(name: string, poisoned: string): Projection<{ count: number; label: string }, TestEvent> {
  return {
    name,
    version: 1,
    handles: ['Counted'],
    keysOf: (event) => (event.type === 'Counted' ? [event.data.partnerId] : []),
    initialState: () => ({ count: 0, label: '' }),
    evolve(state, event) {
      if (event.type !== 'Counted') return state
      return { count: state.count + 1, label: event.data.partnerId === poisoned ? 'Maria\u0000Jensen' : event.data.partnerId }
    },
  }
}

async function appendOne(store: EventStore, spec: Spec): Promise<{ id: string; position: Position }> {
  const event = toNewEvent(spec)
  const { position } = await store.appendToStream(`partner-${spec.type === 'Counted' ? spec.partnerId : 'x'}`, [event])
  return { id: event.id, position }
}

export function defineRunnerFailureSuite(label: string, openDriver: () => Promise<{ driver: SqlDriver; close(): Promise<void> }>) {
  describe(`projection runner: failed events (${label})`, () => {
    const runners = useRunners(openDriver)
    const runner = runners.runner
    // the suite's tests read the open driver by this name
    let driver: SqlDriver
    beforeAll(() => {
      driver = runners.driver()
    })

    test('an evolve that throws stops its projection on that event, named everywhere; the others and waitFor go on; a fix resumes it', async () => {
      const store = newStore()
      const [broken, healthy] = [uniqueName('broken'), uniqueName('healthy')]
      const before = generateHistory(300, 10, 81)
      const after = generateHistory(200, 10, 82)
      await appendAll(store, before)
      const poison = await appendOne(store, { type: 'Counted', partnerId: 'px', amount: 7 })
      const last = await appendAll(store, after)
      const all: Spec[] = [...before, { type: 'Counted', partnerId: 'px', amount: 7 }, ...after]
      const fault = { on: true }
      const logger = collectingLogger()
      const r1 = runner({ store, projections: [throwingProjection(broken, 'px', fault), countingProjection(healthy)], batchSize: 100, logger })
      await r1.start()

      // waitFor does not wait for the stopped projection (it would time out: it never gets there)
      await r1.waitFor(last!, 5000)
      expect(await readDocuments<Tally>(driver, healthy)).toEqual(expectedTallies(all))
      await eventually(() => r1.status()[0]!.state === 'halted', 5000, 'the stop')
      const failure = r1.status()[0]!.failure
      expect(failure).toMatchObject({
        projection: broken, version: 1, position: poison.position, eventId: poison.id, eventType: 'Counted', streamId: 'partner-px',
      })
      expect(failure!.error).toContain('cannot count px')
      expect(r1.status()[1]).toMatchObject({ name: healthy, state: 'live' })
      expect(r1.status()[1]!.failure).toBeUndefined()
      expect(logger.errors.join('\n')).toContain(poison.id)
      // its rows are as of its last batch before the event, and consistent with it
      const checkpoint = await readCheckpoint(driver, broken, 1)
      expect(comparePositions(checkpoint!.position, poison.position)).toBeLessThan(0)
      expect((await verifyProjection(store, driver, countingProjection(broken))).differences).toEqual([])
      // recorded for other processes and for verify (just after the state changes)
      await eventually(async () => (await readFailures(driver, [broken])).length > 0, 5000, 'the record')
      expect(await readFailures(driver, [broken])).toEqual([expect.objectContaining({ eventId: poison.id, streamId: 'partner-px', error: failure!.error })])
      // stopped, not retried in a loop
      const evolveErrors = logger.errors.length
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(logger.errors.length).toBe(evolveErrors)
      await r1.stop()

      // a restart tries again, and stops again on the same event
      const r2 = runner({ store, projections: [throwingProjection(broken, 'px', fault), countingProjection(healthy)], batchSize: 100 })
      await r2.start()
      await eventually(() => r2.status()[0]!.state === 'halted', 5000, 'the stop after a restart')
      expect(r2.status()[0]!.failure).toMatchObject({ eventId: poison.id })
      await r2.stop()

      // fixed code gets past it: the record is cleared and the rows are complete
      fault.on = false
      const r3 = runner({ store, projections: [throwingProjection(broken, 'px', fault), countingProjection(healthy)], batchSize: 100 })
      await r3.start()
      await eventually(() => r3.status()[0]!.state === 'live', 10_000, 'the fixed projection live')
      await r3.waitFor(last!, 10_000)
      expect(await readDocuments<Tally>(driver, broken)).toEqual(expectedTallies(all))
      expect(await readFailures(driver, [broken])).toEqual([])
      expect(r3.status()[0]!.failure).toBeUndefined()
    })

    test('a document the database cannot store (\\u0000 in text) stops its projection on the event that wrote it', async () => {
      const store = newStore()
      const name = uniqueName('nul')
      const before = generateHistory(250, 10, 91)
      await appendAll(store, before)
      const poison = await appendOne(store, { type: 'Counted', partnerId: 'pz', amount: 1 })
      const last = await appendAll(store, generateHistory(250, 10, 92))
      // one batch holds the event and hundreds around it: the runner still finds the one event
      const r = runner({ store, projections: [nulProjection(name, 'pz')], batchSize: 1000 })
      await r.start()
      await eventually(() => r.status()[0]!.state === 'halted', 10_000, 'the stop')
      await r.waitFor(last!, 5000)
      const failure = r.status()[0]!.failure!
      expect(failure).toMatchObject({ projection: name, position: poison.position, eventId: poison.id, eventType: 'Counted', streamId: 'partner-pz' })
      expect(failure.error).toMatch(/unicode|\\u0000|0x00/i)
      await eventually(async () => (await readFailures(driver, [name])).length === 1, 5000, 'the record')
    })
  })
}
