// A partner's deal registrations, a page at a time, newest first, with the next thing to do for each.
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/deals'
import { requireUser } from '../../auth.server.ts'
import { Pager } from '../../components/pager.tsx'
import { Badge, DateText, EmptyState, Money, PageHeader, StatusBadge, TableCard } from '../../components/ui.tsx'
import { partnerDeals, type PartnerDeal } from '../../deal-conflict-views.server.ts'
import { formatCount, formatDate, isoDay } from '../../format.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Deals · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context.services, 'deal:manage-own')
  const deals = await context.services.queries.deals.forPartner(user.organisationId, { page: requestedPage(url) })
  onRealPages(url, { page: deals })
  // what the page is sent leaves out the rival registrations' ids and partners
  return { deals: { ...deals, rows: await partnerDeals(context.services, deals.rows) }, today: isoDay(context.services.clock()) }
}

function nextAction(deal: PartnerDeal, today: string): string {
  const conflict = deal.conflict
  if (conflict?.lost)
    return `Closed: another partner’s registration of ${formatDate(conflict.lost.byRegisteredAt)} was approved on ${formatDate(conflict.lost.decidedAt)}${conflict.lost.protectionEndedOn ? `; your protection ended on ${formatDate(conflict.lost.protectionEndedOn)}` : ''}`
  if (conflict?.won && deal.status === 'Approved')
    return `Approved over another partner’s registration: you alone are protected until ${formatDate(deal.protectedUntil ?? today)}`
  if (conflict && deal.status === 'Submitted') {
    const first = conflict.others[0]
    return first ? `Another partner registered this customer on ${formatDate(first.registeredAt)}: the vendor decides` : 'The customer is a direct account: the vendor decides'
  }
  switch (deal.status) {
    case 'Submitted': return 'Waiting for the vendor’s review'
    case 'Approved': {
      const days = Math.round((Date.parse(deal.protectedUntil ?? today) - Date.parse(today)) / 86_400_000)
      return days <= 14 ? `Protection ends in ${days} days: record the outcome or ask for an extension` : 'Record won or lost when it closes'
    }
    case 'Rejected': return deal.reason ? `Rejected: ${deal.reason}` : 'Rejected'
    default: return '—'
  }
}

export default function Deals() {
  const { deals: list, today } = useLoaderData<typeof loader>()
  const deals = list.rows
  const { from, to } = pageRange(list)
  const count = list.total ? `${formatCount(list.total)} registered opportunit${list.total === 1 ? 'y' : 'ies'}, newest first` : 'Your registered opportunities'
  const shown = list.total > list.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  return (
    <div>
      <PageHeader
        title="Deals"
        description={`${count}${shown}: their review and their protection.`}
        actions={<Link to="/partner/deals/new" className="btn-primary no-underline">New deal</Link>}
      />
      {deals.length === 0 ? (
        <EmptyState
          title="No deals yet"
          description="Register an opportunity to protect it: the vendor reviews it within two business days."
          action={<Link to="/partner/deals/new" className="btn-primary no-underline">Register a deal</Link>}
        />
      ) : (
        <TableCard columns={[{ label: 'Customer' }, { label: 'Status' }, { label: 'Value', className: 'num' }, { label: 'Expected close' }, { label: 'Protected until' }, { label: 'Next' }]}>
              {deals.map((deal) => (
                <tr key={deal.dealId} className="hover:bg-gray-50">
                  <td className="td">
                    <Link to={`/partner/deals/${deal.dealId}`} className="font-medium">{deal.customerName}</Link>
                    <div className="text-xs text-gray-600">{deal.customerDomain}</div>
                  </td>
                  <td className="td">
                    <div className="flex flex-wrap gap-1">
                      <StatusBadge status={deal.status} />
                      {deal.conflict && deal.status === 'Submitted' ? <Badge tone="red" title="Another partner registered this customer, or it is a direct account">Conflict</Badge> : null}
                    </div>
                  </td>
                  <td className="td num"><Money value={deal.value} currency={deal.currency} /></td>
                  <td className="td"><DateText iso={deal.expectedCloseDate} /></td>
                  <td className="td">{deal.protectedUntil ? <DateText iso={deal.protectedUntil} /> : '—'}</td>
                  <td className="td min-w-64 text-gray-700">{nextAction(deal, today)}</td>
                </tr>
              ))}
            </TableCard>
      )}
      <Pager className="mt-3" list={list} label="Deal pages" order="newest first" />
    </div>
  )
}
