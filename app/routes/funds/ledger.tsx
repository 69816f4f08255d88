// A partner's co-investment ledger for one quarter with every movement: for the partner itself, the vendor and the
// auditor. The vendor changes the quarter's allocation here, with a reason the ledger then shows.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/ledger'
import { parseParams, QuarterParam, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { isPartnerRole, can } from '../../permissions.ts'
import { Badge, formatMoney, PageHeader } from '../../components/ui.tsx'
import { countOf } from '../../format.ts'
import { namesOf } from '../../queries/read-models.server.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { ChangeAllocationForm } from './allocation-form.ts'
import { LedgerFigures, MovementsTable } from './components.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Ledger ${data?.ledger.quarter ?? ''} · Partnerlog` }]

const NOT_FOUND = 'No ledger with this id in your organisation.'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId, quarter: QuarterParam }, params, NOT_FOUND)
  const { services } = context
  const user = await requireUser(request, services)
  const partner = isPartnerRole(user.role)
  const ledger = await fundsQueries(services.sql).ledger(ids.partnerId, ids.quarter)
  // another partner's ledger is reported as missing, so ids cannot be probed
  if (!ledger || (partner && ledger.partnerId !== user.organisationId)) throw data(NOT_FOUND, { status: 404 })
  const [organisation, names] = await Promise.all([
    services.queries.organisations.byId(ledger.partnerId),
    namesOf(services.sql, 'users', ledger.movements.flatMap((m) => (m.actor && !m.actor.startsWith('system:') ? [m.actor] : []))),
  ])
  return {
    ledger, partner, partnerName: organisation?.name ?? ledger.partnerId, names,
    canChange: can(user.role, 'funds:allocate') && ledger.status === 'Open', commandId: randomUUID(),
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ partnerId: RouteId, quarter: QuarterParam }, params, NOT_FOUND)
  const { services } = context
  const { user, form } = await requireAction(request, services, 'funds:allocate')
  const submission = parseWithZod(form, { schema: ChangeAllocationForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const ledger = await fundsQueries(services.sql).ledger(ids.partnerId, ids.quarter)
  if (!ledger) throw data(NOT_FOUND, { status: 404 })
  const { amount, reason, commandId } = submission.value
  try {
    await services.commands.funds.adjust({ actor: toActor(user), commandId }, { partnerId: ids.partnerId, quarter: ids.quarter, amount, reason })
  } catch (error) {
    return replyRefused(submission, error)
  }
  const name = (await services.queries.organisations.byId(ids.partnerId))?.name ?? ids.partnerId
  return redirectWithToast(request, services, `/funds/ledger/${ids.partnerId}/${ids.quarter}`, `${name}'s ${ids.quarter} allocation is now ${formatMoney(amount, ledger.currency)}.`)
}

export default function Ledger() {
  const { ledger, partner, partnerName, names, canChange, commandId } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader
        title={`${partnerName} · ${ledger.quarter}`}
        description="Co-investment ledger: every movement of the allocation, with what stayed available after it."
        breadcrumbs={[{ to: partner ? '/partner/funds' : '/vendor/funds', label: 'Funds' }]}
        actions={ledger.status === 'Expired' ? <Badge tone="gray">Expired</Badge> : <Badge tone="green">Open</Badge>}
      />
      <section className="card p-5" aria-label="Figures"><LedgerFigures ledger={ledger} /></section>
      {canChange ? <ChangeAllocation allocated={ledger.allocated} committed={ledger.allocated - ledger.available} currency={ledger.currency} quarter={ledger.quarter} commandId={commandId} /> : null}
      <section className="card" aria-labelledby="movements-title">
        <h2 id="movements-title" className="px-5 pt-4 pb-2 text-sm font-semibold text-gray-900">Movements <span className="font-normal text-gray-600">· {countOf(ledger.movements.length, 'movement')}, newest first</span></h2>
        <MovementsTable movements={ledger.movements} currency={ledger.currency} names={names} requestHref={(id) => (partner ? `/partner/funds/${id}` : `/vendor/funds/${id}`)} caption={`Every movement of the ${ledger.quarter} ledger`} />
      </section>
      {!partner ? <p className="text-sm"><Link to={`/vendor/funds?quarter=${ledger.quarter}`}>All allocations for {ledger.quarter}</Link></p> : null}
    </div>
  )
}

/** the vendor's change: the new amount and why (the reason goes into the ledger for the partner to read) */
function ChangeAllocation({ allocated, committed, currency, quarter, commandId }: { allocated: number; committed: number; currency: string; quarter: string; commandId: string }) {
  const [form, fields] = useSchemaForm({
    id: 'change-allocation', schema: ChangeAllocationForm, lastResult: useActionData<typeof action>()?.result,
    defaultValue: { amount: String(allocated) },
  })
  const busy = useNavigation().state === 'submitting'
  return (
    <section id="change" className="card scroll-mt-4 p-5" aria-labelledby="change-title">
      <h2 id="change-title" className="text-sm font-semibold text-gray-900">Change the {quarter} allocation</h2>
      <p className="mt-1 text-sm text-gray-600">
        The partner sees the new amount and your reason in this ledger.{committed > 0 ? ` ${formatMoney(committed, currency)} is committed to approved requests; the allocation cannot go below that.` : ''}
      </p>
      <Form method="post" {...getFormProps(form)} noValidate className="mt-4">
        <FormHead form={form} commandId={commandId} />
        <div className="grid gap-4 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
        <ConformField label={`New allocation (${currency})`} meta={fields.amount}>
          <input {...conformInput(fields.amount)} inputMode="decimal" />
        </ConformField>
        <ConformField label="Reason" meta={fields.reason} hint="For example: extra budget for a launch campaign">
          <textarea {...conformTextarea(fields.reason, { hint: true })} rows={2} />
        </ConformField>
        <div className="sm:pt-6"><button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>{busy ? 'Saving…' : 'Change allocation'}</button></div>
        </div>
      </Form>
    </section>
  )
}
