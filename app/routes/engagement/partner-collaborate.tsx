import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/partner-collaborate'
import { requireUser } from '../../auth.server.ts'
import { Badge, DateText, EmptyState, PageHeader, TableCard } from '../../components/ui.tsx'
import type { WorkshopDoc } from '../../../projections/engagement.ts'
import { engagement } from './access.server.ts'
import { kindLabels, PlanStatusBadge, WorkshopStatusBadge } from './shared.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Collaborate · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'workshop:request')
  const { queries } = engagement(services)
  const [workshops, rounds, answers, plan, vendor] = await Promise.all([
    queries.workshops.forPartner(user.organisationId),
    queries.surveys.open(),
    queries.surveys.openAnswersOf(user.organisationId),
    queries.plans.forPartner(user.organisationId),
    services.queries.organisations.byId('vendor'),
  ])
  const answered = Object.fromEntries(answers.map((a) => [a.surveyId, a.answeredAt]))
  return {
    workshops,
    surveys: rounds.map((r) => ({ surveyId: r.surveyId, topics: r.topics, openedAt: r.openedAt, answeredAt: answered[r.surveyId] ?? null })),
    plan,
    vendorName: vendor?.name ?? 'the vendor',
  }
}

function nextAction(w: WorkshopDoc): React.ReactNode {
  switch (w.status) {
    case 'Requested': return 'Your channel manager proposes a date'
    case 'Scheduled': return <>Meet on <DateText iso={w.date!} />{w.previousDate ? ' (moved)' : ''}</>
    case 'Held': return 'Read the agreed outcomes'
    case 'Cancelled': return w.cancelReason ? `Cancelled: ${w.cancelReason}` : 'Cancelled'
  }
}

