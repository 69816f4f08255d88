// Feeds projections from the event store into their SQL documents: one reader of the log shared by the projections at the same place, each batch's rows, log entries and checkpoints of every projection in one transaction, versioned rebuilds, one owner per projection.
import { isConnectionError, type SqlDriver, type SqlExecutor } from '../eventstore/postgres/driver.ts'
import type { EventStore, Position, RecordedEvent, Subscription } from '../eventstore/types.ts'
import { START, comparePositions } from '../eventstore/types.ts'
import type { AnyProjection } from './projection.ts'
import { applyEvent, keysFor, takeLogEntries } from './projection.ts'
import { Leases, LeasesLost } from './leases.ts'
import type { Checkpoint, DocumentRef, DocumentWrite, FailedEvent, LogEntryWrite, VersionedDocumentWrite } from './store.ts'
import {
  CheckpointMoved,
  appendLogEntries,
  beginBuild,
  clearFailures,
  ensureCheckpoint,
  loadDocumentsOf,
  migrateProjections,
  moveCheckpoints,
  readCheckpoint,
  readCheckpointsOf,
  readFailures,
  recordFailure,
  swapIn,
  writeDocumentsOf,
} from './store.ts'

// the composition root imports these from here
export { migrateProjections } from './store.ts'
export { activeVersion, readDocument, readDocuments, readFailures, readLog } from './store.ts'

export type ProjectionLogger = {
  info(message: string, details?: Record<string, unknown>): void
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
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
  /** how often a runner without a projection's lease tries to take it, and reads the failures other processes recorded; default 2000 ms */
  lockRetryMs?: number
  /** how long a lease lasts without renewal (renewed every third of it); another process takes an expired one; default 10,000 ms */
  leaseMs?: number
  /** first pause after a failed batch, doubled per consecutive failure up to 30 s; default 1000 ms */
  retryDelayMs?: number
}

export type ProjectionState =
  | 'stopped'
  | 'starting'
  /** another process holds the projection's lease; tried again every lockRetryMs */
  | 'waiting-for-lease'
  | 'catching-up'
  /** a new version is being rebuilt from 0 while readers still see the old one */
  | 'building'
  | 'live'
  /** the last batch failed (not because of one event, nor a lost connection); retried after a growing pause */
  | 'failed'
  /** the database connection was lost: retried every retryDelayMs, without counting as a failure, until it is back */
  | 'waiting-for-database'
  /** stopped on an event it cannot fold or store (`failure` names it); tried again when the runner starts (decision 010) */
  | 'halted'

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
  /** the event this projection stopped on, here or as another process recorded it */
  failure?: FailedEvent
}

export type ProjectionRunner = {
  /** creates the tables if needed, then runs every projection in the background */
  start(): Promise<void>
  /** stops after the batch in flight, releases the leases */
  stop(): Promise<void>
  /**
   * Resolves when the active version of every projection has processed `position` (as read from this runner or,
   * for projections another process owns, from projection_checkpoints). Projections being rebuilt are skipped:
   * readers see their frozen old version until the swap whatever we wait for. So are projections that failed or
   * stopped on an event (status() names them): waiting cannot help them. Rejects with ProjectionWaitTimeout.
   */
  waitFor(position: Position, timeoutMs?: number): Promise<void>
  status(): ProjectionStatus[]
}

