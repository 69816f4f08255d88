// The vendor's engagement page: workshops to schedule, partner satisfaction rounds, and a joint business plan per partner.
import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-engagement'
import { redirectWithToast } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { Pager, ReturnHere } from '../../components/pager.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { resultFor } from '../../components/schema-form.tsx'
import { Badge, DateText, EmptyState, formatDate, FormError, PageHeader, relativeTime, TableCard } from '../../components/ui.tsx'
import { countOf, formatCount } from '../../format.ts'
import { returnTo } from '../../return-to.server.ts'
import { onRealPages, requestedPage } from '../../paging.ts'
import type { Permission } from '../../permissions.ts'
import { averages } from '../../queries/engagement.server.ts'
import { engagement, partnerNames, requireIntent, requireVendorReader } from './access.server.ts'
import { EngagementAction, OpenRoundForm, ScheduleForm } from './vendor-engagement-forms.tsx'
import { kindLabels, PlanStatusBadge, ReadOnlyNote, responseRate, ScoreBar, today, WorkshopStatusBadge } from './shared.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Engagement · Partnerlog' }]

/** survey rounds on one page: each is a card with its topics' averages, so fewer than a queue's rows */
const ROUNDS_PER_PAGE = 10

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const { canManage } = await requireVendorReader(request, services, 'workshop:manage')
  const { queries } = engagement(services)
  const [workshops, rounds, plans, { partners, names }] = await Promise.all([
    queries.workshops.open({ page: requestedPage(url, 'workshops') }),
    queries.surveys.rounds({ page: requestedPage(url, 'rounds'), size: ROUNDS_PER_PAGE }),
    queries.plans.all(), partnerNames(services),
  ])
  onRealPages(url, { workshops, rounds })
  const planBy = Object.fromEntries(plans.map((p) => [p.partnerId, p]))
  return {
    canManage,
    commandId: randomUUID(),
    today: today(services.clock),
    now: services.clock().toISOString(),
    workshops: { ...workshops, rows: workshops.rows.map((w) => ({ ...w, partnerName: names[w.partnerId] ?? w.partnerId })) },
    rounds: { ...rounds, rows: rounds.rows.map((r) => ({ surveyId: r.surveyId, status: r.status, openedAt: r.openedAt, closedAt: r.closedAt, answers: r.answeredBy.length, averages: averages(r) })) },
    partnerCount: partners.length,
    plans: partners.map((p) => {
      const plan = planBy[p.organisationId]
      return { partnerId: p.organisationId, name: p.name, exists: !!plan, goals: plan?.goals.length ?? 0, latestStatus: plan?.latestStatus ?? null, lastReview: plan?.reviews[0]?.quarter ?? null }
    }),
  }
}

