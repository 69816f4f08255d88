// The engagement questions pages ask: workshops, survey rounds and answers, joint business plans.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { surveyAnswerKey, type SurveyRoundDoc } from '../../projections/engagement.ts'
import type { PageRequest } from '../paging.ts'
import { sql as q } from 'kysely'
import { byText, doc, eb, everyDoc, field, pageOf, type DocList } from './read-models.server.ts'

export type TopicAverage = { topic: string; average: number | null; count: number }

export function averages(round: SurveyRoundDoc): TopicAverage[] {
  return round.topics.map((topic) => {
    const total = round.totals[topic] ?? { sum: 0, count: 0 }
    return { topic, count: total.count, average: total.count ? Math.round((total.sum / total.count) * 10) / 10 : null }
  })
}

/** Survey rounds open for answers, newest first (as a list: see DocList). A vendor keeps a few open at a time. */
export const openSurveyRounds: DocList<'survey_rounds'> = {
  projection: 'survey_rounds', where: eb(field('status'), '=', q.lit('Open')), orderBy: [[field('openedAt'), 'desc']],
}

/**
 * The rounds open now that a partner has not answered, newest first, from round documents held in memory (the
 * dashboard's, insights' heldDocs): a round lists who answered it, so no answer is read (decision 037).
 */
export function openRoundsNotAnsweredBy(rounds: Iterable<SurveyRoundDoc | null>, partnerId: string): SurveyRoundDoc[] {
  const open: SurveyRoundDoc[] = []
  for (const round of rounds) if (round?.status === 'Open' && !round.answeredBy.includes(partnerId)) open.push(round)
  return open.sort(byText((r) => r.openedAt, 'desc'))
}

/**
 * A partner's answers to the rounds open now (as a list: see DocList): no more than there are open rounds, where
 * all its answers grow by a round or more a quarter without end. What a page needs to tell answered rounds from open ones.
 */
export const answersToOpenRoundsOf = (partnerId: string): DocList<'survey_answers'> => ({
  projection: 'survey_answers',
  where: eb.and([
    eb(field('partnerId'), '=', partnerId),
    q<boolean>`${field('surveyId')} in
      (select r.state->>'surveyId' from read_models r
        where r.projection = 'survey_rounds' and r.state->>'status' = 'Open'
          and r.version = (select pc.version from projection_checkpoints pc where pc.projection = 'survey_rounds' and pc.status = 'active'))`,
  ]),
  orderBy: [[field('answeredAt'), 'desc']],
})

export function engagementQueries(sql: SqlExecutor) {
  return {
    workshops: {
      byId: (workshopId: string) => doc(sql, 'workshops', workshopId),
      /** every workshop of a partner, newest request first (a few a year: the partner's page lists them all) */
      forPartner: (partnerId: string) =>
        everyDoc(sql, { projection: 'workshops', where: eb(field('partnerId'), '=', partnerId) }).then((list) => list.sort(byText((w) => w.requestedAt, 'desc'))),
      /** a page of the requested and scheduled ones, oldest request first */
      open: (page?: PageRequest) =>
        pageOf(sql, { projection: 'workshops', where: eb(field('status'), 'in', [q.lit('Requested'), q.lit('Scheduled')]), orderBy: [[field('requestedAt'), 'asc']] }, page),
    },
    surveys: {
      byId: (surveyId: string) => doc(sql, 'survey_rounds', surveyId),
      /** a page of the rounds, open ones first, then newest first (one or more a quarter, without end) */
      rounds: (page?: PageRequest) =>
        pageOf(sql, { projection: 'survey_rounds', orderBy: [[field('status'), 'desc'], [field('openedAt'), 'desc']] }, page),
      /** every round open now, newest first (a few at a time: a page lists them all) */
      open: () => everyDoc(sql, openSurveyRounds).then((list) => list.sort(byText((r) => r.openedAt, 'desc'))),
      answer: (surveyId: string, partnerId: string) => doc(sql, 'survey_answers', surveyAnswerKey(surveyId, partnerId)),
      /** every answer of a partner to the rounds open now */
      openAnswersOf: (partnerId: string) => everyDoc(sql, answersToOpenRoundsOf(partnerId)),
      /** a page of a round's answers, earliest first */
      answersTo: (surveyId: string, page?: PageRequest) =>
        pageOf(sql, { projection: 'survey_answers', where: eb(field('surveyId'), '=', surveyId), orderBy: [[field('answeredAt'), 'asc']] }, page),
    },
    plans: {
      forPartner: (partnerId: string) => doc(sql, 'joint_plans', partnerId),
      /** every partner's plan (one per partner, however many partners) */
      all: () => everyDoc(sql, { projection: 'joint_plans' }),
    },
  }
}
export type EngagementQueries = ReturnType<typeof engagementQueries>