export type { FailedEvent } from './store.ts'

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
  /** the event it stopped on, when halted here */
  failure: FailedEvent | undefined
  /** the failure recorded in the database for its version (by this process or another), as last read */
  recorded: FailedEvent | undefined
  ownsLease = false
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
      ...(this.failure ?? this.recorded ? { failure: this.failure ?? this.recorded } : {}),
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
    this.events.forEach((event, index) => this.foldEvent(event, index, this.touched, this.logEntries))
    this.member.inflight = this.touched
  }

  /** Folds one event into `touched`; returns the documents it wrote. An evolve that throws becomes EventFailed. */
  private foldEvent(event: RecordedEvent, index: number, touched: Map<string, DocumentWrite>, logEntries: LogEntryWrite[]): DocumentWrite[] {
    const keys = this.keysPerEvent[index]!
    if (keys.length === 0) return []
    const { projection } = this.member
    const { base } = this
    const source = {
      has: (key: string) => touched.has(key) || (base.has(key) && base.get(key) !== ABSENT),
      get: (key: string) => {
        const folded = touched.get(key)
        return folded ? folded.state : base.get(key)
      },
    }
    const logs = projection.logs ?? []
    let applied: Map<string, unknown>
    try {
      applied = applyEvent(projection, source, event, keys)
    } catch (error) {
      throw new EventFailed(event, error)
    }
    const written: DocumentWrite[] = []
    for (const [key, next] of applied) {
      const state = logs.length === 0 ? next : takeLogEntries(logs, next, (field, entry, idx) =>
        logEntries.push({ projection: projection.name, version: projection.version, key, field, position: event.position, idx, entry }),
      )
      const doc = { key, state, position: event.position }
      touched.set(key, doc)
      written.push(doc)
    }
    return written
  }

  /**
   * After the batch's write failed: folds it again from the same documents, one event at a time, and asks the
   * database to parse what each event wrote exactly as the write does. The first event whose documents it refuses
   * (text it cannot store, such as \u0000) is the one the projection cannot get past; undefined when none is refused.
   */
  async culprit(db: SqlExecutor): Promise<EventFailed | undefined> {
    const touched = new Map<string, DocumentWrite>()
    for (const [index, event] of this.events.entries()) {
      const entries: LogEntryWrite[] = []
      const docs = this.foldEvent(event, index, touched, entries)
      if (docs.length === 0) continue
      try {
        const payload = JSON.stringify({
          docs: docs.map((doc) => ({ key: doc.key, state: doc.state ?? null })),
          entries: entries.map((entry) => ({ key: entry.key, field: entry.field, entry: entry.entry ?? null })),
        })
        await db.query('select $1::jsonb is not null as ok', [payload])
      } catch (error) {
        if (refusedData(error)) return new EventFailed(event, error)
        throw error
      }
    }
    return undefined
  }
}

/**
 * A value JSON cannot hold (bigint) or one the database refuses (SQLSTATE class 22 data exception, 54 program limit):
 * the data's doing, not the connection's or the server's.
 */
function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return error instanceof TypeError || (typeof code === 'string' && /^(22|54)/.test(code))
}

