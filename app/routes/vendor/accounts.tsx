// Vendor: direct (named) accounts, the customers the vendor sells to itself. A partner's registration for one of their
// domains is flagged, and approving it needs a confirmation. Channel managers and the vendor admin add and remove them.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/accounts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { Pager, ReturnHere } from '../../components/pager.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { formText } from '../../forms.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'
import { dealConflictQueries } from '../../queries/deal-conflicts.server.ts'
import { returnTo } from '../../return-to.server.ts'
import { NameDirectAccountData, RemoveDirectAccountData } from '../../../domain/accounts/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'

export const meta: Route.MetaFunction = () => [
  { title: 'Direct accounts · Partnerlog' },
  { name: 'description', content: "The vendor's named direct accounts: partner registrations for their domains are flagged as conflicts." },
]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'deal:review')
  const q = (url.searchParams.get('q') ?? '').slice(0, 100)
  const accounts = await dealConflictQueries(services.sql).accounts(q, { page: requestedPage(url) })
  onRealPages(url, { page: accounts })
  const names = await services.queries.users.names(accounts.rows.flatMap((a) => [a.namedBy, ...(a.removedBy ? [a.removedBy] : [])]))
  return { accounts, q, names, commandId: randomUUID() }
}

/** several domains in one field: separated by commas, semicolons or spaces */
const domainsText = z.string({ error: "Enter the customer's web domain, e.g. globex.com" })
  .transform((text) => text.split(/[\s,;]+/).filter(Boolean))
  .pipe(NameDirectAccountData.shape.domains)

