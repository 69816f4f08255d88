// The log check of the auditor's Verify page: the event store's hash chain (eventstore/verify-log.ts), run beside the
// read-model verification job and kept in this process under the job's id.
import { chainHoldsFrom, describeBroken, verifyLog, type BrokenEvent } from '../eventstore/verify-log.ts'
import type { AppServices } from './services.server.ts'

export type LogCheck = {
  finishedAt: string | null
  eventsVerified: number
  streamsVerified: number
  /** the chain holds from this global position (events before it were chained by a migration) */
  holdsFrom: string | null
  migratedAt: string | null
  firstBroken: (Omit<BrokenEvent, 'position' | 'streamRevision'> & { position: string | null; streamRevision: string; line: string }) | null
  brokenCount: number
  /** the check could not run (an adapter without stored hashes, or an error) */
  error: string | null
}

const checks = new Map<string, LogCheck>()

export function logCheckOf(jobId: string): LogCheck | null {
  return checks.get(jobId) ?? null
}

/** Starts the log check for a verification job; the job's id names it. */
export function startLogCheck(services: Pick<AppServices, 'store'>, jobId: string): LogCheck {
  const existing = checks.get(jobId)
  if (existing) return existing
  const check: LogCheck = {
    finishedAt: null, eventsVerified: 0, streamsVerified: 0, holdsFrom: null, migratedAt: null, firstBroken: null, brokenCount: 0, error: null,
  }
  checks.set(jobId, check)
  if (checks.size > 20) checks.delete(checks.keys().next().value!)
  void (async () => {
    try {
      const reader = services.store.chain
      if (!reader) throw new Error('This event store keeps no hash chain to verify')
      const result = await verifyLog(reader)
      const broken = result.firstBroken
      Object.assign(check, {
        eventsVerified: result.eventsVerified,
        streamsVerified: result.streamsVerified,
        holdsFrom: chainHoldsFrom(result).toString(),
        migratedAt: result.migratedAt?.toISOString() ?? null,
        brokenCount: result.brokenCount,
        firstBroken: broken
          ? { ...broken, position: broken.position?.toString() ?? null, streamRevision: broken.streamRevision.toString(), line: describeBroken(broken) }
          : null,
      })
    } catch (error) {
      check.error = error instanceof Error ? error.message : String(error)
    } finally {
      check.finishedAt = new Date().toISOString()
    }
  })()
  return check
}
