// Engagement read models folded from events the real deciders produce.
import { describe, expect, test } from 'vitest'
import { executeCommand } from '../../app/commands/handler.server.ts'
import { averages } from '../../app/queries/engagement.server.ts'
import { eventSchemas } from '../../domain/index.ts'
import { PlanDecider, streamId as planStream } from '../../domain/plans/index.ts'
import { SurveyDecider, streamId as surveyStream } from '../../domain/psat/index.ts'
import type { Actor, Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { WorkshopDecider, streamId as workshopStream } from '../../domain/workshops/index.ts'
import { createZodCodec } from '../../eventstore/codec.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import type { EventStore } from '../../eventstore/types.ts'
import {
  plansProjection, surveyAnswerKey, surveyAnswersProjection, surveyRoundsProjection, workshopsProjection,
  type PlanDoc, type SurveyAnswerDoc, type SurveyRoundDoc, type WorkshopDoc,
} from '../../projections/engagement.ts'
import { foldUntil } from '../../projections/time-travel.ts'

const sam: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
const maria: Actor = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' }
const li: Actor = { userId: 'u-li', organisationId: 'contoso', role: 'partner_admin' }

function harness() {
  const store: EventStore = createMemoryEventStore({ codec: createZodCodec(eventSchemas) })
  let n = 0
  let clock = '2026-03-10T09:00:00.000Z'
  return {
    store,
    at(iso: string) { clock = iso },
    async run<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, type: C['type'], data: C['data'], actor: Actor) {
      return executeCommand(store, decider, stream, { type, data, metadata: { commandId: `c-${++n}`, now: clock, actor } } as C)
    },
  }
}

describe('workshops projection', () => {
  test('follows a workshop from request to held, with outcomes', async () => {
    const h = harness()
    const id = 'w-1'
    await h.run(WorkshopDecider, workshopStream(id), 'RequestWorkshop', { workshopId: id, partnerId: 'northwind', kind: 'strategy', goal: 'Grow in DACH', attendees: ['Maria Jensen'] }, maria)
    await h.run(WorkshopDecider, workshopStream(id), 'ScheduleWorkshop', { workshopId: id, date: '2026-03-12' }, sam)
    await h.run(WorkshopDecider, workshopStream(id), 'ScheduleWorkshop', { workshopId: id, date: '2026-03-14' }, sam)
    h.at('2026-03-14T15:00:00.000Z')
    await h.run(WorkshopDecider, workshopStream(id), 'HoldWorkshop', { workshopId: id, outcomes: { alignedObjectives: ['Lead with backup'], successMeasures: ['EUR 400k'] } }, sam)
    const docs = await foldUntil(h.store, workshopsProjection)
    const doc = docs.get(id) as WorkshopDoc
    expect(doc).toMatchObject({
      partnerId: 'northwind', kind: 'strategy', status: 'Held', date: '2026-03-14', previousDate: '2026-03-12', heldOn: '2026-03-14',
      heldAsScheduled: true, requestedBy: 'u-maria', requestedAt: '2026-03-10T09:00:00.000Z',
      outcomes: { alignedObjectives: ['Lead with backup'], successMeasures: ['EUR 400k'] },
    })
  })

  test('a cancelled workshop keeps who cancelled and why', async () => {
    const h = harness()
    await h.run(WorkshopDecider, workshopStream('w-2'), 'RequestWorkshop', { workshopId: 'w-2', partnerId: 'contoso', kind: 'value_proposition', goal: 'Offer', attendees: ['Li Wei'] }, li)
    await h.run(WorkshopDecider, workshopStream('w-2'), 'CancelWorkshop', { workshopId: 'w-2', reason: 'No budget this quarter' }, sam)
    const doc = (await foldUntil(h.store, workshopsProjection)).get('w-2') as WorkshopDoc
    expect(doc).toMatchObject({ status: 'Cancelled', cancelReason: 'No budget this quarter', cancelledBy: 'vendor', partnerId: 'contoso' })
  })
})

