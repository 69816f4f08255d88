// One of the partner's co-investments: the decision, the claim with proof of performance, and its history.
import { randomUUID } from 'node:crypto'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-fund'
import { parseParams, parseSearch, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { DateText, Field, FormError, formatMoney, inputProps, PageHeader } from '../../components/ui.tsx'
import { SubmitClaimData } from '../../../domain/coinvestment/decide.ts'
import { formMoney, formOptionalNumber } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import type { AppServices } from '../../services.server.ts'
import { ACCEPT, EvidenceList, FundStatusBadge, History, kindLabels, MAX_FILES, partnerNextAction, RequestFacts } from './components.tsx'
import { storeEvidence } from './evidence.server.ts'
import { RequestForm } from './partner-funds-new.tsx'

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
  return { request: found, names, commandId: randomUUID(), today: context.services.clock().toISOString().slice(0, 10) }
}

const ClaimForm = z.object({
  intent: z.literal('claim'),
  commandId: z.uuid(),
  invoiceAmount: formMoney('the invoice amount'),
  leadCount: formOptionalNumber('the number of leads', SubmitClaimData.shape.leadCount.unwrap()),
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
    const parsed = parseForm(ResubmitForm, form)
    if (!parsed.ok) return invalid(parsed.result)
    const { commandId, intent: _intent, ...proposal } = parsed.value
    try {
      await services.commands.funds.resubmit(issued(commandId), found.coInvestmentId, { ...proposal, currency: found.currency })
      return redirectWithToast(request, services, `/partner/funds/${found.coInvestmentId}`, `“${proposal.activity}” resubmitted, waiting for the vendor’s review.`)
    } catch (error) {
      return refused(error, form)
    }
  }
  const parsed = parseForm(ClaimForm, form)
  if (!parsed.ok) return invalid(parsed.result)
  const evidence = await storeEvidence(services.files, form.getAll('evidence'))
  if (!evidence.ok) {
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === 'string' && k !== 'csrf')) as Record<string, string>
    return invalid({ fieldErrors: { evidence: evidence.error }, formError: 'Check the highlighted fields.', values })
  }
  try {
    await services.commands.funds.submitClaim(issued(parsed.value.commandId), {
      coInvestmentId: found.coInvestmentId, invoiceAmount: parsed.value.invoiceAmount, evidence: evidence.files,
      ...(parsed.value.leadCount !== undefined ? { leadCount: parsed.value.leadCount } : {}),
    })
    return redirectWithToast(request, services, `/partner/funds/${found.coInvestmentId}`, `Claim for “${found.activity}” submitted with ${evidence.files.length} file${evidence.files.length > 1 ? 's' : ''}, waiting for the vendor’s review.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function PartnerFund() {
  const { request: r, names, commandId, today } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  const canClaim = (r.status === 'Approved' || r.status === 'ClaimRejected') && r.claimDeadline !== null && r.claimDeadline >= today
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={r.activity}
        description={`${kindLabels[r.kind]} · ${r.quarter} · next: ${partnerNextAction(r).toLowerCase()}`}
        breadcrumbs={[{ to: '/partner/funds', label: 'Funds' }]}
        actions={<FundStatusBadge status={r.status} />}
      />
      <FormError message={result?.formError} />
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
              <Form method="post" action="?intent=claim" encType="multipart/form-data" noValidate className="mt-4 space-y-4">
                <CsrfInput />
                <input type="hidden" name="intent" value="claim" />
                <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label={`Invoice amount (${r.currency})`} name="invoiceAmount" error={errors.invoiceAmount}>
                    <input {...inputProps('invoiceAmount', errors.invoiceAmount)} inputMode="decimal" defaultValue={values.invoiceAmount} placeholder="9000" />
                  </Field>
                  <Field label="Leads from the activity (events)" name="leadCount" error={errors.leadCount} hint="Optional: the number of leads on your lead list">
                    <input {...inputProps('leadCount', errors.leadCount, 'hint')} inputMode="numeric" defaultValue={values.leadCount} placeholder="40" />
                  </Field>
                </div>
                <Field label="Proof of performance" name="evidence" error={errors.evidence} hint={`Invoice, photos, lead list: PDF, PNG, JPEG or CSV, up to ${MAX_FILES} files of at most 10 MB each`}>
                  <input {...inputProps('evidence', errors.evidence, 'hint')} type="file" multiple accept={ACCEPT} className="block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-gray-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-gray-900 hover:file:bg-gray-200" />
                </Field>
                <div className="flex justify-end border-t border-gray-100 pt-4">
                  <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Uploading…' : 'Submit claim'}</button>
                </div>
              </Form>
            </section>
          ) : null}

          {r.status === 'Rejected' ? (
            <section className="card p-5" aria-labelledby="resubmit-title">
              <h2 id="resubmit-title" className="text-sm font-semibold text-gray-900">Change and resubmit</h2>
              <p className="mt-1 text-sm text-gray-600">The vendor asked: “{r.reason}”.</p>
              <Form method="post" action="?intent=resubmit" noValidate className="mt-4 space-y-4">
                <CsrfInput />
                <input type="hidden" name="intent" value="resubmit" />
                <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label="Kind" name="kind" error={errors.kind}>
                    <select {...inputProps('kind', errors.kind)} defaultValue={values.kind ?? r.kind}>
                      {Object.entries(kindLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                    </select>
                  </Field>
                  <Field label="Activity" name="activity" error={errors.activity}>
                    <input {...inputProps('activity', errors.activity)} defaultValue={values.activity ?? r.activity} />
                  </Field>
                  <Field label={`Total cost (${r.currency})`} name="totalCost" error={errors.totalCost}>
                    <input {...inputProps('totalCost', errors.totalCost)} inputMode="decimal" defaultValue={values.totalCost ?? String(r.totalCost)} />
                  </Field>
                  <Field label={`Your own investment (${r.currency})`} name="partnerInvestment" error={errors.partnerInvestment}>
                    <input {...inputProps('partnerInvestment', errors.partnerInvestment)} inputMode="decimal" defaultValue={values.partnerInvestment ?? String(r.partnerInvestment)} />
                  </Field>
                  <Field label={`Amount requested (${r.currency})`} name="amountRequested" error={errors.amountRequested}>
                    <input {...inputProps('amountRequested', errors.amountRequested)} inputMode="decimal" defaultValue={values.amountRequested ?? String(r.amountRequested)} />
                  </Field>
                  <Field label={`Expected pipeline (${r.currency})`} name="expectedPipeline" error={errors.expectedPipeline}>
                    <input {...inputProps('expectedPipeline', errors.expectedPipeline)} inputMode="decimal" defaultValue={values.expectedPipeline ?? String(r.expectedPipeline)} />
                  </Field>
                </div>
                <div className="flex justify-end border-t border-gray-100 pt-4">
                  <button type="submit" className="btn-primary" disabled={busy}>Resubmit request</button>
                </div>
              </Form>
            </section>
          ) : null}
        </div>
        <section className="card p-5" aria-labelledby="history-title">
          <h2 id="history-title" className="mb-3 text-sm font-semibold text-gray-900">History</h2>
          <History request={r} names={names} />
        </section>
      </div>
    </div>
  )
}
