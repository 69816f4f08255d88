// Feeds projections from the event store into their SQL documents: batches, checkpoints in the same transaction, versioned rebuilds, one owner per projection.
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import type { EventStore, Position, RecordedEvent, Subscription } from '../eventstore/types.ts'
import { START, comparePositions } from '../eventstore/types.ts'
import type { AnyProjection } from './projection.ts'
import { applyEvent, keysFor } from './projection.ts'
import type { Checkpoint, DocumentWrite } from './store.ts'
import {
  beginBuild,
  ensureCheckpoint,
  loadDocuments,
  migrateProjections,
  moveCheckpoint,
  readCheckpoint,
  readCheckpoints,
  swapIn,
  writeDocuments,
} from './store.ts'

// the composition root imports these from here
export { migrateProjections } from './store.ts'
export { activeVersion, readDocument, readDocuments } from './store.ts'

export type ProjectionLogger = {
  info(message: string, details?: Record<string, unknown>): void
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
}

/**
 * A dedicated connection that holds session-level advisory locks (node-postgres PoolClient fits).
 * `release(true)` destroys it; `on('error')` reports a dead connection.
 */
export type LockConnection = {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  release(destroy?: boolean | Error): void
  on?(event: 'error', listener: (error: Error) => void): unknown
}

export type ProjectionRunnerOptions = {
  store: EventStore
  driver: SqlDriver
  projections: readonly AnyProjection[]
  /** most events folded per SQL transaction; default 500 */
  batchSize?: number
  /** default: console */
  logger?: ProjectionLogger
  /** how often a runner without a projection's lock tries again, and how often a held lock's connection is checked; default 2000 ms */
  lockRetryMs?: number
  /** first pause after a failed batch, doubled per consecutive failure up to 30 s; default 1000 ms */
  retryDelayMs?: number
  /**
   * Where the advisory locks are held when driver.kind is 'pg'. Default: one client checked out of the driver's
   * `pool` (the node-postgres driver has one) and kept for the runner's life.
   */
  lockConnection?: () => Promise<LockConnection>
}

export type ProjectionState =
  | 'stopped'
  | 'starting'
  /** another process holds the projection's advisory lock; retried every lockRetryMs */
  | 'waiting-for-lock'
  | 'catching-up'
  /** a new version is being rebuilt from 0 while readers still see the old one */
  | 'building'
  | 'live'
  /** the last batch failed; retried after a pause */
  | 'failed'

export type ProjectionStatus = {
  name: string
  /** the version in code (the one this runner maintains or builds) */
  version: number
  state: ProjectionState
  /** last position this runner committed for `version` (START when it has not run) */
  position: Position
  /** milliseconds between now and when the last processed event was recorded, while catching up; 0 when caught up */
  lag: number
  error?: string
}

export type ProjectionRunner = {
  /** creates the tables if needed, then runs every projection in the background */
  start(): Promise<void>
  /** stops after the batch in flight, releases the locks */
  stop(): Promise<void>
  /**
   * Resolves when the active version of every projection has processed `position` (as read from this runner or,
   * for projections another process owns, from projection_checkpoints). Projections being rebuilt are skipped:
   * readers see their frozen old version until the swap whatever we wait for. Rejects with ProjectionWaitTimeout.
   */
  waitFor(position: Position, timeoutMs?: number): Promise<void>
  status(): ProjectionStatus[]
}

export class ProjectionWaitTimeout extends Error {
  override readonly name = 'ProjectionWaitTimeout'
  constructor(
    readonly position: Position,
    readonly projections: readonly string[],
  ) {
    super(`Projections ${projections.join(', ')} did not reach position ${position.commit}/${position.prepare} in time`)
  }
}

const consoleLogger: ProjectionLogger = {
  info: (message, details) => console.info(`[projections] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[projections] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[projections] ${message}`, details ?? ''),
}

const IDLE = Symbol('idle')
const ABORTED = Symbol('aborted')

/** Resolves with the promise's value if it is already settled (or settles within this turn), else IDLE. */
function raceImmediate<T>(promise: Promise<T>): Promise<T | typeof IDLE> {
  return Promise.race([promise, new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)))])
}

function sleep(ms: number, interrupt: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), interrupt.then(() => undefined)]).finally(() =>
    clearTimeout(timer),
  )
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

