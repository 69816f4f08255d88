// How a failed projection is shown (health check, Verify page, npm run verify): named, with the event and the error.
import type { ProjectionStatus } from './runner.ts'
import type { FailedEvent } from './store.ts'

/** A failed projection as JSON: which projection, which event (position, id, type, stream) and why. */
export type FailedProjectionView = {
  projection: string
  version: number
  /** halted: stopped on this event until fixed (decision 010); failed: its last batch failed and is retried */
  state: 'halted' | 'failed'
  error: string
  event?: { position: string; id: string; type: string; stream: string }
  failedAt?: string
}

function failedEventView(failure: FailedEvent): FailedProjectionView {
  return {
    projection: failure.projection,
    version: failure.version,
    state: 'halted',
    error: failure.error,
    event: { position: `${failure.position.commit}/${failure.position.prepare}`, id: failure.eventId, type: failure.eventType, stream: failure.streamId },
    failedAt: failure.failedAt.toISOString(),
  }
}

/** The projections that failed or stopped on an event, here or as recorded by other processes. */
export function failedProjections(status: readonly ProjectionStatus[], recorded: readonly FailedEvent[] = []): FailedProjectionView[] {
  const out = new Map<string, FailedProjectionView>()
  for (const failure of recorded) out.set(`${failure.projection}@${failure.version}`, failedEventView(failure))
  for (const p of status) {
    const key = `${p.name}@${p.version}`
    if (p.failure) out.set(key, failedEventView(p.failure))
    else if ((p.state === 'failed' || p.state === 'halted') && !out.has(key)) {
      out.set(key, { projection: p.name, version: p.version, state: p.state, error: p.error ?? 'unknown error' })
    }
  }
  return [...out.values()].sort((a, b) => a.projection.localeCompare(b.projection))
}

/** One line for a terminal or a log. */
export function failedProjectionLine(view: FailedProjectionView): string {
  const event = view.event ? ` at event ${view.event.position} (id ${view.event.id}, ${view.event.type} in ${view.event.stream})` : ''
  return `${view.projection} v${view.version} ${view.state === 'halted' ? 'stopped' : 'failed'}${event}: ${view.error}`
}
