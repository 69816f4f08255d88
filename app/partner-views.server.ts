// The partner story, partner table and program view, live from the read models or "as of" a date from the log.
import type { DealDoc } from '../projections/deals.ts'
import type { LedgerDoc } from '../projections/funds.ts'
import { SETTINGS_KEY, type SettingsDoc } from '../projections/insights/index.ts'
import type { JourneyDoc } from '../projections/journey.ts'
import { pyramidDocOf } from '../projections/pyramid.ts'
import type { OrganisationDoc } from '../projections/users.ts'
import type { AsOf } from './as-of.ts'
import { asOfDocs, endOfDay, stateAsOf } from './audit.server.ts'
import { fundsQueries } from './queries/funds.server.ts'
import { insightsFrom, type InsightDocs } from './queries/insights.server.ts'
import type { AppServices } from './services.server.ts'

async function insightsAsOf(services: AppServices, asOf: AsOf) {
  const state = await stateAsOf(services, asOf)
  const all = <T>(name: string) => [...(state.get(name)?.entries() ?? [])].filter(([key, d]) => key !== SETTINGS_KEY && d !== null).map(([, d]) => d as T)
  // the journey's documents hold the pyramid stage and the facts scorecard and lifetime value read (decision 026)
  const journey = all<JourneyDoc>('journey')
  const docs: InsightDocs = {
    settings: (state.get('journey')?.get(SETTINGS_KEY) as SettingsDoc | undefined) ?? null,
    journey, trust: all('trust'), scorecard: journey, pyramid: journey.map(pyramidDocOf), lifetime: journey, program: all('program'),
    // partners named as their organisation read on that date, as the live pages name them now
    names: new Map(all<OrganisationDoc>('organisations').filter((o) => o.kind === 'partner').map((o) => [o.organisationId, o.name])),
  }
  return insightsFrom(docs, endOfDay(asOf.date).toISOString())
}

/** asOf: the auditor's time travel (a date and its clock), or null for now */
export async function insightsAt(services: AppServices, asOf: AsOf | null) {
  return asOf ? insightsAsOf(services, asOf) : services.queries.insights.current(services.clock().toISOString())
}

/** the newest registrations a partner's story lists (the count says how many in all) */
export const STORY_DEALS = 10

export async function partnerStory(services: AppServices, partnerId: string, asOf: AsOf | null) {
  const insight = asOf ? (await insightsAsOf(services, asOf)).partner(partnerId) : await services.queries.insights.partner(partnerId, services.clock().toISOString())
  if (!insight) return null
  const now = asOf ? endOfDay(asOf.date).toISOString() : services.clock().toISOString()
  const [ledgers, deals, timeline] = asOf
    ? await Promise.all([
        asOfDocs<LedgerDoc>(services, asOf, 'fund-ledgers').then((l) => l.filter((x) => x.partnerId === partnerId).sort((a, b) => b.quarter.localeCompare(a.quarter))),
        asOfDocs<DealDoc>(services, asOf, 'deals').then((d) => {
          const all = d.filter((x) => x.partnerId === partnerId).sort((a, b) => b.registeredAt.localeCompare(a.registeredAt))
          return { rows: all.slice(0, STORY_DEALS), total: all.length }
        }),
        // the story's latest events, capped on the chosen clock
        services.queries.timeline.list({ partnerId, ...(asOf.clock === 'occurred' ? { to: now } : { recordedTo: now }), limit: 12 }),
      ])
    : await Promise.all([
        fundsQueries(services.sql).ledgersOf(partnerId),
        // only the deals the story shows, and how many there are, in one round trip
        services.queries.deals.latestOf(partnerId, STORY_DEALS),
        services.queries.timeline.list({ partnerId, limit: 12 }),
      ])
  return { insight, ledgers, deals: deals.rows, dealCount: deals.total, timeline, now }
}