// ---- advisory locks -------------------------------------------------------------------------------------------

/** First key of the two-int advisory lock: 'Proj', so that our locks do not collide with other users of int locks. */
const LOCK_NAMESPACE = 0x50726f6a

/**
 * Second key of a projection's advisory lock: FNV-1a of `schema.name` as a signed 32-bit int (stable across processes
 * and versions, unlike hashtext). The schema is part of it because advisory locks are per database, not per schema.
 */
export function projectionLockKey(name: string, schema = 'public'): number {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(`${schema}.${name}`)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}

class AdvisoryLocks {
  private connection: LockConnection | undefined
  private connecting: Promise<LockConnection> | undefined
  private schema = 'public'
  private readonly held = new Set<string>()
  private heartbeat: NodeJS.Timeout | undefined

  constructor(
    private readonly connect: () => Promise<LockConnection>,
    private readonly intervalMs: number,
    private readonly onLost: (names: string[]) => void,
    private readonly logger: ProjectionLogger,
  ) {}

  private async getConnection(): Promise<LockConnection> {
    if (this.connection) return this.connection
    this.connecting ??= this.connect().then(
      async (raw) => {
        // one query at a time on the lock connection: every projection worker tries its lock concurrently, and
        // node-postgres deprecates queueing queries on a busy client
        let tail: Promise<unknown> = Promise.resolve()
        const connection: LockConnection = {
          query: (sql, params) => {
            const run = tail.then(() => raw.query(sql, params))
            tail = run.catch(() => undefined)
            return run
          },
          release: (destroy) => raw.release(destroy),
        }
        raw.on?.('error', (error) => this.lose(connection, error))
        try {
          const { rows } = await connection.query('select current_schema() as schema')
          this.schema = String(rows[0]?.schema ?? 'public')
        } catch (error) {
          connection.release(true)
          throw error
        }
        this.connection = connection
        this.connecting = undefined
        return connection
      },
      (error: unknown) => {
        this.connecting = undefined
        throw error
      },
    )
    return this.connecting
  }

  /** The connection died: every lock on it is gone, and the workers holding them must stop writing. */
  private lose(connection: LockConnection, error: unknown): void {
    if (this.connection !== connection) return
    this.connection = undefined
    const names = [...this.held]
    this.held.clear()
    this.stopHeartbeat()
    try {
      connection.release(true)
    } catch {
      // already released
    }
    if (names.length > 0) {
      this.logger.warn('lost the advisory lock connection', { projections: names, error: describe(error) })
      this.onLost(names)
    }
  }

  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true
    const connection = await this.getConnection()
    try {
      const { rows } = await connection.query('select pg_try_advisory_lock($1::int, $2::int) as ok', [LOCK_NAMESPACE, projectionLockKey(name, this.schema)])
      if (rows[0]?.ok !== true) return false
    } catch (error) {
      this.lose(connection, error)
      throw error
    }
    this.held.add(name)
    this.startHeartbeat()
    return true
  }

  async release(name: string): Promise<void> {
    if (!this.held.delete(name)) return
    const connection = this.connection
    if (!connection) return
    try {
      await connection.query('select pg_advisory_unlock($1::int, $2::int)', [LOCK_NAMESPACE, projectionLockKey(name, this.schema)])
    } catch (error) {
      this.lose(connection, error)
    }
  }

  async close(): Promise<void> {
    this.stopHeartbeat()
    const connection = this.connection
    this.connection = undefined
    this.held.clear()
    if (!connection) return
    // destroying the session releases every lock it holds
    try {
      connection.release(true)
    } catch {
      // already released
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return
    this.heartbeat = setInterval(() => {
      const connection = this.connection
      if (!connection || this.held.size === 0) return
      connection.query('select 1').catch((error: unknown) => this.lose(connection, error))
    }, this.intervalMs)
    this.heartbeat.unref()
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat)
    this.heartbeat = undefined
  }
}

function defaultLockConnection(driver: SqlDriver): () => Promise<LockConnection> {
  const pool = (driver as SqlDriver & { pool?: { connect(): Promise<LockConnection> } }).pool
  if (!pool || typeof pool.connect !== 'function') {
    throw new Error("The 'pg' driver has no pool to hold advisory locks on: pass lockConnection to createProjectionRunner")
  }
  return () => pool.connect()
}

