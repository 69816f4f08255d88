// A partner's joint business plan as the vendor sees it: created with goals and commitments, reviewed each quarter.
import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-plan'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast } from '../../auth.server.ts'
import { previousQuarter, quarterOf } from '../../commands/engagement.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { DateText, formatDate, PageHeader } from '../../components/ui.tsx'
import type { AppServices } from '../../services.server.ts'
import { engagement, requireIntent, requireVendorReader } from './access.server.ts'
import { PlanStatusBadge, planStatusLabels, today, ReadOnlyNote } from './shared.tsx'
import { CreatePlan, CreatePlanForm, ReviewForm, ReviewPlan } from './vendor-plan-forms.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Joint business plan · ${data?.partnerName ?? ''} · Partnerlog` }]

async function load(services: AppServices, partnerId: string) {
  const organisation = await services.queries.organisations.byId(partnerId)
  if (!organisation || organisation.kind !== 'partner') throw data('No partner with this id.', { status: 404 })
  const plan = await engagement(services).queries.plans.forPartner(partnerId)
  return { partnerId, partnerName: organisation.name, plan }
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const { canManage } = await requireVendorReader(request, services, 'plan:manage')
  const loaded = await load(services, ids.partnerId)
  const current = quarterOf(today(services.clock))
  const reviewed = new Set(loaded.plan?.reviews.map((r) => r.quarter) ?? [])
  const quarters = [current, previousQuarter(current)].filter((q) => !reviewed.has(q))
  return { ...loaded, canManage, quarters, today: today(services.clock), commandId: randomUUID() }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const { user, form, intent } = await requireIntent(request, services, () => 'plan:manage')
  const { partnerId, partnerName } = await load(services, ids.partnerId)
  const commands = services.commands.engagement
  const here = `/vendor/engagement/plans/${partnerId}`
  if (intent === 'create') {
    const submission = parseWithZod(form, { schema: CreatePlanForm })
    // an error, or a row added or removed without JavaScript
    if (submission.status !== 'success') return replyInvalid(submission)
    const { commandId, goals, vendorCommitments, partnerCommitments } = submission.value
    const commitments = [...vendorCommitments.map((description) => ({ side: 'vendor' as const, description })), ...partnerCommitments.map((description) => ({ side: 'partner' as const, description }))]
    try {
      await commands.createPlan({ actor: toActor(user), commandId }, { partnerId, goals, commitments })
      return redirectWithToast(request, services, here, `Joint business plan with ${partnerName} created; ${partnerName} sees it on their Collaborate page.`)
    } catch (error) {
      return replyRefused(submission, error)
    }
  }
  const submission = parseWithZod(form, { schema: ReviewForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const { intent: _intent, ...review } = submission.value
  try {
    await commands.reviewPlan({ actor: toActor(user) }, { partnerId, ...review })
    return redirectWithToast(request, services, here, `${review.quarter} review of the plan with ${partnerName} recorded: ${planStatusLabels[review.status].toLowerCase()}.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function VendorPlan() {
  const { partnerName, plan, canManage, quarters, today, commandId } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`Joint business plan with ${partnerName}`}
        description={plan ? `Agreed ${formatDate(plan.createdAt)}; reviewed every quarter.` : 'Shared goals with measurable targets, and what each side commits to.'}
        breadcrumbs={[{ to: '/vendor/engagement', label: 'Engagement' }]}
        actions={plan ? <PlanStatusBadge status={plan.latestStatus} /> : null}
      />
      {!canManage ? <ReadOnlyNote /> : null}
      {!plan ? (
        canManage ? (
          <CreatePlan partnerName={partnerName} today={today} commandId={commandId} />
        ) : <p className="card p-5 text-sm text-gray-700">{partnerName} has no joint business plan yet.</p>
      ) : (
        <div className="mt-4 grid gap-6 lg:grid-cols-3">
          <div className="card overflow-x-auto lg:col-span-2">
            <table className="table-base">
              <caption className="px-3 pt-3 text-left text-sm font-semibold text-gray-900">Goals</caption>
              <thead className="bg-gray-50">
                <tr><th scope="col" className="th">Goal</th><th scope="col" className="th">Target</th><th scope="col" className="th">Due</th></tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {plan.goals.map((g) => (
                  <tr key={g.id}><td className="td">{g.description}</td><td className="td font-medium">{g.target}</td><td className="td whitespace-nowrap"><DateText iso={g.dueDate} /></td></tr>
                ))}
              </tbody>
            </table>
            <div className="grid gap-4 border-t border-gray-100 p-4 sm:grid-cols-2">
              {(['vendor', 'partner'] as const).map((side) => (
                <div key={side}>
                  <h2 className="text-xs font-semibold tracking-wide text-gray-600 uppercase">{side === 'vendor' ? 'We commit to' : `${partnerName} commits to`}</h2>
                  <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-gray-800">
                    {plan.commitments.filter((c) => c.side === side).map((c) => <li key={c.description}>{c.description}</li>)}
                  </ul>
                </div>
              ))}
            </div>
            <div className="border-t border-gray-100 p-4">
              <h2 className="text-sm font-semibold text-gray-900">Review history</h2>
              {plan.reviews.length === 0 ? <p className="mt-2 text-sm text-gray-700">Not reviewed yet.</p> : (
                <ol className="mt-2 space-y-2">
                  {plan.reviews.map((r) => (
                    <li key={r.quarter} className="flex flex-wrap items-baseline gap-2 text-sm">
                      <span className="w-16 font-medium text-gray-900">{r.quarter}</span>
                      <PlanStatusBadge status={r.status} />
                      <span className="text-gray-700">{r.notes}</span>
                      <span className="ml-auto text-xs text-gray-600"><DateText iso={r.reviewedAt} /></span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </div>
          {canManage ? (
            quarters.length ? (
              <ReviewPlan key={plan.reviews.length} quarters={quarters} />
            ) : <p className="card h-fit p-5 text-sm text-gray-700">This quarter and the last are reviewed. The next review opens with the next quarter.</p>
          ) : null}
        </div>
      )}
    </div>
  )
}
