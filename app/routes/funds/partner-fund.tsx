// One of the partner's co-investments: the decision, the claim with proof of performance, and its history.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-fund'
import { parseParams, parseSearch, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { DateText, formatMoney, PageHeader } from '../../components/ui.tsx'
import { SubmitClaimData } from '../../../domain/coinvestment/decide.ts'
import { formMoney, formOptionalNumber } from '../../forms.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import type { AppServices } from '../../services.server.ts'
import { ACCEPT, ATTACH_EVIDENCE, EvidenceList, FundStatusBadge, HistoryCard, kindLabels, MAX_FILES, partnerNextAction, RequestFacts } from './components.tsx'
import { storeEvidence } from './evidence.server.ts'
import { RequestForm } from './partner-funds-new.tsx'
import { isoDay } from '../../format.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.request.activity ?? 'Co-investment'} · Partnerlog` }]

async function ownRequest(request: Request, services: AppServices, id: string, permission: 'coinvest:request' | 'claim:submit') {
  const user = await requireUser(request, services, permission)
  const found = await fundsQueries(services.sql).request(id)
  // another partner's request is reported as missing, so ids cannot be probed
  if (!found || found.partnerId !== user.organisationId) throw data('No co-investment with this id in your organisation.', { status: 404 })
  return { user, found }
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ requestId: RouteId }, params, 'No co-investment request with this id in your organisation.')
  const { found } = await ownRequest(request, context.services, ids.requestId, 'coinvest:request')
  // the names of the people in this request's history only
  const names = await context.services.queries.users.names(found.history.map((h) => h.actor))
  return { request: found, names, commandId: randomUUID(), today: isoDay(context.services.clock()) }
}

/** the claim: the files' types and sizes are checked on their bytes by the action (evidence.server.ts) */
const ClaimForm = z.object({
  intent: z.literal('claim'),
  commandId: z.uuid(),
  invoiceAmount: formMoney('the invoice amount', SubmitClaimData.shape.invoiceAmount),
  leadCount: formOptionalNumber('the number of leads', SubmitClaimData.shape.leadCount.unwrap()),
  evidence: z.array(z.file(), { error: ATTACH_EVIDENCE }).min(1, ATTACH_EVIDENCE),
})
const ResubmitForm = RequestForm.omit({ quarter: true }).extend({ intent: z.literal('resubmit') })

