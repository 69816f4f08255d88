// Joint business plan rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { isVendor, requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { IsoDate, parseData, Quarter } from '../shared/schemas.ts'
import { list, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { evolve, initialState, PlanStatus, type JointBusinessPlanCreated, type Plan, type PlanEvent, type PlanReviewed } from './plan.ts'

const Goal = z.object({ id: ref(), description: multiLine(MAX.shortText), target: singleLine(MAX.label), dueDate: IsoDate })
const Commitment = z.object({ side: z.enum(['vendor', 'partner']), description: multiLine(MAX.shortText) })

export const CreateJointBusinessPlanData = z.object({
  partnerId: ref(),
  goals: list(Goal, 20).min(1, 'A plan needs at least one goal'),
  commitments: list(Commitment, 20).min(1, 'A plan needs at least one commitment'),
})
export const ReviewPlanData = z.object({ partnerId: ref(), quarter: Quarter, status: PlanStatus, notes: multiLine(MAX.longText, false).default('') })

export const planCommandSchemas = { CreateJointBusinessPlan: CreateJointBusinessPlanData, ReviewPlan: ReviewPlanData } as const

export type CreateJointBusinessPlan = Command<'CreateJointBusinessPlan', z.input<typeof CreateJointBusinessPlanData>>
export type ReviewPlan = Command<'ReviewPlan', z.input<typeof ReviewPlanData>>
export type PlanCommand = CreateJointBusinessPlan | ReviewPlan
export type PlanCommandType = PlanCommand['type']

export function createJointBusinessPlan(command: CreateJointBusinessPlan, state: Plan): JointBusinessPlanCreated {
  const data = parseData(CreateJointBusinessPlanData, command.data)
  const { actor } = command.metadata
  if (!isVendor(actor)) requirePartnerOf(actor, data.partnerId, 'create its joint business plan', ['partner_admin'])
  if (state.status !== 'Initial') throw new IllegalStateError(`Partner ${data.partnerId} already has a joint business plan`)
  const ids = data.goals.map((g) => g.id)
  if (new Set(ids).size !== ids.length) throw new ValidationError('Each goal needs its own id', 'goals')
  if (!data.commitments.some((c) => c.side === 'vendor') || !data.commitments.some((c) => c.side === 'partner'))
    throw new ValidationError('A joint plan needs at least one commitment from each side', 'commitments')
  return { type: 'JointBusinessPlanCreated', data }
}

export function reviewPlan(command: ReviewPlan, state: Plan): PlanReviewed {
  const data = parseData(ReviewPlanData, command.data)
  requireVendor(command.metadata.actor, 'review joint business plans')
  if (state.status === 'Initial') throw new NotFoundError(`Partner ${data.partnerId} has no joint business plan`)
  if (state.reviewedQuarters.includes(data.quarter)) throw new IllegalStateError(`The plan was already reviewed for ${data.quarter}`)
  if (data.status !== 'on_track' && !data.notes.trim()) throw new ValidationError('Say what puts the plan at risk or off track', 'notes')
  return { type: 'PlanReviewed', data }
}

export function decide(command: PlanCommand, state: Plan): PlanEvent | PlanEvent[] {
  switch (command.type) {
    case 'CreateJointBusinessPlan':
      return createJointBusinessPlan(command, state)
    case 'ReviewPlan':
      return reviewPlan(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const PlanDecider: Decider<PlanCommand, PlanEvent, Plan> = { initialState, evolve, decide }
