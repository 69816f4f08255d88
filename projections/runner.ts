// Feeds projections from the event store into their SQL documents: one reader of the log shared by the projections at the same place, each batch's rows, log entries and checkpoints of every projection in one transaction, versioned rebuilds, one owner per projection.
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import type { EventStore, Position, RecordedEvent, Subscription } from '../eventstore/types.ts'
import { START, comparePositions } from '../eventstore/types.ts'
import type { AnyProjection } from './projection.ts'
import { applyEvent, keysFor, takeLogEntries } from './projection.ts'
import type { Checkpoint, DocumentRef, DocumentWrite, LogEntryWrite, VersionedDocumentWrite } from './store.ts'
import {
  CheckpointMoved,
  appendLogEntries,
  beginBuild,
  ensureCheckpoint,
  loadDocumentsOf,
  migrateProjections,
  moveCheckpoints,
  readCheckpoint,
  readCheckpointsOf,
  swapIn,
  writeDocumentsOf,
} from './store.ts'

// the composition root imports these from here
export { migrateProjections } from './store.ts'
export { activeVersion, readDocument, readDocuments, readLog } from './store.ts'

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
  /**
   * most events folded per SQL transaction (for every projection of a reader together); default 5,000. Catching up,
   * a big batch writes a document touched by many of its events once; live, a batch holds what has just arrived.
   */
  batchSize?: number
  /** documents each projection keeps in memory between batches (the most recently written); default 10,000 */
  cacheSize?: number
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

  /** Tries every lock not held yet in one round trip; returns the names held afterwards. */
  async tryAcquireMany(names: readonly string[]): Promise<Set<string>> {
    const wanted = names.filter((name) => !this.held.has(name))
    const out = new Set(names.filter((name) => this.held.has(name)))
    if (wanted.length === 0) return out
    const connection = await this.getConnection()
    const keys = wanted.map((name) => projectionLockKey(name, this.schema))
    let rows: Record<string, unknown>[]
    try {
      ;({ rows } = await connection.query(
        'select x.i, pg_try_advisory_lock($1::int, x.k) as ok from unnest($2::int[]) with ordinality as x(k, i)',
        [LOCK_NAMESPACE, keys],
      ))
    } catch (error) {
      this.lose(connection, error)
      throw error
    }
    for (const row of rows) {
      if (row.ok !== true) continue
      const name = wanted[Number(row.i) - 1]!
      this.held.add(name)
      out.add(name)
    }
    if (this.held.size > 0) this.startHeartbeat()
    return out
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

const ABSENT = Symbol('absent')

/**
 * The documents of one projection version as this runner last committed them (or loaded them), most recently written
 * last; the oldest are forgotten beyond `limit`. Only valid while the runner owns the projection without a break: a
 * member gets a new one each time it is attached.
 */
class DocumentCache {
  private readonly docs = new Map<string, unknown>()
  constructor(private readonly limit: number) {}
  has(key: string): boolean {
    return this.docs.has(key)
  }
  /** ABSENT when the key is known to have no document */
  get(key: string): unknown {
    return this.docs.get(key)
  }
  set(key: string, state: unknown): void {
    this.docs.delete(key)
    this.docs.set(key, state)
    if (this.docs.size > this.limit) {
      for (const oldest of this.docs.keys()) {
        this.docs.delete(oldest)
        if (this.docs.size <= this.limit) break
      }
    }
  }
}

/** One projection as this runner maintains it. */
class Member {
  state: ProjectionState = 'stopped'
  /** committed position of the version being worked on */
  position: Position = START
  /** committed position of the active version, when this runner is the one advancing it */
  activePosition: Position | undefined
  building = false
  /** a rebuild is swapped in once it is at the head of the log and at or past the old version's position */
  swapTarget: Position | undefined
  lag = 0
  error: string | undefined
  ownsLock = false
  failures = 0
  /** not attached again before this time (after a failure) */
  retryAt = 0
  lane: Lane | undefined
  /** changes with every attachment, so that a batch that outlived one does not touch the next */
  attachment = 0
  cache: DocumentCache | undefined
  /** documents of the batch folded last, until its transaction commits (the next batch folds on top of them) */
  inflight: Map<string, DocumentWrite> | undefined

  constructor(readonly projection: AnyProjection) {}

  get name(): string {
    return this.projection.name
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

/** What one batch does to one projection: the events after its checkpoint folded into its documents and log entries. */
class Work {
  /** the checkpoint this batch moves from: set when it is written, after the batch before it committed */
  from: Position = START
  readonly attachment: number
  readonly touched = new Map<string, DocumentWrite>()
  readonly logEntries: LogEntryWrite[] = []
  private keysPerEvent: string[][] = []

  constructor(
    readonly member: Member,
    readonly events: readonly RecordedEvent[],
  ) {
    this.attachment = member.attachment
  }

  /**
   * The documents this batch folds on, taken when they are known: from the batch in flight or the cache when misses()
   * runs, from the database for the misses. Taken then, not read at fold time: while the misses load, the batch in
   * flight may commit (its documents go to the cache and it stops being in flight) and the cache may drop its oldest
   * entries, among them documents this batch needs (a deal's state was lost that way at 1M events).
   */
  private readonly base = new Map<string, unknown>()

  /** Keys the fold reads (the events' keys and, when any, the shared keys) that neither the cache nor the batch in flight knows. */
  misses(): string[] {
    const { projection, cache, inflight } = this.member
    const needed = new Set<string>()
    this.keysPerEvent = this.events.map((event) => keysFor(projection, event))
    for (const keys of this.keysPerEvent) for (const key of keys) needed.add(key)
    if (needed.size > 0) for (const key of projection.sharedKeys ?? []) needed.add(key)
    const missing: string[] = []
    for (const key of needed) {
      const folded = inflight?.get(key)
      if (folded) this.base.set(key, folded.state)
      else if (cache?.has(key)) this.base.set(key, cache.get(key))
      else missing.push(key)
    }
    return missing
  }

  /** A missed document as loaded (ABSENT: it has none). */
  loaded(key: string, state: unknown): void {
    this.base.set(key, state)
  }

  /** Folds on top of the documents taken by misses() and loaded(); the fold's documents become the batch in flight. */
  fold(): void {
    const { projection } = this.member
    const { base, touched } = this
    const source = {
      has: (key: string) => touched.has(key) || (base.has(key) && base.get(key) !== ABSENT),
      get: (key: string) => {
        const folded = touched.get(key)
        return folded ? folded.state : base.get(key)
      },
    }
    const logs = projection.logs ?? []
    this.events.forEach((event, index) => {
      const keys = this.keysPerEvent[index]!
      if (keys.length === 0) return
      for (const [key, next] of applyEvent(projection, source, event, keys)) {
        const state = logs.length === 0 ? next : takeLogEntries(logs, next, (field, entry, idx) =>
          this.logEntries.push({ projection: projection.name, version: projection.version, key, field, position: event.position, idx, entry }),
        )
        touched.set(key, { key, state, position: event.position })
      }
    })
    this.member.inflight = touched
  }
}

// ---- a lane: one reader of the log, shared by the projections at its place ---------------------------------------

/** A wake-up for one waiter; a notification while nobody waits is kept for the next wait. */
class Signal {
  private waiter: (() => void) | undefined
  private pending = false
  notify(): void {
    const waiter = this.waiter
    if (waiter) {
      this.waiter = undefined
      waiter()
    } else this.pending = true
  }
  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false
      return Promise.resolve()
    }
    return new Promise((resolve) => (this.waiter = resolve))
  }
}

/**
 * Reads the log once for every projection it carries and commits each batch for all of them in one transaction; a
 * projection skips the events at or before its own checkpoint. Projections that stand at another place in the log (a
 * rebuild from 0, one taken over from another process) get a lane of their own; two lanes that have processed exactly
 * the same events and wait at the head of the log become one.
 *
 * The lane reads ahead while a batch is being written, so that a batch catching up takes everything read meanwhile
 * (up to batchSize) and a live batch whatever has just arrived.
 */
class Lane {
  readonly members = new Set<Member>()
  private joining: Member[] = []
  /** read, not processed yet */
  private readonly buffer: RecordedEvent[] = []
  private ended = false
  private readonly work = new Signal()
  private readonly space = new Signal()
  /** waiting at the head of the log for new events, nothing in flight */
  idle = false
  closed = false
  private subscription: Subscription | undefined
  private loop: Promise<void> | undefined

  constructor(
    private readonly core: RunnerCore,
    public cursor: Position,
  ) {}

  start(): void {
    this.loop ??= this.run()
      .catch((error: unknown) => this.core.laneCrashed(this, error))
      .finally(() => {
        this.closed = true
        this.core.laneClosed(this)
      })
  }

  async join(): Promise<void> {
    await this.loop
  }

  add(member: Member): void {
    member.lane = this
    this.joining.push(member)
    this.work.notify()
  }

  remove(member: Member): void {
    if (member.lane === this) member.lane = undefined
    this.members.delete(member)
    this.joining = this.joining.filter((m) => m !== member)
    this.work.notify()
  }

  close(): void {
    this.closed = true
    this.work.notify()
    this.space.notify()
    void this.subscription?.unsubscribe().catch(() => {})
  }

  /** Between batches: takes in the projections that asked to join. */
  private admit(): void {
    for (const member of this.joining.splice(0)) {
      if (member.lane !== this) continue
      if (comparePositions(member.position, this.cursor) >= 0) this.members.add(member)
      // the lane read past the member's checkpoint in the meantime: it catches up on a lane of its own
      else this.core.attachBehind([member])
    }
  }

  /** Hands every projection over (to a lane at the same place) and closes. */
  private takeAll(): Member[] {
    const all = [...this.members, ...this.joining.filter((m) => m.lane === this)]
    this.members.clear()
    this.joining = []
    this.close()
    return all
  }

  /** Lanes that wait at exactly this lane's place become part of it. */
  private absorb(): void {
    for (const other of this.core.lanes) {
      if (other === this || other.closed || !other.idle || comparePositions(other.cursor, this.cursor) !== 0) continue
      const members = other.takeAll()
      for (const member of members) this.add(member)
      if (members.length > 0) this.core.logger.info('projections caught up and share a reader again', { projections: members.map((m) => m.name) })
    }
  }

  private async read(iterator: AsyncIterator<RecordedEvent>): Promise<void> {
    const limit = 2 * this.core.batchSize
    try {
      while (!this.closed) {
        if (this.buffer.length >= limit) {
          await this.space.wait()
          continue
        }
        const result = await iterator.next()
        if (result.done) {
          this.ended = true
          break
        }
        this.buffer.push(result.value)
        this.work.notify()
      }
    } catch (error) {
      if (!this.closed) this.core.laneCrashed(this, error)
      this.ended = true
    } finally {
      this.work.notify()
    }
  }

  private async run(): Promise<void> {
    const { batchSize } = this.core
    const subscription = this.core.store.subscribeToAll({ fromPosition: this.cursor })
    this.subscription = subscription
    if (this.closed) void subscription.unsubscribe().catch(() => {})
    const reading = this.read(subscription[Symbol.asyncIterator]())
    // the transaction of the batch before: the next batch is loaded and folded while it runs
    let writing: Promise<void> = Promise.resolve()
    try {
      while (!this.closed) {
        this.admit()
        if (this.members.size === 0 && this.joining.length === 0) break
        if (this.buffer.length === 0 && !this.ended) {
          // nothing read and not processed: caught up with the store as it is now (or the next read is on its way)
          await writing
          if (this.closed) break
          await this.caughtUp()
          if (this.closed) break
          this.absorb()
          this.admit()
          this.idle = true
          await this.work.wait()
          this.idle = false
          // let everything that arrived together make one batch
          if (this.buffer.length > 0 && this.buffer.length < batchSize) await new Promise((resolve) => setImmediate(resolve))
          continue
        }
        const batch = this.buffer.splice(0, batchSize)
        this.space.notify()
        if (batch.length > 0) {
          const last = batch[batch.length - 1]!.position
          const folded = await this.core.prepareBatch(this.workFor(batch))
          await writing
          writing = this.core.write(folded, last)
          this.cursor = last
        }
        if (this.closed) break
        if (this.ended && this.buffer.length === 0) {
          await writing
          // the subscription ended without being asked to: the projections start again after a pause
          this.core.subscriptionEnded(this)
          break
        }
        if (this.buffer.length > 0) {
          const lag = Math.max(0, Date.now() - batch[batch.length - 1]!.recordedAt.getTime())
          for (const member of this.members) {
            member.lag = lag
            if (!member.building) member.state = 'catching-up'
          }
        }
      }
    } finally {
      this.closed = true
      this.space.notify()
      await writing
      this.subscription = undefined
      await subscription.unsubscribe().catch(() => {})
      // not awaited: a subscription that never answers its pending read must not keep stop() waiting
      void reading
    }
  }

  private async caughtUp(): Promise<void> {
    for (const member of [...this.members]) {
      member.lag = 0
      if (member.building && member.swapTarget && comparePositions(member.position, member.swapTarget) >= 0) {
        try {
          await this.core.swap(member)
        } catch (error) {
          this.core.fail(member, error)
          continue
        }
      }
      if (member.lane === this) member.state = member.building ? 'building' : 'live'
    }
  }

  /** Each projection's share of the batch: the events after its checkpoint (or after the batch in flight). */
  private workFor(events: RecordedEvent[]): Work[] {
    const last = events[events.length - 1]!.position
    const work: Work[] = []
    for (const member of this.members) {
      // a member that joined ahead of the lane skips the events at or before its checkpoint
      const after = comparePositions(member.position, this.cursor) > 0 ? member.position : this.cursor
      let start = 0
      if (comparePositions(after, events[0]!.position) >= 0) {
        if (comparePositions(after, last) >= 0) continue
        start = events.findIndex((event) => comparePositions(event.position, after) > 0)
      }
      work.push(new Work(member, start === 0 ? events : events.slice(start)))
    }
    return work
  }
}

// ---- the runner ----------------------------------------------------------------------------------------------------

class CheckpointsMoved extends Error {
  constructor(readonly work: Work[]) {
    super(`Checkpoint of ${work.map((w) => w.member.name).join(', ')} moved under this runner (another runner took over?)`)
  }
}

class RunnerCore {
  readonly members: Member[]
  readonly lanes = new Set<Lane>()
  locks: AdvisoryLocks | undefined
  stopped = true
  readonly batchSize: number
  readonly logger: ProjectionLogger
  private readonly cacheSize: number
  private readonly lockRetryMs: number
  private readonly retryDelayMs: number
  private signalStop: () => void = () => {}
  private stoppedPromise: Promise<void> = Promise.resolve()
  private supervisor: Promise<void> | undefined
  private wakeSupervisor: () => void = () => {}
  private waiters: (() => void)[] = []

  constructor(readonly options: ProjectionRunnerOptions) {
    this.members = options.projections.map((projection) => new Member(projection))
    this.batchSize = Math.max(1, options.batchSize ?? 5000)
    this.logger = options.logger ?? consoleLogger
    this.cacheSize = Math.max(1, options.cacheSize ?? 10_000)
    this.lockRetryMs = options.lockRetryMs ?? 2000
    this.retryDelayMs = options.retryDelayMs ?? 1000
  }

  get store(): EventStore {
    return this.options.store
  }

  get driver(): SqlDriver {
    return this.options.driver
  }

  /** True when this runner maintains the member's active version right now (so activePosition is current). */
  maintainsActive(member: Member): boolean {
    return (member.ownsLock || !this.locks) && !member.building && member.activePosition !== undefined
  }

  progressed(): void {
    const woken = this.waiters
    this.waiters = []
    for (const wake of woken) wake()
  }

  waitForProgress(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      const waiters = this.waiters
      function done() {
        clearTimeout(timer)
        const index = waiters.indexOf(done)
        if (index >= 0) waiters.splice(index, 1)
        resolve()
      }
      this.waiters.push(done)
    })
  }

  async start(): Promise<void> {
    if (!this.stopped) return
    await migrateProjections(this.driver, this.options.projections)
    this.stopped = false
    this.stoppedPromise = new Promise((resolve) => (this.signalStop = resolve))
    if (this.driver.kind === 'pg') {
      const connect = this.options.lockConnection ?? defaultLockConnection(this.driver)
      this.locks = new AdvisoryLocks(connect, this.lockRetryMs, (lost) => this.locksLost(lost), this.logger)
    }
    for (const member of this.members) {
      member.retryAt = 0
      member.failures = 0
      member.state = 'starting'
    }
    this.supervisor = this.supervise()
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.signalStop()
    this.wakeSupervisor()
    await this.supervisor
    const lanes = [...this.lanes]
    for (const lane of lanes) lane.close()
    await Promise.all(lanes.map((lane) => lane.join()))
    await this.locks?.close()
    this.locks = undefined
    for (const member of this.members) {
      member.lane = undefined
      member.cache = undefined
      member.ownsLock = false
      member.activePosition = undefined
      member.building = false
      member.state = 'stopped'
    }
    this.progressed()
  }

  // -- attaching projections to lanes ------------------------------------------------------------------------------

  /** Tries the locks of the projections not running, prepares those it holds and puts them on a lane; repeats. */
  private async supervise(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.attachReady()
      } catch (error) {
        if (!this.stopped) this.logger.warn('could not start projections', { error: describe(error) })
      }
      if (this.stopped) break
      const now = Date.now()
      let wait = this.lockRetryMs
      for (const member of this.members) if (!member.lane && member.retryAt > now) wait = Math.min(wait, member.retryAt - now)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, wait))
        const self = this
        function done() {
          clearTimeout(timer)
          self.wakeSupervisor = () => {}
          resolve()
        }
        // never a tight loop: a wake-up lets the event loop turn first
        this.wakeSupervisor = () => setImmediate(done)
        void this.stoppedPromise.then(done)
      })
    }
  }

  private async attachReady(): Promise<void> {
    const now = Date.now()
    let ready = this.members.filter((member) => !member.lane && member.retryAt <= now)
    if (ready.length === 0) return
    const locks = this.locks
    if (locks) {
      const without = ready.filter((member) => !member.ownsLock)
      if (without.length > 0) {
        let held = new Set<string>()
        try {
          held = await locks.tryAcquireMany(without.map((member) => member.name))
        } catch (error) {
          this.logger.warn('could not try the advisory lock', { projections: without.map((m) => m.name), error: describe(error) })
        }
        for (const member of without) {
          if (held.has(member.name)) member.ownsLock = true
          else member.state = 'waiting-for-lock'
        }
      }
      ready = ready.filter((member) => member.ownsLock)
    }
    if (this.stopped || ready.length === 0) return
    for (const member of ready) member.state = 'starting'
    let checkpoints: Checkpoint[]
    try {
      checkpoints = await readCheckpointsOf(this.driver, ready.map((member) => member.name))
    } catch (error) {
      for (const member of ready) this.fail(member, error)
      return
    }
    const prepared: Member[] = []
    for (const member of ready) {
      try {
        await this.prepare(member, checkpoints.filter((c) => c.projection === member.name))
        prepared.push(member)
      } catch (error) {
        this.fail(member, error)
      }
    }
    if (this.stopped) return
    // a lock lost while preparing: that projection waits for its lock again
    this.attach(prepared.filter((member) => !this.locks || member.ownsLock))
  }

  /** Loads the checkpoint and decides between live maintenance and a background rebuild. */
  private async prepare(member: Member, checkpoints: Checkpoint[]): Promise<void> {
    const { driver } = this
    const { name, version } = member.projection
    let checkpoint: Checkpoint
    let swapTarget: Position | undefined
    const active = checkpoints.find((c) => c.status === 'active')
    if (active?.version === version) checkpoint = active
    else if (!active) {
      // first run (or no readable version): nothing to keep readable, so the code's version is active at once
      const mine = checkpoints.find((c) => c.version === version)
      if (mine?.status === 'retired') await beginBuild(driver, name, version)
      if (mine) await swapIn(driver, name, version)
      else await ensureCheckpoint(driver, name, version, 'active')
      const read = await readCheckpoint(driver, name, version)
      if (!read) throw new Error(`Checkpoint of ${name} v${version} vanished`)
      checkpoint = read
    } else {
      checkpoint = await beginBuild(driver, name, version)
      swapTarget = active.position
      this.logger.info('rebuilding projection in the background', { projection: name, from: active.version, to: version })
    }
    member.position = checkpoint.position
    member.building = swapTarget !== undefined
    member.swapTarget = swapTarget
    member.activePosition = member.building ? undefined : checkpoint.position
    member.state = member.building ? 'building' : 'catching-up'
    if (!member.building) this.progressed()
  }

  /** Puts prepared projections on a lane: one at exactly their place if there is one, else a new one. */
  private attach(members: Member[]): void {
    for (const member of members) {
      member.attachment++
      member.cache = new DocumentCache(this.cacheSize)
    }
    this.attachBehind(members)
  }

  /** Projections that stand at the same place share a lane (an existing one at exactly that place, or a new one). */
  attachBehind(members: Member[]): void {
    if (this.stopped) {
      for (const member of members) member.lane = undefined
      return
    }
    const byPosition = new Map<string, Member[]>()
    for (const member of members) {
      const key = `${member.position.commit}/${member.position.prepare}`
      byPosition.set(key, [...(byPosition.get(key) ?? []), member])
    }
    for (const group of byPosition.values()) {
      const position = group[0]!.position
      const existing = [...this.lanes].find((l) => !l.closed && comparePositions(l.cursor, position) === 0)
      const lane = existing ?? new Lane(this, position)
      for (const member of group) lane.add(member)
      if (!existing) {
        this.lanes.add(lane)
        lane.start()
      }
    }
  }

  laneClosed(lane: Lane): void {
    this.lanes.delete(lane)
    // projections left on it (a crash) start again
    for (const member of this.members) if (member.lane === lane) this.detach(member)
    this.wakeSupervisor()
  }

  laneCrashed(lane: Lane, error: unknown): void {
    for (const member of [...lane.members]) this.fail(member, error)
  }

  subscriptionEnded(lane: Lane): void {
    for (const member of [...lane.members]) {
      this.detach(member)
      member.retryAt = Date.now() + this.retryDelayMs
    }
  }

  detach(member: Member): void {
    member.lane?.remove(member)
    member.lane = undefined
    member.cache = undefined
    member.inflight = undefined
    this.wakeSupervisor()
  }

  private locksLost(names: string[]): void {
    for (const member of this.members) {
      if (!names.includes(member.name)) continue
      member.ownsLock = false
      member.activePosition = undefined
      member.building = false
      this.detach(member)
    }
  }

  fail(member: Member, error: unknown): void {
    this.detach(member)
    member.activePosition = undefined
    if (this.stopped) return
    member.failures++
    member.state = 'failed'
    member.error = describe(error)
    const pause = Math.min(this.retryDelayMs * 2 ** (member.failures - 1), 30_000)
    member.retryAt = Date.now() + pause
    this.logger.error('projection batch failed; retrying from the checkpoint', {
      projection: member.name,
      version: member.projection.version,
      error: member.error,
      retryInMs: pause,
    })
  }

  async swap(member: Member): Promise<void> {
    await swapIn(this.driver, member.name, member.projection.version)
    member.building = false
    member.swapTarget = undefined
    member.activePosition = member.position
    this.progressed()
    this.logger.info('swapped in rebuilt projection', { projection: member.name, version: member.projection.version })
  }

  // -- one batch for every projection of a lane --------------------------------------------------------------------

  /**
   * Loads what the caches miss (one round trip for every projection) and folds the batch for each projection; a
   * projection whose fold throws is taken off. The folded work is written by `write` once the batch before it committed.
   */
  async prepareBatch(work: Work[]): Promise<Work[]> {
    if (work.length === 0) return []
    const misses: (DocumentRef & { work: Work })[] = []
    for (const w of work) {
      const { name, version } = w.member.projection
      for (const key of w.misses()) misses.push({ projection: name, version, key, work: w })
    }
    if (misses.length > 0) {
      try {
        const found = await loadDocumentsOf(this.driver, misses)
        const byRef = new Map(found.map((doc) => [`${doc.projection}\u0000${doc.version}\u0000${doc.key}`, doc.state]))
        for (const miss of misses) {
          const ref = `${miss.projection}\u0000${miss.version}\u0000${miss.key}`
          const state = byRef.has(ref) ? byRef.get(ref) : ABSENT
          miss.work.loaded(miss.key, state)
          if (this.current(miss.work)) miss.work.member.cache!.set(miss.key, state)
        }
      } catch (error) {
        for (const w of work) if (this.current(w)) this.fail(w.member, error)
        return []
      }
    }
    const folded: Work[] = []
    for (const w of work) {
      if (!this.current(w)) continue
      try {
        w.fold()
        folded.push(w)
      } catch (error) {
        this.fail(w.member, error)
      }
    }
    return folded
  }

  private current(w: Work): boolean {
    return w.member.attachment === w.attachment && w.member.lane !== undefined && w.member.cache !== undefined
  }

  /** Writes folded work of every projection in one transaction, checkpoints first; a projection that fails is taken off. */
  async write(work: Work[], to: Position): Promise<void> {
    let remaining = work.filter((w) => this.current(w))
    for (const w of remaining) w.from = w.member.position
    while (remaining.length > 0) {
      try {
        await this.driver.transaction(async (tx) => {
          // first, so that projections another runner took over are fenced off before anything is written
          const moved = await moveCheckpoints(
            tx,
            remaining.map((w) => ({ projection: w.member.name, version: w.member.projection.version, from: w.from })),
            to,
          )
          if (moved.size !== remaining.length) throw new CheckpointsMoved(remaining.filter((w) => !moved.has(w.member.name)))
          const docs: VersionedDocumentWrite[] = []
          const entries: LogEntryWrite[] = []
          for (const w of remaining) {
            const { name, version } = w.member.projection
            for (const doc of w.touched.values()) docs.push({ projection: name, version, ...doc })
            for (const entry of w.logEntries) entries.push(entry)
          }
          await writeDocumentsOf(tx, docs)
          await appendLogEntries(tx, entries)
        })
        for (const w of remaining) this.applied(w, to)
        return
      } catch (error) {
        if (error instanceof CheckpointsMoved) {
          for (const w of error.work) this.fail(w.member, new CheckpointMoved(w.member.name, w.member.projection.version))
          remaining = remaining.filter((w) => !error.work.includes(w))
          continue
        }
        if (remaining.length === 1) {
          this.fail(remaining[0]!.member, error)
          return
        }
        // which projection broke the batch? one transaction each, so that the others go on
        for (const w of remaining) if (this.current(w)) await this.write([w], to)
        return
      }
    }
  }

  private applied(w: Work, to: Position): void {
    const member = w.member
    if (!this.current(w)) return
    for (const [key, doc] of w.touched) member.cache!.set(key, doc.state)
    if (member.inflight === w.touched) member.inflight = undefined
    member.position = to
    member.failures = 0
    member.error = undefined
    if (!member.building) {
      member.activePosition = to
      this.progressed()
    }
  }

  // -- waitFor ---------------------------------------------------------------------------------------------------

  /** Names of the projections whose active version has not reached `position` yet. */
  async laggards(position: Position): Promise<string[]> {
    const behind: string[] = []
    const remote: Member[] = []
    for (const member of this.members) {
      if (member.building) continue
      if (this.maintainsActive(member) && member.activePosition) {
        if (comparePositions(member.activePosition, position) < 0) behind.push(member.name)
      } else remote.push(member)
    }
    if (remote.length > 0) {
      const { rows } = await this.driver.query<{ projection: string; status: string; commit: string; prepare: string }>(
        `select projection, status, position_commit::text as commit, position_prepare::text as prepare
           from projection_checkpoints where projection = any($1::text[]) and status in ('active', 'building')`,
        [remote.map((member) => member.name)],
      )
      for (const member of remote) {
        const mine = rows.filter((row) => row.projection === member.name)
        const active = mine.find((row) => row.status === 'active')
        // being rebuilt elsewhere while readers see the old version: see waitFor
        if (active && mine.some((row) => row.status === 'building')) continue
        if (!active || comparePositions({ commit: BigInt(active.commit), prepare: BigInt(active.prepare) }, position) < 0) behind.push(member.name)
      }
    }
    return behind
  }
}

export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const names = new Set<string>()
  for (const projection of options.projections) {
    if (names.has(projection.name)) throw new Error(`Two projections are named ${projection.name}`)
    if (!Number.isInteger(projection.version)) throw new Error(`Projection ${projection.name}: version must be an integer`)
    names.add(projection.name)
  }
  const core = new RunnerCore(options)
  return {
    start: () => core.start(),
    stop: () => core.stop(),

    async waitFor(position, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const behind = await core.laggards(position)
        if (behind.length === 0) return
        const remaining = deadline - Date.now()
        if (remaining <= 0) throw new ProjectionWaitTimeout(position, behind)
        // woken by local progress; polls the checkpoints for projections another process runs
        await core.waitForProgress(Math.min(remaining, 50))
      }
    },

    status() {
      return core.members.map((member) => member.status())
    },
  }
}
