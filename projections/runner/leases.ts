// Who runs each projection: a lease per projection with a fencing epoch in projection_leases (decision 010).
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { Lease } from '../store.ts'
import { fenceLeases, releaseLeases, renewLeases, takeLeases } from '../store.ts'
import { describe, type ProjectionLogger } from './types.ts'

/** Raised inside a write transaction when the fencing check finds leases taken over: nothing of theirs is written. */
export class LeasesLost extends Error {
  constructor(readonly names: string[]) {
    super(`Lease of ${names.join(', ')} was taken over by another runner`)
  }
}

/**
 * The projections this runner holds under leases with a fencing epoch (decision 010): an expired lease may be taken
 * by another process, which raises the epoch, so a holder that froze writes nothing after.
 */
export class Leases {
  readonly holder = globalThis.crypto.randomUUID()
  private readonly held = new Map<string, bigint>()
  private timer: NodeJS.Timeout | undefined
  private renewing = false

  constructor(
    private readonly driver: SqlDriver,
    readonly leaseMs: number,
    private readonly onLost: (names: string[]) => void,
    private readonly logger: ProjectionLogger,
  ) {}

  private leasesOf(names: readonly string[]): Lease[] {
    return names.flatMap((projection) => {
      const epoch = this.held.get(projection)
      return epoch === undefined ? [] : [{ projection, epoch }]
    })
  }

  /** Tries every lease not held yet in one statement; returns the names held afterwards. */
  async tryAcquireMany(names: readonly string[]): Promise<Set<string>> {
    const wanted = names.filter((name) => !this.held.has(name))
    const out = new Set(names.filter((name) => this.held.has(name)))
    if (wanted.length === 0) return out
    let taken: Lease[]
    try {
      taken = await this.driver.transaction(async (tx) => {
        // a frozen holder's transaction locks the lease row: try again later rather than wait
        await tx.query(`select set_config('lock_timeout', $1, true)`, [String(Math.max(50, Math.min(1000, Math.round(this.leaseMs / 4))))])
        return takeLeases(tx, wanted, this.holder, this.leaseMs)
      })
    } catch (error) {
      if ((error as { code?: unknown }).code === '55P03') return out
      throw error
    }
    for (const lease of taken) {
      this.held.set(lease.projection, lease.epoch)
      out.add(lease.projection)
    }
    if (this.held.size > 0) this.startRenewal()
    return out
  }

  /** First statement of a write transaction: throws LeasesLost (after forgetting them) for leases no longer ours. */
  async fence(tx: SqlExecutor, names: readonly string[]): Promise<void> {
    const leases = this.leasesOf(names)
    const kept = await fenceLeases(tx, leases, this.holder, this.leaseMs)
    const lost = names.filter((name) => !kept.has(name))
    if (lost.length > 0) throw new LeasesLost(lost)
  }

  /** Forgets leases found taken over, and tells the runner. */
  lost(names: readonly string[]): void {
    const gone = names.filter((name) => this.held.delete(name))
    if (gone.length === 0) return
    this.logger.warn('lost the lease of projections to another runner', { projections: gone })
    this.onLost(gone)
  }

  async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0) return
    this.renewing = true
    try {
      const leases = this.leasesOf([...this.held.keys()])
      const renewed = await renewLeases(this.driver, leases, this.holder, this.leaseMs)
      // only those still held at the epoch we renewed with
      this.lost(leases.filter((l) => !renewed.has(l.projection) && this.held.get(l.projection) === l.epoch).map((l) => l.projection))
    } catch (error) {
      // not lost yet: the writes' fence decides; the lease expires if this goes on
      this.logger.warn('could not renew the projection leases', { error: describe(error) })
    } finally {
      this.renewing = false
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    const leases = this.leasesOf([...this.held.keys()])
    this.held.clear()
    // let the next runner take them at once rather than after the lease time
    await releaseLeases(this.driver, leases, this.holder).catch((error: unknown) =>
      this.logger.warn('could not release the projection leases', { error: describe(error) }),
    )
  }

  private startRenewal(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(this.leaseMs / 3)))
    this.timer.unref()
  }
}
