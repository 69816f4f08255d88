import { randomUUID } from 'node:crypto'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-plan'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast } from '../../auth.server.ts'
import { previousQuarter, quarterOf } from '../../commands/engagement.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { DateText, Field, FormError, formatDate, inputProps, PageHeader } from '../../components/ui.tsx'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
import { MAX, multiLine, singleLine } from '../../../domain/shared/fields.ts'
import { ReviewPlanData } from '../../../domain/plans/decide.ts'
import type { AppServices } from '../../services.server.ts'
import { engagement, requireIntent, requireVendorReader } from './access.server.ts'
import { PlanStatusBadge, planStatusLabels, today, ReadOnlyNote } from './shared.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Joint business plan · ${data?.partnerName ?? ''} · Partnerlog` }]

const GOAL_ROWS = 3
const COMMITMENT_ROWS = 3

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

/** a cell of the plan's grid, blank when not filled in; bounded as the command's goals and commitments */
const optional = (field: z.ZodType<string, string>) => z.string().optional().transform((v) => (v ?? '').trim()).pipe(field)
const text = multiLine(MAX.shortText, false)
const line = singleLine(MAX.label, false)
const CreatePlan = z
  .object({
    commandId: z.uuid(),
    ...Object.fromEntries(Array.from({ length: GOAL_ROWS }, (_, i) => i + 1).flatMap((i) => [[`goal${i}Description`, optional(text)], [`goal${i}Target`, optional(line)], [`goal${i}Due`, optional(line)]])),
    ...Object.fromEntries(Array.from({ length: COMMITMENT_ROWS }, (_, i) => i + 1).flatMap((i) => [[`vendor${i}`, optional(text)], [`partner${i}`, optional(text)]])),
  })
  .transform((form, ctx) => {
    const values = form as Record<string, string>
    const goals: { description: string; target: string; dueDate: string }[] = []
    for (let i = 1; i <= GOAL_ROWS; i++) {
      const [description, target, dueDate] = [values[`goal${i}Description`]!, values[`goal${i}Target`]!, values[`goal${i}Due`]!]
      if (!description && !target && !dueDate) continue
      if (!description) ctx.addIssue({ code: 'custom', path: [`goal${i}Description`], message: 'Describe the goal' })
      if (!target) ctx.addIssue({ code: 'custom', path: [`goal${i}Target`], message: 'Give a measurable target, e.g. EUR 500k bookings' })
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) ctx.addIssue({ code: 'custom', path: [`goal${i}Due`], message: 'Choose the due date' })
      goals.push({ description, target, dueDate })
    }
    if (goals.length === 0) ctx.addIssue({ code: 'custom', path: ['goal1Description'], message: 'A plan needs at least one goal' })
    const pick = (side: 'vendor' | 'partner') =>
      Array.from({ length: COMMITMENT_ROWS }, (_, i) => values[`${side}${i + 1}`]!).filter(Boolean).map((description) => ({ side, description }))
    const commitments = [...pick('vendor'), ...pick('partner')]
    if (!commitments.some((c) => c.side === 'vendor')) ctx.addIssue({ code: 'custom', path: ['vendor1'], message: 'Name at least one vendor commitment' })
    if (!commitments.some((c) => c.side === 'partner')) ctx.addIssue({ code: 'custom', path: ['partner1'], message: 'Name at least one partner commitment' })
    return { commandId: form.commandId, goals, commitments }
  })

