// A lane: one reader of the log, shared by the projections that stand at the same place in it.
import type { EventStore, Position, RecordedEvent, Subscription } from '../../eventstore/types.ts'
import { comparePositions } from '../../eventstore/types.ts'
import type { Member } from './member.ts'
import type { ProjectionLogger } from './types.ts'
import { Work } from './work.ts'

/** What a lane needs of the runner that owns it. */
export type LaneHost = {
  readonly store: EventStore
  readonly batchSize: number
  /** far behind the head, how many read batches one write may take (CatchUpLimits) */
  readonly catchUp: CatchUpLimits
  /** what the events read ahead may hold in memory, about (EventWeigher); at least one event is read */
  readonly readAheadBytes: number
  readonly logger: ProjectionLogger
  readonly lanes: ReadonlySet<Lane>
  /** loads misses and folds; the work is written after the batch before it commits */
  prepareBatch(work: Work[]): Promise<Work[]>
  /** writes folded work in one transaction */
  write(work: Work[], to: Position): Promise<void>
  /** a rebuild at the head of the log and past the old version: swapped in */
  swap(member: Member): Promise<void>
  fail(member: Member, error: unknown): void
  /** puts projections on a lane at their own place */
  attachBehind(members: Member[]): void
  laneCrashed(lane: Lane, error: unknown): void
  laneClosed(lane: Lane): void
  subscriptionEnded(lane: Lane): void
}

/**
 * Far behind the head (the events are `ageMs` old, or a full read batch waits behind the one just folded), read
 * batches are folded one after the other into one write: a document that many batches touch is written once per
 * write, not once per batch. A write grows for at most `ms` of folding (so the read models advance at least that
 * often, besides one batch's fold and the write before it), up to `events` events, `documents` documents touched in
 * all, and `bytes` of what it holds in memory: each document at its projection's average size (decision 031), its log
 * entries, and the next batch while it is folded (a folded event is let go: decision 036).
 */
export type CatchUpLimits = { readonly events: number; readonly documents: number; readonly bytes: number; readonly ms: number; readonly ageMs: number }

/** what a decoded event holds in memory, about (measured at 1,000,000 events: 990-1,270 bytes of heap each) */
export const EVENT_BYTES = 1200

/** what a log entry waiting in a write holds, about (~230 characters of JSON each at 1,000,000 events, ~0.5 per event) */
export const LOG_ENTRY_BYTES = 500

/**
 * A decoded event's heap besides its data: ids, stream, type, positions, dates and metadata (~230 characters of JSON
 * at 1,000,000 events); its data counts twice its JSON length, sampled. Data of ~190 characters gives ~1,180 bytes,
 * within the 990-1,270 measured (decision 031).
 */
const EVENT_ENVELOPE_BYTES = 800
const MEASURE_EVENT_EVERY = 32
const MEASURE_EVENT_FIRST = 64

/** What the lane's read-ahead counts an event as: the envelope plus its data, measured on a sample (decision 036). */
export class EventWeigher {
  private average = 0
  private measured = 0
  private seen = 0
  weigh(event: RecordedEvent): number {
    if (this.measured < MEASURE_EVENT_FIRST || ++this.seen % MEASURE_EVENT_EVERY === 0) {
      let length = 0
      try {
        length = JSON.stringify(event.data)?.length ?? 0
      } catch {
        length = this.average
      }
      this.measured++
      this.average += (length - this.average) / Math.min(this.measured, MEASURE_EVENT_FIRST)
    }
    return EVENT_ENVELOPE_BYTES + 2 * Math.ceil(this.average)
  }
}

/** how long a lane far behind waits for its reader to fill the next batch of a write, while the write before runs */
const FILL_WAIT_MS = 250

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
 * Reads the log once for the projections at one place and commits each batch for all of them in one transaction,
 * reading ahead while it writes. A projection elsewhere in the log gets its own lane; lanes meet at the head and merge.
 */
export class Lane {
  readonly members = new Set<Member>()
  private joining: Member[] = []
  /** read, not processed yet */
  private readonly buffer: RecordedEvent[] = []
  /** the buffer's events' weights (EventWeigher), in the same order, and their sum */
  private readonly weights: number[] = []
  private bufferBytes = 0
  private readonly weigher = new EventWeigher()
  private ended = false
  private readonly work = new Signal()
  private readonly space = new Signal()
  /** waiting at the head of the log for new events, nothing in flight */
  idle = false
  closed = false
  private subscription: Subscription | undefined
  private loop: Promise<void> | undefined

