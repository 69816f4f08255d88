import { describe, expect, it } from 'vitest'
import { PlanDecider, streamId, type PlanEvent } from '../../domain/plans/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { command, given, partnerUser } from './support/given.ts'

const goals = [{ id: 'g-1', description: 'Grow MSP bookings', target: 'EUR 500k', dueDate: '2026-12-31' }]
const commitments = [{ side: 'vendor', description: 'Two enablement days' }, { side: 'partner', description: 'Certify 3 engineers' }] as const
const created: PlanEvent = { type: 'JointBusinessPlanCreated', data: { partnerId: 'p-acme', goals, commitments: [...commitments] } }
const create = (data = {}, actor = partnerUser('p-acme', 'partner_admin')) => command('CreateJointBusinessPlan', { partnerId: 'p-acme', goals, commitments, ...data }, { actor })
const review = (status: string, notes = '', meta = {}) => command('ReviewPlan', { partnerId: 'p-acme', quarter: '2026-Q2', status, notes }, meta)

describe('plans', () => {
  it('names its stream plan-<partnerId>', () => expect(streamId('p-acme')).toBe('plan-p-acme'))
  it('creates one plan with goals and commitments from both sides', () => {
    given(PlanDecider).when(create()).then([created])
    given(PlanDecider, [created]).when(create()).thenThrows(IllegalStateError, /already has/)
    given(PlanDecider).when(create({ commitments: [commitments[0]] })).thenThrows(ValidationError, /each side/)
    given(PlanDecider).when(create({ goals: [] })).thenThrows(ValidationError, /at least one goal/)
    given(PlanDecider).when(create({ goals: [goals[0], goals[0]] })).thenThrows(ValidationError, /own id/)
    given(PlanDecider).when(create({}, partnerUser('p-acme'))).thenThrows(ForbiddenError)
  })
  it('the vendor reviews once per quarter, with notes unless on track', () => {
    const reviewed: PlanEvent = { type: 'PlanReviewed', data: { partnerId: 'p-acme', quarter: '2026-Q2', status: 'on_track', notes: '' } }
    given(PlanDecider, [created]).when(review('on_track')).then([reviewed])
    given(PlanDecider, [created, reviewed]).when(review('on_track')).thenThrows(IllegalStateError, /already reviewed for 2026-Q2/)
    given(PlanDecider, [created]).when(review('at_risk')).thenThrows(ValidationError, /at risk/)
    given(PlanDecider, [created]).when(review('on_track', '', { actor: partnerUser('p-acme', 'partner_admin') })).thenThrows(ForbiddenError)
    given(PlanDecider).when(review('on_track')).thenThrows(NotFoundError)
  })
})
