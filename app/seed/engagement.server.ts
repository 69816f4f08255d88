// Demo seed of the engagement area: Northwind's workshops, an open PSAT round, Contoso's joint business plan.
import { PlanDecider, streamId as planStream } from '../../domain/plans/index.ts'
import { SurveyDecider, streamId as surveyStream } from '../../domain/psat/index.ts'
import type { Actor, Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { quarterOf } from '../../domain/shared/time.ts'
import { WorkshopDecider, streamId as workshopStream } from '../../domain/workshops/index.ts'
import type { Position } from '../../eventstore/types.ts'
import { previousQuarter } from '../commands/engagement.server.ts'
import { executeCommand } from '../commands/handler.server.ts'
import { seedId } from '../seed-ids.server.ts'
import type { AppServices } from '../services.server.ts'

/** Demo engagement (after the partners exist); Northwind gets no plan, so its first approved deal still activates it. */
export async function seedEngagement(services: AppServices): Promise<void> {
  const { store, clock } = services
  const now = clock().toISOString()
  const today = now.slice(0, 10)
  let n = 0
  let last: Position | null = null
  // the id of what the next command creates comes from that command's id (seed-ids.server.ts)
  const idOfNext = (part?: string) => seedId(`seed-engagement-${n + 1}${part ? `:${part}` : ''}`)
  const exec = async <C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, type: C['type'], data: C['data'], actor: Actor) => {
    const command = { type, data, metadata: { commandId: `seed-engagement-${++n}`, now, actor } } as C
    const result = await executeCommand(store, decider, stream, command)
    last = result.position ?? last
  }
  const sam: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
  const maria: Actor = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' }
  const partnerId = 'northwind'

  const strategy = idOfNext()
  await exec(WorkshopDecider, workshopStream(strategy), 'RequestWorkshop', {
    workshopId: strategy, partnerId, kind: 'strategy',
    goal: 'Agree where Northwind and Acme Cloud grow together in the DACH mid-market next year',
    attendees: ['Maria Jensen', 'Jonas Weber', 'Sam Rivera'],
  }, maria)
  await exec(WorkshopDecider, workshopStream(strategy), 'ScheduleWorkshop', { workshopId: strategy, date: today }, sam)
  await exec(WorkshopDecider, workshopStream(strategy), 'HoldWorkshop', {
    workshopId: strategy,
    outcomes: {
      alignedObjectives: ['Lead with Cloud Backup in manufacturing accounts', 'Certify two more Northwind engineers this half-year'],
      successMeasures: ['EUR 400k of registered deals by year end', 'Two reference customers in DACH'],
    },
  }, sam)

  const valueProposition = idOfNext()
  await exec(WorkshopDecider, workshopStream(valueProposition), 'RequestWorkshop', {
    workshopId: valueProposition, partnerId, kind: 'value_proposition',
    goal: 'Shape a managed-backup offer that combines Northwind services with Acme Cloud Backup',
    attendees: ['Maria Jensen', 'Lena Fischer'],
  }, maria)

  const surveyId = idOfNext()
  await exec(SurveyDecider, surveyStream(surveyId), 'OpenSurveyRound', {
    surveyId, topics: ['Ease of doing business', 'Deal registration', 'Enablement content', 'Channel manager support'],
  }, sam)

  const quarter = quarterOf(today)
  const yearEnd = `${today.slice(0, 4)}-12-31`
  const planPartner = 'contoso'
  await exec(PlanDecider, planStream(planPartner), 'CreateJointBusinessPlan', {
    partnerId: planPartner,
    goals: [
      { id: idOfNext('goal-1'), description: 'Grow managed Cloud Backup in UK and Irish SMB', target: 'EUR 400k bookings', dueDate: yearEnd },
      { id: idOfNext('goal-2'), description: 'Build a certified delivery team', target: '4 certified engineers', dueDate: yearEnd },
    ],
    commitments: [
      { side: 'vendor', description: 'Two co-funded demand-generation campaigns' },
      { side: 'vendor', description: 'Monthly pipeline review with the channel manager' },
      { side: 'partner', description: 'Dedicated Acme Cloud sales specialist' },
      { side: 'partner', description: 'Register every Acme Cloud opportunity within a week' },
    ],
  }, sam)
  await exec(PlanDecider, planStream(planPartner), 'ReviewPlan', {
    partnerId: planPartner, quarter: previousQuarter(quarter), status: 'on_track', notes: 'Kick-off done; first campaign planned.',
  }, sam)
  if (last) await services.runner.waitFor(last, 10_000)
}
