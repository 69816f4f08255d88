// The log check of the auditor's Verify page: the hash chain, then the seals, run beside the read-model job.
import { chainHoldsFrom, describeBroken, verifyLog, type BrokenEvent } from '../eventstore/verify-log.ts'
import { describeBrokenSeal, verifySeals, type BrokenSeal } from '../eventstore/verify-seals.ts'
import { sealCheck, sealStorageOf } from './sealer.server.ts'
import type { AppServices } from './services.server.ts'

export type SealCheck = {
  sealsVerified: number
  /** the last intact seal: "#n through position N at T" */
  lastSeal: { number: string; throughPosition: string; sealedAt: string } | null
  /** events after it, protected by the chain only */
  unsealedEvents: number
  firstBroken: (Omit<BrokenSeal, 'number' | 'fromPosition' | 'toPosition'> & { number: string; fromPosition: string | null; toPosition: string | null; line: string }) | null
  /** the seals could not be checked (EventStoreDB, or an error) */
  error: string | null
  /** how many public keys a signature may verify with: the deployment's and those in SEAL_PUBLIC_KEYS */
  keysChecked: number
}

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
  /** the seals over the global order, checked after the chain (null until then) */
  seals: SealCheck | null
}

const checks = new Map<string, LogCheck>()

export function logCheckOf(jobId: string): LogCheck | null {
  return checks.get(jobId) ?? null
}

/** Starts the log check for a verification job; the job's id names it. */
/** Checks the seals with the deployment's public key and the earlier ones listed in SEAL_PUBLIC_KEYS. */
export async function checkSeals(services: Pick<AppServices, 'env' | 'sql' | 'signingKey'>): Promise<SealCheck> {
  const storage = sealStorageOf(services)
  const keys = [services.signingKey.publicKeyPem, ...services.env.SEAL_PUBLIC_KEYS]
  const failed = (error: string) => ({ sealsVerified: 0, lastSeal: null, unsealedEvents: 0, firstBroken: null, error, keysChecked: keys.length })
  if (!storage) return failed('The events are in EventStoreDB: they are not sealed')
  try {
    const result = await verifySeals(storage, sealCheck(...keys))
    const broken = result.firstBroken
    return {
      sealsVerified: result.sealsVerified,
      lastSeal: result.lastSeal
        ? { number: result.lastSeal.number.toString(), throughPosition: result.lastSeal.through.prepare.toString(), sealedAt: result.lastSeal.sealedAt }
        : null,
      unsealedEvents: result.unsealedEvents,
      firstBroken: broken
        ? {
            ...broken, number: broken.number.toString(), fromPosition: broken.fromPosition?.toString() ?? null,
            toPosition: broken.toPosition?.toString() ?? null, line: describeBrokenSeal(broken),
          }
        : null,
      error: null,
      keysChecked: keys.length,
    }
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error))
  }
}

export function startLogCheck(services: Pick<AppServices, 'store' | 'env' | 'sql' | 'signingKey'>, jobId: string): LogCheck {
  const existing = checks.get(jobId)
  if (existing) return existing
  const check: LogCheck = {
    finishedAt: null, eventsVerified: 0, streamsVerified: 0, holdsFrom: null, migratedAt: null, firstBroken: null, brokenCount: 0, error: null,
    seals: null,
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
      check.seals = await checkSeals(services)
    } catch (error) {
      check.error = error instanceof Error ? error.message : String(error)
    } finally {
      check.finishedAt = new Date().toISOString()
    }
  })()
  return check
}