describe('survey rounds and answers projections', () => {
  test('count responses, average per topic, and keep each partner’s answer apart', async () => {
    const h = harness()
    const s = 's-1'
    await h.run(SurveyDecider, surveyStream(s), 'OpenSurveyRound', { surveyId: s, topics: ['Support', 'Content'] }, sam)
    await h.run(SurveyDecider, surveyStream(s), 'AnswerSurvey', { surveyId: s, partnerId: 'northwind', scores: { Support: 9, Content: 6 }, comment: 'Great CAM' }, maria)
    await h.run(SurveyDecider, surveyStream(s), 'AnswerSurvey', { surveyId: s, partnerId: 'contoso', scores: { Support: 6, Content: 3 }, comment: '' }, li)
    await expect(h.run(SurveyDecider, surveyStream(s), 'AnswerSurvey', { surveyId: s, partnerId: 'northwind', scores: { Support: 0, Content: 0 } }, maria)).rejects.toThrow(/already answered/)
    h.at('2026-03-20T09:00:00.000Z')
    await h.run(SurveyDecider, surveyStream(s), 'CloseSurveyRound', { surveyId: s }, sam)

    const round = (await foldUntil(h.store, surveyRoundsProjection)).get(s) as SurveyRoundDoc
    expect(round).toMatchObject({ status: 'Closed', answeredBy: ['northwind', 'contoso'], closedAt: '2026-03-20T09:00:00.000Z' })
    expect(averages(round)).toEqual([{ topic: 'Support', average: 7.5, count: 2 }, { topic: 'Content', average: 4.5, count: 2 }])

    const answers = await foldUntil(h.store, surveyAnswersProjection)
    expect(answers.size).toBe(2)
    expect(answers.get(surveyAnswerKey(s, 'northwind')) as SurveyAnswerDoc).toMatchObject({ userId: 'u-maria', scores: { Support: 9, Content: 6 }, comment: 'Great CAM' })
  })

  test('a round nobody answered has no averages', async () => {
    const h = harness()
    await h.run(SurveyDecider, surveyStream('s-2'), 'OpenSurveyRound', { surveyId: 's-2', topics: ['Support'] }, sam)
    const round = (await foldUntil(h.store, surveyRoundsProjection)).get('s-2') as SurveyRoundDoc
    expect(averages(round)).toEqual([{ topic: 'Support', average: null, count: 0 }])
  })
})

describe('joint business plans projection', () => {
  test('holds goals, commitments and reviews newest quarter first', async () => {
    const h = harness()
    await h.run(PlanDecider, planStream('northwind'), 'CreateJointBusinessPlan', {
      partnerId: 'northwind',
      goals: [{ id: 'g1', description: 'Grow bookings', target: 'EUR 400k', dueDate: '2026-12-31' }],
      commitments: [{ side: 'vendor', description: 'Two campaigns' }, { side: 'partner', description: 'A sales specialist' }],
    }, sam)
    await h.run(PlanDecider, planStream('northwind'), 'ReviewPlan', { partnerId: 'northwind', quarter: '2026-Q1', status: 'on_track', notes: '' }, sam)
    await h.run(PlanDecider, planStream('northwind'), 'ReviewPlan', { partnerId: 'northwind', quarter: '2026-Q2', status: 'at_risk', notes: 'Pipeline thin' }, sam)
    const plan = (await foldUntil(h.store, plansProjection)).get('northwind') as PlanDoc
    expect(plan.goals).toHaveLength(1)
    expect(plan.commitments.map((c) => c.side)).toEqual(['vendor', 'partner'])
    expect(plan.reviews.map((r) => [r.quarter, r.status])).toEqual([['2026-Q2', 'at_risk'], ['2026-Q1', 'on_track']])
    expect(plan.latestStatus).toBe('at_risk')
  })
})
