// A partner answers a satisfaction survey round once: a score from 0 to 10 per topic and an optional comment.
import { randomUUID } from 'node:crypto'
import { useMemo } from 'react'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-survey'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser, type CurrentUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { conformTextarea } from '../../components/form-field.tsx'
import { withClass } from '../../components/row-field.tsx'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, FormError, formatDate, PageHeader } from '../../components/ui.tsx'
import { AnswerSurveyData } from '../../../domain/psat/decide.ts'
import type { AppServices } from '../../services.server.ts'
import { engagement } from './access.server.ts'
import { ScoreBar } from './shared.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Partner satisfaction survey · Partnerlog' }]

async function load(services: AppServices, user: CurrentUser, surveyId: string) {
  const { queries } = engagement(services)
  const [round, answer] = await Promise.all([queries.surveys.byId(surveyId), queries.surveys.answer(surveyId, user.organisationId)])
  if (!round) throw data('No survey round with this id.', { status: 404 })
  return { round, answer }
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ surveyId: RouteId }, params, 'No survey with this id for your organisation.')
  const user = await requireUser(request, context.services, 'survey:answer')
  const { round, answer } = await load(context.services, user, ids.surveyId)
  return { round: { surveyId: round.surveyId, topics: round.topics, status: round.status, openedAt: round.openedAt }, answer, commandId: randomUUID(), organisation: user.organisationName }
}

/** field names are score0..scoreN, in topic order, so topics never need escaping */
const answerForm = (topics: string[]) =>
  z.object({
    commandId: z.uuid(),
    comment: AnswerSurveyData.shape.comment,
    ...Object.fromEntries(topics.map((topic, i) => [
      `score${i}`,
      z.string({ error: `Give "${topic}" a score from 0 to 10` }).regex(/^(10|[0-9])$/, `Give "${topic}" a score from 0 to 10`).transform(Number),
    ])),
  })

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ surveyId: RouteId }, params, 'No survey with this id for your organisation.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'survey:answer')
  const { round, answer } = await load(services, user, ids.surveyId)
  const submission = parseWithZod(form, { schema: answerForm(round.topics) })
  const conflict = (message: string) => data({ result: submission.reply({ formErrors: [message] }) }, { status: 409 })
  if (answer) return conflict(`${user.organisationName} already answered this survey on ${formatDate(answer.answeredAt)}. Each partner answers a round once.`)
  if (round.status !== 'Open') return conflict('This survey round is closed; answers are no longer collected.')
  if (submission.status !== 'success') return replyInvalid(submission)
  const values = submission.value as Record<string, unknown>
  const scores = Object.fromEntries(round.topics.map((topic, i) => [topic, values[`score${i}`] as number]))
  try {
    await services.commands.engagement.answerSurvey({ actor: toActor(user), commandId: submission.value.commandId }, {
      surveyId: round.surveyId, partnerId: user.organisationId, scores, comment: submission.value.comment,
    })
    return redirectWithToast(request, services, '/partner/collaborate', 'Thank you: your survey answer was recorded.')
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function Survey() {
  const { round, answer, commandId, organisation } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()?.result
  const schema = useMemo(() => answerForm(round.topics), [round.topics])
  const [form, fields] = useSchemaForm({ id: 'answer-survey', schema, lastResult: result })
  const scores = fields as unknown as Record<string, (typeof fields)['comment']>
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Partner satisfaction survey"
        description={`How is the partnership going? Score each topic from 0 (not at all satisfied) to 10 (very satisfied). One answer per organisation.`}
        breadcrumbs={[{ to: '/partner/collaborate', label: 'Collaborate' }]}
        actions={answer ? <Badge tone="green">Answered</Badge> : round.status === 'Open' ? <Badge tone="amber">Waiting for your answer</Badge> : <Badge tone="gray">Closed</Badge>}
      />
      {answer || round.status !== 'Open' ? <FormError message={result?.error?.['']?.[0]} /> : null}
      {answer ? (
        <section className="card mt-4 p-6" aria-labelledby="yours">
          <h2 id="yours" className="text-sm font-semibold text-gray-900">Your answer for {organisation}, <DateText iso={answer.answeredAt} /></h2>
          <dl className="mt-4 space-y-3">
            {round.topics.map((topic) => (
              <div key={topic} className="flex flex-wrap items-center justify-between gap-3">
                <dt className="text-sm text-gray-800">{topic}</dt>
                <dd><ScoreBar value={answer.scores[topic] ?? null} label={topic} /></dd>
              </div>
            ))}
          </dl>
          {answer.comment ? <p className="mt-4 border-t border-gray-100 pt-4 text-sm text-gray-700">“{answer.comment}”</p> : null}
          <p className="mt-4 text-sm text-gray-600">Thank you. Your channel manager sees the averages of all partners and your comment.</p>
        </section>
      ) : round.status !== 'Open' ? (
        <div className="card mt-4 p-6 text-sm text-gray-700">This survey round is closed. <Link to="/partner/collaborate">Back to Collaborate</Link></div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card mt-4 space-y-6 p-6">
          <FormHead form={form} commandId={commandId} />
          {round.topics.map((topic, i) => {
            const score = scores[`score${i}`]!
            const error = score.errors?.[0]
            return (
              <fieldset key={topic} aria-describedby={error ? score.errorId : undefined}>
                <legend className="label">{topic}</legend>
                <div className="mt-2 flex flex-wrap gap-1.5">
                  {Array.from({ length: 11 }, (_, n) => (
                    <label key={n} className="relative">
                      <input type="radio" name={score.name} value={n} defaultChecked={score.initialValue === String(n)} className="peer sr-only" />
                      <span className="flex h-9 w-9 cursor-pointer items-center justify-center rounded-md text-sm font-medium text-gray-800 ring-1 ring-gray-300 peer-checked:bg-brand-600 peer-checked:text-white peer-checked:ring-brand-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600 hover:bg-gray-50 peer-checked:hover:bg-brand-700">
                        {n}
                      </span>
                    </label>
                  ))}
                </div>
                <div className="mt-1 flex w-full max-w-[29rem] justify-between text-xs text-gray-600" aria-hidden="true"><span>Not at all satisfied</span><span>Very satisfied</span></div>
                {error ? <p id={score.errorId} className="mt-1 text-sm text-red-700">{error}</p> : null}
              </fieldset>
            )
          })}
          <div>
            <label htmlFor={fields.comment.id} className="label">Anything we should do better? <span className="font-normal text-gray-600">(optional)</span></label>
            <textarea {...withClass(conformTextarea(fields.comment), 'mt-1')} rows={3} />
            {fields.comment.errors ? <p id={fields.comment.errorId} className="mt-1 text-sm text-red-700">{fields.comment.errors[0]}</p> : null}
          </div>
          <FormActions back="/partner/collaborate" backLabel="Later" submit="Send answer" sending="Sending…" />
        </Form>
      )}
    </div>
  )
}
