// Engagement read models: workshops, PSAT survey rounds with answers, joint business plans with reviews.
import { parseSubject, placeholder } from '../domain/shared/personal-data.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type WorkshopStatus = 'Requested' | 'Scheduled' | 'Held' | 'Cancelled'

export type WorkshopDoc = {
  workshopId: string
  partnerId: string
  kind: 'strategy' | 'value_proposition'
  goal: string
  attendees: string[]
  status: WorkshopStatus
  requestedAt: string
  requestedBy: string
  date: string | null
  previousDate: string | null
  heldOn: string | null
  heldAsScheduled: boolean | null
  outcomes: { alignedObjectives: string[]; successMeasures: string[] } | null
  cancelReason: string | null
  cancelledBy: 'partner' | 'vendor' | null
  updatedAt: string
}

export const workshopsProjection: Projection<
  WorkshopDoc | null,
  RecordedOf<'WorkshopRequested' | 'WorkshopScheduled' | 'WorkshopHeld' | 'WorkshopCancelled' | 'PersonErased'>
> = {
  name: 'workshops',
  version: 1,
  handles: ['WorkshopRequested', 'WorkshopScheduled', 'WorkshopHeld', 'WorkshopCancelled', 'PersonErased'],
  keysOf: (event) => {
    if (event.type !== 'PersonErased') return [event.data.workshopId]
    const subject = parseSubject(event.data.subject)
    return subject?.kind === 'attendees' ? [subject.workshopId] : []
  },
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    const at = event.metadata.occurredAt
    if (type === 'WorkshopRequested') {
      return {
        workshopId: data.workshopId, partnerId: data.partnerId, kind: data.kind, goal: data.goal, attendees: data.attendees ?? [],
        status: 'Requested', requestedAt: at, requestedBy: event.metadata.actor, date: null, previousDate: null, heldOn: null,
        heldAsScheduled: null, outcomes: null, cancelReason: null, cancelledBy: null, updatedAt: at,
      }
    }
    if (!state) return state
    switch (type) {
      case 'WorkshopScheduled':
        return { ...state, status: 'Scheduled', date: data.date, previousDate: data.previousDate ?? null, updatedAt: at }
      case 'WorkshopHeld':
        return { ...state, status: 'Held', heldOn: data.heldOn, heldAsScheduled: data.heldAsScheduled, outcomes: data.outcomes, updatedAt: at }
      case 'WorkshopCancelled':
        return { ...state, status: 'Cancelled', cancelReason: data.reason, cancelledBy: data.cancelledBy, updatedAt: at }
      case 'PersonErased':
        // the attendee names share the workshop's subject: all of them read as erased, as a rebuild decodes them
        return { ...state, attendees: state.attendees.map(() => placeholder({ kind: 'name' }, data.subject)) }
      default:
        return state
    }
  },
  indexes: [`create index if not exists workshops_partner on read_models ((state->>'partnerId')) where projection = 'workshops'`],
}

export type SurveyRoundDoc = {
  surveyId: string
  topics: string[]
  status: 'Open' | 'Closed'
  openedAt: string
  openedBy: string
  closedAt: string | null
  /** partner ids that answered, in answer order */
  answeredBy: string[]
  /** per topic: sum and number of scores, so averages need no second read */
  totals: Record<string, { sum: number; count: number }>
}

export const surveyRoundsProjection: Projection<SurveyRoundDoc | null, RecordedOf<'SurveyRoundOpened' | 'SurveyAnswered' | 'SurveyRoundClosed'>> = {
  name: 'survey_rounds',
  version: 1,
  handles: ['SurveyRoundOpened', 'SurveyAnswered', 'SurveyRoundClosed'],
  keysOf: (event) => [event.data.surveyId],
  // the open rounds, for every partner's dashboard, without reading each round's answers
  indexes: [`create index if not exists survey_rounds_status on read_models ((state->>'status')) where projection = 'survey_rounds'`],
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    const at = event.metadata.occurredAt
    if (type === 'SurveyRoundOpened') {
      const { topics } = data
      return {
        surveyId: data.surveyId, topics, status: 'Open', openedAt: at, openedBy: event.metadata.actor, closedAt: null,
        answeredBy: [], totals: Object.fromEntries(topics.map((t) => [t, { sum: 0, count: 0 }])),
      }
    }
    if (!state) return state
    switch (type) {
      case 'SurveyAnswered': {
        if (state.answeredBy.includes(data.partnerId)) return state
        const totals = { ...state.totals }
        for (const [topic, score] of Object.entries(data.scores)) {
          const before = totals[topic] ?? { sum: 0, count: 0 }
          totals[topic] = { sum: before.sum + score, count: before.count + 1 }
        }
        return { ...state, answeredBy: [...state.answeredBy, data.partnerId], totals }
      }
      case 'SurveyRoundClosed':
        return { ...state, status: 'Closed', closedAt: at }
      default:
        return state
    }
  },
}

export type SurveyAnswerDoc = {
  surveyId: string
  partnerId: string
  userId: string
  scores: Record<string, number>
  comment: string
  answeredAt: string
}

/** one document per partner and round, keyed `<surveyId>:<partnerId>` */
export const surveyAnswerKey = (surveyId: string, partnerId: string) => `${surveyId}:${partnerId}`

export const surveyAnswersProjection: Projection<SurveyAnswerDoc | null, RecordedOf<'SurveyAnswered'>> = {
  name: 'survey_answers',
  version: 1,
  handles: ['SurveyAnswered'],
  keysOf: (event) => [surveyAnswerKey(event.data.surveyId, event.data.partnerId)],
  initialState: () => null,
  evolve(state, event) {
    // the first answer stands: the domain refuses a second one, and a replayed one changes nothing
    if (state) return state
    const { data } = event
    return { surveyId: data.surveyId, partnerId: data.partnerId, userId: data.userId, scores: data.scores, comment: data.comment ?? '', answeredAt: event.metadata.occurredAt }
  },
}

export type PlanStatus = 'on_track' | 'at_risk' | 'off_track'
export type PlanReview = { quarter: string; status: PlanStatus; notes: string; reviewedAt: string; reviewedBy: string }

export type PlanDoc = {
  partnerId: string
  goals: { id: string; description: string; target: string; dueDate: string }[]
  commitments: { side: 'vendor' | 'partner'; description: string }[]
  createdAt: string
  createdBy: string
  /** newest first */
  reviews: PlanReview[]
  latestStatus: PlanStatus | null
  updatedAt: string
}

export const plansProjection: Projection<PlanDoc | null, RecordedOf<'JointBusinessPlanCreated' | 'PlanReviewed'>> = {
  name: 'joint_plans',
  version: 1,
  handles: ['JointBusinessPlanCreated', 'PlanReviewed'],
  keysOf: (event) => [event.data.partnerId],
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    const at = event.metadata.occurredAt
    if (type === 'JointBusinessPlanCreated') {
      return {
        partnerId: data.partnerId, goals: data.goals, commitments: data.commitments, createdAt: at, createdBy: event.metadata.actor,
        reviews: [], latestStatus: null, updatedAt: at,
      }
    }
    if (!state || type !== 'PlanReviewed') return state
    const review: PlanReview = { quarter: data.quarter, status: data.status, notes: data.notes ?? '', reviewedAt: at, reviewedBy: event.metadata.actor }
    const reviews = [review, ...state.reviews].sort((a, b) => b.quarter.localeCompare(a.quarter))
    return { ...state, reviews, latestStatus: reviews[0]!.status, updatedAt: at }
  },
}
