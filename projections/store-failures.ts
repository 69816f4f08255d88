// The event each projection version stopped on, and why (decision 010): recorded by the runner, read by verify and /healthz.
import type { SqlExecutor } from '../eventstore/postgres/driver.ts'
import type { Position } from '../eventstore/types.ts'

/** The event a projection version stopped on, and why. */
export type FailedEvent = {
  projection: string
  version: number
  position: Position
  eventId: string
  eventType: string
  streamId: string
  error: string
  failedAt: Date
}

type FailureRow = {
  projection: string; version: number; commit: string; prepare: string; event_id: string; event_type: string; stream_id: string; error: string; failed_at: Date | string
}

/** Records (or replaces) the event a projection version stopped on. */
export async function recordFailure(db: SqlExecutor, failure: Omit<FailedEvent, 'failedAt'>): Promise<void> {
  await db.query(
    `insert into projection_failures (projection, version, position_commit, position_prepare, event_id, event_type, stream_id, error, failed_at)
     values ($1, $2, $3::numeric, $4::bigint, $5, $6, $7, $8, now())
     on conflict (projection, version) do update
       set position_commit = excluded.position_commit, position_prepare = excluded.position_prepare, event_id = excluded.event_id,
           event_type = excluded.event_type, stream_id = excluded.stream_id, error = excluded.error, failed_at = excluded.failed_at`,
    [failure.projection, failure.version, failure.position.commit.toString(), failure.position.prepare.toString(),
      failure.eventId, failure.eventType, failure.streamId, failure.error],
  )
}

/**
 * Recorded failures whose version is the active or building one (a retired version's failure no longer matters), of
 * every projection or of those named.
 */
export async function readFailures(db: SqlExecutor, projections?: readonly string[]): Promise<FailedEvent[]> {
  const { rows } = await db.query<FailureRow>(
    `select f.projection, f.version, f.position_commit::text as commit, f.position_prepare::text as prepare, f.event_id, f.event_type,
            f.stream_id, f.error, f.failed_at
       from projection_failures f
       join projection_checkpoints c on c.projection = f.projection and c.version = f.version and c.status <> 'retired'
      where $1::text[] is null or f.projection = any($1::text[])
      order by f.projection, f.version`,
    [projections ? [...projections] : null],
  )
  return rows.map((row) => ({
    projection: row.projection,
    version: Number(row.version),
    position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
    eventId: row.event_id,
    eventType: row.event_type,
    streamId: row.stream_id,
    error: row.error,
    failedAt: row.failed_at instanceof Date ? row.failed_at : new Date(row.failed_at),
  }))
}

/** Forgets the failures of these projection versions that lie at or before `to` (their checkpoint moved past them). */
export async function clearFailures(tx: SqlExecutor, versions: readonly { projection: string; version: number }[], to: Position): Promise<void> {
  if (versions.length === 0) return
  await tx.query(
    `delete from projection_failures f using unnest($1::text[], $2::int[]) as x(projection, version)
      where f.projection = x.projection and f.version = x.version
        and (f.position_commit < $3::numeric or (f.position_commit = $3::numeric and f.position_prepare <= $4::bigint))`,
    [versions.map((v) => v.projection), versions.map((v) => v.version), to.commit.toString(), to.prepare.toString()],
  )
}
