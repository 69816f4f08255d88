// Time travel for auditors and a self-check: a projection folded in memory up to a position or a date.
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import type { EventStore, Position, RecordedEvent } from '../eventstore/types.ts'
import { comparePositions } from '../eventstore/types.ts'
import type { Projection } from './projection.ts'
import { foldEvents } from './projection.ts'
import { loadDocuments, loadLogs, readCheckpoint } from './store.ts'

/** An event's two clocks: when it happened (occurredAt, not in log order) and when it was recorded (decision 012). */
export type EventClock = 'occurred' | 'recorded'

/** The event's time on that clock, in milliseconds. */
export function eventTime(event: RecordedEvent, clock: EventClock): number {
  return clock === 'occurred' ? Date.parse(event.metadata.occurredAt) : event.recordedAt.getTime()
}

export type FoldUntilOptions = {
  /** inclusive: events at or before this position */
  position?: Position
  /** inclusive, on `clock`: events later on that clock are skipped, the rest are folded in log order */
  until?: Date
  /** the clock `until` is read on; business time (occurred) unless told */
  clock?: EventClock
}

/** Folds the projection over the log in memory; returns the documents by key (only keys some event touched). */
export async function foldUntil<S, E extends RecordedEvent>(
  store: EventStore,
  projection: Projection<S, E>,
  options: FoldUntilOptions = {},
): Promise<Map<string, S>> {
  const docs = new Map<string, unknown>()
  const until = options.until?.getTime()
  const clock = options.clock ?? 'occurred'
  for await (const event of store.readAll()) {
    if (options.position && comparePositions(event.position, options.position) > 0) break
    if (until !== undefined && eventTime(event, clock) > until) continue
    foldEvents(projection, docs, event)
  }
  return docs as Map<string, S>
}

export type ProjectionDifference = { key: string; live: unknown; rebuilt: unknown }

export type VerificationReport = {
  projection: string
  version: number
  /** the live checkpoint the rebuild went up to */
  position: Position
  /** keys present live, rebuilt, or both */
  documentsCompared: number
  differences: ProjectionDifference[]
}

/** Deep equality of JSON values; object key order is ignored (JSONB reorders keys). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
}

function roundTrip(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

/** Rebuilds the projection in memory to its live checkpoint and compares it with the stored rows, in one snapshot. */
export async function verifyProjection<S, E extends RecordedEvent>(
  store: EventStore,
  driver: SqlDriver,
  projection: Projection<S, E>,
): Promise<VerificationReport> {
  const { name, version } = projection
  const { position, live } = await driver.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read')
    const checkpoint = await readCheckpoint(tx, name, version)
    if (!checkpoint) throw new Error(`Projection ${name} v${version} has no checkpoint: nothing to verify`)
    const live = await loadDocuments(tx, name, version)
    if (projection.logs?.length) {
      // the runner keeps log fields as rows: put them back where an in-memory fold has them
      const logs = await loadLogs(tx, name, version)
      for (const [key, fields] of logs) {
        const doc = live.get(key)
        live.set(key, typeof doc === 'object' && doc !== null ? { ...doc, ...Object.fromEntries(fields) } : doc)
      }
    }
    return { position: checkpoint.position, live }
  })
  const rebuilt = await foldUntil(store, projection, { position })
  const keys = [...new Set([...live.keys(), ...rebuilt.keys()])].sort()
  const differences: ProjectionDifference[] = []
  for (const key of keys) {
    const liveState = roundTrip(live.get(key))
    const rebuiltState = roundTrip(rebuilt.get(key))
    if (!jsonEqual(liveState, rebuiltState)) differences.push({ key, live: liveState, rebuilt: rebuiltState })
  }
  return { projection: name, version, position, documentsCompared: keys.length, differences }
}
