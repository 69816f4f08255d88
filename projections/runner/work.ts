// One batch's fold for one projection: the events after its checkpoint folded into its documents and log entries.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { Position, RecordedEvent } from '../../eventstore/types.ts'
import { START } from '../../eventstore/types.ts'
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
  /** every event of the write, in order: one read batch, or several folded one after the other (extend) */
  private eventList: RecordedEvent[]
  private ownsEvents = false
  private readonly keysPerEvent: (readonly string[])[] = []
  /** events folded so far */
  private foldedUpTo = 0
  /** The documents this write folds on, taken in misses(): while misses load, the cache may drop ones it needs. */
  private readonly base = new Map<string, unknown>()
  /** the documents of the write before this one (member.inflight when this began), current until it commits */
  private readonly prior: Map<string, DocumentWrite> | undefined

  constructor(
    readonly member: Member,
    events: readonly RecordedEvent[],
  ) {
    this.attachment = member.attachment
    this.eventList = events as RecordedEvent[]
    this.prior = member.inflight
  }

  get events(): readonly RecordedEvent[] {
    return this.eventList
  }

  /** The documents folded so far, at the projection's average document size (its cache's): what this write holds of them. */
  documentBytes(): number {
    return this.touched.size * (this.member.cache?.documentBytes() ?? 0)
  }

  /** The next read batch's events for this projection, folded into the same documents (one write for both). */
  extend(events: readonly RecordedEvent[]): void {
    if (!this.ownsEvents) {
      // the first batch's array is shared with the other projections of the lane
      this.eventList = this.eventList.slice()
      this.ownsEvents = true
    }
    for (const event of events) this.eventList.push(event)
  }

  /**
   * Keys the events not folded yet read that neither this write, the write before it, the cache (nor, on an empty
   * version, the written keys) knows.
   */
  misses(): string[] {
    const { projection, cache, written } = this.member
    const needed = new Set<string>()
    for (let index = this.keysPerEvent.length; index < this.eventList.length; index++) {
      const keys = keysFor(projection, this.eventList[index]!)
      this.keysPerEvent.push(keys)
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
    for (let index = this.foldedUpTo; index < this.eventList.length; index++) this.foldEvent(this.eventList[index]!, index, source, this.touched, this.logEntries)
    this.foldedUpTo = this.eventList.length
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
    index: number,
    source: ReturnType<Work['sourceOver']>,
    touched: Map<string, DocumentWrite>,
    logEntries: LogEntryWrite[],
  ): DocumentWrite[] | undefined {
    const keys = this.keysPerEvent[index]!
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

  /** After a failed write: the first event whose output the database refuses (refolded one at a time), or undefined. */
  async culprit(db: SqlExecutor): Promise<EventFailed | undefined> {
    const touched = new Map<string, DocumentWrite>()
    const source = this.sourceOver(touched)
    for (const [index, event] of this.eventList.entries()) {
      const entries: LogEntryWrite[] = []
      const docs = this.foldEvent(event, index, source, touched, entries)
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
