import { Form, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/timeline'
import { isBackdated } from '../../as-of.ts'
import { asOfFrom, endOfDay, namesForEvents } from '../../audit.server.ts'
import { requireUser } from '../../auth.server.ts'
import { Badge, DateText, EmptyState, PageHeader, TableCard } from '../../components/ui.tsx'
import { IsoDate, parseSearch, Position, QueryText, RouteId } from '../../params.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Timeline · Partnerlog' }]
export const handle = { description: 'Every event of the partner program in the order it was recorded: who did what, when it happened and when it was recorded.' }

/**
 * Events on one page: a page of a log that grows while the auditor reads it goes on before the last position shown
 * (keyset), so no event moves to another page between two clicks.
 */
const TIMELINE_PAGE = 50

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'audit:read')
  const search = parseSearch({ type: QueryText(80).optional(), actor: RouteId.optional(), partner: RouteId.optional(), from: IsoDate.optional(), to: IsoDate.optional(), before: Position.optional() }, url)
  const get = (name: keyof typeof search) => search[name]
  const asOf = asOfFrom(await services.sessions.get(request))
  // "as of" caps the timeline at the end of that day on its clock: when events happened, or when they were recorded
  const to = [get('to'), asOf?.clock === 'occurred' ? asOf.date : undefined].filter((d): d is string => !!d).sort()[0]
  const filter = {
    type: get('type'), actor: get('actor'), partnerId: get('partner'),
    from: get('from'), to: to ? `${to}T23:59:59.999Z` : undefined,
    recordedTo: asOf?.clock === 'recorded' ? endOfDay(asOf.date).toISOString() : undefined, before: get('before'),
  }
  const events = await services.queries.timeline.list({ ...filter, limit: TIMELINE_PAGE + 1 })
  const shown = events.slice(0, TIMELINE_PAGE)
  const [names, partners] = await Promise.all([namesForEvents(services, shown), services.queries.organisations.partners()])
  return {
    // newest recorded first (reverse log order); paging goes on with positions before the last one shown
    events: shown.map((e) => ({ ...e, backdated: isBackdated(e) })),
    more: events.length > TIMELINE_PAGE ? events[TIMELINE_PAGE - 1]!.globalPosition : null,
    paged: !!get('before'),
    filter: { type: get('type') ?? '', actor: get('actor') ?? '', partner: get('partner') ?? '', from: get('from') ?? '', to: get('to') ?? '' },
    names,
    partners,
  }
}

export default function Timeline() {
  const { events, more, paged, filter, names, partners } = useLoaderData<typeof loader>()
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v))
  return (
    <div>
      <PageHeader title="Timeline" description="Every event of the program, newest recorded first (the order of the log): what happened, who did it, when it happened and when it was recorded." />
      <Form method="get" className="card mb-4 grid gap-3 p-4 sm:grid-cols-6" role="search" aria-label="Filter events">
        <div className="sm:col-span-1"><label htmlFor="type" className="label">Event type</label><input id="type" name="type" defaultValue={filter.type} className="input mt-1" placeholder="DealApproved" /></div>
        <div className="sm:col-span-1"><label htmlFor="actor" className="label">Actor (user id)</label><input id="actor" name="actor" defaultValue={filter.actor} className="input mt-1" /></div>
        <div className="sm:col-span-1"><label htmlFor="partner" className="label">Partner</label>
          <select id="partner" name="partner" defaultValue={filter.partner} className="input mt-1"><option value="">All</option>{partners.map((p) => <option key={p.organisationId} value={p.organisationId}>{p.name}</option>)}</select></div>
        <div><label htmlFor="from" className="label">Happened from</label><input id="from" name="from" type="date" defaultValue={filter.from} className="input mt-1" /></div>
        <div><label htmlFor="to" className="label">Happened to</label><input id="to" name="to" type="date" defaultValue={filter.to} className="input mt-1" /></div>
        <div className="flex items-end gap-2"><button className="btn-primary">Filter</button><Link to="/audit" className="btn-secondary no-underline">Clear</Link></div>
      </Form>
      {events.length === 0 ? (
        <EmptyState title="No events match" description="Events appear here as partners and the vendor act. Widen the filter to see more." />
      ) : (
        // what happened and who did it first: on a phone they are the columns in view
        <TableCard columns={[{ label: 'Event' }, { label: 'Actor' }, { label: 'Happened (UTC)' }, { label: 'Recorded (UTC), newest first' }, { label: 'Details' }]}>
          {events.map((e) => (
            <tr key={e.eventId}>
              <td className="td">
                <Link to={`/audit/events/${e.eventId}`} className="font-medium">{e.type}</Link>
                <div className="font-mono text-xs break-all text-gray-600">{e.streamId}@{e.streamRevision}</div>
              </td>
              <td className="td">{names[e.actor] ?? e.actor}{e.partnerId ? <div className="text-xs text-gray-600">for {names[e.partnerId] ?? e.partnerId}</div> : null}</td>
              <td className="td whitespace-nowrap">
                <DateText iso={e.occurredAt} withTime />
                {e.backdated ? <div><Badge tone="amber" title={`Backdated: happened ${e.occurredAt}, recorded ${e.recordedAt}`}>Backdated</Badge></div> : null}
              </td>
              <td className="td whitespace-nowrap"><DateText iso={e.recordedAt} withTime /></td>
              <td className="td"><details><summary className="cursor-pointer text-sm whitespace-nowrap text-brand-700">Payload</summary><pre className="mt-2 max-w-xl overflow-x-auto rounded bg-gray-900 p-3 text-xs text-gray-100">{JSON.stringify({ data: e.data, metadata: e.metadata }, null, 2)}</pre></details></td>
            </tr>
          ))}
        </TableCard>
      )}
      {more || paged ? (
        <nav aria-label="Timeline pages" className="mt-3 flex flex-wrap items-center justify-end gap-2">
          {paged ? <Link className="btn-secondary no-underline" to={`/audit${query.size ? `?${query}` : ''}`}><span aria-hidden="true">←</span> Newest events</Link> : null}
          {more ? <Link rel="next" className="btn-secondary no-underline" to={`/audit?${new URLSearchParams([...query, ['before', more]])}`}>{`Earlier recorded events (${TIMELINE_PAGE} a page)`} <span aria-hidden="true">→</span></Link> : null}
        </nav>
      ) : null}
    </div>
  )
}
