// A partner requests co-investment from its allocation; a request above what is available is refused next to the amount.
import { randomUUID } from 'node:crypto'
import { Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-funds-new'
import { quarterOf } from '../../../domain/shared/time.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, formatMoney, inputProps, PageHeader } from '../../components/ui.tsx'
import { RequestCoInvestmentData } from '../../../domain/coinvestment/decide.ts'
import { formMoney, formMoneyOrZero, formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { kindLabels } from './components.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Request co-investment · Partnerlog' }]

export const RequestForm = z.object({
  commandId: z.uuid(),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'Choose a quarter'),
  kind: z.enum(['mdf', 'coop', 'cofunded_head'], { error: 'Choose the kind of co-investment' }),
  activity: formText('what the money is for', RequestCoInvestmentData.shape.activity),
  totalCost: formMoney('the total cost'),
  partnerInvestment: formMoneyOrZero('your own investment'),
  amountRequested: formMoney('the amount you request'),
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
  const parsed = parseForm(RequestForm, form)
  if (!parsed.ok) return invalid(parsed.result)
  const { commandId, ...data } = parsed.value
  const ledger = await fundsQueries(services.sql).ledger(user.organisationId, data.quarter)
  try {
    await services.commands.funds.request({ actor: toActor(user), commandId }, { ...data, currency: ledger?.currency ?? 'EUR', coInvestmentId: commandId, partnerId: user.organisationId })
    return redirectWithToast(request, services, `/partner/funds/${commandId}`, `Co-investment for “${data.activity}” requested, waiting for the vendor’s review.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function NewFundRequest() {
  const { commandId, options, current } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  const selected = options.find((o) => o.quarter === (values.quarter ?? current)) ?? options[0]
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
        <Form method="post" noValidate className="card space-y-5 p-6">
          <CsrfInput />
          <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
          <FormError message={result?.formError} />
          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Allocation" name="quarter" error={errors.quarter}>
              <select {...inputProps('quarter', errors.quarter)} defaultValue={values.quarter ?? selected?.quarter}>
                {options.map((o) => <option key={o.quarter} value={o.quarter}>{o.quarter} · {formatMoney(o.available, o.currency)} available</option>)}
              </select>
            </Field>
            <Field label="Kind" name="kind" error={errors.kind}>
              <select {...inputProps('kind', errors.kind)} defaultValue={values.kind ?? 'mdf'}>
                {Object.entries(kindLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              </select>
            </Field>
            <div className="sm:col-span-2">
              <Field label="Activity" name="activity" error={errors.activity} hint="What the money is for, e.g. Cloud Backup roadshow in Munich">
                <input {...inputProps('activity', errors.activity, 'hint')} defaultValue={values.activity} />
              </Field>
            </div>
            <Field label={`Total cost (${selected?.currency ?? 'EUR'})`} name="totalCost" error={errors.totalCost}>
              <input {...inputProps('totalCost', errors.totalCost)} inputMode="decimal" defaultValue={values.totalCost} placeholder="12000" />
            </Field>
            <Field label={`Your own investment (${selected?.currency ?? 'EUR'})`} name="partnerInvestment" error={errors.partnerInvestment}>
              <input {...inputProps('partnerInvestment', errors.partnerInvestment)} inputMode="decimal" defaultValue={values.partnerInvestment} placeholder="6000" />
            </Field>
            <Field
              label={`Amount requested (${selected?.currency ?? 'EUR'})`}
              name="amountRequested"
              error={errors.amountRequested}
              hint={selected ? `${formatMoney(selected.available, selected.currency)} available in ${selected.quarter}` : undefined}
            >
              <input {...inputProps('amountRequested', errors.amountRequested, 'hint')} inputMode="decimal" defaultValue={values.amountRequested} placeholder="6000" />
            </Field>
            <Field label={`Expected pipeline (${selected?.currency ?? 'EUR'})`} name="expectedPipeline" error={errors.expectedPipeline} hint="Opportunities the activity should create">
              <input {...inputProps('expectedPipeline', errors.expectedPipeline, 'hint')} inputMode="decimal" defaultValue={values.expectedPipeline} placeholder="120000" />
            </Field>
          </div>
          <div className="flex items-center justify-end gap-2 border-t border-gray-100 pt-4">
            <a href="/partner/funds" className="btn-secondary">Cancel</a>
            <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Sending…' : 'Send request'}</button>
          </div>
        </Form>
      )}
    </div>
  )
}
