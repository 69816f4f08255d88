import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/home'
import { readModelsState, requireUser, type CurrentUser } from '../../auth.server.ts'
import { JourneyTrack } from '../../components/journey.tsx'
import { TierProgressCard } from '../../components/tier-progress.tsx'
import { ScorecardCard, scorecardShown, stageLabels, TrustCard, trustShown } from '../../components/partner-story.tsx'
import { DateText, Money, PageHeader, StatusBadge } from '../../components/ui.tsx'
import { countOf, formatCount, isoDay } from '../../format.ts'
import type { AppServices } from '../../services.server.ts'
import { cachedView } from '../../view-cache.server.ts'
import { openRoundsNotAnsweredBy } from '../../queries/engagement.server.ts'
import { claimsDueOf, tierProgressFrom, tierProgressHeldSets } from '../../queries/funds.server.ts'
import { dealsProtectedUntil, recentDealsOf } from '../../queries/index.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Home · Partnerlog' }]

const DAY = 86_400_000
/** the newest deals listed */
const RECENT_SHOWN = 5
/** deals ending and claims due listed under "Needs you" (each), the rest counted with a link to the full list */
const NEEDS_SHOWN = 10
/** trust changes listed under the chart's "Show data": the chart draws every point it is given, the table the latest (elements cost each view) */
const TRUST_ROWS = 12

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:home')
  // the same answer until a read model changes (or the minute): most views are served from the view cache
  return cachedView(request, services, user, { name: 'partner-home', insights: true }, async (now) => home(services, user, now, await readModelsState(request, services)))
}

/** readModels: the request's read-model state (from the user lookup), so the program figures need no look of their own */
async function home(services: AppServices, user: CurrentUser, at: Date, readModels: string | null) {
  const partnerId = user.organisationId
  const now = at.toISOString()
  const today = now.slice(0, 10)
  const in14 = isoDay(new Date(Date.parse(today) + 14 * DAY))
  // everything the page shows, and only that, in one round trip
  const ending = dealsProtectedUntil(partnerId, in14)
  const claims = claimsDueOf(partnerId)
  const { insight, sets } = await services.queries.insights.partnerWith(partnerId, now, { journeyHistory: 'last', lifetime: false, readModels }, {
    // no count of all its deals: that would read every deal the partner ever registered, on every view
    // of each document only the fields the page shows
    recent: { ...recentDealsOf(partnerId, RECENT_SHOWN), pick: ['dealId', 'customerName', 'value', 'currency', 'status'] },
    ending: { ...ending, limit: NEEDS_SHOWN, pick: ['dealId', 'customerName', 'protectedUntil'] },
    endingCount: { count: ending },
    claims: { ...claims, limit: NEEDS_SHOWN, pick: ['coInvestmentId', 'activity', 'claimDeadline'] },
    claimCount: { count: claims },
    // what the partner's tier gives and what the next one needs (app/components/tier-progress.tsx)
    ...tierProgressHeldSets(),
  })
  const { ending: endingSoon, claims: claimsDue } = sets
  const tier = tierProgressFrom(sets, partnerId, sets.doc('journey', partnerId), now)
  // the open rounds it has not answered, from the rounds held with the program figures (as new as the statement's answer)
  const openSurveys = openRoundsNotAnsweredBy(services.queries.insights.heldDocs('survey_rounds'), partnerId)
  const needs = [
    ...endingSoon.map((d) => ({ key: `deal-${d.dealId}`, to: `/partner/deals/${d.dealId}`, title: `${d.customerName}: protection ends`, due: d.protectedUntil!, tone: 'amber' as const })),
    ...claimsDue.map((r) => ({ key: `claim-${r.coInvestmentId}`, to: `/partner/funds/${r.coInvestmentId}`, title: `Claim due for “${r.activity}”`, due: r.claimDeadline!, tone: (r.claimDeadline! <= in14 ? 'amber' : 'blue') as 'amber' | 'blue' })),
    ...openSurveys
      .map((s) => ({ key: `survey-${s.surveyId}`, to: `/partner/collaborate/surveys/${s.surveyId}`, title: 'A partner survey is open: tell the vendor how it is going', due: null, tone: 'blue' as const })),
  ].sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'))
  // the journey card lists what the next phase needs; the actions add what deepens the relationship, each once
  const journeyNeeds = new Set(insight?.journey.nextNeeds ?? [])
  const actions = [...new Set(insight?.pyramid?.nextNeeds ?? [])].filter((n) => !journeyNeeds.has(n)).slice(0, 3)
    .map((n) => ({ text: n, why: 'to deepen the relationship' }))
  // only what the page shows goes into it (the loader's answer is serialised into every page view)
  const story = insight
    ? {
        phase: insight.journey.phase, nextNeeds: insight.journey.nextNeeds, lastChange: lastChangeShown(insight.journey.history.at(-1)),
        stage: insight.pyramid?.stage ?? null, trust: trustShown(insight.trust, now), scorecard: scorecardShown(insight.scorecard), groupMedians: insight.groupMedians,
      }
    : null
  const recent = sets.recent.map((d) => ({ dealId: d.dealId, customerName: d.customerName, value: d.value, currency: d.currency, status: d.status }))
  // what "Needs you" leaves out, counted in the same round trip, with the list that shows it all
  const more = [
    { key: 'deals', count: sets.endingCount - endingSoon.length, text: (n: number) => `${countOf(n, 'more deal')} whose protection ends within 14 days`, to: '/partner/deals', link: 'All deals' },
    { key: 'claims', count: sets.claimCount - claimsDue.length, text: (n: number) => `${countOf(n, 'more claim')} due`, to: '/partner/funds#due-title', link: 'Every claim due' },
  ].filter((m) => m.count > 0).map((m) => ({ key: m.key, text: m.text(m.count), to: m.to, link: m.link }))
  // the card shows the partner's tier and the next one, not the whole list of tiers
  return { user: { name: user.name, organisationName: user.organisationName }, story, needs, more, actions, recent, tier: { current: tier.current, next: tier.next } }
}