  constructor(
    private readonly core: LaneHost,
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

  /** The read-ahead is full: 2 read batches, or readAheadBytes of events (decision 036). */
  private full(): boolean {
    return this.buffer.length >= 2 * this.core.batchSize || (this.buffer.length > 0 && this.bufferBytes >= this.core.readAheadBytes)
  }

  /** Takes up to `count` events off the read-ahead, making room for the reader. */
  private take(count: number): RecordedEvent[] {
    const events = this.buffer.splice(0, count)
    for (const weight of this.weights.splice(0, events.length)) this.bufferBytes -= weight
    if (this.buffer.length === 0) this.bufferBytes = 0
    this.space.notify()
    return events
  }

  private async read(iterator: AsyncIterator<RecordedEvent>): Promise<void> {
    try {
      while (!this.closed) {
        if (this.full()) {
          // the fold waiting on a full batch (filled) goes on with what there is
          this.work.notify()
          await this.space.wait()
          continue
        }
        const result = await iterator.next()
        if (result.done) {
          this.ended = true
          break
        }
        const weight = this.weigher.weigh(result.value)
        this.buffer.push(result.value)
        this.weights.push(weight)
        this.bufferBytes += weight
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
    let writeInFlight = false
    try {
      while (!this.closed) {
        this.admit()
        if (this.members.size === 0 && this.joining.length === 0) break
        if (this.buffer.length === 0 && !this.ended) {
          // nothing read or pending: caught up for now
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
        // only the last event of what is folded is kept here: its position and age (the fold lets the events go)
        let lastEvent = this.buffer.length > 0 ? this.buffer[Math.min(batchSize, this.buffer.length) - 1] : undefined
        if (lastEvent) {
          const began = performance.now()
          let events = Math.min(batchSize, this.buffer.length)
          let folded = await this.core.prepareBatch(this.workFor(this.take(batchSize), this.cursor))
          while (!this.closed && this.mayGrow(folded, events, began)) {
            // the reader reads while the fold is not running: far behind, it fills the next batch while the write before
            // runs (this write waits for it anyway), and what it read by then is folded
            if (this.buffer.length < batchSize) {
              if (!this.farBehind(lastEvent)) break
              if (writeInFlight) await this.filled(batchSize, writing)
            }
            if (this.closed || this.buffer.length === 0) break
            const after = lastEvent.position
            lastEvent = this.buffer[Math.min(batchSize, this.buffer.length) - 1]!
            const more = this.take(batchSize)
            events += more.length
            folded = await this.core.prepareBatch(this.extend(folded, more, after))
          }
          await writing
          const to = lastEvent.position
          writeInFlight = true
          // its commit may reveal events appended meanwhile that the subscription waits to see: read again at once
          writing = this.core.write(folded, to).then(() => {
            writeInFlight = false
            subscription.poke?.()
          })
          this.cursor = to
        }
        if (this.closed) break
        if (this.ended && this.buffer.length === 0) {
          await writing
          // the subscription ended without being asked to: the projections start again after a pause
          this.core.subscriptionEnded(this)
          break
        }
        if (this.buffer.length > 0 && lastEvent) {
          const lag = Math.max(0, Date.now() - lastEvent.recordedAt.getTime())
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

  /** Whether the events are old enough that the lane is replaying history rather than following the head. */
  private farBehind(event: RecordedEvent): boolean {
    return Date.now() - event.recordedAt.getTime() >= this.core.catchUp.ageMs
  }

  /** Waits until a full batch is read (or the read-ahead is full by bytes), the reader ends, the write before commits, or FILL_WAIT_MS passed. */
  private async filled(count: number, writing: Promise<void>): Promise<void> {
    const deadline = performance.now() + FILL_WAIT_MS
    let written = false
    const done = writing.then(() => (written = true), () => (written = true))
    while (this.buffer.length < count && !this.full() && !this.ended && !this.closed && !written) {
      const left = deadline - performance.now()
      if (left <= 0) return
      let timer: NodeJS.Timeout | undefined
      await Promise.race([this.work.wait(), done, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))])
      clearTimeout(timer)
    }
  }

  /** Whether the write being folded takes the next read batch too (CatchUpLimits). */
  private mayGrow(folded: readonly Work[], events: number, began: number): boolean {
    const limits = this.core.catchUp
    if (folded.length === 0 || events + this.core.batchSize > limits.events) return false
    // the read models advance at least every `ms` of folding, even while the write before runs
    if (performance.now() - began >= limits.ms) return false
    let documents = 0
    // the next batch while it is folded, the documents, and the log entries (they grow with the events)
    let bytes = this.core.batchSize * EVENT_BYTES
    for (const w of folded) {
      documents += w.touched.size
      bytes += w.documentBytes() + w.logEntries.length * LOG_ENTRY_BYTES
    }
    return documents < limits.documents && bytes < limits.bytes
  }

  /** The next read batch folded into the write's work: each projection's share added to its work, or a work of its own. */
  private extend(folded: Work[], events: RecordedEvent[], after: Position): Work[] {
    const byMember = new Map(folded.map((w) => [w.member, w]))
    const work = [...folded]
    for (const share of this.workFor(events, after)) {
      const existing = byMember.get(share.member)
      if (existing) existing.extend(share.pendingEvents)
      else work.push(share)
    }
    return work
  }

  /** Each projection's share of the batch: the events after its checkpoint (or after `cursor`, where the batch begins). */
  private workFor(events: RecordedEvent[], cursor: Position): Work[] {
    const last = events[events.length - 1]!.position
    const work: Work[] = []
    for (const member of this.members) {
      // a member that joined ahead of the lane skips the events at or before its checkpoint
      const after = comparePositions(member.position, cursor) > 0 ? member.position : cursor
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
