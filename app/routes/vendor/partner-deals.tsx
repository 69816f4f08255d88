// Every deal registration of one partner, a page at a time, newest first: where the partner story's "the newest 10
// of N" leads. Vendor staff only (an auditor reads a partner's deals in its timeline, as of any date).
import { data, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/partner-deals'
import { parseParams, RouteId } from '../../params.server.ts'
import { requireUser } from '../../auth.server.ts'
import { Pager } from '../../components/pager.tsx'
import { ConflictSummary } from '../../components/deal-conflict.tsx'
import { DateText, EmptyState, Money, PageHeader, StatusBadge, TableCard } from '../../components/ui.tsx'
import { vendorConflicts } from '../../deal-conflict-views.server.ts'
import { countOf, formatCount } from '../../format.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Deals of ${data?.name ?? 'a partner'} · Partnerlog` }]

export async function loader({ request, url, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  await requireUser(request, services, 'deal:review')
  const partner = await services.queries.organisations.byId(ids.partnerId)
  if (!partner || partner.kind !== 'partner') throw data('No partner with this id.', { status: 404 })
  const deals = await services.queries.deals.forPartner(ids.partnerId, { page: requestedPage(url) })
  onRealPages(url, { page: deals })
  const conflicts = await vendorConflicts(services, deals.rows)
  return { name: partner.name, partnerId: ids.partnerId, deals, conflicts }
}

export default function PartnerDeals() {
  const { name, partnerId, deals: list, conflicts } = useLoaderData<typeof loader>()
  const { from, to } = pageRange(list)
  const shown = list.total > list.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  return (
    <div>
      <PageHeader
        title={`Deals of ${name}`}
        description={`${countOf(list.total, 'registration')}, newest first${shown}.`}
        breadcrumbs={[{ to: '/vendor/partners', label: 'Partners' }, { to: `/vendor/partners/${partnerId}`, label: name }]}
      />
      {list.rows.length === 0 ? (
        <EmptyState title="No deal registrations yet" description="The partner’s registrations appear here, newest first, with their status and protection." />
      ) : (
        <TableCard columns={[{ label: 'Customer' }, { label: 'Status' }, { label: 'Value', className: 'num' }, { label: 'Registered' }, { label: 'Expected close' }, { label: 'Protected until' }, { label: 'Conflict' }]}>
          {list.rows.map((deal) => (
            <tr key={deal.dealId}>
              <td className="td">
                <Link to={`/vendor/deals/${deal.dealId}`} className="font-medium">{deal.customerName}</Link>
                <div className="text-xs text-gray-600">{deal.customerDomain}</div>
              </td>
              <td className="td">
                <StatusBadge status={deal.status} />
              </td>
              <td className="td num"><Money value={deal.value} currency={deal.currency} /></td>
              <td className="td"><DateText iso={deal.registeredAt} /></td>
              <td className="td"><DateText iso={deal.expectedCloseDate} /></td>
              <td className="td">{deal.protectedUntil ? <DateText iso={deal.protectedUntil} /> : '—'}</td>
              <td className="td min-w-56">{conflicts[deal.dealId] ? <ConflictSummary conflict={conflicts[deal.dealId]!} compact /> : <span className="text-gray-500">—</span>}</td>
            </tr>
          ))}
        </TableCard>
      )}
      <Pager className="mt-3" list={list} label="Deal pages" order="newest first" />
    </div>
  )
}
