import { describe, expect, it } from 'vitest'
import { WorkshopDecider, streamId, type WorkshopEvent } from '../../domain/workshops/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { auditor, channelManager, command, given, partnerUser } from './support/given.ts'

const acme = partnerUser('p-acme')
const ids = { workshopId: 'w-1', partnerId: 'p-acme' }
const requested: WorkshopEvent = { type: 'WorkshopRequested', data: { ...ids, kind: 'strategy', goal: 'Plan 2027', attendees: ['Ann', 'Bob'] } }
const scheduled: WorkshopEvent = { type: 'WorkshopScheduled', data: { ...ids, date: '2026-05-20', previousDate: null } }
const outcomes = { alignedObjectives: ['Grow MSP revenue'], successMeasures: ['10 new logos'] }

describe('workshops', () => {
  it('names its stream workshop-<id>', () => expect(streamId('w-1')).toBe('workshop-w-1'))

  it('a partner requests a workshop', () => {
    const request = (data = {}, actor = acme) => command('RequestWorkshop', { workshopId: 'w-1', partnerId: 'p-acme', kind: 'strategy', goal: 'Plan 2027', attendees: ['Ann', 'Bob'], ...data }, { actor })
    given(WorkshopDecider).when(request()).then([requested])
    given(WorkshopDecider).when(request({ kind: 'party' })).thenThrows(ValidationError, /kind/)
    given(WorkshopDecider).when(request({ attendees: [] })).thenThrows(ValidationError, /attendee/)
    given(WorkshopDecider).when(request({}, partnerUser('p-beta'))).thenThrows(ForbiddenError)
    given(WorkshopDecider, [requested]).when(request()).thenThrows(IllegalStateError, /already requested/)
  })

  it('the vendor schedules and reschedules it', () => {
    given(WorkshopDecider, [requested]).when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-20' })).then([scheduled])
    given(WorkshopDecider, [requested, scheduled])
      .when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-27' }))
      .then([{ type: 'WorkshopScheduled', data: { ...ids, date: '2026-05-27', previousDate: '2026-05-20' } }])
  })

  it('refuses scheduling in the past, for the same date, by partners, or unknown workshops', () => {
    given(WorkshopDecider, [requested]).when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-01' })).thenThrows(ValidationError, /in the past/)
    given(WorkshopDecider, [requested, scheduled]).when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-20' })).thenThrows(IllegalStateError, /already scheduled/)
    given(WorkshopDecider, [requested]).when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-20' }, { actor: acme })).thenThrows(ForbiddenError)
    given(WorkshopDecider).when(command('ScheduleWorkshop', { workshopId: 'w-1', date: '2026-05-20' })).thenThrows(NotFoundError)
  })

  it('holds a scheduled workshop and records whether it was on the scheduled day', () => {
    const hold = (now: string) => command('HoldWorkshop', { workshopId: 'w-1', outcomes }, { now })
    given(WorkshopDecider, [requested, scheduled]).when(hold('2026-05-20T15:00:00Z')).then([{ type: 'WorkshopHeld', data: { ...ids, heldOn: '2026-05-20', outcomes, heldAsScheduled: true } }])
    given(WorkshopDecider, [requested, scheduled]).when(hold('2026-05-22T15:00:00Z')).then([{ type: 'WorkshopHeld', data: { ...ids, heldOn: '2026-05-22', outcomes, heldAsScheduled: false } }])
    given(WorkshopDecider, [requested, scheduled]).when(hold('2026-05-19T15:00:00Z')).thenThrows(IllegalStateError, /scheduled for 2026-05-20/)
    given(WorkshopDecider, [requested]).when(hold('2026-05-20T15:00:00Z')).thenThrows(IllegalStateError, /this one is Requested/)
    given(WorkshopDecider, [requested, scheduled])
      .when(command('HoldWorkshop', { workshopId: 'w-1', outcomes: { alignedObjectives: [], successMeasures: ['x'] } }, { now: '2026-05-20T15:00:00Z' }))
      .thenThrows(ValidationError, /objective/)
  })

  it('either side cancels with a reason before it is held', () => {
    given(WorkshopDecider, [requested]).when(command('CancelWorkshop', { workshopId: 'w-1', reason: 'Reorg' }, { actor: acme })).then([{ type: 'WorkshopCancelled', data: { ...ids, reason: 'Reorg', cancelledBy: 'partner' } }])
    given(WorkshopDecider, [requested, scheduled]).when(command('CancelWorkshop', { workshopId: 'w-1', reason: 'Travel' }, { actor: channelManager })).then([{ type: 'WorkshopCancelled', data: { ...ids, reason: 'Travel', cancelledBy: 'vendor' } }])
    given(WorkshopDecider, [requested]).when(command('CancelWorkshop', { workshopId: 'w-1', reason: '' }, { actor: acme })).thenThrows(ValidationError, /reason/)
    given(WorkshopDecider, [requested]).when(command('CancelWorkshop', { workshopId: 'w-1', reason: 'x' }, { actor: auditor })).thenThrows(ForbiddenError)
    const held: WorkshopEvent = { type: 'WorkshopHeld', data: { ...ids, heldOn: '2026-05-20', outcomes, heldAsScheduled: true } }
    given(WorkshopDecider, [requested, scheduled, held]).when(command('CancelWorkshop', { workshopId: 'w-1', reason: 'x' }, { actor: acme })).thenThrows(IllegalStateError, /this one is Held/)
  })
})