/** A projection cannot get past this event: its evolve threw, or the database refuses what it wrote. */
class EventFailed extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(describe(cause))
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
  leases: Leases | undefined
  stopped = true
  readonly batchSize: number
  readonly logger: ProjectionLogger
  private readonly cacheSize: number
  private readonly lockRetryMs: number
  private readonly leaseMs: number
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
    this.leaseMs = options.leaseMs ?? 10_000
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
    return member.ownsLease && !member.building && member.activePosition !== undefined
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
    this.leases = new Leases(this.driver, this.leaseMs, (lost) => this.leasesLost(lost), this.logger)
    for (const member of this.members) {
      member.retryAt = 0
      member.failures = 0
      // a projection that stopped on an event is tried again: the code or the data may have been fixed (decision 010)
      member.failure = undefined
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
    await this.leases?.close()
    this.leases = undefined
    for (const member of this.members) {
      member.lane = undefined
      member.cache = undefined
      member.ownsLease = false
      member.activePosition = undefined
      member.building = false
      member.state = 'stopped'
    }
    this.progressed()
  }

  // -- attaching projections to lanes ------------------------------------------------------------------------------

  /** Tries the leases of the projections not running, prepares those it holds and puts them on a lane; repeats. */
  private async supervise(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.attachReady()
      } catch (error) {
        if (!this.stopped) this.logger.warn('could not start projections', { error: describe(error) })
      }
      await this.readRecordedFailures()
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
    const leases = this.leases
    if (!leases) return
    const without = ready.filter((member) => !member.ownsLease)
    if (without.length > 0) {
      let held = new Set<string>()
      try {
        held = await leases.tryAcquireMany(without.map((member) => member.name))
      } catch (error) {
        this.logger.warn('could not try the projection leases', { projections: without.map((m) => m.name), error: describe(error) })
      }
      for (const member of without) {
        if (held.has(member.name)) member.ownsLease = true
        else member.state = 'waiting-for-lease'
      }
    }
    ready = ready.filter((member) => member.ownsLease)
    if (this.stopped || ready.length === 0) return
    for (const member of ready) member.state = 'starting'
    let checkpoints: Checkpoint[]
    try {
      checkpoints = await readCheckpointsOf(this.driver, ready.map((member) => member.name))
      // a failure recorded before is cleared by the batch that gets past its event
      const failures = await readFailures(this.driver, ready.map((member) => member.name))
      for (const member of ready) member.recorded = failures.find((f) => f.projection === member.name && f.version === member.projection.version)
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
    // a lease lost while preparing: that projection waits for its lease again
    this.attach(prepared.filter((member) => member.ownsLease))
  }

  /** What every process recorded of failed events, for status(): the holder of a projection may be another process. */
  private async readRecordedFailures(): Promise<void> {
    try {
      const failures = await readFailures(this.driver, this.members.map((member) => member.name))
      for (const member of this.members) {
        // the holder knows better while it works on it (it clears the record when it gets past the event)
        if (member.ownsLease && member.lane) continue
        member.recorded = failures.find((f) => f.projection === member.name && f.version === member.projection.version)
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn('could not read the recorded projection failures', { error: describe(error) })
    }
  }

  /** A transaction-level guard for writes outside batches (rebuild, swap, failure records): fenced by the lease. */
  private fenced(name: string): (tx: SqlExecutor) => Promise<void> {
    return async (tx) => {
      if (!this.leases) throw new LeasesLost([name])
      await this.leases.fence(tx, [name])
    }
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
      if (mine?.status === 'retired') await beginBuild(driver, name, version, this.fenced(name))
      if (mine) await swapIn(driver, name, version, this.fenced(name))
      else await ensureCheckpoint(driver, name, version, 'active')
      const read = await readCheckpoint(driver, name, version)
      if (!read) throw new Error(`Checkpoint of ${name} v${version} vanished`)
      checkpoint = read
    } else {
      checkpoint = await beginBuild(driver, name, version, this.fenced(name))
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

  private leasesLost(names: string[]): void {
    for (const member of this.members) {
      if (!names.includes(member.name)) continue
      member.ownsLease = false
      member.activePosition = undefined
      member.building = false
      member.failure = undefined
      member.state = 'waiting-for-lease'
      this.detach(member)
    }
  }

  fail(member: Member, error: unknown): void {
    if (error instanceof LeasesLost) {
      this.leases?.lost(error.names)
      return
    }
    if (member.state === 'halted') return
    this.detach(member)
    member.activePosition = undefined
    if (this.stopped) return
    if (isConnectionError(error)) {
      // an outage is not the projection's fault: one warning per outage, and a steady retry so it is live soon after
      if (member.state !== 'waiting-for-database') {
        this.logger.warn('projection waits for the database connection', { projection: member.name, error: describe(error) })
      }
      member.state = 'waiting-for-database'
      member.error = describe(error)
      member.retryAt = Date.now() + this.retryDelayMs
      return
    }
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

  /**
   * Stops the projection on an event it cannot get past, loudly: it keeps its lease (so no other process tries the same
   * event in a loop), records the event for every process and for verify, and is tried again when the runner starts.
   */
  async halt(member: Member, failed: EventFailed): Promise<void> {
    this.detach(member)
    member.activePosition = undefined
    if (this.stopped) return
    const { event } = failed
    const failure: FailedEvent = {
      projection: member.name, version: member.projection.version, position: event.position,
      eventId: event.id, eventType: event.type, streamId: event.streamId, error: failed.message, failedAt: new Date(),
    }
    member.state = 'halted'
    member.failure = failure
    member.error = failure.error
    member.retryAt = Number.POSITIVE_INFINITY
    this.progressed()
    this.logger.error('projection stopped on an event it cannot process; fix the projection or the data and restart (docs/decisions/010)', {
      projection: failure.projection, version: failure.version, position: `${event.position.commit}/${event.position.prepare}`,
      eventId: failure.eventId, eventType: failure.eventType, streamId: failure.streamId, error: failure.error,
    })
    try {
      await this.driver.transaction(async (tx) => {
        await this.fenced(member.name)(tx)
        await recordFailure(tx, failure)
      })
      member.recorded = failure
    } catch (error) {
      if (error instanceof LeasesLost) this.leases?.lost(error.names)
      else this.logger.warn('could not record the failed event', { projection: member.name, error: describe(error) })
    }
  }

  async swap(member: Member): Promise<void> {
    await swapIn(this.driver, member.name, member.projection.version, this.fenced(member.name))
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
        if (error instanceof EventFailed) await this.halt(w.member, error)
        else this.fail(w.member, error)
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
          // first, so that a runner whose lease was taken over (it froze, or lost the database for a while) writes nothing
          if (!this.leases) throw new LeasesLost(remaining.map((w) => w.member.name))
          await this.leases.fence(tx, remaining.map((w) => w.member.name))
          // then the checkpoints, a second fence: a runner that took over may have moved them already
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
          const passed = remaining.filter((w) => w.member.recorded && comparePositions(w.member.recorded.position, to) <= 0)
          await clearFailures(tx, passed.map((w) => ({ projection: w.member.name, version: w.member.projection.version })), to)
        })
        for (const w of remaining) this.applied(w, to)
        return
      } catch (error) {
        if (error instanceof CheckpointsMoved) {
          for (const w of error.work) this.fail(w.member, new CheckpointMoved(w.member.name, w.member.projection.version))
          remaining = remaining.filter((w) => !error.work.includes(w))
          continue
        }
        if (error instanceof LeasesLost) {
          this.leases?.lost(error.names)
          remaining = remaining.filter((w) => !error.names.includes(w.member.name) && this.current(w))
          continue
        }
        if (remaining.length === 1) {
          const w = remaining[0]!
          // one event the database refuses stops the projection; anything else is retried
          const culprit = refusedData(error) ? await w.culprit(this.driver).catch(() => undefined) : undefined
          if (culprit && this.current(w)) await this.halt(w.member, culprit)
          else this.fail(w.member, error)
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
    if (member.recorded && comparePositions(member.recorded.position, to) <= 0) member.recorded = undefined
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
      // waiting cannot help a projection that failed or stopped on an event: status() and /healthz name it
      if (member.state === 'failed' || member.state === 'halted') continue
      if (this.maintainsActive(member) && member.activePosition) {
        if (comparePositions(member.activePosition, position) < 0) behind.push(member.name)
      } else remote.push(member)
    }
    if (remote.length > 0) {
      const { rows } = await this.driver.query<{ projection: string; status: string; commit: string; prepare: string; failed: boolean }>(
        `select c.projection, c.status, c.position_commit::text as commit, c.position_prepare::text as prepare,
                exists (select 1 from projection_failures f where f.projection = c.projection and f.version = c.version) as failed
           from projection_checkpoints c where c.projection = any($1::text[]) and c.status in ('active', 'building')`,
        [remote.map((member) => member.name)],
      )
      for (const member of remote) {
        const mine = rows.filter((row) => row.projection === member.name)
        const active = mine.find((row) => row.status === 'active')
        // being rebuilt elsewhere while readers see the old version: see waitFor
        if (active && mine.some((row) => row.status === 'building')) continue
        // stopped on an event in another process (this runner, when it holds the lease, is trying it again)
        if (active?.failed && !member.ownsLease) continue
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