// ---- one projection ------------------------------------------------------------------------------------------------

type RunnerContext = {
  store: EventStore
  driver: SqlDriver
  batchSize: number
  logger: ProjectionLogger
  lockRetryMs: number
  retryDelayMs: number
  locks: AdvisoryLocks | undefined
  stopped: Promise<void>
  isStopped(): boolean
  progressed(): void
}

class ProjectionWorker {
  state: ProjectionState = 'stopped'
  /** committed position of the version being worked on */
  position: Position = START
  /** committed position of the active version, when this worker is the one advancing it */
  activePosition: Position | undefined
  building = false
  lag = 0
  error: string | undefined
  private ownsLock = false
  private aborted = false
  private abortSignal: Promise<typeof ABORTED> = new Promise(() => {})
  private abortNow: () => void = () => {}
  private subscription: Subscription | undefined
  private loop: Promise<void> | undefined

  constructor(
    readonly projection: AnyProjection,
    private readonly ctx: RunnerContext,
  ) {}

  get name(): string {
    return this.projection.name
  }

  /** True when this worker maintains the active version right now (so activePosition is current). */
  get maintainsActive(): boolean {
    return (this.ownsLock || !this.ctx.locks) && !this.building && this.activePosition !== undefined
  }

  start(): void {
    this.loop ??= this.run().finally(() => {
      this.loop = undefined
    })
  }

  async join(): Promise<void> {
    await this.loop
  }

  /** Stops the current subscription (lock lost, or runner stopping); the loop then decides what to do. */
  abort(): void {
    this.abortNow()
    void this.subscription?.unsubscribe().catch(() => {})
  }

  lockLost(): void {
    this.ownsLock = false
    this.activePosition = undefined
    this.building = false
    this.abort()
  }

  private resetAbort(): void {
    this.aborted = false
    this.abortSignal = new Promise((resolve) => {
      this.abortNow = () => {
        this.aborted = true
        resolve(ABORTED)
      }
    })
  }

  private async run(): Promise<void> {
    const { locks, logger } = this.ctx
    let failures = 0
    while (!this.ctx.isStopped()) {
      this.resetAbort()
      if (locks && !this.ownsLock) {
        let acquired = false
        try {
          acquired = await locks.tryAcquire(this.name)
        } catch (error) {
          logger.warn('could not try the advisory lock', { projection: this.name, error: describe(error) })
        }
        if (!acquired) {
          this.state = 'waiting-for-lock'
          await sleep(this.ctx.lockRetryMs, this.ctx.stopped)
          continue
        }
        this.ownsLock = true
        if (this.ctx.isStopped()) break
      }
      try {
        const ended = await this.follow()
        failures = 0
        this.error = undefined
        // the subscription ended without being asked to: do not spin
        if (ended && !this.aborted && !this.ctx.isStopped()) await sleep(this.ctx.retryDelayMs, this.ctx.stopped)
      } catch (error) {
        if (this.ctx.isStopped() || this.aborted) continue
        failures++
        this.state = 'failed'
        this.error = describe(error)
        this.activePosition = undefined
        const pause = Math.min(this.ctx.retryDelayMs * 2 ** (failures - 1), 30_000)
        logger.error('projection batch failed; retrying from the checkpoint', {
          projection: this.name,
          version: this.projection.version,
          error: this.error,
          retryInMs: pause,
        })
        await sleep(pause, this.ctx.stopped)
      }
    }
    if (locks && this.ownsLock) {
      this.ownsLock = false
      await locks.release(this.name)
    }
    this.activePosition = undefined
    this.building = false
    this.state = 'stopped'
  }

