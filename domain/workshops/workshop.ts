// Strategy and value-proposition workshops between the vendor and a partner: request, schedule, hold or cancel.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { attendeesSubject, type PersonalDataRegistry } from '../shared/personal-data.ts'
import { Id, IsoDate, Text } from '../shared/schemas.ts'

export const streamId = (workshopId: string) => `workshop-${workshopId}`

export const WorkshopKind = z.enum(['strategy', 'value_proposition'])
const ids = { workshopId: Id, partnerId: Id }
export const WorkshopOutcomes = z.object({
  alignedObjectives: z.array(Text).min(1, 'Record at least one objective both sides agreed on'),
  successMeasures: z.array(Text).min(1, 'Record at least one measure of success'),
})

export const WorkshopRequestedData = z.object({ ...ids, kind: WorkshopKind, goal: Text, attendees: z.array(Text).describe('attendee names (personal data)') })
export const WorkshopScheduledData = z.object({ ...ids, date: IsoDate, previousDate: IsoDate.nullable().describe('set when rescheduled') })
export const WorkshopHeldData = z.object({
  ...ids,
  heldOn: IsoDate,
  outcomes: WorkshopOutcomes,
  heldAsScheduled: z.boolean().describe('held on the scheduled date'),
})
export const WorkshopCancelledData = z.object({ ...ids, reason: Text, cancelledBy: z.enum(['partner', 'vendor']) })

export const workshopEventSchemas = {
  WorkshopRequested: WorkshopRequestedData,
  WorkshopScheduled: WorkshopScheduledData,
  WorkshopHeld: WorkshopHeldData,
  WorkshopCancelled: WorkshopCancelledData,
} as const

/** Attendee names are free text: they share the workshop's subject, so erasing one erases the list. */
export const workshopPersonalData = {
  WorkshopRequested: [{
    subject: (d: z.infer<typeof WorkshopRequestedData>) => attendeesSubject(d.workshopId),
    subjectPattern: 'attendees-<workshopId>',
    fields: [{ path: 'attendees.*', kind: 'name' }],
  }],
} as const satisfies PersonalDataRegistry

export type WorkshopRequested = DomainEvent<'WorkshopRequested', z.infer<typeof WorkshopRequestedData>>
export type WorkshopScheduled = DomainEvent<'WorkshopScheduled', z.infer<typeof WorkshopScheduledData>>
export type WorkshopHeld = DomainEvent<'WorkshopHeld', z.infer<typeof WorkshopHeldData>>
export type WorkshopCancelled = DomainEvent<'WorkshopCancelled', z.infer<typeof WorkshopCancelledData>>
export type WorkshopEvent = WorkshopRequested | WorkshopScheduled | WorkshopHeld | WorkshopCancelled
export type WorkshopEventType = WorkshopEvent['type']

type Facts = { workshopId: string; partnerId: string }
export type Workshop =
  | { status: 'Initial' }
  | ({ status: 'Requested' } & Facts)
  | ({ status: 'Scheduled'; date: string } & Facts)
  | ({ status: 'Held' | 'Cancelled' } & Facts)

export const initialState = (): Workshop => ({ status: 'Initial' })

export function evolve(state: Workshop, event: WorkshopEvent): Workshop {
  switch (event.type) {
    case 'WorkshopRequested':
      return { status: 'Requested', workshopId: event.data.workshopId, partnerId: event.data.partnerId }
    case 'WorkshopScheduled':
      return state.status === 'Initial' ? state : { workshopId: state.workshopId, partnerId: state.partnerId, status: 'Scheduled', date: event.data.date }
    case 'WorkshopHeld':
    case 'WorkshopCancelled':
      return state.status === 'Initial' ? state : { workshopId: state.workshopId, partnerId: state.partnerId, status: event.type === 'WorkshopHeld' ? 'Held' : 'Cancelled' }
    default:
      return state
  }
}
