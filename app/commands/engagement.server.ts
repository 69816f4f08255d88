// Engagement use cases: workshops, PSAT survey rounds and joint business plans, plus their demo data.
import { randomUUID } from 'node:crypto'
import { PlanDecider, streamId as planStream, type PlanCommand } from '../../domain/plans/index.ts'
import { SurveyDecider, streamId as surveyStream, type SurveyCommand } from '../../domain/psat/index.ts'
import type { Actor, Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { WorkshopDecider, streamId as workshopStream, type WorkshopCommand } from '../../domain/workshops/index.ts'
import type { Position } from '../../eventstore/types.ts'
import type { AppServices } from '../services.server.ts'
import { seedId } from '../seed-ids.server.ts'
import { executeCommand } from './handler.server.ts'
import type { Issued } from './index.server.ts'

export type WorkshopRequest = { workshopId?: string; partnerId: string; kind: 'strategy' | 'value_proposition'; goal: string; attendees: string[] }
export type Outcomes = { alignedObjectives: string[]; successMeasures: string[] }
export type SurveyAnswer = { surveyId: string; partnerId: string; scores: Record<string, number>; comment: string }
export type NewPlan = {
  partnerId: string
  goals: { id?: string; description: string; target: string; dueDate: string }[]
  commitments: { side: 'vendor' | 'partner'; description: string }[]
}
export type PlanReviewInput = { partnerId: string; quarter: string; status: 'on_track' | 'at_risk' | 'off_track'; notes: string }

/** The quarter a date falls in, e.g. 2026-Q2 */
export function quarterOf(iso: string): string {
  const month = Number(iso.slice(5, 7))
  return `${iso.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`
}

/** The quarter before, e.g. 2026-Q1 -> 2025-Q4 */
export function previousQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4))
  const q = Number(quarter.slice(6))
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`
}

export function engagementCommands(services: AppServices) {
  const { run, metadata } = services.commands
  const workshop = (issued: Issued, workshopId: string, command: Omit<WorkshopCommand, 'metadata'>) =>
    run(WorkshopDecider, workshopStream(workshopId), { ...command, metadata: metadata(issued) } as WorkshopCommand)
  const survey = (issued: Issued, surveyId: string, command: Omit<SurveyCommand, 'metadata'>) =>
    run(SurveyDecider, surveyStream(surveyId), { ...command, metadata: metadata(issued) } as SurveyCommand)
  const plan = (issued: Issued, partnerId: string, command: Omit<PlanCommand, 'metadata'>) =>
    run(PlanDecider, planStream(partnerId), { ...command, metadata: metadata(issued) } as PlanCommand)

  return {
    async requestWorkshop(issued: Issued, data: WorkshopRequest) {
      const workshopId = data.workshopId ?? randomUUID()
      const result = await workshop(issued, workshopId, { type: 'RequestWorkshop', data: { ...data, workshopId } })
      return { workshopId, result }
    },
    scheduleWorkshop: (issued: Issued, workshopId: string, date: string) =>
      workshop(issued, workshopId, { type: 'ScheduleWorkshop', data: { workshopId, date } }),
    holdWorkshop: (issued: Issued, workshopId: string, outcomes: Outcomes) =>
      workshop(issued, workshopId, { type: 'HoldWorkshop', data: { workshopId, outcomes } }),
    cancelWorkshop: (issued: Issued, workshopId: string, reason: string) =>
      workshop(issued, workshopId, { type: 'CancelWorkshop', data: { workshopId, reason } }),

    async openSurveyRound(issued: Issued, topics: string[], surveyId: string = randomUUID()) {
      const result = await survey(issued, surveyId, { type: 'OpenSurveyRound', data: { surveyId, topics } })
      return { surveyId, result }
    },
    answerSurvey: (issued: Issued, data: SurveyAnswer) => survey(issued, data.surveyId, { type: 'AnswerSurvey', data }),
    closeSurveyRound: (issued: Issued, surveyId: string) => survey(issued, surveyId, { type: 'CloseSurveyRound', data: { surveyId } }),

    createPlan: (issued: Issued, data: NewPlan) =>
      plan(issued, data.partnerId, {
        type: 'CreateJointBusinessPlan',
        data: { ...data, goals: data.goals.map((goal) => ({ ...goal, id: goal.id ?? randomUUID() })) },
      }),
    reviewPlan: (issued: Issued, data: PlanReviewInput) => plan(issued, data.partnerId, { type: 'ReviewPlan', data }),
  }
}

/**
 * Demo engagement: for Northwind a held strategy workshop and a requested value-proposition workshop; an open PSAT
 * round; for Contoso (the established partner) a joint business plan with last quarter's review, so Northwind's first
 * approved deal still moves it from recruitment to activation. Call it from seedDemo after the partners exist.
 */
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