export async function action({ request, url, context, params }: Route.ActionArgs) {
  const ids = parseParams({ requestId: RouteId }, params, 'No co-investment request with this id in your organisation.')
  const { services } = context
  const intent = parseSearch({ intent: z.enum(['claim', 'resubmit']).default('claim') }, url).intent
  const permission = intent === 'resubmit' ? 'coinvest:request' : 'claim:submit'
  const { user, form } = await requireAction(request, services, permission)
  const { found } = await ownRequest(request, services, ids.requestId, permission)
  const issued = (commandId: string) => ({ actor: toActor(user), commandId })
  if (form.get('intent') === 'resubmit') {
    const submission = parseWithZod(form, { schema: ResubmitForm })
    if (submission.status !== 'success') return replyInvalid(submission)
    const { commandId, intent: _intent, ...proposal } = submission.value
    try {
      await services.commands.funds.resubmit(issued(commandId), found.coInvestmentId, { ...proposal, currency: found.currency })
      return redirectWithToast(request, services, `/partner/funds/${found.coInvestmentId}`, `“${proposal.activity}” resubmitted, waiting for the vendor’s review.`)
    } catch (error) {
      return replyRefused(submission, error)
    }
  }
  const submission = parseWithZod(form, { schema: ClaimForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const claim = submission.value
  const evidence = await storeEvidence(services.files, claim.evidence)
  if (!evidence.ok) return data({ result: submission.reply({ formErrors: ['Check the highlighted fields.'], fieldErrors: { evidence: [evidence.error] } }) }, { status: 400 })
  try {
    await services.commands.funds.submitClaim(issued(claim.commandId), {
      coInvestmentId: found.coInvestmentId, invoiceAmount: claim.invoiceAmount, evidence: evidence.files,
      ...(claim.leadCount !== undefined ? { leadCount: claim.leadCount } : {}),
    })
    return redirectWithToast(request, services, `/partner/funds/${found.coInvestmentId}`, `Claim for “${found.activity}” submitted with ${evidence.files.length} file${evidence.files.length > 1 ? 's' : ''}, waiting for the vendor’s review.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function PartnerFund() {
  const { request: r, names, commandId, today } = useLoaderData<typeof loader>()
  const canClaim = (r.status === 'Approved' || r.status === 'ClaimRejected') && r.claimDeadline !== null && r.claimDeadline >= today
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={r.activity}
        description={`${kindLabels[r.kind]} · ${r.quarter} · next: ${partnerNextAction(r).toLowerCase()}`}
        breadcrumbs={[{ to: '/partner/funds', label: 'Funds' }]}
        actions={<FundStatusBadge status={r.status} />}
      />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section className="card p-5" aria-labelledby="facts">
            <h2 id="facts" className="mb-3 text-sm font-semibold text-gray-900">Request</h2>
            <RequestFacts request={r} />
            {r.claim ? (<div className="mt-4"><h3 className="mb-1 text-sm font-semibold text-gray-900">Evidence</h3><EvidenceList request={r} /></div>) : null}
          </section>

          {canClaim ? (
            <section id="claim" className="card p-5" aria-labelledby="claim-title">
              <h2 id="claim-title" className="text-sm font-semibold text-gray-900">{r.status === 'ClaimRejected' ? 'Claim again' : 'File your claim'}</h2>
              <p className="mt-1 text-sm text-gray-600">
                Reimbursed: up to {r.maxReimbursementPct}% of the invoice and at most {formatMoney(r.approvedAmount ?? 0, r.currency)}. Claims close on <DateText iso={r.claimDeadline!} />.
              </p>
              <ClaimFields currency={r.currency} commandId={commandId} />
            </section>
          ) : null}

          {r.status === 'Rejected' ? (
            <section className="card p-5" aria-labelledby="resubmit-title">
              <h2 id="resubmit-title" className="text-sm font-semibold text-gray-900">Change and resubmit</h2>
              <p className="mt-1 text-sm text-gray-600">The vendor asked: “{r.reason}”.</p>
              <ResubmitFields request={r} commandId={commandId} />
            </section>
          ) : null}
        </div>
        <HistoryCard request={r} names={names} />
      </div>
    </div>
  )
}

function ClaimFields({ currency, commandId }: { currency: string; commandId: string }) {
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useSchemaForm({ id: 'claim-form', schema: ClaimForm, lastResult: resultFor(useActionData<typeof action>(), 'claim') })
  return (
    <Form method="post" action="?intent=claim" encType="multipart/form-data" {...getFormProps(form)} className="mt-4 space-y-4">
      <FormHead form={form} commandId={commandId} intent="claim" />
      <div className="grid gap-4 sm:grid-cols-2">
        <ConformField label={`Invoice amount (${currency})`} meta={fields.invoiceAmount}>
          <input {...conformInput(fields.invoiceAmount)} inputMode="decimal" placeholder="9000" />
        </ConformField>
        <ConformField label="Leads from the activity (events)" meta={fields.leadCount} hint="Optional: the number of leads on your lead list">
          <input {...conformInput(fields.leadCount, 'text', { hint: true })} inputMode="numeric" placeholder="40" />
        </ConformField>
      </div>
      <ConformField label="Proof of performance" meta={fields.evidence} hint={`Invoice, photos, lead list: PDF, PNG, JPEG or CSV, up to ${MAX_FILES} files of at most 10 MB each`}>
        <input
          {...conformInput(fields.evidence, 'file', { hint: true })} multiple accept={ACCEPT}
          className="block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-gray-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-gray-900 hover:file:bg-gray-200"
        />
      </ConformField>
      <div className="flex justify-end border-t border-gray-100 pt-4">
        <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Uploading…' : 'Submit claim'}</button>
      </div>
    </Form>
  )
}

function ResubmitFields({ request: r, commandId }: { request: { kind: string; activity: string; totalCost: number; partnerInvestment: number; amountRequested: number; expectedPipeline: number; currency: string }; commandId: string }) {
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useSchemaForm({
    id: 'resubmit-form', schema: ResubmitForm, lastResult: resultFor(useActionData<typeof action>(), 'resubmit'),
    defaultValue: { kind: r.kind, activity: r.activity, totalCost: String(r.totalCost), partnerInvestment: String(r.partnerInvestment), amountRequested: String(r.amountRequested), expectedPipeline: String(r.expectedPipeline) },
  })
  const money = [['totalCost', 'Total cost'], ['partnerInvestment', 'Your own investment'], ['amountRequested', 'Amount requested'], ['expectedPipeline', 'Expected pipeline']] as const
  return (
    <Form method="post" action="?intent=resubmit" {...getFormProps(form)} className="mt-4 space-y-4">
      <FormHead form={form} commandId={commandId} intent="resubmit" />
      <div className="grid gap-4 sm:grid-cols-2">
        <ConformField label="Kind" meta={fields.kind}>
          <select {...conformSelect(fields.kind)}>
            {Object.entries(kindLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </ConformField>
        <ConformField label="Activity" meta={fields.activity}>
          <input {...conformInput(fields.activity)} />
        </ConformField>
        {money.map(([name, label]) => (
          <ConformField key={name} label={`${label} (${r.currency})`} meta={fields[name]}>
            <input {...conformInput(fields[name])} inputMode="decimal" />
          </ConformField>
        ))}
      </div>
      <div className="flex justify-end border-t border-gray-100 pt-4">
        <button type="submit" className="btn-primary" disabled={busy}>Resubmit request</button>
      </div>
    </Form>
  )
}
