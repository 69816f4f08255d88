// A partner requests co-investment from its allocation; a request above what is available is refused next to the amount.
import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { getFormProps } from '@conform-to/react'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-funds-new'
import { quarterOf } from '../../../domain/shared/time.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { formatMoney, PageHeader } from '../../components/ui.tsx'
import { RequestCoInvestmentData } from '../../../domain/coinvestment/decide.ts'
import { formMoney, formMoneyOrZero, formText } from '../../forms.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { kindLabels } from './components.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Request co-investment · Partnerlog' }]

/** The request's schema, shared by the browser and the action (and, without the quarter, by the resubmission). */
export const RequestForm = z.object({
  commandId: z.uuid(),
  quarter: z.string({ error: 'Choose a quarter' }).regex(/^\d{4}-Q[1-4]$/, 'Choose a quarter'),
  kind: z.enum(['mdf', 'coop', 'cofunded_head'], { error: 'Choose the kind of co-investment' }),
  activity: formText('what the money is for', RequestCoInvestmentData.shape.activity),
  totalCost: formMoney('the total cost', RequestCoInvestmentData.shape.totalCost),
  partnerInvestment: formMoneyOrZero('your own investment'),
  amountRequested: formMoney('the amount you request', RequestCoInvestmentData.shape.amountRequested),
  expectedPipeline: formMoneyOrZero('the expected pipeline'),
})

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'coinvest:request')
  const queries = fundsQueries(services.sql)
  const current = quarterOf(services.clock().toISOString())
  const ledgers = (await queries.ledgersOf(user.organisationId)).filter((l) => l.status === 'Open' && l.quarter >= current)
  return {
    commandId: randomUUID(),
    current,
    options: ledgers.map((l) => ({ quarter: l.quarter, available: l.available, currency: l.currency })),
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'coinvest:request')
  const submission = parseWithZod(form, { schema: RequestForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const { commandId, ...data } = submission.value
  const ledger = await fundsQueries(services.sql).ledger(user.organisationId, data.quarter)
  try {
    await services.commands.funds.request({ actor: toActor(user), commandId }, { ...data, currency: ledger?.currency ?? 'EUR', coInvestmentId: commandId, partnerId: user.organisationId })
    return redirectWithToast(request, services, `/partner/funds/${commandId}`, `Co-investment for “${data.activity}” requested, waiting for the vendor’s review.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function NewFundRequest() {
  const { commandId, options, current } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const first = options.find((o) => o.quarter === current) ?? options[0]
  const [form, fields] = useSchemaForm({ id: 'request-funds', schema: RequestForm, lastResult: actionData?.result, defaultValue: { quarter: first?.quarter, kind: 'mdf' } })
  const selected = options.find((o) => o.quarter === fields.quarter.value) ?? first
  const currency = selected?.currency ?? 'EUR'
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Request co-investment"
        description="Tell the vendor what the activity is, what it costs and what it should bring. You claim the money back with proof afterwards."
        breadcrumbs={[{ to: '/partner/funds', label: 'Funds' }]}
      />
      {options.length === 0 ? (
        <div className="card p-6 text-sm text-gray-700">No funds are allocated to you for {current} yet, so there is nothing to request from. Your channel manager allocates funds each quarter.</div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card space-y-5 p-6">
          <FormHead form={form} commandId={commandId} />
          <div className="grid gap-5 sm:grid-cols-2">
            <ConformField label="Allocation" meta={fields.quarter}>
              <select {...conformSelect(fields.quarter)}>
                {options.map((o) => <option key={o.quarter} value={o.quarter}>{o.quarter} · {formatMoney(o.available, o.currency)} available</option>)}
              </select>
            </ConformField>
            <ConformField label="Kind" meta={fields.kind}>
              <select {...conformSelect(fields.kind)}>
                {Object.entries(kindLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              </select>
            </ConformField>
            <div className="sm:col-span-2">
              <ConformField label="Activity" meta={fields.activity} hint="What the money is for, e.g. Cloud Backup roadshow in Munich">
                <input {...conformInput(fields.activity, 'text', { hint: true })} />
              </ConformField>
            </div>
            <ConformField label={`Total cost (${currency})`} meta={fields.totalCost}>
              <input {...conformInput(fields.totalCost)} inputMode="decimal" placeholder="12000" />
            </ConformField>
            <ConformField label={`Your own investment (${currency})`} meta={fields.partnerInvestment}>
              <input {...conformInput(fields.partnerInvestment)} inputMode="decimal" placeholder="6000" />
            </ConformField>
            <ConformField label={`Amount requested (${currency})`} meta={fields.amountRequested} hint={selected ? `${formatMoney(selected.available, selected.currency)} available in ${selected.quarter}` : undefined}>
              <input {...conformInput(fields.amountRequested, 'text', { hint: !!selected })} inputMode="decimal" placeholder="6000" />
            </ConformField>
            <ConformField label={`Expected pipeline (${currency})`} meta={fields.expectedPipeline} hint="Opportunities the activity should create">
              <input {...conformInput(fields.expectedPipeline, 'text', { hint: true })} inputMode="decimal" placeholder="120000" />
            </ConformField>
          </div>
          <FormActions back="/partner/funds" submit="Send request" sending="Sending…" />
        </Form>
      )}
    </div>
  )
}
