// The vendor's allocations: every partner's ledger for a quarter, and a form to allocate (tier's default prefilled).
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-funds'
import { quarterOf } from '../../../domain/shared/time.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { conformInput } from '../../components/form-field.tsx'
import { replyFor, RowField, RowFormError, RowFormHead, withClass } from '../../components/row-field.tsx'
import { useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, EmptyState, formatMoney, Money, PageHeader } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { DomainError } from '../../../domain/shared/errors.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formMoney } from '../../forms.ts'
import { parseSearch, QuarterParam } from '../../params.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { peopleQueries } from '../../queries/people.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Funds · Partnerlog' }]

const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/)
const nextQuarter = (q: string) => {
  const [y, n] = q.split('-Q').map(Number) as [number, number]
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`
}

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:read-all')
  const queries = fundsQueries(services.sql)
  const now = services.clock().toISOString()
  const current = quarterOf(now)
  const quarter = parseSearch({ quarter: QuarterParam.optional() }, url).quarter ?? current
  const [partners, ledgers, settings, waiting, tiers] = await Promise.all([
    // only partners in the program get an allocation: not a company whose application waits or was refused
    services.queries.organisations.approvedPartners(), queries.ledgersFor(quarter), queries.settings(now), queries.waitingCount(), queries.tiers(),
  ])
  const byPartner = Object.fromEntries(ledgers.map((l) => [l.partnerId, l]))
  const rows = partners.map((p) => {
    const tier = tiers[p.organisationId] ?? null
    return { partnerId: p.organisationId, name: p.name, tier, defaultAmount: tier ? settings.fundAllocationByTier[tier] ?? 0 : 0, ledger: byPartner[p.organisationId] ?? null }
  })
  const totals = ledgers.reduce((t, l) => ({ allocated: t.allocated + l.allocated, committed: t.committed + l.approved + l.claimed + l.paid, available: t.available + l.available }), { allocated: 0, committed: 0, available: 0 })
  return {
    rows, quarter, current, quarters: [current, nextQuarter(current)], currency: settings.fundCurrency, byTier: settings.fundAllocationByTier, totals,
    waiting, canAllocate: can(user.role, 'funds:allocate'), commandId: randomUUID(),
  }
}

/** an allocation or a top-up, one form per partner row */
const AllocateForm = z.object({ partnerId: ref(), quarter: Quarter, amount: formMoney('the amount to allocate'), commandId: ref().optional() })

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'funds:allocate')
  const submission = parseWithZod(form, { schema: AllocateForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const { partnerId, quarter, amount, commandId } = submission.value
  const settings = await fundsQueries(services.sql).settings(services.clock().toISOString())
  const partner = await services.queries.organisations.byId(partnerId)
  if (!partner || partner.kind !== 'partner') throw data('No such partner.', { status: 404 })
  // the page offers approved partners only; a form posted for an applicant (or a rejected company) is refused here too
  const record = await peopleQueries(services.sql).partner(partnerId)
  if (record?.status !== 'Approved') {
    throw data(`${partner.name} is not an approved partner: approve its application before allocating funds.`, { status: 409 })
  }
  try {
    const existing = await fundsQueries(services.sql).ledger(partnerId, quarter)
    await services.commands.funds.allocate({ actor: toActor(user), ...(commandId ? { commandId: `${commandId}-${partnerId}` } : {}) }, { partnerId, quarter, amount, currency: existing?.currency ?? settings.fundCurrency })
    return redirectWithToast(request, services, `/vendor/funds?quarter=${quarter}`, `${formatMoney(amount, existing?.currency ?? settings.fundCurrency)} allocated to ${partner.name} for ${quarter}.`)
  } catch (error) {
    // the row has one field: a refusal shows under the amount
    if (error instanceof DomainError) return data({ result: submission.reply({ fieldErrors: { amount: [error.message.replace(/^[\w.]+: /, '')] } }) }, { status: error.status })
    return replyRefused(submission, error)
  }
}

export default function VendorFunds() {
  const { rows, quarter, current, quarters, currency, byTier, totals, waiting, canAllocate, commandId } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader
        title="Funds"
        description={`Co-investment allocations per partner for ${quarter}. Defaults by tier: ${Object.entries(byTier).map(([t, a]) => `${t} ${formatMoney(a, currency)}`).join(', ')}.`}
        actions={<Link to="/vendor/funds/queue" className="btn-primary no-underline">Queue{waiting ? ` (${formatCount(waiting)} waiting)` : ''}</Link>}
      />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Quarter" className="flex gap-1">
          {[...new Set([...quarters, quarter])].sort().map((q) => (
            <Link key={q} to={`/vendor/funds?quarter=${q}`} aria-current={q === quarter ? 'page' : undefined} className={`rounded-md px-3 py-1.5 text-sm font-medium no-underline ${q === quarter ? 'bg-brand-50 text-brand-800' : 'text-gray-700 hover:bg-gray-100'}`}>
              {q}{q === current ? ' (current)' : ''}
            </Link>
          ))}
        </nav>
        <dl className="flex gap-6 text-sm">
          <div><dt className="text-gray-600">Allocated</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.allocated, currency)}</dd></div>
          <div><dt className="text-gray-600">Committed</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.committed, currency)}</dd></div>
          <div><dt className="text-gray-600">Available</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.available, currency)}</dd></div>
        </dl>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No partners yet" description="Approved partners appear here with their quarterly allocation." action={<Link to="/vendor/partners" className="btn-primary no-underline">Partners</Link>} />
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base">
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="th">Partner</th>
                <th scope="col" className="th">Tier</th>
                <th scope="col" className="th num">Allocated</th>
                <th scope="col" className="th num">Approved</th>
                <th scope="col" className="th num">Claimed</th>
                <th scope="col" className="th num">Paid</th>
                <th scope="col" className="th num">Available</th>
                {canAllocate ? <th scope="col" className="th">Allocate</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {rows.map((row) => {
                const l = row.ledger
                const c = l?.currency ?? currency
                return (
                  <tr key={row.partnerId} className="align-top">
                    <td className="td">
                      <div className="font-medium text-gray-900">{row.name}</div>
                      {l ? <Link to={`/funds/ledger/${row.partnerId}/${quarter}`} className="text-xs">Ledger ({l.movementCount} movements)</Link> : <span className="text-xs text-gray-600">No allocation</span>}
                    </td>
                    <td className="td">{row.tier ? <Badge tone="gray">{row.tier}</Badge> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.allocated} currency={c} /> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.approved} currency={c} /> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.claimed} currency={c} /> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.paid} currency={c} /> : '—'}</td>
                    <td className="td num font-semibold">{l ? (l.status === 'Expired' ? <Badge tone="gray">Expired</Badge> : <Money value={l.available} currency={c} />) : '—'}</td>
                    {canAllocate ? (
                      <td className="td">
                        {l?.status === 'Expired' ? <span className="text-xs text-gray-600">Quarter closed</span> : (
                          <AllocateRow row={row} currency={c} quarter={quarter} commandId={commandId} topUp={!!l} />
                        )}
                      </td>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

/** the amount to allocate to one partner (the tier's default prefilled); its error shows under it */
function AllocateRow({ row, currency, quarter, commandId, topUp }: { row: { partnerId: string; name: string; defaultAmount: number }; currency: string; quarter: string; commandId: string; topUp: boolean }) {
  const [form, fields] = useSchemaForm({
    id: `allocate-${row.partnerId}`, schema: AllocateForm, lastResult: replyFor(useActionData<typeof action>(), { partnerId: row.partnerId }),
    defaultValue: { amount: row.defaultAmount ? String(row.defaultAmount) : '' },
  })
  return (
    <Form method="post" {...getFormProps(form)} className="flex items-start gap-2">
      <RowFormHead commandId={commandId} />
      <input type="hidden" name="partnerId" value={row.partnerId} />
      <input type="hidden" name="quarter" value={quarter} />
      <RowField label={`Amount to allocate to ${row.name} (${currency})`} meta={fields.amount} srOnlyLabel narrow>
        <input {...withClass(conformInput(fields.amount), 'w-32')} inputMode="decimal" placeholder={`Amount in ${currency}`} />
      </RowField>
      <button type="submit" className="btn-secondary" aria-label={`${topUp ? 'Top up' : 'Allocate'} to ${row.name}`}>{topUp ? 'Top up' : 'Allocate'}</button>
      <RowFormError form={form} />
    </Form>
  )
}
