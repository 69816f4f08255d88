// Joint business plans between the vendor and a partner, with quarterly reviews.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id, IsoDate, Quarter, Text } from '../shared/schemas.ts'

export const streamId = (partnerId: string) => `plan-${partnerId}`

export const Goal = z.object({ id: Id, description: Text, target: Text.describe('measurable target, e.g. "EUR 500k bookings"'), dueDate: IsoDate })
export const Commitment = z.object({ side: z.enum(['vendor', 'partner']), description: Text })
export const PlanStatus = z.enum(['on_track', 'at_risk', 'off_track'])

export const JointBusinessPlanCreatedData = z.object({ partnerId: Id, goals: z.array(Goal).min(1), commitments: z.array(Commitment).min(1) })
export const PlanReviewedData = z.object({ partnerId: Id, quarter: Quarter, status: PlanStatus, notes: z.string() })

export const planEventSchemas = { JointBusinessPlanCreated: JointBusinessPlanCreatedData, PlanReviewed: PlanReviewedData } as const

export type JointBusinessPlanCreated = DomainEvent<'JointBusinessPlanCreated', z.infer<typeof JointBusinessPlanCreatedData>>
export type PlanReviewed = DomainEvent<'PlanReviewed', z.infer<typeof PlanReviewedData>>
export type PlanEvent = JointBusinessPlanCreated | PlanReviewed
export type PlanEventType = PlanEvent['type']

export type Plan = { status: 'Initial' } | { status: 'Active'; partnerId: string; reviewedQuarters: string[] }

export const initialState = (): Plan => ({ status: 'Initial' })

export function evolve(state: Plan, event: PlanEvent): Plan {
  switch (event.type) {
    case 'JointBusinessPlanCreated':
      return { status: 'Active', partnerId: event.data.partnerId, reviewedQuarters: [] }
    case 'PlanReviewed':
      return state.status === 'Active' ? { ...state, reviewedQuarters: [...state.reviewedQuarters, event.data.quarter] } : state
    default:
      return state
  }
}
