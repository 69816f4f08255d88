// One survey round as the vendor sees it: averages per topic, who has not answered, every answer; closing the round.
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-survey'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { Pager } from '../../components/pager.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, formatDate, FormError, PageHeader } from '../../components/ui.tsx'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { countOf, formatCount } from '../../format.ts'
import { onRealPages, requestedPage } from '../../paging.ts'
import { averages } from '../../queries/engagement.server.ts'
import { engagement, partnerNames, requireIntent, requireVendorReader } from './access.server.ts'
import { ReadOnlyNote, responseRate, ScoreBar } from './shared.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Survey round · Partnerlog' }]

export async function loader({ request, url, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ surveyId: RouteId }, params, 'No survey round with this id.')
  const { services } = context
  const { canManage } = await requireVendorReader(request, services, 'survey:manage')
  const { queries } = engagement(services)
  const round = await queries.surveys.byId(ids.surveyId)
  if (!round) throw data('No survey round with this id.', { status: 404 })
  const [answers, { partners, names }] = await Promise.all([queries.surveys.answersTo(round.surveyId, { page: requestedPage(url) }), partnerNames(services)])
  onRealPages(url, { page: answers })
  const answered = new Set(round.answeredBy)
  return {
    canManage,
    round: { surveyId: round.surveyId, status: round.status, openedAt: round.openedAt, closedAt: round.closedAt, topics: round.topics, answers: round.answeredBy.length },
    averages: averages(round),
    partnerCount: partners.length,
    answers: { ...answers, rows: answers.rows.map((a) => ({ ...a, partnerName: names[a.partnerId] ?? a.partnerId })) },
    missing: partners.filter((p) => !answered.has(p.organisationId)).map((p) => p.name),
  }
}

/** closing the round is its only form: a button */
const CloseForm = z.object({ intent: z.literal('close') })

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ surveyId: RouteId }, params, 'No survey round with this id.')
  const { services } = context
  const { user, form } = await requireIntent(request, services, () => 'survey:manage')
  const submission = parseWithZod(form, { schema: CloseForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  try {
    const result = await services.commands.engagement.closeSurveyRound({ actor: toActor(user) }, ids.surveyId)
    const answers = (result.events[0]?.data as { answers?: number } | undefined)?.answers ?? 0
    return redirectWithToast(request, services, `/vendor/engagement/surveys/${ids.surveyId}`, `Survey round closed with ${countOf(answers, 'answer')}.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function VendorSurvey() {
  const { canManage, round, averages, partnerCount, answers: answerPage, missing } = useLoaderData<typeof loader>()
  const answers = answerPage.rows
  const refused = useActionData<typeof action>()?.result.error?.['']?.[0]
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Partner satisfaction round"
        description={`Opened ${formatDate(round.openedAt)}${round.closedAt ? `, closed ${formatDate(round.closedAt)}` : ''} · responses ${responseRate(round.answers, partnerCount)}`}
        breadcrumbs={[{ to: '/vendor/engagement', label: 'Engagement' }]}
        actions={
          <div className="flex items-center gap-2">
            {round.status === 'Open' ? <Badge tone="blue">Open</Badge> : <Badge tone="gray">Closed</Badge>}
            {canManage && round.status === 'Open' ? (
              <Form method="post"><CsrfInput /><button name="intent" value="close" className="btn-secondary">Close round</button></Form>
            ) : null}
          </div>
        }
      />
      {!canManage ? <ReadOnlyNote /> : null}
      {refused ? <div className="mb-4"><FormError message={refused} /></div> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <section className="card overflow-x-auto p-5 lg:col-span-2" aria-labelledby="avg">
          <h2 id="avg" className="text-sm font-semibold text-gray-900">Average per topic (0–10)</h2>
          <table className="table-base mt-2">
            <thead>
              <tr><th scope="col" className="th">Topic</th><th scope="col" className="th num">Answers</th><th scope="col" className="th">Average</th></tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {averages.map((a) => (
                <tr key={a.topic}>
                  <td className="td">{a.topic}</td>
                  <td className="td num">{a.count}</td>
                  <td className="td"><ScoreBar value={a.average} label={`Average for ${a.topic}`} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card p-5" aria-labelledby="missing">
          <h2 id="missing" className="text-sm font-semibold text-gray-900">Not answered yet</h2>
          {missing.length ? (
            <ul className="mt-2 space-y-1 text-sm text-gray-800">{missing.map((m) => <li key={m}>{m}</li>)}</ul>
          ) : <p className="mt-2 text-sm text-gray-700">Every partner answered.</p>}
        </section>
      </div>
      <section className="card mt-6 p-5" aria-labelledby="comments">
        <h2 id="comments" className="text-sm font-semibold text-gray-900">Answers{answerPage.total ? <span className="font-normal text-gray-600"> ({formatCount(answerPage.total)})</span> : null}</h2>
        {answers.length === 0 ? <p className="mt-2 text-sm text-gray-700">No answers yet. Partners see the round on their Collaborate page.</p> : (
          <ul className="mt-3 divide-y divide-gray-100">
            {answers.map((a) => (
              <li key={a.partnerId} className="py-3">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="text-sm font-medium text-gray-900">{a.partnerName}</span>
                  <span className="text-xs text-gray-600">Answered <DateText iso={a.answeredAt} /></span>
                </div>
                <p className="mt-1 text-xs text-gray-700 tabular-nums">{round.topics.map((t) => `${t}: ${a.scores[t] ?? '—'}`).join(' · ')}</p>
                {a.comment ? <p className="mt-1 text-sm text-gray-800">“{a.comment}”</p> : null}
              </li>
            ))}
          </ul>
        )}
        <Pager className="mt-3 border-t border-gray-100 pt-3" list={answerPage} label="Answer pages" anchor="comments" order="earliest first" />
      </section>
    </div>
  )
}
