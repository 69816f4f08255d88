// The auditor's timeline entry of an event (what happened, who did it, when, to which partner), and the projection
// that keeps those entries as documents for a log that is not in SQL (EventStoreDB); a SQL log is read directly.
import { eventSchemas, personalData, redactSubject } from '../domain/index.ts'
import type { RecordedEvent } from '../eventstore/types.ts'
import type { DomainRecordedEvent, Projection } from './projection.ts'

export type TimelineDoc = {
  eventId: string
  type: string
  streamId: string
  streamRevision: string
  globalPosition: string
  partnerId: string | null
  actor: string
  tenant: string
  occurredAt: string
  recordedAt: string
  data: unknown
  metadata: unknown
}

/** The entry of a decoded event: the page's row, the event detail and the erasure plan read these fields. */
export function timelineEntryOf(event: RecordedEvent): TimelineDoc {
  const data = event.data as Record<string, unknown> | null
  const partnerId = typeof data === 'object' && data !== null && 'partnerId' in data && typeof data.partnerId === 'string' ? data.partnerId : null
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    streamRevision: event.streamRevision.toString(),
    globalPosition: event.globalPosition.toString(),
    partnerId,
    actor: event.metadata.actor,
    tenant: event.metadata.tenant,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  }
}

/**
 * One document per event (decision 025): not among the portal's projections when the log is in SQL, where the timeline
 * reads the events table and this projection's 50,000 documents per 50,000 events cost the runner more than the rest.
 */
export const timelineProjection: Projection<TimelineDoc | null, DomainRecordedEvent> = {
  name: 'timeline',
  version: 1,
  handles: Object.keys(eventSchemas), // every event
  // an erasure rewrites the entries that held the subject's data, as a rebuild decodes them
  keysOf: (event) => (event.type === 'PersonErased' ? [event.id, ...event.data.eventIds] : [event.id]),
  initialState: () => null,
  evolve(state, event) {
    if (event.type === 'PersonErased' && state && state.eventId !== event.id) {
      return { ...state, data: redactSubject(personalData, state.type, state.data, state.eventId, event.data.subject) }
    }
    return timelineEntryOf(event)
  },
}
