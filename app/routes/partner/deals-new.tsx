import { randomUUID } from 'node:crypto'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/deals-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormActions } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { FormError, PageHeader } from '../../components/ui.tsx'
import { DealItemInput, MAX_DEAL_ITEMS, RegisterDealData } from '../../../domain/deals/decide.ts'
import { list } from '../../../domain/shared/fields.ts'
import { formMoney, formNumber, formText } from '../../forms.ts'
import { isoDay } from '../../format.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Register a deal · Partnerlog' }]

/** One row of the items list: the command's own item fields, read from text. */
const DealItemForm = z.object({
  sku: formText('the SKU (part number), e.g. CB-500', DealItemInput.shape.sku),
  name: formText('the product name', DealItemInput.shape.name),
  quantity: formNumber('the quantity', DealItemInput.shape.quantity),
})

/** The form's schema, shared by the browser (Conform validates as you type) and the action. */
export const RegisterDealForm = z.object({
  commandId: z.uuid(),
  customerName: formText("the customer's name", RegisterDealData.shape.customerName),
  customerDomain: formText("the customer's web domain, e.g. globex.com", RegisterDealData.shape.customerDomain),
  value: formMoney('the deal value', RegisterDealData.shape.value),
  currency: z.string({ error: 'Choose a currency' }).regex(/^[A-Z]{3}$/, 'Choose a currency'),
  expectedCloseDate: z.iso.date('Choose the expected close date'),
  /** every row removed (or none posted) is a registration without items */
  items: list(DealItemForm, MAX_DEAL_ITEMS).default([]),
})

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'AUD', 'CAD']

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context.services, 'deal:register')
  // a command id per rendered form: submitting twice registers the deal once
  return { commandId: randomUUID(), today: isoDay(context.services.clock()), organisation: user.organisationName }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:register')
  const submission = parseWithZod(form, { schema: RegisterDealForm })
  // an error, or a list intent (add or remove an item row) posted without JavaScript
  if (submission.status !== 'success') return replyInvalid(submission)
  const { commandId, ...data } = submission.value
  try {
    const { dealId, result } = await services.commands.deals.register({ actor: toActor(user), commandId }, { ...data, partnerId: user.organisationId, dealId: commandId })
    const registered = result.events[0]
    const conflict = registered?.type === 'DealRegistered' ? registered.data.conflict : null
    const note = !conflict ? '' : conflict.dealIds.length
      ? ' Another partner registered this customer too: the vendor decides who is protected.'
      : ' The customer is one of the vendor’s direct accounts: the vendor decides.'
    return redirectWithToast(request, services, `/partner/deals/${dealId}`, `Deal for ${data.customerName} registered, waiting for review.${note}`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function NewDeal() {
  const { commandId, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'register-deal',
    lastResult: actionData?.result,
    constraint: getZodConstraint(RegisterDealForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RegisterDealForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    defaultValue: { commandId, currency: 'EUR', items: [{ quantity: '1' }] },
  })
  const items = fields.items.getFieldList()
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Register a deal"
        description="Protect your opportunity: once approved, the deal is yours for the protection period."
        breadcrumbs={[{ to: '/partner/deals', label: 'Deals' }]}
      />
      <Form method="post" {...getFormProps(form)} noValidate className="card space-y-5 p-6">
        {/* Enter in a field submits the registration, not the first row's Remove button */}
        <button type="submit" className="hidden" />
        <CsrfInput />
        <input type="hidden" name={fields.commandId.name} value={fields.commandId.initialValue ?? commandId} />
        <FormError message={form.errors?.[0]} />
        <div className="grid gap-5 sm:grid-cols-2">
          <ConformField label="Customer name" meta={fields.customerName}>
            <input {...conformInput(fields.customerName)} autoComplete="organization" />
          </ConformField>
          <ConformField label="Customer web domain" meta={fields.customerDomain} hint="Used to detect overlapping registrations, e.g. globex.com">
            <input {...conformInput(fields.customerDomain, 'text', { hint: true })} placeholder="globex.com" />
          </ConformField>
          <ConformField label="Deal value" meta={fields.value}>
            <input {...conformInput(fields.value)} inputMode="decimal" placeholder="25000" />
          </ConformField>
          <ConformField label="Currency" meta={fields.currency}>
            <select {...conformSelect(fields.currency)}>
              {CURRENCIES.map((c) => <option key={c}>{c}</option>)}
            </select>
          </ConformField>
          <ConformField label="Expected close date" meta={fields.expectedCloseDate}>
            <input {...conformInput(fields.expectedCloseDate, 'date')} min={today} />
          </ConformField>
        </div>
        <fieldset className="space-y-3" aria-describedby={fields.items.errors ? fields.items.errorId : fields.items.descriptionId}>
          <legend className="label">Items</legend>
          <p id={fields.items.descriptionId} className="text-xs text-gray-600">What the customer buys: the vendor's SKU (part number), the product and how many.</p>
          {items.map((item, index) => {
            const row = item.getFieldset()
            const n = index + 1
            return (
              <div key={item.key} className="grid grid-cols-[8rem_1fr_5rem_auto] items-start gap-2">
                <ConformField label={`SKU, item ${n}`} meta={row.sku} srOnlyLabel>
                  <input {...conformInput(row.sku)} placeholder="SKU, e.g. CB-500" />
                </ConformField>
                <ConformField label={`Product, item ${n}`} meta={row.name} srOnlyLabel>
                  <input {...conformInput(row.name)} placeholder="Cloud Backup" />
                </ConformField>
                <ConformField label={`Quantity, item ${n}`} meta={row.quantity} srOnlyLabel>
                  <input {...conformInput(row.quantity)} inputMode="numeric" />
                </ConformField>
                <button className="btn-secondary" {...form.remove.getButtonProps({ name: fields.items.name, index })}>
                  Remove<span className="sr-only"> item {n}</span>
                </button>
              </div>
            )
          })}
          {fields.items.errors ? <p id={fields.items.errorId} className="text-sm text-red-700">{fields.items.errors[0]}</p> : null}
          {items.length < MAX_DEAL_ITEMS ? (
            <button className="btn-secondary" {...form.insert.getButtonProps({ name: fields.items.name, defaultValue: { quantity: '1' } })}>
              Add item
            </button>
          ) : null}
        </fieldset>
        <FormActions back="/partner/deals" submit="Register deal" sending="Registering…" />
      </Form>
    </div>
  )
}
