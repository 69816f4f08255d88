import { data, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/partner'
import { parseParams, RouteId } from '../../params.server.ts'
import { asOfClockLabels, asOfFrom } from '../../audit.server.ts'
import { requireUser } from '../../auth.server.ts'
import { PartnerStory } from '../../components/partner-story.tsx'
import { PageHeader } from '../../components/ui.tsx'
import { partnerStory } from '../../partner-views.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.story.insight.company ?? 'Partner'} · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const user = await requireUser(request, services, 'partner:read-all')
  const asOf = user.role === 'auditor' ? asOfFrom(await services.sessions.get(request)) : null
  const story = await partnerStory(services, ids.partnerId, asOf)
  if (!story) throw data(asOf ? `This partner had not applied yet on ${asOf.date} (${asOfClockLabels[asOf.clock]}).` : 'No partner with this id.', { status: 404 })
  return { story, auditor: user.role === 'auditor', partnerId: ids.partnerId }
}

export default function Partner() {
  const { story, auditor, partnerId } = useLoaderData<typeof loader>()
  const base = auditor ? '/audit' : '/vendor'
  return (
    <div>
      <PageHeader
        title={story.insight.company ?? partnerId}
        description={`${story.insight.partnerType ? story.insight.partnerType.toUpperCase() : 'Partner'} · the relationship’s story, from the events.`}
        breadcrumbs={[{ to: `${base}/partners`, label: 'Partners' }]}
        actions={auditor ? undefined : <Link to={`/vendor/partners/${partnerId}/admin`} className="btn-secondary no-underline">Administration</Link>}
      />
      <PartnerStory {...story} timelineLink={auditor ? `/audit?partner=${partnerId}` : null} dealsLink={auditor ? null : `/vendor/partners/${partnerId}/deals`} />
    </div>
  )
}
