// Erasure of a person's data (stream erasure-<subject>): the subject's key is deleted and this event says so.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id } from '../shared/schemas.ts'

export const streamId = (subject: string) => `erasure-${subject}`

export const PersonErasedData = z.object({
  subject: Id.describe('whose key was deleted: user-<userId>, contact-<event id> or attendees-<workshopId>'),
  partnerId: Id.nullable().describe('the partner organisation whose records named the person; null for vendor staff'),
  eventIds: z.array(Id).describe("the events that held the subject's personal data (read models that keep event data redact them)"),
}).describe("The subject's key was deleted: its personal fields now read as placeholders (\"Erased person\", erased-<hash>@erased.invalid).")

export const erasureEventSchemas = { PersonErased: PersonErasedData } as const

export type PersonErased = DomainEvent<'PersonErased', z.infer<typeof PersonErasedData>>
export type ErasureEvent = PersonErased

export type Erasure = { status: 'Kept' } | { status: 'Erased'; subject: string }

export const initialState = (): Erasure => ({ status: 'Kept' })

export function evolve(state: Erasure, event: ErasureEvent): Erasure {
  switch (event.type) {
    case 'PersonErased':
      return { status: 'Erased', subject: event.data.subject }
    default:
      return state
  }
}