export default function Collaborate() {
  const { workshops, surveys, plan, vendorName } = useLoaderData<typeof loader>()
  const waiting = surveys.filter((s) => !s.answeredAt)
  const newWorkshop = <Link to="/partner/collaborate/workshops/new" className="btn-primary no-underline">New workshop</Link>
  return (
    <div className="space-y-8">
      <PageHeader
        title="Collaborate"
        description={`Align goals with ${vendorName} in workshops, tell us how we are doing, and follow your joint business plan.`}
        actions={newWorkshop}
      />

      {waiting.length ? (
        <div className="card flex flex-wrap items-center justify-between gap-3 border-l-4 border-blue-600 p-4">
          <div>
            <p className="text-sm font-semibold text-gray-900">A satisfaction survey is waiting for your answer</p>
            <p className="text-sm text-gray-600">{waiting[0]!.topics.length} topics, a score from 0 to 10 each: about two minutes.</p>
          </div>
          <Link to={`/partner/collaborate/surveys/${waiting[0]!.surveyId}`} className="btn-primary no-underline">Answer the survey</Link>
        </div>
      ) : null}

      <section aria-labelledby="workshops-heading">
        <h2 id="workshops-heading" className="mb-3 text-lg font-semibold text-gray-900">Workshops</h2>
        {workshops.length === 0 ? (
          <EmptyState
            title="No workshops yet"
            description="Request a strategy or value-proposition workshop: your channel manager schedules it, and the agreed objectives appear here."
            action={<Link to="/partner/collaborate/workshops/new" className="btn-primary no-underline">Request a workshop</Link>}
          />
        ) : (
          <TableCard columns={[{ label: 'Workshop' }, { label: 'Status' }, { label: 'Requested' }, { label: 'Next' }]}>
                {workshops.map((w) => (
                  <tr key={w.workshopId} className="hover:bg-gray-50">
                    <td className="td max-w-md">
                      <Link to={`/partner/collaborate/workshops/${w.workshopId}`} className="font-medium">{kindLabels[w.kind]} workshop</Link>
                      <div className="text-xs text-gray-600">{w.goal}</div>
                    </td>
                    <td className="td"><WorkshopStatusBadge status={w.status} /></td>
                    <td className="td whitespace-nowrap"><DateText iso={w.requestedAt} /></td>
                    <td className="td text-gray-700">{nextAction(w)}</td>
                  </tr>
                ))}
              </TableCard>
        )}
      </section>

      <section aria-labelledby="surveys-heading">
        <h2 id="surveys-heading" className="mb-3 text-lg font-semibold text-gray-900">Satisfaction surveys</h2>
        {surveys.length === 0 ? (
          <EmptyState title="No survey open" description={`When ${vendorName} asks how the partnership is going, the survey appears here for you to answer once.`} />
        ) : (
          <ul className="card divide-y divide-gray-100">
            {surveys.map((s) => (
              <li key={s.surveyId} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div>
                  <p className="text-sm font-medium text-gray-900">Partner satisfaction survey · opened <DateText iso={s.openedAt} /></p>
                  <p className="text-xs text-gray-600">{s.topics.join(' · ')}</p>
                </div>
                {s.answeredAt ? (
                  <div className="flex items-center gap-3">
                    <Badge tone="green">Answered</Badge>
                    <Link to={`/partner/collaborate/surveys/${s.surveyId}`} className="text-sm">See your answer</Link>
                  </div>
                ) : (
                  <Link to={`/partner/collaborate/surveys/${s.surveyId}`} className="btn-secondary no-underline">Answer</Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="plan-heading">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <h2 id="plan-heading" className="text-lg font-semibold text-gray-900">Joint business plan</h2>
          {plan ? <PlanStatusBadge status={plan.latestStatus} /> : null}
        </div>
        {!plan ? (
          <EmptyState
            title="No joint business plan yet"
            description={`Your channel manager drafts the plan with you, usually after a strategy workshop: shared goals, and what ${vendorName} and you each commit to.`}
            action={<Link to="/partner/collaborate/workshops/new" className="btn-secondary no-underline">Request a strategy workshop</Link>}
          />
        ) : (
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="card overflow-x-auto lg:col-span-2">
              <table className="table-base">
                <caption className="px-3 pt-3 text-left text-sm font-semibold text-gray-900">Goals</caption>
                <thead className="bg-gray-50">
                  <tr>
                    <th scope="col" className="th">Goal</th>
                    <th scope="col" className="th">Target</th>
                    <th scope="col" className="th">Due</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100">
                  {plan.goals.map((g) => (
                    <tr key={g.id}>
                      <td className="td">{g.description}</td>
                      <td className="td font-medium">{g.target}</td>
                      <td className="td whitespace-nowrap"><DateText iso={g.dueDate} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="grid gap-4 border-t border-gray-100 p-4 sm:grid-cols-2">
                {(['vendor', 'partner'] as const).map((side) => (
                  <div key={side}>
                    <h3 className="text-xs font-semibold tracking-wide text-gray-600 uppercase">{side === 'vendor' ? `${vendorName} commits to` : 'You commit to'}</h3>
                    <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-gray-800">
                      {plan.commitments.filter((c) => c.side === side).map((c) => <li key={c.description}>{c.description}</li>)}
                    </ul>
                  </div>
                ))}
              </div>
            </div>
            <div className="card p-4">
              <h3 className="text-sm font-semibold text-gray-900">Quarterly reviews</h3>
              {plan.reviews.length === 0 ? (
                <p className="mt-2 text-sm text-gray-600">The first review follows at the end of the quarter. Plan agreed <DateText iso={plan.createdAt} />.</p>
              ) : (
                <ol className="mt-3 space-y-3">
                  {plan.reviews.map((r) => (
                    <li key={r.quarter} className="border-l-2 border-gray-200 pl-3">
                      <div className="flex items-center gap-2">
                        <span className="text-sm font-medium text-gray-900">{r.quarter}</span>
                        <PlanStatusBadge status={r.status} />
                      </div>
                      {r.notes ? <p className="mt-1 text-sm text-gray-700">{r.notes}</p> : null}
                      <p className="mt-0.5 text-xs text-gray-600">Reviewed <DateText iso={r.reviewedAt} /></p>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </div>
        )}
      </section>
    </div>
  )
}
