// The auditor's timeline: one document per event with what happened, who did it, when, and to which partner.
import { eventSchemas, personalData, redactSubject } from '../domain/index.ts'
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

export const timelineProjection: Projection<TimelineDoc | null, DomainRecordedEvent> = {
  name: 'timeline',
  version: 1,
  handles: Object.keys(eventSchemas), // every event
  // an erasure rewrites the entries that held the subject's data, as a rebuild decodes them
  keysOf: (event) => (event.type === 'PersonErased' ? [event.id, ...event.data.eventIds] : [event.id]),
  initialState: () => null,
  evolve(state, event) {
    const { data } = event
    if (event.type === 'PersonErased' && state && state.eventId !== event.id) {
      return { ...state, data: redactSubject(personalData, state.type, state.data, state.eventId, event.data.subject) }
    }
    return {
      eventId: event.id,
      type: event.type,
      streamId: event.streamId,
      streamRevision: event.streamRevision.toString(),
      globalPosition: event.globalPosition.toString(),
      partnerId: 'partnerId' in data && typeof data.partnerId === 'string' ? data.partnerId : null,
      actor: event.metadata.actor,
      tenant: event.metadata.tenant,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt.toISOString(),
      data: event.data,
      metadata: event.metadata,
    }
  },
}
