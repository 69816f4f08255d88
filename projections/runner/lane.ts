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
        const batch = this.buffer.splice(0, batchSize)
        this.space.notify()
        if (batch.length > 0) {
          const last = batch[batch.length - 1]!.position
          const folded = await this.core.prepareBatch(this.workFor(batch))
          await writing
          // its commit may reveal events appended meanwhile that the subscription waits to see: read again at once
          writing = this.core.write(folded, last).then(() => subscription.poke?.())
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
