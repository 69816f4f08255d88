// Vendor: applications to the partner program, approved with a tier or rejected with a reason.
import { getFormProps, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-applications'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { Pager, ReturnHere } from '../../components/pager.tsx'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { returnTo } from '../../return-to.server.ts'
import { ApprovePartnerData, RejectPartnerData } from '../../../domain/partners/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import { partnerTypeLabels, segmentLabels, tierLabel } from './labels.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Partner applications · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'partner:manage')
  const queries = peopleQueries(services.sql)
  const now = services.clock().toISOString()
  const [applications, decided, { settings }] = await Promise.all([queries.applications({ page: requestedPage(url) }), queries.recentlyDecided(8), queries.settingsAt(now)])
  const tiers = [...settings.tiers].sort((a, b) => a.rank - b.rank).map((t) => t.name)
  onRealPages(url, { page: applications })
  // the address to share comes from PUBLIC_URL: a request's Host header can be forged
  return { applications, decided, tiers, now, applyUrl: `${services.env.PUBLIC_URL}/apply` }
}

/** each application's two forms, shared by the browser and the action */
const ApproveForm = z.object({ intent: z.literal('approve'), partnerId: ref(), tier: z.string({ error: 'Choose a tier' }).trim().min(1, 'Choose a tier').pipe(ApprovePartnerData.shape.tier.unwrap()) })
const RejectForm = z.object({
  intent: z.literal('reject'),
  partnerId: ref(),
  reason: z.string({ error: 'Give the applicant a reason' }).trim().min(1, 'Give the applicant a reason').pipe(RejectPartnerData.shape.reason),
})
const Decision = z.discriminatedUnion('intent', [ApproveForm, RejectForm])

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'partner:manage')
  const submission = parseWithZod(form, { schema: Decision })
  if (submission.status !== 'success') return replyInvalid(submission)
  const decision = submission.value
  const application = await peopleQueries(services.sql).partner(decision.partnerId)
  if (!application) throw data('No application with this id.', { status: 404 })
  const people = services.commands.people
  // back to the page of the queue the vendor was on
  const back = returnTo(form, '/vendor/applications')
  try {
    if (decision.intent === 'approve') {
      await people.approve(user, application.partnerId, decision.tier)
      return redirectWithToast(request, services, back, `${application.company} approved as ${tierLabel(decision.tier)}; ${application.applicant.name} can sign in now.`)
    }
    await people.reject(user, application.partnerId, decision.reason)
    return redirectWithToast(request, services, back, `Application from ${application.company} rejected.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

/** the submission's result if it decided this application with this intent */
function resultOf(actionData: unknown, intent: string, partnerId: string): SubmissionResult<string[]> | undefined {
  const result = resultFor(actionData, intent)
  return result?.initialValue?.partnerId === partnerId ? result : undefined
}

/** approve with a starting tier, or reject with a reason: two forms, each with its own errors */
function DecisionForms({ partnerId, company, tiers, actionData }: { partnerId: string; company: string; tiers: string[]; actionData: unknown }) {
  const [approve, approveFields] = useSchemaForm({ id: `approve-${partnerId}`, schema: ApproveForm, lastResult: resultOf(actionData, 'approve', partnerId), defaultValue: { tier: tiers[0] } })
  const [reject, rejectFields] = useSchemaForm({ id: `reject-${partnerId}`, schema: RejectForm, lastResult: resultOf(actionData, 'reject', partnerId) })
  const error = (meta: { errors?: string[]; errorId: string }) => (meta.errors ? <p id={meta.errorId} className="mt-1 text-xs text-red-700">{meta.errors[0]}</p> : null)
  return (
    <div className="flex w-full flex-col gap-3 sm:w-auto">
      <Form method="post" {...getFormProps(approve)} className="flex flex-wrap items-end gap-2">
        <FormHead form={approve} intent="approve" />
        <ReturnHere />
        <input type="hidden" name="partnerId" value={partnerId} />
        <div>
          <label htmlFor={approveFields.tier.id} className="label">Starting tier</label>
          <select {...conformSelect(approveFields.tier)} className={`input mt-1 w-40 ${approveFields.tier.errors ? 'input-error' : ''}`}>
            {tiers.map((t) => <option key={t} value={t}>{tierLabel(t)}</option>)}
          </select>
          {error(approveFields.tier)}
        </div>
        <button type="submit" className="btn-success" aria-label={`Approve ${company}`}>Approve</button>
      </Form>
      <Form method="post" {...getFormProps(reject)} className="flex flex-wrap items-end gap-2" noValidate>
        <FormHead form={reject} intent="reject" />
        <ReturnHere />
        <input type="hidden" name="partnerId" value={partnerId} />
        <div>
          <label htmlFor={rejectFields.reason.id} className="label">Reason to reject</label>
          <input {...conformInput(rejectFields.reason)} className={`input mt-1 w-40 sm:w-56 ${rejectFields.reason.errors ? 'input-error' : ''}`} />
          {error(rejectFields.reason)}
        </div>
        <button type="submit" className="btn-danger" aria-label={`Reject ${company}`}>Reject</button>
      </Form>
    </div>
  )
}

export default function Applications() {
  const { applications: queue, decided, tiers, applyUrl } = useLoaderData<typeof loader>()
  const applications = queue.rows
  const { from, to } = pageRange(queue)
  const shown = queue.total > queue.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  const actionData = useActionData<typeof action>()
  return (
    <div>
      <PageHeader
        title="Partner applications"
        description={`${queue.total ? `${formatCount(queue.total)} ${queue.total === 1 ? 'company waits' : 'companies wait'}` : 'Companies that apply wait'} for your decision, oldest first${shown}. Approve with a starting tier, or reject with a reason the applicant sees.`}
        breadcrumbs={[{ to: '/vendor/partners', label: 'Partners' }]}
      />
      {applications.length === 0 ? (
        <EmptyState
          title="No applications waiting"
          description="When a company applies through the public application form, it appears here for your decision. Share the form's address with prospective partners:"
          action={<code className="rounded-md bg-gray-100 px-3 py-1.5 text-sm text-gray-900 select-all" data-testid="apply-url">{applyUrl}</code>}
        />
      ) : (
        <ul className="mt-3 space-y-3" aria-label="Applications waiting">
          {applications.map((app) => (
            <li key={app.partnerId} className="card p-4 sm:p-5">
              <div className="flex flex-wrap items-start justify-between gap-4">
                <div className="min-w-0">
                  <h2 className="text-base font-semibold text-gray-900">{app.company}</h2>
                  <p className="text-sm text-gray-600">{app.websiteDomain} · applied <DateText iso={app.appliedAt} /></p>
                  <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt className="text-gray-600">Type</dt><dd>{partnerTypeLabels[app.partnerType] ?? app.partnerType}</dd>
                    <dt className="text-gray-600">Serves</dt><dd>{app.geographies.join(', ')}</dd>
                    <dt className="text-gray-600">Segments</dt><dd className="flex flex-wrap gap-1">{app.segments.map((s) => <Badge key={s} tone="gray">{segmentLabels[s] ?? s}</Badge>)}</dd>
                    <dt className="text-gray-600">Applicant</dt><dd>{app.applicant.name} · <a href={`mailto:${app.applicant.email}`}>{app.applicant.email}</a></dd>
                  </dl>
                </div>
                <DecisionForms partnerId={app.partnerId} company={app.company} tiers={tiers} actionData={actionData} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager className="mt-3" list={queue} label="Application pages" order="oldest first" />
      {decided.length ? (
        <section className="mt-8" aria-labelledby="decided">
          <h2 id="decided" className="text-sm font-semibold text-gray-900">Recently decided</h2>
          <div className="card mt-2 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50">
                <tr><th scope="col" className="th">Company</th><th scope="col" className="th">Decision</th><th scope="col" className="th">Tier or reason</th><th scope="col" className="th">When</th></tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {decided.map((p) => (
                  <tr key={p.partnerId}>
                    <td className="td">{p.status === 'Approved' ? <Link to={`/vendor/partners/${p.partnerId}/admin`}>{p.company}</Link> : p.company}</td>
                    <td className="td"><Badge tone={p.status === 'Approved' ? 'green' : 'red'}>{p.status}</Badge></td>
                    <td className="td">{p.status === 'Approved' ? tierLabel(p.tier ?? '') : p.rejectionReason}</td>
                    <td className="td">{p.decidedAt ? <DateText iso={p.decidedAt} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  )
}
