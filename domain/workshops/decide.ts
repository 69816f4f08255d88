// Workshop rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { isVendor, requirePartnerOf, requirePartnerOrVendor, requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { IsoDate, parseData } from '../shared/schemas.ts'
import { list, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { dateOf } from '../shared/time.ts'
import { evolve, initialState, WorkshopKind, type Workshop, type WorkshopCancelled, type WorkshopEvent, type WorkshopHeld, type WorkshopRequested, type WorkshopScheduled } from './workshop.ts'

/** at most this many entries in a workshop's lists (attendees, objectives, measures) */
export const MAX_WORKSHOP_LINES = 20

export const RequestWorkshopData = z.object({
  workshopId: ref(),
  partnerId: ref(),
  kind: WorkshopKind,
  goal: multiLine(MAX.shortText, 'Say what the workshop should achieve'),
  attendees: list(singleLine(MAX.name), MAX_WORKSHOP_LINES).min(1, 'Name at least one attendee'),
})
export const ScheduleWorkshopData = z.object({ workshopId: ref(), date: IsoDate })
export const HoldWorkshopData = z.object({
  workshopId: ref(),
  outcomes: z.object({
    alignedObjectives: list(singleLine(MAX.label), MAX_WORKSHOP_LINES).min(1, 'Record at least one objective both sides agreed on'),
    successMeasures: list(singleLine(MAX.label), MAX_WORKSHOP_LINES).min(1, 'Record at least one measure of success'),
  }),
})
export const CancelWorkshopData = z.object({ workshopId: ref(), reason: multiLine(MAX.shortText, 'Give a reason for the cancellation') })

export const workshopCommandSchemas = {
  RequestWorkshop: RequestWorkshopData,
  ScheduleWorkshop: ScheduleWorkshopData,
  HoldWorkshop: HoldWorkshopData,
  CancelWorkshop: CancelWorkshopData,
} as const

export type RequestWorkshop = Command<'RequestWorkshop', z.input<typeof RequestWorkshopData>>
export type ScheduleWorkshop = Command<'ScheduleWorkshop', z.input<typeof ScheduleWorkshopData>>
export type HoldWorkshop = Command<'HoldWorkshop', z.input<typeof HoldWorkshopData>>
export type CancelWorkshop = Command<'CancelWorkshop', z.input<typeof CancelWorkshopData>>
export type WorkshopCommand = RequestWorkshop | ScheduleWorkshop | HoldWorkshop | CancelWorkshop
export type WorkshopCommandType = WorkshopCommand['type']

function existing(state: Workshop, workshopId: string) {
  if (state.status === 'Initial') throw new NotFoundError(`Workshop ${workshopId} was never requested`)
  return state
}

export function requestWorkshop(command: RequestWorkshop, state: Workshop): WorkshopRequested {
  const data = parseData(RequestWorkshopData, command.data)
  requirePartnerOf(command.metadata.actor, data.partnerId, 'request workshops')
  if (state.status !== 'Initial') throw new IllegalStateError(`Workshop ${data.workshopId} is already requested`)
  return { type: 'WorkshopRequested', data }
}

export function scheduleWorkshop(command: ScheduleWorkshop, state: Workshop): WorkshopScheduled {
  const data = parseData(ScheduleWorkshopData, command.data)
  const workshop = existing(state, data.workshopId)
  requireVendor(command.metadata.actor, 'schedule workshops')
  if (workshop.status !== 'Requested' && workshop.status !== 'Scheduled')
    throw new IllegalStateError(`Only a requested or scheduled workshop can be (re)scheduled (this one is ${workshop.status})`)
  const today = dateOf(command.metadata.now)
  if (data.date < today) throw new ValidationError(`${data.date} is in the past; choose ${today} or later`, 'date')
  if (workshop.status === 'Scheduled' && workshop.date === data.date) throw new IllegalStateError(`The workshop is already scheduled for ${data.date}`)
  return {
    type: 'WorkshopScheduled',
    data: { workshopId: workshop.workshopId, partnerId: workshop.partnerId, date: data.date, previousDate: workshop.status === 'Scheduled' ? workshop.date : null },
  }
}

export function holdWorkshop(command: HoldWorkshop, state: Workshop): WorkshopHeld {
  const data = parseData(HoldWorkshopData, command.data)
  const workshop = existing(state, data.workshopId)
  requireVendor(command.metadata.actor, 'record held workshops')
  if (workshop.status !== 'Scheduled') throw new IllegalStateError(`Only a scheduled workshop can be held (this one is ${workshop.status})`)
  const today = dateOf(command.metadata.now)
  if (today < workshop.date) throw new IllegalStateError(`The workshop is scheduled for ${workshop.date}; record it on or after that day`)
  return {
    type: 'WorkshopHeld',
    data: { workshopId: workshop.workshopId, partnerId: workshop.partnerId, heldOn: today, outcomes: data.outcomes, heldAsScheduled: today === workshop.date },
  }
}

export function cancelWorkshop(command: CancelWorkshop, state: Workshop): WorkshopCancelled {
  const data = parseData(CancelWorkshopData, command.data)
  const workshop = existing(state, data.workshopId)
  const { actor } = command.metadata
  requirePartnerOrVendor(actor, workshop.partnerId, 'cancel workshops')
  if (workshop.status !== 'Requested' && workshop.status !== 'Scheduled')
    throw new IllegalStateError(`Only a requested or scheduled workshop can be cancelled (this one is ${workshop.status})`)
  return {
    type: 'WorkshopCancelled',
    data: { workshopId: workshop.workshopId, partnerId: workshop.partnerId, reason: data.reason, cancelledBy: isVendor(actor) ? 'vendor' : 'partner' },
  }
}

export function decide(command: WorkshopCommand, state: Workshop): WorkshopEvent | WorkshopEvent[] {
  switch (command.type) {
    case 'RequestWorkshop':
      return requestWorkshop(command, state)
    case 'ScheduleWorkshop':
      return scheduleWorkshop(command, state)
    case 'HoldWorkshop':
      return holdWorkshop(command, state)
    case 'CancelWorkshop':
      return cancelWorkshop(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const WorkshopDecider: Decider<WorkshopCommand, WorkshopEvent, Workshop> = { initialState, evolve, decide }