  /** Loads the checkpoint and decides between live maintenance and a background rebuild. */
  private async prepare(): Promise<{ checkpoint: Checkpoint; swapTarget: Position | undefined }> {
    const { driver } = this.ctx
    const { name, version } = this.projection
    const checkpoints = await readCheckpoints(driver, name)
    const active = checkpoints.find((c) => c.status === 'active')
    if (active?.version === version) return { checkpoint: active, swapTarget: undefined }
    if (!active) {
      // first run (or no readable version): nothing to keep readable, so the code's version is active at once
      const mine = checkpoints.find((c) => c.version === version)
      if (mine?.status === 'retired') await beginBuild(driver, name, version)
      if (mine) await swapIn(driver, name, version)
      else await ensureCheckpoint(driver, name, version, 'active')
      const checkpoint = await readCheckpoint(driver, name, version)
      if (!checkpoint) throw new Error(`Checkpoint of ${name} v${version} vanished`)
      return { checkpoint, swapTarget: undefined }
    }
    const checkpoint = await beginBuild(driver, name, version)
    this.ctx.logger.info('rebuilding projection in the background', { projection: name, from: active.version, to: version })
    return { checkpoint, swapTarget: active.position }
  }

  /** Follows the store until aborted; returns true when the subscription ended by itself. */
  private async follow(): Promise<boolean> {
    const { store, driver, batchSize, logger } = this.ctx
    this.state = 'starting'
    const { checkpoint, swapTarget } = await this.prepare()
    this.position = checkpoint.position
    this.building = swapTarget !== undefined
    this.activePosition = this.building ? undefined : checkpoint.position
    if (!this.building) this.ctx.progressed()
    this.state = this.building ? 'building' : 'catching-up'
    if (this.aborted) return false

    const subscription = store.subscribeToAll({ fromPosition: checkpoint.position })
    this.subscription = subscription
    if (this.aborted) void subscription.unsubscribe().catch(() => {})
    const iterator = subscription[Symbol.asyncIterator]()
    let pending: Promise<IteratorResult<RecordedEvent>> | undefined
    const next = () => (pending ??= iterator.next())
    try {
      while (!this.aborted) {
        const batch: RecordedEvent[] = []
        let ended = false
        while (batch.length < batchSize) {
          const result = await raceImmediate(next())
          if (result === IDLE) break
          pending = undefined
          if (result.done) {
            ended = true
            break
          }
          batch.push(result.value)
        }
        if (batch.length > 0 && !this.aborted) await this.processBatch(batch)
        if (ended) return !this.aborted
        if (this.aborted) return false
        if (batch.length === batchSize) {
          this.lag = Math.max(0, Date.now() - batch[batch.length - 1]!.recordedAt.getTime())
          if (!this.building) this.state = 'catching-up'
          continue
        }
        // nothing more is ready: caught up with the store as it is now
        this.lag = 0
        if (swapTarget && this.building && comparePositions(this.position, swapTarget) >= 0) {
          await swapIn(driver, this.name, this.projection.version)
          this.building = false
          this.activePosition = this.position
          this.ctx.progressed()
          logger.info('swapped in rebuilt projection', { projection: this.name, version: this.projection.version })
        }
        this.state = this.building ? 'building' : 'live'
        const woke = await Promise.race([next(), this.abortSignal])
        if (woke === ABORTED) return false
      }
      return false
    } finally {
      this.subscription = undefined
      await subscription.unsubscribe().catch(() => {})
    }
  }

  /** Folds a batch and writes the touched documents and the checkpoint in one transaction. */
  private async processBatch(events: readonly RecordedEvent[]): Promise<void> {
    const { name, version } = this.projection
    const from = this.position
    const to = events[events.length - 1]!.position
    const keysPerEvent = events.map((event) => keysFor(this.projection, event))
    const needed = new Set<string>()
    for (const keys of keysPerEvent) for (const key of keys) needed.add(key)
    if (needed.size > 0) for (const key of this.projection.sharedKeys ?? []) needed.add(key)

    await this.ctx.driver.transaction(async (tx) => {
      // first, so that a runner which lost its lock is fenced off before it writes anything
      await moveCheckpoint(tx, name, version, from, to)
      if (needed.size === 0) return
      const docs = await loadDocuments(tx, name, version, [...needed])
      const touched = new Map<string, DocumentWrite>()
      events.forEach((event, index) => {
        const keys = keysPerEvent[index]!
        if (keys.length === 0) return
        for (const [key, state] of applyEvent(this.projection, docs, event, keys)) {
          docs.set(key, state)
          touched.set(key, { key, state, position: event.position })
        }
      })
      await writeDocuments(tx, name, version, [...touched.values()])
    })
    this.position = to
    if (!this.building) {
      this.activePosition = to
      this.ctx.progressed()
    }
  }