const Review = z.object({
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'Choose the quarter reviewed'),
  status: z.enum(['on_track', 'at_risk', 'off_track'], { error: 'Choose how the plan is doing' }),
  notes: ReviewPlanData.shape.notes,
}).refine((r) => r.status === 'on_track' || r.notes !== '', { path: ['notes'], message: 'Say what puts the plan at risk or off track' })

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const { user, form, intent } = await requireIntent(request, services, () => 'plan:manage')
  const { partnerId, partnerName } = await load(services, ids.partnerId)
  const commands = services.commands.engagement
  const here = `/vendor/engagement/plans/${partnerId}`
  if (intent === 'create') {
    const parsed = parseForm(CreatePlan, form)
    if (!parsed.ok) return invalid(parsed.result)
    try {
      await commands.createPlan({ actor: toActor(user), commandId: parsed.value.commandId }, { partnerId, goals: parsed.value.goals, commitments: parsed.value.commitments })
      return redirectWithToast(request, services, here, `Joint business plan with ${partnerName} created; ${partnerName} sees it on their Collaborate page.`)
    } catch (error) {
      return refused(error, form)
    }
  }
  const parsed = parseForm(Review, form)
  if (!parsed.ok) return invalid(parsed.result)
  try {
    await commands.reviewPlan({ actor: toActor(user) }, { partnerId, ...parsed.value })
    return redirectWithToast(request, services, here, `${parsed.value.quarter} review of the plan with ${partnerName} recorded: ${planStatusLabels[parsed.value.status].toLowerCase()}.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function VendorPlan() {
  const { partnerName, plan, canManage, quarters, today, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<{ result: FormResult }>()
  const result = actionData?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const input = (name: string, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div>
      <label htmlFor={name} className="sr-only">{label}</label>
      <input {...inputProps(name, errors[name])} defaultValue={values[name]} {...extra} />
      {errors[name] ? <p id={`${name}-error`} className="mt-1 text-xs text-red-700">{errors[name]}</p> : null}
    </div>
  )
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`Joint business plan with ${partnerName}`}
        description={plan ? `Agreed ${formatDate(plan.createdAt)}; reviewed every quarter.` : 'Shared goals with measurable targets, and what each side commits to.'}
        breadcrumbs={[{ to: '/vendor/engagement', label: 'Engagement' }]}
        actions={plan ? <PlanStatusBadge status={plan.latestStatus} /> : null}
      />
      <FormError message={result?.formError} />
      {!canManage ? <ReadOnlyNote /> : null}
      {!plan ? (
        canManage ? (
          <Form method="post" noValidate className="card mt-4 space-y-6 p-6">
            <CsrfInput />
            <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
            <fieldset>
              <legend className="text-sm font-semibold text-gray-900">Goals</legend>
              <p className="text-xs text-gray-600">Up to {GOAL_ROWS}; leave unused rows empty.</p>
              <div className="mt-3 hidden grid-cols-[1fr_14rem_10rem] gap-3 text-xs font-semibold text-gray-600 uppercase sm:grid" aria-hidden="true">
                <span>Goal</span><span>Target</span><span>Due</span>
              </div>
              <div className="mt-1 space-y-3">
                {Array.from({ length: GOAL_ROWS }, (_, i) => i + 1).map((i) => (
                  <div key={i} className="grid gap-3 sm:grid-cols-[1fr_14rem_10rem]">
                    {input(`goal${i}Description`, `Goal ${i}`, { placeholder: i === 1 ? 'Grow Cloud Backup bookings in DACH' : '' })}
                    {input(`goal${i}Target`, `Goal ${i} target`, { placeholder: i === 1 ? 'EUR 400k bookings' : '' })}
                    {input(`goal${i}Due`, `Goal ${i} due date`, { type: 'date', min: today })}
                  </div>
                ))}
              </div>
            </fieldset>
            <div className="grid gap-6 sm:grid-cols-2">
              {(['vendor', 'partner'] as const).map((side) => (
                <fieldset key={side}>
                  <legend className="text-sm font-semibold text-gray-900">{side === 'vendor' ? 'We commit to' : `${partnerName} commits to`}</legend>
                  <div className="mt-2 space-y-2">
                    {Array.from({ length: COMMITMENT_ROWS }, (_, i) => i + 1).map((i) => input(`${side}${i}`, `${side === 'vendor' ? 'Vendor' : 'Partner'} commitment ${i}`))}
                  </div>
                </fieldset>
              ))}
            </div>
            <div className="flex justify-end border-t border-gray-100 pt-4">
              <button name="intent" value="create" className="btn-primary">Create plan</button>
            </div>
          </Form>
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
              <Form key={plan.reviews.length} method="post" noValidate className="card h-fit space-y-4 p-5" aria-labelledby="review-heading">
                <h2 id="review-heading" className="text-sm font-semibold text-gray-900">Quarterly review</h2>
                <CsrfInput />
                <Field label="Quarter" name="quarter" error={errors.quarter}>
                  <select {...inputProps('quarter', errors.quarter)} defaultValue={values.quarter ?? quarters[0]}>
                    {quarters.map((q) => <option key={q}>{q}</option>)}
                  </select>
                </Field>
                <fieldset aria-describedby={errors.status ? 'status-error' : undefined}>
                  <legend className="label">How is the plan doing?</legend>
                  <div className="mt-2 space-y-1">
                    {(['on_track', 'at_risk', 'off_track'] as const).map((s) => (
                      <label key={s} className="flex items-center gap-2 text-sm text-gray-800">
                        <input type="radio" name="status" value={s} defaultChecked={values.status === s} /> {planStatusLabels[s]}
                      </label>
                    ))}
                  </div>
                  {errors.status ? <p id="status-error" className="mt-1 text-sm text-red-700">{errors.status}</p> : null}
                </fieldset>
                <Field label="Notes" name="notes" error={errors.notes} hint="Required when at risk or off track">
                  <textarea {...inputProps('notes', errors.notes, 'hint')} rows={3} defaultValue={values.notes} />
                </Field>
                <button name="intent" value="review" className="btn-primary w-full">Record review</button>
              </Form>
            ) : <p className="card h-fit p-5 text-sm text-gray-700">This quarter and the last are reviewed. The next review opens with the next quarter.</p>
          ) : null}
        </div>
      )}
    </div>
  )
}
