// Test events, a counting projection, generated histories and driver/store wrappers shared by the runner suites.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { z } from 'zod'
import { createZodCodec } from '../../eventstore/codec.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { EventStore, NewEvent, Position, RecordedEvent, Subscription } from '../../eventstore/types.ts'
import type { Projection } from '../../projections/projection.ts'
import { createProjectionRunner, type ProjectionLogger, type ProjectionRunner, type ProjectionRunnerOptions } from '../../projections/runner.ts'

export const testCodec = createZodCodec({
  Counted: z.object({ partnerId: z.string(), amount: z.number() }),
  RateSet: z.object({ rate: z.number() }),
  Noted: z.object({ note: z.string() }),
})

export type TestEvent =
  | RecordedEvent<'Counted', { partnerId: string; amount: number }>
  | RecordedEvent<'RateSet', { rate: number }>
  | RecordedEvent<'Noted', { note: string }>

export function newStore() {
  return createMemoryEventStore({ codec: testCodec })
}

/** count/total per partner, `weighted` uses the shared 'settings' document that RateSet maintains */
export type Tally = { count: number; total: number; weighted: number; rate?: number }

let counter = 0
/** A fresh projection name per test, so that tests share one database without seeing each other's rows. */
export function uniqueName(prefix = 'counting'): string {
  counter++
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 7)}`
}

export function countingProjection(name: string, version = 1, options: { onEvolve?: () => void; factor?: number } = {}): Projection<Tally, TestEvent> {
  const factor = options.factor ?? 1
  return {
    name,
    version,
    handles: ['Counted', 'RateSet'],
    keysOf: (event) => (event.type === 'Counted' ? [event.data.partnerId] : event.type === 'RateSet' ? ['settings'] : []),
    sharedKeys: ['settings'],
    initialState: (key) => (key === 'settings' ? { count: 0, total: 0, weighted: 0, rate: 1 } : { count: 0, total: 0, weighted: 0 }),
    evolve(state, event, shared) {
      options.onEvolve?.()
      if (event.type === 'RateSet') return { ...state, count: state.count + 1, rate: event.data.rate }
      if (event.type !== 'Counted') return state
      const rate = (shared.settings as Tally).rate ?? 1
      return {
        count: state.count + factor,
        total: state.total + event.data.amount * factor,
        weighted: state.weighted + event.data.amount * rate,
      }
    },
  }
}

export type Spec = { type: 'Counted'; partnerId: string; amount: number } | { type: 'RateSet'; rate: number } | { type: 'Noted'; note: string }

/** Deterministic pseudo-random history: mostly Counted over `partners` partners, some RateSet and Noted. */
export function generateHistory(count: number, partners = 50, seed = 42): Spec[] {
  let x = seed >>> 0 || 1
  const random = () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x1_0000_0000
  }
  const specs: Spec[] = []
  for (let i = 0; i < count; i++) {
    const r = random()
    if (r < 0.03) specs.push({ type: 'RateSet', rate: 1 + Math.floor(random() * 4) })
    else if (r < 0.1) specs.push({ type: 'Noted', note: `n${i}` })
    else specs.push({ type: 'Counted', partnerId: `p${Math.floor(random() * partners)}`, amount: Math.floor(random() * 100) })
  }
  return specs
}

/** The expected documents, computed without the projection code. */
export function expectedTallies(specs: readonly Spec[]): Map<string, Tally> {
  const docs = new Map<string, Tally>()
  let rate = 1
  let rateSets = 0
  for (const spec of specs) {
    if (spec.type === 'RateSet') {
      rate = spec.rate
      rateSets++
      docs.set('settings', { count: rateSets, total: 0, weighted: 0, rate })
    } else if (spec.type === 'Counted') {
      const doc = docs.get(spec.partnerId) ?? { count: 0, total: 0, weighted: 0 }
      docs.set(spec.partnerId, { count: doc.count + 1, total: doc.total + spec.amount, weighted: doc.weighted + spec.amount * rate })
    }
  }
  return docs
}

const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z')

export function toNewEvent(spec: Spec, occurredAt = new Date(BASE_TIME).toISOString()): NewEvent {
  const { type, ...data } = spec
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { actor: 'user-1', tenant: 'vendor', occurredAt, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
  }
}

function streamOf(spec: Spec): string {
  return spec.type === 'Counted' ? `partner-${spec.partnerId}` : spec.type === 'RateSet' ? 'settings-program' : 'note-1'
}

/** Appends the specs one event per append (streams interleave); returns the position of the last one. */
export async function appendAll(store: EventStore, specs: readonly Spec[], occurredAt?: (index: number) => string): Promise<Position | undefined> {
  let last: Position | undefined
  for (const [index, spec] of specs.entries()) {
    const result = await store.appendToStream(streamOf(spec), [toNewEvent(spec, occurredAt?.(index))])
    last = result.position
  }
  return last
}

export function dayIso(index: number): string {
  return new Date(BASE_TIME + index * 86_400_000).toISOString()
}

export type CollectingLogger = ProjectionLogger & { errors: string[]; infos: string[] }
export function collectingLogger(): CollectingLogger {
  const errors: string[] = []
  const infos: string[] = []
  return {
    errors,
    infos,
    info: (message) => infos.push(message),
    warn: (message) => infos.push(message),
    error: (message, details) => errors.push(`${message} ${JSON.stringify(details ?? {})}`),
  }
}

export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** A driver whose transactions fail on a matching statement while `failing` is set (the statement has started: midway). */
export function faultyDriver(
  driver: SqlDriver,
  matches: (sql: string) => boolean,
  makeError: () => Error = () => new Error('injected failure'),
): SqlDriver & { failing: boolean; failures: number } {
  const wrapper = {
    failing: false,
    failures: 0,
    kind: driver.kind,
    query: driver.query.bind(driver),
    exec: driver.exec.bind(driver),
    listen: driver.listen.bind(driver),
    close: driver.close.bind(driver),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return driver.transaction((tx) =>
        fn({
          async query(sql, params) {
            if (wrapper.failing && matches(sql)) {
              wrapper.failures++
              throw makeError()
            }
            return tx.query(sql, params)
          },
        }),
      )
    },
  }
  if ('pool' in driver) Object.assign(wrapper, { pool: (driver as { pool: unknown }).pool })
  return wrapper as SqlDriver & { failing: boolean; failures: number }
}

/** A store whose subscriptions deliver `deliverFirst` events, then hold every further event until `release()`. */
export function gatedStore(store: EventStore, deliverFirst: number): EventStore & { release(): void } {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  return {
    appendToStream: store.appendToStream.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    close: store.close.bind(store),
    release,
    subscribeToAll(options) {
      const inner = store.subscribeToAll(options)
      let delivered = 0
      const iterator = inner[Symbol.asyncIterator]()
      const gated: Subscription = {
        unsubscribe: () => inner.unsubscribe(),
        [Symbol.asyncIterator]: () => ({
          async next() {
            if (delivered >= deliverFirst) await gate
            delivered++
            return iterator.next()
          },
        }),
      }
      return gated
    },
  }
}

/** A store that counts what its subscriptions deliver and how many are open (to see that projections share a reader). */
export function countingStore(store: EventStore): EventStore & { delivered: number; open: number; opened: number } {
  const counted = {
    delivered: 0,
    open: 0,
    opened: 0,
    appendToStream: store.appendToStream.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    close: store.close.bind(store),
    subscribeToAll(options?: Parameters<EventStore['subscribeToAll']>[0]): Subscription {
      const inner = store.subscribeToAll(options)
      counted.open++
      counted.opened++
      let closed = false
      const close = () => {
        if (!closed) counted.open--
        closed = true
      }
      const iterator = inner[Symbol.asyncIterator]()
      return {
        unsubscribe: async () => {
          close()
          await inner.unsubscribe()
        },
        [Symbol.asyncIterator]: () => ({
          async next() {
            const result = await iterator.next()
            if (result.done) close()
            else counted.delivered++
            return result
          },
        }),
      }
    },
  }
  return counted
}

/**
 * A store whose subscriptions from the start of the log deliver `deliverFirst` events, then hold every further
 * event until `release()`; subscriptions from anywhere else run freely (a rebuild held while live projections go on).
 */
export function gatedRebuildStore(store: EventStore, deliverFirst: number): EventStore & { release(): void } {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  return {
    appendToStream: store.appendToStream.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    close: store.close.bind(store),
    release,
    subscribeToAll(options) {
      const inner = store.subscribeToAll(options)
      const fromStart = !options?.fromPosition || options.fromPosition.commit < 0n
      if (!fromStart) return inner
      let delivered = 0
      let stop!: () => void
      const stopped = new Promise<void>((resolve) => (stop = resolve))
      const iterator = inner[Symbol.asyncIterator]()
      return {
        unsubscribe: () => {
          stop()
          return inner.unsubscribe()
        },
        [Symbol.asyncIterator]: () => ({
          async next() {
            if (delivered >= deliverFirst) await Promise.race([gate, stopped])
            delivered++
            return iterator.next()
          },
        }),
      }
    },
  }
}

export type Logged = { count: number; history: { amount: number; n: number }[] }

/** Per partner: a count, and every amount in an append-only log field (stored as rows by the runner). */
export function loggingProjection(name: string): Projection<Logged, TestEvent> {
  return {
    name,
    version: 1,
    handles: ['Counted'],
    keysOf: (event) => (event.type === 'Counted' ? [event.data.partnerId] : []),
    initialState: () => ({ count: 0, history: [] }),
    logs: ['history'],
    evolve(state, event) {
      if (event.type !== 'Counted') return state
      return { count: state.count + 1, history: [...state.history, { amount: event.data.amount, n: state.count + 1 }] }
    },
  }
}

/**
 * Inside a describe: opens the suite's driver before its tests and closes it after them, and makes runners (fast lease
 * retries, a collecting logger) that are stopped after each test. `driver()` is the open driver.
 */
export function useRunners(openDriver: () => Promise<{ driver: SqlDriver; close(): Promise<void> }>) {
  let opened: { driver: SqlDriver; close(): Promise<void> } | undefined
  const running: ProjectionRunner[] = []
  beforeAll(async () => {
    opened = await openDriver()
  })
  afterEach(async () => {
    await Promise.all(running.splice(0).map((runner) => runner.stop()))
  })
  afterAll(async () => {
    await opened?.close()
  })
  const driver = () => opened!.driver
  return {
    driver,
    runner(options: Partial<ProjectionRunnerOptions> & Pick<ProjectionRunnerOptions, 'store' | 'projections'>) {
      const created = createProjectionRunner({ driver: driver(), logger: collectingLogger(), lockRetryMs: 100, retryDelayMs: 50, ...options })
      running.push(created)
      return created
    },
  }
}