  status(): ProjectionStatus {
    return {
      name: this.name,
      version: this.projection.version,
      state: this.state,
      position: this.position,
      lag: this.lag,
      ...(this.error ? { error: this.error } : {}),
    }
  }
}

// ---- the runner ----------------------------------------------------------------------------------------------------

export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const names = new Set<string>()
  for (const projection of options.projections) {
    if (names.has(projection.name)) throw new Error(`Two projections are named ${projection.name}`)
    if (!Number.isInteger(projection.version)) throw new Error(`Projection ${projection.name}: version must be an integer`)
    names.add(projection.name)
  }
  const logger = options.logger ?? consoleLogger
  const lockRetryMs = options.lockRetryMs ?? 2000
  let stopped = true
  let signalStop: () => void = () => {}
  let stoppedPromise: Promise<void> = Promise.resolve()
  let waiters: (() => void)[] = []

  let workers: ProjectionWorker[] = []
  const context: RunnerContext = {
    store: options.store,
    driver: options.driver,
    batchSize: Math.max(1, options.batchSize ?? 500),
    logger,
    lockRetryMs,
    retryDelayMs: options.retryDelayMs ?? 1000,
    locks: undefined,
    get stopped() {
      return stoppedPromise
    },
    isStopped: () => stopped,
    progressed() {
      const woken = waiters
      waiters = []
      for (const wake of woken) wake()
    },
  }
  workers = options.projections.map((projection) => new ProjectionWorker(projection, context))

  /** Names of the projections whose active version has not reached `position` yet. */
  async function laggards(position: Position): Promise<string[]> {
    const behind: string[] = []
    const remote: ProjectionWorker[] = []
    for (const worker of workers) {
      if (worker.building) continue
      if (worker.maintainsActive && worker.activePosition) {
        if (comparePositions(worker.activePosition, position) < 0) behind.push(worker.name)
      } else remote.push(worker)
    }
    if (remote.length > 0) {
      const { rows } = await options.driver.query<{ projection: string; status: string; commit: string; prepare: string }>(
        `select projection, status, position_commit::text as commit, position_prepare::text as prepare
           from projection_checkpoints where projection = any($1::text[]) and status in ('active', 'building')`,
        [remote.map((worker) => worker.name)],
      )
      for (const worker of remote) {
        const mine = rows.filter((row) => row.projection === worker.name)
        const active = mine.find((row) => row.status === 'active')
        // being rebuilt elsewhere while readers see the old version: see waitFor
        if (active && mine.some((row) => row.status === 'building')) continue
        if (!active || comparePositions({ commit: BigInt(active.commit), prepare: BigInt(active.prepare) }, position) < 0) behind.push(worker.name)
      }
    }
    return behind
  }

  return {
    async start() {
      if (!stopped) return
      await migrateProjections(options.driver, options.projections)
      stopped = false
      stoppedPromise = new Promise((resolve) => (signalStop = resolve))
      if (options.driver.kind === 'pg') {
        const connect = options.lockConnection ?? defaultLockConnection(options.driver)
        context.locks = new AdvisoryLocks(
          connect,
          lockRetryMs,
          (lost) => {
            for (const worker of workers) if (lost.includes(worker.name)) worker.lockLost()
          },
          logger,
        )
      }
      for (const worker of workers) worker.start()
    },

    async stop() {
      if (stopped) return
      stopped = true
      signalStop()
      for (const worker of workers) worker.abort()
      await Promise.all(workers.map((worker) => worker.join()))
      await context.locks?.close()
      context.locks = undefined
      context.progressed()
    },

    async waitFor(position, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const behind = await laggards(position)
        if (behind.length === 0) return
        const remaining = deadline - Date.now()
        if (remaining <= 0) throw new ProjectionWaitTimeout(position, behind)
        // woken by local progress; polls the checkpoints for projections another process runs
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(remaining, 50))
          function done() {
            clearTimeout(timer)
            waiters = waiters.filter((waiter) => waiter !== done)
            resolve()
          }
          waiters.push(done)
        })
      }
    },

    status() {
      return workers.map((worker) => worker.status())
    },
  }
}
