// The runner's public types: its options, the states a projection goes through, and what status() reports.
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore, Position } from '../../eventstore/types.ts'
import type { AnyProjection } from '../projection.ts'
import type { FailedEvent } from '../store.ts'

export type { FailedEvent } from '../store.ts'

export type ProjectionLogger = {
  info(message: string, details?: Record<string, unknown>): void
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
}

export type ProjectionRunnerOptions = {
  store: EventStore
  driver: SqlDriver
  projections: readonly AnyProjection[]
  /** events per read batch, folded for every projection of a reader together; near the head one SQL transaction each; default 5,000 */
  batchSize?: number
  /**
   * Far behind the head (events catchUpAgeMs old, or a full batch already read behind the one folded), read batches
   * are folded into one write for up to catchUpMs of folding (default 1000: the read models advance at least that
   * often), up to catchUpEvents events (default 2 batches) and catchUpDocuments documents touched (default 4 batches'
   * worth): a document many batches touch is written once per write (decisions 027, 036). A folded event is not kept.
   */
  catchUpEvents?: number
  catchUpDocuments?: number
  /**
   * and up to about catchUpBytes of memory for its touched documents (each at its projection's average document size),
   * log entries and the batch being folded (default 32,000,000): what a write holds stays bounded whatever the
   * documents weigh (decision 031)
   */
  catchUpBytes?: number
  catchUpMs?: number
  /**
   * what the events read ahead of the fold may hold in memory, about (an event counts ~800 bytes plus twice its data's
   * JSON length; default 6,000,000); besides that, at most 2 read batches are read ahead (decision 036)
   */
  readAheadBytes?: number
  /** events at least this old (ms, default 10,000) mean the log is being replayed: the reader is given time to fill batches */
  catchUpAgeMs?: number
  /** documents each projection keeps in memory between batches (the most recently written); default 10,000 */
  cacheSize?: number
  /** and at most this many bytes of them per projection (their JSON's length, sampled; default DOCUMENT_CACHE_BYTES, 4 MB) */
  cacheBytes?: number
  /** default: console */
  logger?: ProjectionLogger
  /** how often to try to take a lease held elsewhere and read others' failures; default 2000 ms */
  lockRetryMs?: number
  /** how long a lease lasts without renewal (renewed every third of it); default 10,000 ms */
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
  /** stopped on an event it cannot fold or store (`failure` names it); tried again at start (decision 010) */
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
   * Resolves when every projection's active version has processed `position`, skipping rebuilds and failed ones
   * (waiting cannot help them); rejects with ProjectionWaitTimeout.
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

export const consoleLogger: ProjectionLogger = {
  info: (message, details) => console.info(`[projections] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[projections] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[projections] ${message}`, details ?? ''),
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
