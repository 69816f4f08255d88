import { randomUUID } from 'node:crypto'
import { Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/deals-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { RegisterDealData } from '../../../domain/deals/decide.ts'
import { formMoney, formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Register a deal · Partnerlog' }]

export const RegisterDealForm = z.object({
  commandId: z.uuid(),
  customerName: formText("the customer's name", RegisterDealData.shape.customerName),
  customerDomain: formText("the customer's web domain, e.g. globex.com", RegisterDealData.shape.customerDomain),
  value: formMoney('the deal value', RegisterDealData.shape.value),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Choose a currency'),
  expectedCloseDate: z.iso.date('Choose the expected close date'),
  /** comma-separated; each product is one of the command's bounded entries */
  products: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(RegisterDealData.shape.products),
})

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context.services, 'deal:register')
  // a command id per rendered form: submitting twice registers the deal once
  return { commandId: randomUUID(), today: context.services.clock().toISOString().slice(0, 10), organisation: user.organisationName }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:register')
  const parsed = parseForm(RegisterDealForm, form)
  if (!parsed.ok) return invalid(parsed.result)
  const { commandId, ...data } = parsed.value
  try {
    const { dealId, result } = await services.commands.deals.register({ actor: toActor(user), commandId }, { ...data, partnerId: user.organisationId, dealId: commandId })
    const registered = result.events[0]?.data as { conflict?: unknown } | undefined
    const note = registered?.conflict ? ' It overlaps another registration and is flagged for the vendor.' : ''
    return redirectWithToast(request, services, `/partner/deals/${dealId}`, `Deal for ${data.customerName} registered, waiting for review.${note}`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function NewDeal() {
  const { commandId, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<{ result: FormResult }>()
  const result = actionData?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Register a deal"
        description="Protect your opportunity: once approved, the deal is yours for the protection period."
        breadcrumbs={[{ to: '/partner/deals', label: 'Deals' }]}
      />
      <Form method="post" noValidate className="card space-y-5 p-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
        <FormError message={result?.formError} />
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label="Customer name" name="customerName" error={errors.customerName}>
            <input {...inputProps('customerName', errors.customerName)} defaultValue={values.customerName} autoComplete="organization" />
          </Field>
          <Field label="Customer web domain" name="customerDomain" error={errors.customerDomain} hint="Used to detect overlapping registrations, e.g. globex.com">
            <input {...inputProps('customerDomain', errors.customerDomain, 'Used to detect')} defaultValue={values.customerDomain} placeholder="globex.com" />
          </Field>
          <Field label="Deal value" name="value" error={errors.value}>
            <input {...inputProps('value', errors.value)} inputMode="decimal" defaultValue={values.value} placeholder="25000" />
          </Field>
          <Field label="Currency" name="currency" error={errors.currency}>
            <select {...inputProps('currency', errors.currency)} defaultValue={values.currency ?? 'EUR'}>
              {['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'AUD', 'CAD'].map((c) => <option key={c}>{c}</option>)}
            </select>
          </Field>
          <Field label="Expected close date" name="expectedCloseDate" error={errors.expectedCloseDate}>
            <input {...inputProps('expectedCloseDate', errors.expectedCloseDate)} type="date" min={today} defaultValue={values.expectedCloseDate} />
          </Field>
          <Field label="Products" name="products" error={errors.products} hint="Separate several with commas">
            <input {...inputProps('products', errors.products, 'Separate')} defaultValue={values.products} placeholder="Cloud Backup, Edge Firewall" />
          </Field>
        </div>
        <div className="flex items-center justify-end gap-2 border-t border-gray-100 pt-4">
          <a href="/partner/deals" className="btn-secondary">Cancel</a>
          <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Registering…' : 'Register deal'}</button>
        </div>
      </Form>
    </div>
  )
}
