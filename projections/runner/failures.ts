// A projection taken off its lane: failed (retried after the retry policy's pause) or halted on an event it cannot
// get past, recorded for every process (decision 010).
import { isConnectionError, type SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { FailedEvent } from '../store.ts'
import { recordFailure } from '../store.ts'
import { retryDelay } from './backoff.ts'
import { type Leases, LeasesLost } from './leases.ts'
import type { Member } from './member.ts'
import { fenced } from './rebuild.ts'
import { describe, type ProjectionLogger } from './types.ts'
import type { EventFailed } from './work.ts'

/** What failing and halting need of the runner. */
type FailureHost = {
  readonly driver: SqlDriver
  readonly leases: Leases | undefined
  readonly logger: ProjectionLogger
  readonly stopped: boolean
  readonly retryDelayMs: number
  detach(member: Member): void
  progressed(): void
}

/** Takes the projection off its lane; attached again after the retry policy's pause. */
export function failMember(host: FailureHost, member: Member, error: unknown): void {
  if (error instanceof LeasesLost) {
    host.leases?.lost(error.names)
    return
  }
  if (member.state === 'halted') return
  host.detach(member)
  member.activePosition = undefined
  if (host.stopped) return
  member.error = describe(error)
  if (isConnectionError(error)) {
    // one warning per outage, and a steady retry so that it is live soon after
    if (member.state !== 'waiting-for-database') host.logger.warn('projection waits for the database connection', { projection: member.name, error: member.error })
    member.state = 'waiting-for-database'
    member.retryAt = Date.now() + retryDelay(0, host.retryDelayMs)
    return
  }
  member.failures++
  member.state = 'failed'
  const pause = retryDelay(member.failures, host.retryDelayMs)
  member.retryAt = Date.now() + pause
  host.logger.error('projection batch failed; retrying from the checkpoint', {
    projection: member.name,
    version: member.projection.version,
    error: member.error,
    retryInMs: pause,
  })
}

/** Halts the projection on an event it cannot get past, keeping its lease so no other process loops on that event. */
export async function haltMember(host: FailureHost, member: Member, failed: EventFailed): Promise<void> {
  host.detach(member)
  member.activePosition = undefined
  if (host.stopped) return
  const { event } = failed
  const failure: FailedEvent = {
    projection: member.name, version: member.projection.version, position: event.position,
    eventId: event.id, eventType: event.type, streamId: event.streamId, error: failed.message, failedAt: new Date(),
  }
  member.state = 'halted'
  member.failure = failure
  member.error = failure.error
  member.retryAt = Number.POSITIVE_INFINITY
  host.progressed()
  host.logger.error('projection stopped on an event it cannot process; fix the projection or the data and restart (docs/decisions/010)', {
    projection: failure.projection, version: failure.version, position: `${event.position.commit}/${event.position.prepare}`,
    eventId: failure.eventId, eventType: failure.eventType, streamId: failure.streamId, error: failure.error,
  })
  try {
    await host.driver.transaction(async (tx) => {
      await fenced(host, member.name)(tx)
      await recordFailure(tx, failure)
    })
    member.recorded = failure
  } catch (error) {
    if (error instanceof LeasesLost) host.leases?.lost(error.names)
    else host.logger.warn('could not record the failed event', { projection: member.name, error: describe(error) })
  }
}
