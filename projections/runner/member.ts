// One projection as this runner maintains it, and the documents it keeps in memory between batches.
import { LRUCache } from 'lru-cache'
import type { Position } from '../../eventstore/types.ts'
import { START } from '../../eventstore/types.ts'
import type { AnyProjection } from '../projection.ts'
import type { DocumentWrite, FailedEvent } from '../store.ts'
import type { Lane } from './lane.ts'
import type { ProjectionState, ProjectionStatus } from './types.ts'
import type { WrittenKeys } from './written.ts'

/** a key known to have no document */
export const ABSENT = Symbol('absent')

/**
 * The documents of one projection version as last committed or loaded, least recently written forgotten first
 * (read with `peek`, so reading keeps none; boxed: lru-cache holds no undefined). Valid for one attachment only.
 * `documentBytes()`: what one of its documents weighs, the moving average of the measured ones (0 before any), which a
 * catch-up write uses to bound what it holds (decision 031).
 */
export type DocumentCache = LRUCache<string, { state: unknown }> & { readonly documentBytes: () => number }

/**
 * Bytes of documents one projection keeps (decision 028): a document counts as its JSON's length, which is within
 * 0.7-1.2x of what V8 holds it in. At 1M events and 1,000 partners all caches together should hold ~50 MB (by count:
 * ~100 MB, and 10x that with 10x the partners); the per-partner projections (11 KB documents) keep the ~360 latest written.
 */
export const DOCUMENT_CACHE_BYTES = 4_000_000

/** counted per entry besides the document: the key's string, the box and lru-cache's slots */
const ENTRY_BYTES = 96
/** one in this many documents kept is measured with JSON.stringify (the first ones all are); the others count as the average */
const MEASURE_EVERY = 16
const MEASURE_FIRST = 32

/** Keeps at most `limit` documents and `maxBytes` of them, as measured by a sample (decision 028). */
export function documentCache(limit: number, maxBytes = DOCUMENT_CACHE_BYTES): DocumentCache {
  // a moving average of the measured documents' sizes: documents grow with the history, so recent ones weigh more
  let average = 0
  let measured = 0
  let kept = 0
  const sizeOf = (box: { state: unknown }, key: string): number => {
    const overhead = ENTRY_BYTES + 2 * key.length
    if (box.state === ABSENT || box.state === undefined || box.state === null) return overhead
    if (measured < MEASURE_FIRST || ++kept % MEASURE_EVERY === 0) {
      let bytes: number
      try {
        bytes = JSON.stringify(box.state)?.length ?? 0
      } catch {
        return overhead + Math.ceil(average) // a state JSON cannot hold is never written: it counts as an average one
      }
      measured++
      average += (bytes - average) / Math.min(measured, MEASURE_FIRST)
      return overhead + bytes
    }
    return overhead + Math.ceil(average)
  }
  const cache = new LRUCache<string, { state: unknown }>({ max: Math.max(1, limit), maxSize: Math.max(1, Math.floor(maxBytes)), sizeCalculation: sizeOf })
  return Object.assign(cache, { documentBytes: () => ENTRY_BYTES + Math.ceil(average) })
}

export class Member {
  state: ProjectionState = 'stopped'
  /** committed position of the version being worked on */
  position: Position = START
  /** committed position of the active version, when this runner is the one advancing it */
  activePosition: Position | undefined
  building = false
  /** a rebuild is swapped in at the head of the log, at or past the old version's position */
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
  /** prepare() found its version without documents at START: the attachment that starts there writes all of them */
  emptyAtStart = false
  /** every key this attachment folded, when it started on an empty version: a miss on another key loads nothing */
  written: WrittenKeys | undefined

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