const permissionFor = (intent: string): Permission => (intent === 'open-round' || intent === 'close-round' ? 'survey:manage' : 'workshop:manage')

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireIntent(request, services, permissionFor)
  const submission = parseWithZod(form, { schema: EngagementAction })
  if (submission.status !== 'success') return replyInvalid(submission)
  const commands = services.commands.engagement
  const issued = { actor: toActor(user) }
  const posted = submission.value
  try {
    switch (posted.intent) {
      case 'schedule': {
        const workshop = await engagement(services).queries.workshops.byId(posted.workshopId)
        if (!workshop) return data({ result: submission.reply({ fieldErrors: { date: ['This workshop no longer exists.'] } }) }, { status: 400 })
        await commands.scheduleWorkshop(issued, workshop.workshopId, posted.date)
        const names = (await partnerNames(services)).names
        // back to the page of open workshops the vendor was on
        return redirectWithToast(request, services, returnTo(form, '/vendor/engagement'), `${kindLabels[workshop.kind]} workshop with ${names[workshop.partnerId] ?? workshop.partnerId} scheduled for ${formatDate(posted.date)}.`)
      }
      case 'open-round':
        await commands.openSurveyRound({ ...issued, commandId: posted.commandId }, posted.topics, posted.commandId)
        return redirectWithToast(request, services, '/vendor/engagement', `Survey round opened with ${posted.topics.length} topics; partners see it on their Collaborate page.`)
      case 'close-round': {
        const result = await commands.closeSurveyRound(issued, posted.surveyId)
        const answers = (result.events[0]?.data as { answers?: number } | undefined)?.answers ?? 0
        // back to the page of rounds the vendor was on
        return redirectWithToast(request, services, returnTo(form, '/vendor/engagement'), `Survey round closed with ${countOf(answers, 'answer')}.`)
      }
    }
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function VendorEngagement() {
  const { canManage, commandId, today, now, workshops: openWorkshops, rounds: roundList, partnerCount, plans } = useLoaderData<typeof loader>()
  const workshops = openWorkshops.rows
  const rounds = roundList.rows
  // closing a round is a button: why it was refused shows on top
  const closeError = resultFor(useActionData<typeof action>(), 'close-round')?.error?.['']?.[0]
  return (
    <div className="space-y-10">
      <PageHeader title="Engagement" description="Workshops to schedule and hold, partner satisfaction rounds, and joint business plans per partner." />
      {!canManage ? <ReadOnlyNote /> : null}
      <FormError message={closeError} />

      <section aria-labelledby="workshops-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="workshops-heading" className="text-lg font-semibold text-gray-900">Workshops</h2>
          <span className="text-sm text-gray-600">{formatCount(openWorkshops.total)} open, oldest request first</span>
        </div>
        {workshops.length === 0 ? (
          <EmptyState title="No workshop waiting" description="When a partner requests a strategy or value-proposition workshop, it appears here to schedule." />
        ) : (
          <TableCard columns={[{ label: 'Partner' }, { label: 'Workshop' }, { label: 'Status' }, { label: 'Requested' }, { label: 'Next' }]}>
                {workshops.map((w) => {
                  const label = `${kindLabels[w.kind]} workshop with ${w.partnerName}`
                  return (
                    <tr key={w.workshopId} className="align-top">
                      <td className="td whitespace-nowrap"><Link to={`/vendor/partners/${w.partnerId}`}>{w.partnerName}</Link></td>
                      <td className="td max-w-sm">
                        <Link to={`/vendor/engagement/workshops/${w.workshopId}`} className="font-medium">{kindLabels[w.kind]}</Link>
                        <div className="text-xs text-gray-600">{w.goal}</div>
                      </td>
                      <td className="td"><WorkshopStatusBadge status={w.status} />{w.date ? <div className="mt-1 text-xs text-gray-700"><DateText iso={w.date} /></div> : null}</td>
                      <td className="td whitespace-nowrap"><span title={w.requestedAt}>{relativeTime(w.requestedAt, new Date(now))}</span></td>
                      <td className="td">
                        {!canManage ? <span className="text-gray-600">—</span> : w.status === 'Requested' ? (
                          <ScheduleForm workshopId={w.workshopId} label={label} today={today} />
                        ) : (
                          <Link to={`/vendor/engagement/workshops/${w.workshopId}`} className="btn-secondary no-underline">Record outcomes or cancel<span className="sr-only"> the {label}</span></Link>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </TableCard>
        )}
        <Pager className="mt-3" list={openWorkshops} label="Open workshop pages" param="workshops" anchor="workshops-heading" order="oldest request first" />
      </section>

      <section aria-labelledby="surveys-heading">
        <div className="mb-3 flex items-baseline justify-between">
          <h2 id="surveys-heading" className="text-lg font-semibold text-gray-900">Partner satisfaction</h2>
          <span className="text-sm text-gray-600">{roundList.total ? `${countOf(roundList.total, 'round')}, open first, then newest; ` : ''}{formatCount(partnerCount)} partners can answer each round</span>
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="space-y-3 lg:col-span-2">
            {rounds.length === 0 ? (
              <EmptyState title="No survey rounds yet" description="Open a round with the topics to score; each partner answers once, and the averages appear here." />
            ) : rounds.map((r) => (
              <article key={r.surveyId} className="card p-4" aria-labelledby={`round-${r.surveyId}`}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 id={`round-${r.surveyId}`} className="text-sm font-semibold text-gray-900">
                    <Link to={`/vendor/engagement/surveys/${r.surveyId}`}>Round opened <DateText iso={r.openedAt} /></Link>
                  </h3>
                  <div className="flex items-center gap-2">
                    {r.status === 'Open' ? <Badge tone="blue">Open</Badge> : <Badge tone="gray">Closed</Badge>}
                    <span className="text-sm text-gray-700">Responses: {responseRate(r.answers, partnerCount)}</span>
                  </div>
                </div>
                <dl className="mt-3 space-y-2">
                  {r.averages.map((a) => (
                    <div key={a.topic} className="flex items-center justify-between gap-3">
                      <dt className="text-sm text-gray-700">{a.topic}</dt>
                      <dd><ScoreBar value={a.average} label={`Average for ${a.topic}`} /></dd>
                    </div>
                  ))}
                </dl>
                {canManage && r.status === 'Open' ? (
                  <Form method="post" className="mt-3 flex justify-end border-t border-gray-100 pt-3">
                    <CsrfInput />
                    <ReturnHere anchor="surveys-heading" />
                    <input type="hidden" name="surveyId" value={r.surveyId} />
                    <button name="intent" value="close-round" className="btn-secondary">Close round<span className="sr-only"> opened {r.openedAt.slice(0, 10)}</span></button>
                  </Form>
                ) : null}
              </article>
            ))}
            <Pager list={roundList} label="Survey round pages" param="rounds" anchor="surveys-heading" order="open first, then newest" />
          </div>
          {canManage ? (
            <OpenRoundForm commandId={commandId} />
          ) : null}
        </div>
      </section>

      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading" className="mb-3 text-lg font-semibold text-gray-900">Joint business plans</h2>
        {plans.length === 0 ? (
          <EmptyState title="No partners yet" description="Once partners join the program, each gets a row here to agree a joint business plan." />
        ) : (
          <TableCard columns={[{ label: 'Partner' }, { label: 'Plan' }, { label: 'Goals', className: 'num' }, { label: 'Last review' }, { label: <><span className="sr-only">Action</span></> }]}>
                {plans.map((p) => (
                  <tr key={p.partnerId}>
                    <td className="td font-medium">{p.name}</td>
                    <td className="td">{p.exists ? <PlanStatusBadge status={p.latestStatus} /> : <Badge tone="gray">No plan</Badge>}</td>
                    <td className="td num">{p.exists ? p.goals : '—'}</td>
                    <td className="td">{p.lastReview ?? '—'}</td>
                    <td className="td text-right">
                      <Link to={`/vendor/engagement/plans/${p.partnerId}`} className="btn-secondary no-underline">
                        {p.exists ? (canManage ? 'Review plan' : 'Open plan') : canManage ? 'Create plan' : 'Open'}<span className="sr-only"> for {p.name}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </TableCard>
        )}
      </section>
    </div>
  )
}
