// Global search: a few small limited queries per role (assets through the enablement query, so audience rules hold);
// partner searches are scoped to the partner's organisation in the SQL, so no other partner's records reach the page.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { DealDoc } from '../../projections/deals.ts'
import type { WorkshopDoc } from '../../projections/engagement.ts'
import type { FundRequestDoc } from '../../projections/funds.ts'
import type { CourseDoc } from '../../projections/training.ts'
import { createEnablementQueries, toPrefixQuery } from './enablement.server.ts'
import { timelineQueriesOf } from './timeline.server.ts'
import { sql as k } from 'kysely'
import { activeRowsOf, doc, eb, field, jsonField, namesOf, readModels, type DocList, type DocOf, type Where } from './read-models.server.ts'
import type { AsOf } from '../as-of.ts'
import { itemsSummary } from '../deal-items.ts'
import { countOf, formatCount, formatMoney } from '../format.ts'

/** how a hit's status is drawn: the page picks the badge component of the area */
export type HitStatus =
  | { kind: 'deal'; status: DealDoc['status'] }
  | { kind: 'fund'; status: FundRequestDoc['status'] }
  | { kind: 'workshop'; status: WorkshopDoc['status'] }
  | { kind: 'asset'; status: 'Published' | 'Retired' }
  | { kind: 'plain'; tone: 'green' | 'amber' | 'red' | 'blue' | 'gray'; label: string }

export type SearchHit = { id: string; title: string; description: string; href: string; status?: HitStatus }
export type SearchGroup = { key: string; label: string; total: number; hits: SearchHit[]; more?: { href: string; label: string } }

export const PER_GROUP = 5
const MAX_QUERY = 100

/** a workshop attendee's name matches (each name on its own, not the JSON list) */
const attendeeMatches = (like: string): Where =>
  k<boolean>`exists (select 1 from jsonb_array_elements_text(coalesce(${jsonField('attendees')}, '[]'::jsonb)) as a(name) where a.name ilike ${like})`