/** what the journey card says of the last change: when and why (not the event behind it) */
const lastChangeShown = (change: { at: string; reason: string } | undefined) => (change ? { at: change.at, reason: change.reason } : null)

export default function PartnerHome() {
  const { user, story, needs, more, actions, recent, tier } = useLoaderData<typeof loader>()
  const last = story?.lastChange
  return (
    <div className="space-y-6">
      <PageHeader title={`Welcome, ${user.name.split(' ')[0]}`} description={`What ${user.organisationName} has going on with the vendor, and what needs you.`}
        actions={<><Link to="/partner/library" className="btn-secondary no-underline">Find collateral</Link><Link to="/partner/deals/new" className="btn-primary no-underline">Register a deal</Link></>} />
      <section className="card p-5" aria-labelledby="journey-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="journey-title" className="text-sm font-semibold text-gray-900">Your journey</h2>
          {last ? <span className="text-sm text-gray-600">Since <DateText iso={last.at} />: {last.reason}</span> : null}
        </div>
        <div className="mt-4"><JourneyTrack phase={story?.phase ?? 'interest'} /></div>
        {story?.nextNeeds.length ? (
          <div className="mt-4 text-sm"><span className="font-medium text-gray-900">For the next step: </span><span className="text-gray-700">{story.nextNeeds.join(' · ')}</span></div>
        ) : null}
        {story?.stage ? <p className="mt-1 text-sm text-gray-700">Relationship: <strong>{stageLabels[story.stage]}</strong></p> : null}
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card p-5" aria-labelledby="needs-title">
          <h2 id="needs-title" className="text-sm font-semibold text-gray-900">Needs you</h2>
          {needs.length === 0 && more.length === 0 ? (
            <p className="mt-2 text-sm text-gray-600">Nothing urgent: no deal protection ends in the next 14 days, no claim is due and no survey is waiting.</p>
          ) : (
            <ul className="mt-2 divide-y divide-gray-100">
              {needs.map((n) => (
                <li key={n.key} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <Link to={n.to}>{n.title}</Link>
                  {n.due ? <span className={n.tone === 'amber' ? 'shrink-0 text-amber-800' : 'shrink-0 text-gray-700'}>by <DateText iso={n.due} /></span> : null}
                </li>
              ))}
              {more.map((m) => (
                <li key={`more-${m.key}`} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <span className="text-gray-700">{m.text}</span>
                  <Link to={m.to} className="shrink-0">{m.link}</Link>
                </li>
              ))}
            </ul>
          )}
          {actions.length ? (
            <>
              <h3 className="mt-4 text-xs font-semibold tracking-wide text-gray-600 uppercase">Next best actions</h3>
              <ul className="mt-1 space-y-1 text-sm">{actions.map((a) => <li key={a.text}>{a.text} <span className="text-gray-600">— {a.why}</span></li>)}</ul>
            </>
          ) : null}
        </section>
        <section className="card p-5" aria-labelledby="recent-title">
          <div className="flex items-center justify-between">
            <h2 id="recent-title" className="text-sm font-semibold text-gray-900">Recent deals</h2>
            {recent.length ? <Link to="/partner/deals" className="text-sm">All deals</Link> : null}
          </div>
          {recent.length === 0 ? (
            <p className="mt-2 text-sm text-gray-600">No deals yet. <Link to="/partner/deals/new">Register your first opportunity</Link> to protect it.</p>
          ) : (
            <ul className="mt-2 divide-y divide-gray-100">
              {recent.map((d) => (
                <li key={d.dealId} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <Link to={`/partner/deals/${d.dealId}`} className="truncate">{d.customerName}</Link>
                  <span className="flex items-center gap-3"><span className="tabular-nums text-gray-700"><Money value={d.value} currency={d.currency} /></span><StatusBadge status={d.status} /></span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <TierProgressCard progress={tier} />
      <div className="grid gap-6 xl:grid-cols-2">
        <TrustCard trust={story?.trust ?? null} dataRows={TRUST_ROWS} />
        <ScorecardCard scorecard={story?.scorecard ?? null} medians={story?.groupMedians ?? null} />
      </div>
    </div>
  )
}
