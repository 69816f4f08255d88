// The supervisor: takes the leases of the projections not running, prepares them and puts them on lanes; takes them
// off when they fail (retried per backoff.ts) or halt on an event they cannot get past (decision 010).
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore, Position } from '../../eventstore/types.ts'
import { START, comparePositions } from '../../eventstore/types.ts'
import type { Checkpoint } from '../store.ts'
import { migrateProjections, readCheckpointsOf, readFailures } from '../store.ts'
import { retryDelay } from './backoff.ts'
import { prepareBatch, writeBatch } from './batch.ts'
import { failMember, haltMember } from './failures.ts'
import { type CatchUpLimits, Lane, type LaneHost } from './lane.ts'
import { Leases, LeasesLost } from './leases.ts'
import { Member, documentCache } from './member.ts'
import { prepare, swap } from './rebuild.ts'
import { consoleLogger, describe, type ProjectionLogger, type ProjectionRunnerOptions } from './types.ts'
import { Progress } from './wait.ts'
import { WrittenKeys } from './written.ts'
import type { EventFailed, Work } from './work.ts'

/**
 * What a catch-up write may hold in memory before it stops taking read batches (decision 031): its events and touched
 * documents, whatever the partner count or the documents' size; at 1,000,000 events and 1,000 partners, 2 read batches
 * are 18-35 MB of them along the log.
 */
export const CATCH_UP_BYTES = 32_000_000

/**
 * Far behind the head, read batches one write may take, and how long it may fold before it is written (decision 036).
 * Longer writes (5 s, 10 batches) cut PostgreSQL's CPU per event by 15-20% but raised the fresh server's peak RSS by
 * ~36 MB at 1M: these stay at 1 s and 2 batches.
 */
export const CATCH_UP_BATCHES = 2
export const CATCH_UP_MS = 1000

/** What the events read ahead of the fold may hold (decision 036): about one read batch of 5,000 at 1,000,000 events. */
export const READ_AHEAD_BYTES = 6_000_000

export class Supervisor implements LaneHost {
  readonly members: Member[]
  readonly lanes = new Set<Lane>()
  readonly progress = new Progress()
  leases: Leases | undefined
  stopped = true
  readonly batchSize: number
  readonly catchUp: CatchUpLimits
  readonly readAheadBytes: number
  readonly logger: ProjectionLogger
  private readonly cacheSize: number
  private readonly cacheBytes: number | undefined
  private readonly lockRetryMs: number
  private readonly leaseMs: number
  readonly retryDelayMs: number
  private signalStop: () => void = () => {}
  private stoppedPromise: Promise<void> = Promise.resolve()
  private loop: Promise<void> | undefined
  private wake: () => void = () => {}

  constructor(readonly options: ProjectionRunnerOptions) {
    this.members = options.projections.map((projection) => new Member(projection))
    this.batchSize = Math.max(1, options.batchSize ?? 5000)
    this.catchUp = {
      events: Math.max(this.batchSize, options.catchUpEvents ?? CATCH_UP_BATCHES * this.batchSize),
      documents: Math.max(1, options.catchUpDocuments ?? 4 * this.batchSize),
      bytes: Math.max(1, options.catchUpBytes ?? CATCH_UP_BYTES),
      ms: Math.max(0, options.catchUpMs ?? CATCH_UP_MS),
      ageMs: Math.max(0, options.catchUpAgeMs ?? 10_000),
    }
    this.readAheadBytes = Math.max(1, options.readAheadBytes ?? READ_AHEAD_BYTES)
    this.logger = options.logger ?? consoleLogger
    this.cacheSize = Math.max(1, options.cacheSize ?? 10_000)
    this.cacheBytes = options.cacheBytes
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

  progressed(): void {
    this.progress.progressed()
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
    this.loop = this.supervise()
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.signalStop()
    this.wake()
    await this.loop
    const lanes = [...this.lanes]
    for (const lane of lanes) lane.close()
    await Promise.all(lanes.map((lane) => lane.join()))
    await this.leases?.close()
    this.leases = undefined
    for (const member of this.members) {
      member.lane = undefined
      member.cache = undefined
      member.written = undefined
      member.ownsLease = false
      member.activePosition = undefined
      member.building = false
      member.state = 'stopped'
    }
    this.progressed()
  }

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
          self.wake = () => {}
          resolve()
        }
        // never a tight loop: a wake-up lets the event loop turn first
        this.wake = () => setImmediate(done)
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
        await prepare(this, member, checkpoints.filter((c) => c.projection === member.name))
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

  /** Puts prepared projections on a lane, each with a new attachment and an empty document cache. */
  private attach(members: Member[]): void {
    for (const member of members) {
      member.attachment++
      member.cache = documentCache(this.cacheSize, this.cacheBytes)
      member.written = member.emptyAtStart && comparePositions(member.position, START) === 0 ? new WrittenKeys() : undefined
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

  prepareBatch(work: Work[]): Promise<Work[]> {
    return prepareBatch(this, work)
  }

  write(work: Work[], to: Position): Promise<void> {
    return writeBatch(this, work, to)
  }

  swap(member: Member): Promise<void> {
    return swap(this, member)
  }

  laneClosed(lane: Lane): void {
    this.lanes.delete(lane)
    // projections left on it (a crash) start again
    for (const member of this.members) if (member.lane === lane) this.detach(member)
    this.wake()
  }

  laneCrashed(lane: Lane, error: unknown): void {
    for (const member of [...lane.members]) this.fail(member, error)
  }

  subscriptionEnded(lane: Lane): void {
    for (const member of [...lane.members]) {
      this.detach(member)
      member.retryAt = Date.now() + retryDelay(0, this.retryDelayMs)
    }
  }

  detach(member: Member): void {
    member.lane?.remove(member)
    member.lane = undefined
    member.cache = undefined
    member.inflight = undefined
    member.written = undefined
    this.wake()
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

  /** Takes the projection off its lane; attached again after the retry policy's pause. */
  fail(member: Member, error: unknown): void {
    failMember(this, member, error)
  }

  /** Stops the projection on an event it cannot get past (decision 010). */
  halt(member: Member, failed: EventFailed): Promise<void> {
    return haltMember(this, member, failed)
  }
}