/** what the user typed, trimmed and capped; control characters (PostgreSQL refuses NUL) count as spaces */
export function normaliseQuery(raw: string | null | undefined): string {
  // capped by characters, not UTF-16 units, so no emoji is cut in half
  return [...(raw ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim()].slice(0, MAX_QUERY).join('')
}

/** an ILIKE pattern that matches the text anywhere, with the wildcards the user typed taken literally */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const workshopKinds: Record<WorkshopDoc['kind'], string> = { strategy: 'Strategy workshop', value_proposition: 'Value-proposition workshop' }
const fundKinds: Record<FundRequestDoc['kind'], string> = { mdf: 'MDF activity', coop: 'Co-op', cofunded_head: 'Co-funded head' }
const oneLine = (text: string, max = 140) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** partner organisations whose name matches, by name */
const partnersNamed = (like: string): DocList<'organisations'> => ({
  projection: 'organisations', where: eb.and([eb(field('kind'), '=', k.lit('partner')), eb(field('name'), 'ilike', like)]), orderBy: [[field('name')]],
})

const orderBy = (list: DocList) => k.join((list.orderBy ?? []).map(([by, direction]) => (direction ? k`${by} ${k.raw(direction)}` : by)))

export function createSearchQueries(sql: SqlExecutor) {
  const db = readModels(sql)

  /** the first PER_GROUP documents of a list and how many match in all (a window count: one scan of the matches) */
  async function find<P extends string>(list: DocList<P>): Promise<{ rows: DocOf<P>[]; total: number }> {
    const rows = await activeRowsOf(db, list.projection).where(list.where!)
      .select(['rm.state', k<number | string>`count(*) over ()`.as('total')])
      .orderBy(orderBy(list)).limit(k.lit(PER_GROUP)).execute()
    return { rows: rows.map((r) => r.state as DocOf<P>).filter((s) => s !== null), total: Number(rows[0]?.total ?? 0) }
  }

  const enablement = createEnablementQueries(sql)

  const partnerNames = (ids: string[]) => namesOf(sql, 'organisations', ids)

  const courseHit = (c: CourseDoc, href: string, status?: HitStatus): SearchHit => ({
    id: c.courseId, title: c.title, href, status,
    description: oneLine(`${c.certification ? `Certification: ${c.certification.name}. ` : ''}${c.description}`),
  })

  /** a deal matches by its customer, or by an item's SKU or product name (the SKU is what the channel desk asks by) */
  const dealMatches = (like: string): Where =>
    eb.or([
      eb(field('customerName'), 'ilike', like), eb(field('customerDomain'), 'ilike', like),
      k<boolean>`exists (select 1 from jsonb_array_elements(coalesce(${jsonField('items')}, '[]'::jsonb)) item where item->>'sku' ilike ${like} or item->>'name' ilike ${like})`,
    ])

  async function courses(like: string) {
    return find({ projection: 'courses', where: eb.or([eb(field('title'), 'ilike', like), eb(field('description'), 'ilike', like)]), orderBy: [[field('title')]] })
  }

  return {
    /** a partner user: own deals, own co-investment requests, own workshops, the assets the audience rules let them see, courses */
    async forPartner(partnerId: string, userId: string, nowIso: string, q: string): Promise<SearchGroup[]> {
      const like = containsPattern(q)
      const mine = eb(field('partnerId'), '=', partnerId)
      const [deals, funds, workshops, library, found, training] = await Promise.all([
        find({ projection: 'deals', where: eb.and([mine, dealMatches(like)]), orderBy: [[field('registeredAt'), 'desc']] }),
        find({ projection: 'fund-requests', where: eb.and([mine, eb(field('activity'), 'ilike', like)]), orderBy: [[field('requestedAt'), 'desc']] }),
        find({ projection: 'workshops', where: eb.and([mine, eb.or([eb(field('goal'), 'ilike', like), attendeeMatches(like)])]), orderBy: [[field('requestedAt'), 'desc']] }),
        // a query without words would not filter the library at all: then there is no asset to find
        toPrefixQuery(q) ? enablement.library(partnerId, nowIso, { q }) : { assets: [], matching: 0 },
        courses(like),
        doc(sql, 'training', partnerId),
      ])
      const enrolments = training?.learners[userId]?.courses ?? {}
      const courseStatus = (courseId: string): HitStatus | undefined => {
        const e = enrolments[courseId]
        if (!e) return undefined
        return e.status === 'Passed' ? { kind: 'plain', tone: 'green', label: 'Passed' } : e.status === 'Failed' ? { kind: 'plain', tone: 'red', label: 'Not passed' } : { kind: 'plain', tone: 'blue', label: 'Enrolled' }
      }
      return [
        {
          key: 'deals', label: 'Deals', total: deals.total,
          more: deals.total > PER_GROUP ? { href: '/partner/deals', label: 'All your deals' } : undefined,
          hits: deals.rows.map((d) => ({
            id: d.dealId, title: d.customerName, href: `/partner/deals/${d.dealId}`, status: { kind: 'deal', status: d.status },
            description: `${d.customerDomain} · ${formatMoney(d.value, d.currency)}${d.items.length ? ` · ${itemsSummary(d.items)}` : ''}`,
          })),
        },
        {
          key: 'assets', label: 'Library', total: library.matching,
          more: library.matching > PER_GROUP ? { href: `/partner/library?q=${encodeURIComponent(q)}`, label: 'See all in the library' } : undefined,
          hits: library.assets.slice(0, PER_GROUP).map((a) => ({
            id: a.assetId, title: a.title, href: `/partner/library/${a.assetId}`, description: oneLine(a.description),
            status: { kind: 'plain', tone: 'gray', label: a.audience === 'thru_partner' ? 'Thru-Partner' : 'To-Partner' },
          })),
        },
        {
          key: 'courses', label: 'Training', total: found.total,
          more: found.total > PER_GROUP ? { href: '/partner/training', label: 'All courses' } : undefined,
          hits: found.rows.map((c) => courseHit(c, `/partner/training/${c.courseId}`, courseStatus(c.courseId))),
        },
        {
          key: 'workshops', label: 'Workshops', total: workshops.total,
          more: workshops.total > PER_GROUP ? { href: '/partner/collaborate', label: 'All workshops' } : undefined,
          hits: workshops.rows.map((w) => ({
            id: w.workshopId, title: oneLine(w.goal, 90), href: `/partner/collaborate/workshops/${w.workshopId}`, status: { kind: 'workshop', status: w.status },
            description: `${workshopKinds[w.kind]}${w.date ? ` · ${w.date}` : ''}${w.attendees.length ? ` · ${w.attendees.join(', ')}` : ''}`,
          })),
        },
        {
          key: 'funds', label: 'Co-investment', total: funds.total,
          more: funds.total > PER_GROUP ? { href: '/partner/funds', label: 'All your requests' } : undefined,
          hits: funds.rows.map((r) => ({
            id: r.coInvestmentId, title: r.activity, href: `/partner/funds/${r.coInvestmentId}`, status: { kind: 'fund', status: r.status },
            description: `${fundKinds[r.kind]} · ${r.quarter} · ${formatMoney(r.amountRequested, r.currency)} requested`,
          })),
        },
      ]
    },

    /** the vendor's staff: deals of every partner, partners, co-investment requests, workshops, assets, courses */
    async forVendor(q: string): Promise<SearchGroup[]> {
      const like = containsPattern(q)
      const [deals, partners, funds, workshops, assets, found] = await Promise.all([
        find({ projection: 'deals', where: dealMatches(like), orderBy: [[k`(${field('status')} = 'Submitted')`, 'desc'], [field('registeredAt'), 'desc']] }),
        find(partnersNamed(like)),
        find({ projection: 'fund-requests', where: eb.and([k<boolean>`rm.state ? 'partnerId'`, eb(field('activity'), 'ilike', like)]), orderBy: [[field('requestedAt'), 'desc']] }),
        find({ projection: 'workshops', where: eb.or([eb(field('goal'), 'ilike', like), attendeeMatches(like)]), orderBy: [[field('requestedAt'), 'desc']] }),
        toPrefixQuery(q) ? enablement.findAssets({ q }, PER_GROUP) : { rows: [], total: 0 },
        courses(like),
      ])
      const partnerIds = [...deals.rows.map((d) => d.partnerId), ...funds.rows.map((r) => r.partnerId), ...workshops.rows.map((w) => w.partnerId)]
      const [names, journeys] = await Promise.all([
        partnerNames(partnerIds),
        Promise.all(partners.rows.map((p) => doc(sql, 'journey', p.organisationId))),
      ])
      const name = (id: string) => names[id] ?? id
      return [
        {
          key: 'deals', label: 'Deals', total: deals.total,
          hits: deals.rows.map((d) => ({
            id: d.dealId, title: d.customerName, status: { kind: 'deal', status: d.status },
            // a waiting deal is decided in the queue; any other one is part of the partner's story
            href: d.status === 'Submitted' ? '/vendor/deals' : `/vendor/partners/${d.partnerId}`,
            description: `${name(d.partnerId)} · ${d.customerDomain} · ${formatMoney(d.value, d.currency)}${d.items.length ? ` · ${itemsSummary(d.items)}` : ''}${d.conflict ? ' · conflict flagged' : ''}`,
          })),
        },
        {
          key: 'partners', label: 'Partners', total: partners.total,
          more: partners.total > PER_GROUP ? { href: '/vendor/partners', label: 'All partners' } : undefined,
          hits: partners.rows.map((p, i) => {
            const journey = journeys[i]
            return {
              id: p.organisationId, title: p.name, href: `/vendor/partners/${p.organisationId}`,
              description: journey ? `Journey: ${journey.phase}` : 'Partner organisation',
              status: journey ? { kind: 'plain', tone: 'blue', label: journey.phase } : undefined,
            } satisfies SearchHit
          }),
        },
        {
          key: 'funds', label: 'Co-investment requests', total: funds.total,
          more: funds.total > PER_GROUP ? { href: '/vendor/funds', label: 'All funds' } : undefined,
          hits: funds.rows.map((r) => ({
            id: r.coInvestmentId, title: r.activity, href: `/vendor/funds/${r.coInvestmentId}`, status: { kind: 'fund', status: r.status },
            description: `${name(r.partnerId)} · ${fundKinds[r.kind]} · ${r.quarter} · ${formatMoney(r.amountRequested, r.currency)} requested`,
          })),
        },
        {
          key: 'assets', label: 'Assets', total: assets.total,
          more: assets.total > PER_GROUP ? { href: '/vendor/enablement', label: 'All assets' } : undefined,
          hits: assets.rows.map((a) => ({
            id: a.assetId, title: a.title, href: `/vendor/enablement/assets/${a.assetId}`,
            // a retired asset says so; a published one carries its audience
            status: a.status === 'Retired' ? { kind: 'asset', status: a.status } : { kind: 'plain', tone: 'gray', label: a.audience === 'thru_partner' ? 'Thru-Partner' : 'To-Partner' },
            description: oneLine(a.description),
          })),
        },
        {
          key: 'courses', label: 'Courses', total: found.total,
          more: found.total > PER_GROUP ? { href: '/vendor/enablement', label: 'All courses' } : undefined,
          hits: found.rows.map((c) => courseHit(c, '/vendor/enablement', { kind: 'plain', tone: 'gray', label: `${c.enrolments} enrolled` })),
        },
        {
          key: 'workshops', label: 'Workshops', total: workshops.total,
          more: workshops.total > PER_GROUP ? { href: '/vendor/engagement', label: 'All workshops' } : undefined,
          hits: workshops.rows.map((w) => ({
            id: w.workshopId, title: oneLine(w.goal, 90), href: `/vendor/engagement/workshops/${w.workshopId}`, status: { kind: 'workshop', status: w.status },
            description: `${name(w.partnerId)} · ${workshopKinds[w.kind]}${w.date ? ` · ${w.date}` : ''}`,
          })),
        },
      ]
    },

    /** the auditor: partners, and event types with how many events of each (capped at the "as of" date when it is on) */
    async forAuditor(q: string, asOf: AsOf | null): Promise<SearchGroup[]> {
      const like = containsPattern(q)
      const until = asOf ? `${asOf.date}T23:59:59.999Z` : null
      // the "as of" clock: when the event happened or when it was recorded
      const clock = asOf?.clock === 'occurred' ? 'occurredAt' : 'recordedAt'
      const exactId = /^[0-9a-f-]{36}$/i.test(q) ? q.toLowerCase() : null
      const timeline = timelineQueriesOf(sql)
      const [partners, typeRows, event] = await Promise.all([
        find(partnersNamed(like)),
        timeline.typeCounts(like, until ? { clock, at: until } : null, PER_GROUP * 2),
        exactId ? timeline.byId(exactId) : null,
      ])
      const types = { rows: typeRows }
      const groups: SearchGroup[] = []
      const found = event
      if (found && (!until || found[clock] <= until)) {
        groups.push({ key: 'event', label: 'Event', total: 1, hits: [{ id: found.eventId, title: found.type, href: `/audit/events/${found.eventId}`, description: `Occurred ${found.occurredAt}` }] })
      }
      groups.push(
        {
          key: 'partners', label: 'Partners', total: partners.total,
          more: partners.total > PER_GROUP ? { href: '/audit/partners', label: 'All partners' } : undefined,
          hits: partners.rows.map((p) => ({ id: p.organisationId, title: p.name, href: `/audit/partners/${p.organisationId}`, description: 'Partner organisation: journey, trust, ledger and timeline' })),
        },
        {
          key: 'events', label: 'Event types', total: Number(types.rows[0]?.total ?? 0),
          hits: types.rows.map((t) => ({
            id: t.type, title: t.type, href: `/audit?type=${encodeURIComponent(t.type)}`,
            description: `${countOf(Number(t.n), 'event')} of this type${until ? ` up to ${asOf!.date}` : ''}, newest recorded first on the timeline`,
            status: { kind: 'plain', tone: 'gray', label: formatCount(Number(t.n)) },
          })),
        },
      )
      return groups
    },
  }
}
export type SearchQueries = ReturnType<typeof createSearchQueries>