const AddForm = z.object({
  intent: z.literal('add'),
  commandId: z.uuid(),
  name: formText("the customer's name", NameDirectAccountData.shape.name),
  domains: domainsText,
  reason: formText('why the vendor sells to this customer directly', NameDirectAccountData.shape.reason),
})
const RemoveForm = z.object({
  intent: z.literal('remove'),
  accountId: ref(),
  reason: formText('why partners may now register this customer', RemoveDirectAccountData.shape.reason),
})
const Intent = z.discriminatedUnion('intent', [AddForm, RemoveForm])

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:review')
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const issued = { actor: toActor(user) }
  const intent = submission.value
  const back = returnTo(form, '/vendor/accounts')
  try {
    if (intent.intent === 'add') {
      await services.commands.accounts.name({ ...issued, commandId: intent.commandId }, { accountId: intent.commandId, name: intent.name, domains: intent.domains, reason: intent.reason })
      return redirectWithToast(request, services, back, `${intent.name} is a direct account: registrations for its domains are flagged.`)
    }
    const account = await dealConflictQueries(services.sql).account(intent.accountId)
    await services.commands.accounts.remove(issued, intent.accountId, intent.reason)
    return redirectWithToast(request, services, back, `${account?.name ?? 'The account'} removed from the direct accounts: partners may register it.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

function AddAccount({ commandId, actionData }: { commandId: string; actionData: unknown }) {
  const [form, fields] = useSchemaForm({ id: 'add-account', schema: AddForm, lastResult: resultFor(actionData, 'add') })
  return (
    <section className="card p-5" aria-labelledby="add-title">
      <h2 id="add-title" className="text-sm font-semibold text-gray-900">Name a direct account</h2>
      <Form method="post" {...getFormProps(form)} className="mt-3 grid gap-3 sm:grid-cols-2" noValidate>
        <FormHead form={form} intent="add" commandId={commandId} />
        <ReturnHere />
        <ConformField label="Customer" meta={fields.name}>
          <input {...conformInput(fields.name)} placeholder="Globex Corporation" />
        </ConformField>
        <ConformField label="Domains" meta={fields.domains} hint="Separate several with commas; subdomains are covered.">
          <input {...conformInput(fields.domains, 'text', { hint: true })} placeholder="globex.com, globex.de" />
        </ConformField>
        <div className="sm:col-span-2">
          <ConformField label="Reason" meta={fields.reason}>
            <textarea {...conformTextarea(fields.reason)} rows={2} placeholder="Global framework contract held by direct sales" />
          </ConformField>
        </div>
        <div className="sm:col-span-2"><button type="submit" className="btn-primary">Add direct account</button></div>
      </Form>
    </section>
  )
}

function RemoveAccount({ accountId, name, actionData }: { accountId: string; name: string; actionData: unknown }) {
  const result = resultFor(actionData, 'remove')
  const [form, fields] = useSchemaForm({ id: `remove-${accountId}`, schema: RemoveForm, lastResult: result?.initialValue?.accountId === accountId ? result : undefined })
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-2" noValidate>
      <FormHead form={form} intent="remove" />
      <ReturnHere />
      <input type="hidden" name="accountId" value={accountId} />
      <div className="min-w-0 flex-1">
        <label htmlFor={fields.reason.id} className="sr-only">Reason for removing {name}</label>
        <input {...conformInput(fields.reason)} placeholder="Reason to remove" />
        {fields.reason.errors ? <p id={fields.reason.errorId} className="mt-1 text-sm text-red-700">{fields.reason.errors[0]}</p> : null}
      </div>
      <button type="submit" className="btn-secondary" aria-label={`Remove ${name}`}>Remove</button>
    </Form>
  )
}

export default function DirectAccounts() {
  const { accounts, q, names, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { from, to } = pageRange(accounts)
  const shown = accounts.total > accounts.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  return (
    <div className="max-w-4xl space-y-6">
      <PageHeader
        title="Direct accounts"
        breadcrumbs={[{ to: '/vendor/partners', label: 'Partners' }]}
        description={`Customers the vendor sells to directly. A partner’s registration for one of their domains is flagged, and approving it needs your confirmation${accounts.total ? ` (${formatCount(accounts.total)} ${q ? 'matching' : 'listed'}${shown})` : ''}.`}
      />
      <AddAccount commandId={commandId} actionData={actionData} />
      <section aria-labelledby="list-title" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="list-title" className="text-sm font-semibold text-gray-900">Accounts</h2>
          <Form method="get" role="search" className="flex items-end gap-2">
            <div>
              <label htmlFor="q" className="sr-only">Search direct accounts</label>
              <input id="q" name="q" type="search" defaultValue={q} maxLength={100} className="input" placeholder="Name or domain" />
            </div>
            <button type="submit" className="btn-secondary">Search</button>
          </Form>
        </div>
        {accounts.rows.length === 0 ? (
          <EmptyState
            title={q ? `No direct account matches “${q}”` : 'No direct accounts yet'}
            description={q ? 'Search by the customer’s name or one of its domains.' : 'Name the customers your direct sales team owns: partners’ registrations for their domains will be flagged as conflicts.'}
          />
        ) : (
          <ul className="space-y-3">
            {accounts.rows.map((account) => (
              <li key={account.accountId} className="card p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <h3 className="font-medium text-gray-900">{account.name}</h3>
                    <p className="mt-0.5 break-words text-sm text-gray-700">{account.domains.join(', ')}</p>
                  </div>
                  {account.status === 'Named' ? <Badge tone="blue">Direct account</Badge> : <Badge tone="gray">Removed</Badge>}
                </div>
                <p className="mt-2 text-sm text-gray-700">{account.reason}</p>
                <p className="mt-1 text-xs text-gray-600">
                  Named by {names[account.namedBy] ?? account.namedBy} on <DateText iso={account.namedAt} />
                  {account.removedAt ? <> · removed by {names[account.removedBy ?? ''] ?? account.removedBy} on <DateText iso={account.removedAt} />: {account.removalReason}</> : null}
                </p>
                {account.status === 'Named' ? <div className="mt-3"><RemoveAccount accountId={account.accountId} name={account.name} actionData={actionData} /></div> : null}
              </li>
            ))}
          </ul>
        )}
        <Pager list={accounts} label="Direct account pages" order="named first, by name" />
      </section>
    </div>
  )
}
