import { data, useLoaderData } from 'react-router'
import type { Route } from './+types/event'
import { parseParams, RouteId } from '../../params.server.ts'
import { requireUser } from '../../auth.server.ts'
import { actorOf } from '../../audit.server.ts'
import { isBackdated } from '../../as-of.ts'
import { Badge, DateText, PageHeader } from '../../components/ui.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.event.type ?? 'Event'} · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ eventId: RouteId }, params, 'No event with this id.')
  await requireUser(request, context.services, 'audit:read')
  const event = await context.services.queries.timeline.byId(ids.eventId)
  if (!event) throw data('No event with this id.', { status: 404 })
  const [stored, actor] = await Promise.all([context.services.store.chain?.storedEvent(ids.eventId), actorOf(context.services, event.actor)])
  return { event, actor, chain: stored ? { hash: stored.hash, previousHash: stored.previousHash } : null }
}

export default function Event() {
  const { event, actor, chain } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-4xl">
      <PageHeader title={event.type} description={`${event.streamId} revision ${event.streamRevision} · global position ${event.globalPosition}`} breadcrumbs={[{ to: '/audit', label: 'Timeline' }]} />
      <dl className="card grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 p-5 text-sm">
        <dt className="text-gray-600">Event id</dt><dd className="font-mono">{event.eventId}</dd>
        <dt className="text-gray-600">Occurred</dt><dd><DateText iso={event.occurredAt} withTime /></dd>
        <dt className="text-gray-600">Recorded</dt><dd><DateText iso={event.recordedAt} withTime />{isBackdated(event) ? <> <Badge tone="amber">Backdated</Badge></> : null}</dd>
        <dt className="text-gray-600">Actor</dt>
        <dd>
          {actor.name}{actor.role ? <>, {actor.role.toLowerCase()} at {actor.organisation}</> : null}
          <div className="font-mono text-xs text-gray-600">{event.actor} · tenant {event.tenant}</div>
        </dd>
        <dt className="text-gray-600">Hash</dt><dd className="font-mono break-all">{chain?.hash ?? 'none stored'}</dd>
        <dt className="text-gray-600">Links to</dt><dd>{chain?.previousHash ? (
          <><span className="font-mono break-all">{chain.previousHash}</span> {/^0+$/.test(chain.previousHash) ? "(the stream's first event)" : `(hash of revision ${Number(event.streamRevision) - 1})`}</>
        ) : 'none stored'}</dd>
      </dl>
      <h2 className="mt-6 mb-2 text-sm font-semibold">Data</h2>
      <pre className="overflow-x-auto rounded-lg bg-gray-900 p-4 text-xs text-gray-100">{JSON.stringify(event.data, null, 2)}</pre>
      <h2 className="mt-6 mb-2 text-sm font-semibold">Metadata</h2>
      <pre className="overflow-x-auto rounded-lg bg-gray-900 p-4 text-xs text-gray-100">{JSON.stringify(event.metadata, null, 2)}</pre>
    </div>
  )
}
