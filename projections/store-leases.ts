// Leases with a fencing epoch (decision 010): which runner may write which projections, timed by the database's clock.
import type { SqlExecutor } from '../eventstore/postgres/driver.ts'

export type Lease = { projection: string; epoch: bigint }

const LEASE_MS = `($3::bigint * interval '1 millisecond')`

/**
 * Takes the leases among `projections` that nobody holds or whose holder let them expire (time is the database's, so
 * the processes' clocks do not matter); each one taken gets the next epoch. Returns the leases taken.
 */
export async function takeLeases(db: SqlExecutor, projections: readonly string[], holder: string, leaseMs: number): Promise<Lease[]> {
  if (projections.length === 0) return []
  const { rows } = await db.query<{ projection: string; epoch: string }>(
    `insert into projection_leases as l (projection, holder, epoch, expires_at)
     select x.projection, $2, 1, now() + ${LEASE_MS} from unnest($1::text[]) as x(projection)
     on conflict (projection) do update set holder = excluded.holder, epoch = l.epoch + 1, expires_at = excluded.expires_at
      where l.expires_at <= now()
     returning l.projection, l.epoch::text as epoch`,
    [[...projections], holder, Math.round(leaseMs)],
  )
  return rows.map((row) => ({ projection: row.projection, epoch: BigInt(row.epoch) }))
}

/** Extends the leases this holder still has at their epoch; returns the projections renewed (a missing one was taken). */
export async function renewLeases(db: SqlExecutor, leases: readonly Lease[], holder: string, leaseMs: number): Promise<Set<string>> {
  if (leases.length === 0) return new Set()
  const { rows } = await db.query<{ projection: string }>(
    `update projection_leases l set expires_at = now() + ${LEASE_MS}
       from unnest($1::text[], $4::bigint[]) as x(projection, epoch)
      where l.projection = x.projection and l.epoch = x.epoch and l.holder = $2
      returning l.projection`,
    [leases.map((l) => l.projection), holder, Math.round(leaseMs), leases.map((l) => l.epoch.toString())],
  )
  return new Set(rows.map((row) => row.projection))
}

/** Lets the leases go (they expire now), if this holder still has them at their epoch. */
export async function releaseLeases(db: SqlExecutor, leases: readonly Lease[], holder: string): Promise<void> {
  if (leases.length === 0) return
  await db.query(
    `update projection_leases l set expires_at = '-infinity'
       from unnest($1::text[], $3::bigint[]) as x(projection, epoch)
      where l.projection = x.projection and l.epoch = x.epoch and l.holder = $2`,
    [leases.map((l) => l.projection), holder, leases.map((l) => l.epoch.toString())],
  )
}

/**
 * The fencing check, first in every transaction that writes a read model: returns the projections whose lease this
 * holder still has at its epoch and locks those rows until commit, so nobody can take them over meanwhile. The
 * caller writes only for those. A transaction left idle (its process frozen) is ended by the server after the lease
 * time, which releases the rows for the next holder. The transaction commits without waiting for its WAL flush
 * (decision 021): read models are derived, and a crash that loses the last batches loses their checkpoint moves with
 * them, so the next holder redoes them; what readers saw may briefly go back until it has.
 */
export async function fenceLeases(tx: SqlExecutor, leases: readonly Lease[], holder: string, leaseMs: number): Promise<Set<string>> {
  if (leases.length === 0) return new Set()
  const { rows } = await tx.query<{ projection: string }>(
    `with idle as (select set_config('idle_in_transaction_session_timeout', $3::text, true), set_config('synchronous_commit', 'off', true))
     select l.projection from idle, projection_leases l
       join unnest($1::text[], $4::bigint[]) as x(projection, epoch) on l.projection = x.projection and l.epoch = x.epoch
      where l.holder = $2
      for share of l`,
    [leases.map((l) => l.projection), holder, String(Math.round(leaseMs)), leases.map((l) => l.epoch.toString())],
  )
  return new Set(rows.map((row) => row.projection))
}
