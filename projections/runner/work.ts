// One batch's fold for one projection: the events after its checkpoint folded into its documents and log entries.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { Position, RecordedEvent } from '../../eventstore/types.ts'
import { START, comparePositions } from '../../eventstore/types.ts'
import { applyEvent, keysFor, takeLogEntries } from '../projection.ts'
import type { DocumentWrite, LogEntryWrite } from '../store.ts'
import { ABSENT, type Member } from './member.ts'
import { describe } from './types.ts'

/** A projection cannot get past this event: its evolve threw, or the database refuses what it wrote. */
export class EventFailed extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(describe(cause))
  }
}

/** A value JSON cannot hold or the database refuses (SQLSTATE class 22 or 54): the data's fault, not the server's. */
export function refusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return error instanceof TypeError || (typeof code === 'string' && /^(22|54)/.test(code))
}

export class Work {
  /** the checkpoint this batch moves from: set when it is written, after the batch before it committed */
  from: Position = START
  readonly attachment: number
  readonly touched = new Map<string, DocumentWrite>()
  readonly logEntries: LogEntryWrite[] = []
  /**
   * The events not folded yet, in order. A folded event is let go (decision 036): the write keeps its documents, not
   * its events, and culprit() reads them again from the store (the log up to a delivered position never changes).
   */
  private pending: readonly RecordedEvent[]
  /** the keys of each pending event, as misses() found them */
  private pendingKeys: (readonly string[])[] = []
  /** events this write took in all (one read batch, or several folded one after the other: extend) */
  private taken: number
  /** The documents this write folds on, taken in misses(): while misses load, the cache may drop ones it needs. */
  private readonly base = new Map<string, unknown>()
  /** the documents of the write before this one (member.inflight when this began), current until it commits */
  private readonly prior: Map<string, DocumentWrite> | undefined

  constructor(
    readonly member: Member,
    events: readonly RecordedEvent[],
  ) {
    this.attachment = member.attachment
    this.pending = events
    this.taken = events.length
    this.prior = member.inflight
  }

  /** how many events this write took, folded or not */
  get eventCount(): number {
    return this.taken
  }

  /** the events not folded yet (none once fold() ran) */
  get pendingEvents(): readonly RecordedEvent[] {
    return this.pending
  }

  /** The documents folded so far, at the projection's average document size (its cache's): what this write holds of them. */
  documentBytes(): number {
    return this.touched.size * (this.member.cache?.documentBytes() ?? 0)
  }

  /** The next read batch's events for this projection, folded into the same documents (one write for both). */
  extend(events: readonly RecordedEvent[]): void {
    // arrays are shared with the other projections of the lane: never changed in place
    this.pending = this.pending.length === 0 ? events : this.pending.concat(events)
    this.taken += events.length
  }

  /**
   * Keys the events not folded yet read that neither this write, the write before it, the cache (nor, on an empty
   * version, the written keys) knows.
   */
  misses(): string[] {
    const { projection, cache, written } = this.member
    const needed = new Set<string>()
    for (let index = this.pendingKeys.length; index < this.pending.length; index++) {
      const keys = keysFor(projection, this.pending[index]!)
      this.pendingKeys.push(keys)
      for (const key of keys) needed.add(key)
    }
    if (needed.size > 0) for (const key of projection.sharedKeys ?? []) needed.add(key)
    const missing: string[] = []
    for (const key of needed) {
      // taken for an earlier batch of this write: base keeps the state from before the write (for culprit)
      if (this.base.has(key)) continue
      const folded = this.prior?.get(key)
      const cached = folded ? undefined : cache?.peek(key)
      if (folded) this.base.set(key, folded.state)
      else if (cached) this.base.set(key, cached.state)
      else if (written && !written.mightHave(key)) this.base.set(key, ABSENT)
      else missing.push(key)
    }
    return missing
  }

  /** A missed document as loaded (ABSENT: it has none). */
  loaded(key: string, state: unknown): void {
    this.base.set(key, state)
  }

  /** Folds the events not folded yet on top of the documents so far; the fold's documents become the write in flight. */
  fold(): void {
    const source = this.sourceOver(this.touched)
    const { written } = this.member
    const before = this.touched.size
    const { pending, pendingKeys } = this
    for (let index = 0; index < pending.length; index++) this.foldEvent(pending[index]!, pendingKeys[index]!, source, this.touched, this.logEntries)
    // folded: the events go (a write far behind the head may take many read batches), their documents stay
    this.pending = []
    this.pendingKeys = []
    // a Map keeps insertion order: the keys after the first `before` are the ones this fold added
    if (written && this.touched.size > before) {
      let index = 0
      for (const key of this.touched.keys()) if (index++ >= before) written.add(key)
    }
    this.member.inflight = this.touched
  }

  /** Where the fold reads documents: those folded so far in `touched`, else the ones taken before the fold. */
  private sourceOver(touched: Map<string, DocumentWrite>) {
    const { base } = this
    return {
      has: (key: string) => touched.has(key) || (base.has(key) && base.get(key) !== ABSENT),
      get: (key: string) => {
        const folded = touched.get(key)
        return folded ? folded.state : base.get(key)
      },
    }
  }

  /** Folds one event into `touched`; returns the documents it wrote. An evolve that throws becomes EventFailed. */
  private foldEvent(
    event: RecordedEvent,
    keys: readonly string[],
    source: ReturnType<Work['sourceOver']>,
    touched: Map<string, DocumentWrite>,
    logEntries: LogEntryWrite[],
  ): DocumentWrite[] | undefined {
    if (keys.length === 0) return undefined
    const { projection } = this.member
    const logs = projection.logs
    let applied: Map<string, unknown>
    try {
      applied = applyEvent(projection, source, event, keys)
    } catch (error) {
      throw new EventFailed(event, error)
    }
    let written: DocumentWrite[] | undefined
    for (const [key, next] of applied) {
      const state = !logs || logs.length === 0 ? next : takeLogEntries(logs, next, (field, entry, idx) =>
        logEntries.push({ projection: projection.name, version: projection.version, key, field, position: event.position, idx, entry }),
      )
      const doc = { key, state, position: event.position }
      touched.set(key, doc)
      ;(written ??= []).push(doc)
    }
    return written
  }

  /**
   * After a failed write: the first event whose output the database refuses (refolded one at a time), or undefined.
   * `events` are the write's events read again from the store: those after `from` up to `to`, the write's end.
   */
  async culprit(db: SqlExecutor, events: AsyncIterable<RecordedEvent>, to: Position): Promise<EventFailed | undefined> {
    const touched = new Map<string, DocumentWrite>()
    const source = this.sourceOver(touched)
    const { projection } = this.member
    for await (const event of events) {
      if (comparePositions(event.position, to) > 0) break
      const entries: LogEntryWrite[] = []
      const docs = this.foldEvent(event, keysFor(projection, event), source, touched, entries)
      if (!docs) continue
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
