// The engagement questions pages ask: workshops, survey rounds and answers, joint business plans.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { surveyAnswerKey, type PlanDoc, type SurveyAnswerDoc, type SurveyRoundDoc, type WorkshopDoc } from '../../projections/engagement.ts'
import type { PageRequest } from '../paging.ts'
import { byText, doc, everyDoc, pageOfDocs, type DocList } from './read-models.server.ts'

export type TopicAverage = { topic: string; average: number | null; count: number }

export function averages(round: SurveyRoundDoc): TopicAverage[] {
  return round.topics.map((topic) => {
    const total = round.totals[topic] ?? { sum: 0, count: 0 }
    return { topic, count: total.count, average: total.count ? Math.round((total.sum / total.count) * 10) / 10 : null }
  })
}

/** Survey rounds open for answers, newest first (as a list: see DocList). A vendor keeps a few open at a time. */
export const openSurveyRounds: DocList = { projection: 'survey_rounds', where: `rm.state->>'status' = 'Open'`, orderBy: `rm.state->>'openedAt' desc` }

/**
 * A partner's answers to the rounds open now (as a list: see DocList): no more than there are open rounds, where
 * all its answers grow by a round or more a quarter without end. What a page needs to tell answered rounds from open ones.
 */
export const answersToOpenRoundsOf = (partnerId: string): DocList => ({
  projection: 'survey_answers',
  where: `rm.state->>'partnerId' = $2 and rm.state->>'surveyId' in
    (select r.state->>'surveyId' from read_models r
      where r.projection = 'survey_rounds' and r.state->>'status' = 'Open'
        and r.version = (select pc.version from projection_checkpoints pc where pc.projection = 'survey_rounds' and pc.status = 'active'))`,
  params: [partnerId],
  orderBy: `rm.state->>'answeredAt' desc`,
})

export function engagementQueries(sql: SqlExecutor) {
  return {
    workshops: {
      byId: (workshopId: string) => doc<WorkshopDoc>(sql, 'workshops', workshopId),
      /** every workshop of a partner, newest request first (a few a year: the partner's page lists them all) */
      forPartner: (partnerId: string) =>
        everyDoc<WorkshopDoc>(sql, 'workshops', `rm.state->>'partnerId' = $2`, [partnerId]).then((list) => list.sort(byText((w) => w.requestedAt, 'desc'))),
      /** a page of the requested and scheduled ones, oldest request first */
      open: (page?: PageRequest) =>
        pageOfDocs<WorkshopDoc>(sql, 'workshops', `rm.state->>'status' in ('Requested', 'Scheduled')`, [], `rm.state->>'requestedAt' asc`, page),
    },
    surveys: {
      byId: (surveyId: string) => doc<SurveyRoundDoc>(sql, 'survey_rounds', surveyId),
      /** a page of the rounds, open ones first, then newest first (one or more a quarter, without end) */
      rounds: (page?: PageRequest) =>
        pageOfDocs<SurveyRoundDoc>(sql, 'survey_rounds', 'true', [], `rm.state->>'status' desc, rm.state->>'openedAt' desc`, page),
      /** every round open now, newest first (a few at a time: a page lists them all) */
      open: () =>
        everyDoc<SurveyRoundDoc>(sql, 'survey_rounds', openSurveyRounds.where).then((list) => list.sort(byText((r) => r.openedAt, 'desc'))),
      answer: (surveyId: string, partnerId: string) => doc<SurveyAnswerDoc>(sql, 'survey_answers', surveyAnswerKey(surveyId, partnerId)),
      /** every answer of a partner to the rounds open now */
      openAnswersOf: (partnerId: string) => {
        const list = answersToOpenRoundsOf(partnerId)
        return everyDoc<SurveyAnswerDoc>(sql, list.projection, list.where, [...list.params!])
      },
      /** a page of a round's answers, earliest first */
      answersTo: (surveyId: string, page?: PageRequest) =>
        pageOfDocs<SurveyAnswerDoc>(sql, 'survey_answers', `rm.state->>'surveyId' = $2`, [surveyId], `rm.state->>'answeredAt' asc`, page),
    },
    plans: {
      forPartner: (partnerId: string) => doc<PlanDoc>(sql, 'joint_plans', partnerId),
      /** every partner's plan (one per partner, however many partners) */
      all: () => everyDoc<PlanDoc>(sql, 'joint_plans'),
    },
  }
}
export type EngagementQueries = ReturnType<typeof engagementQueries>
