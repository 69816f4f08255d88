// The insight read models as pages need them: journey, trust, scorecard, pyramid and lifetime value per partner and
// across the program. Group-wide figures (ranks, normalisation) are computed once per read-model change and day.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import {
  isPartnerDoc, journeyFunnel, journeyNow, lifetimeValue, programPyramid, programSummary, pyramidNow, scorecards, SETTINGS_KEY,
  trustBreakdown, trustSeries, type ScorecardRow, type SettingsDoc,
} from '../../projections/insights/index.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import type { LifetimeValueDoc } from '../../projections/lifetime-value.ts'
import type { ProgramQuarterDoc } from '../../projections/program.ts'
import type { PyramidDoc } from '../../projections/pyramid.ts'
import type { ScorecardDoc } from '../../projections/scorecard.ts'
import type { TrustDoc } from '../../projections/trust.ts'
import { sql as q } from 'kysely'
import { doc, docSets, eb, everyDoc, key, mergeLogs, name, readModels, type DocSet, type LogRequest, type LogRow, type Projection, type SetsAnswer } from './read-models.server.ts'

const NOT_SETTINGS = eb(key, '<>', q.lit(SETTINGS_KEY))
/** the projections the program figures are computed from */
const INSIGHTS = ['journey', 'trust', 'scorecard', 'pyramid', 'lifetime_value', 'program'] as const

/** The trust chart's points and the drops and gallons listed, on a partner's pages. */
const TRUST_POINTS = 60
const TRUST_LATEST = 8

export type InsightDocs = {
  settings: SettingsDoc | null
  journey: JourneyDoc[]
  trust: TrustDoc[]
  scorecard: ScorecardDoc[]
  pyramid: PyramidDoc[]
  lifetime: LifetimeValueDoc[]
  program: ProgramQuarterDoc[]
}

/** Everything the insight pages compute from, for any set of documents (live rows, or folded "as of" a date). */
function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function groupMedians(rows: readonly ScorecardRow[]): Record<string, number | null> {
  const keys = Object.keys(rows[0]?.scores ?? {}) as (keyof ScorecardRow['scores'])[]
  return Object.fromEntries(keys.map((c) => [c, median(rows.map((r) => r.scores[c]))]))
}

export function insightsFrom(d: InsightDocs, now: string) {
  const cards = scorecards(d.scorecard.filter(isPartnerDoc), now, d.settings)
  const cardOf = new Map(cards.map((c) => [c.partnerId, c]))
  const trustOf = new Map(d.trust.filter(isPartnerDoc).map((t) => [t.partnerId, t]))
  const pyramidOf = new Map(d.pyramid.filter(isPartnerDoc).map((p) => [p.partnerId, p]))
  const lifetimeOf = new Map(d.lifetime.filter(isPartnerDoc).map((l) => [l.partnerId, l]))
  const journeys = d.journey.filter(isPartnerDoc)
  const journeyOf = new Map(journeys.map((j) => [j.partnerId, j]))
  // the group's median of each C, computed once per group for these documents
  const mediansByGroup = new Map<string, Record<string, number | null>>()
  function mediansOf(group: string) {
    let medians = mediansByGroup.get(group)
    if (!medians) mediansByGroup.set(group, (medians = groupMedians(cards.filter((c) => c.group === group))))
    return medians
  }

  function partner(partnerId: string) {
    const journey = journeyOf.get(partnerId)
    if (!journey) return null
    const trust = trustOf.get(partnerId) ?? null
    const pyramid = pyramidOf.get(partnerId)
    const lifetime = lifetimeOf.get(partnerId)
    const card = cardOf.get(partnerId) ?? null
    return {
      partnerId,
      company: journey.facts.company,
      tier: journey.facts.tier,
      partnerType: journey.facts.partnerType,
      status: journey.facts.status,
      channelManagerId: journey.facts.channelManagerId,
      lastActivityAt: journey.facts.lastActivityAt,
      journey: journeyNow(journey, now, d.settings),
      // the chart shows the last 60 changes: enough for the story, a small page
      trust: trust ? { ...trustBreakdown(trust, TRUST_LATEST), series: trustSeries(trust, d.settings).slice(-TRUST_POINTS) } : null,
      scorecard: card,
      /** the group's median of each C, for the scorecard's comparison ticks */
      groupMedians: card ? mediansOf(card.group) : null,
      pyramid: pyramid ? pyramidNow(pyramid, now, d.settings) : null,
      lifetime: lifetime ? lifetimeValue(lifetime, now, d.settings, trust?.value) : null,
    }
  }

  function table() {
    return journeys
      .map((j) => partner(j.partnerId)!)
      .map((p) => ({
        partnerId: p.partnerId, company: p.company ?? p.partnerId, tier: p.tier, partnerType: p.partnerType, status: p.status,
        phase: p.journey.phase, stage: p.pyramid?.stage ?? null, composite: p.scorecard?.composite ?? null,
        rank: p.scorecard?.rank ?? null, groupSize: p.scorecard?.groupSize ?? null, trend: p.scorecard?.trend ?? null,
        trust: p.trust?.value ?? null, lifetimeValue: p.lifetime?.value ?? null, lastActivityAt: p.lastActivityAt,
      }))
  }

  function program() {
    return {
      summary: programSummary({ journey: journeys, pyramid: d.pyramid.filter(isPartnerDoc), program: d.program.filter((q) => q && typeof q === 'object' && 'quarter' in q) }, now, d.settings),
      funnel: journeyFunnel(journeys, now, d.settings),
      pyramid: programPyramid(d.pyramid.filter(isPartnerDoc), now, d.settings),
    }
  }

  return { partner, table, program, scorecards: cards, mediansOf, cardOf: (partnerId: string) => cardOf.get(partnerId) ?? null }
}
export type PartnerInsight = NonNullable<ReturnType<ReturnType<typeof insightsFrom>['partner']>>
export type PartnerRow = ReturnType<ReturnType<typeof insightsFrom>['table']>[number]
export type { ScorecardRow }

/** How often program-wide figures (ranks, funnel, pyramid) are recomputed at most while events keep arriving. */
const REFRESH_MS = 10_000

export function createInsightQueries(sql: SqlExecutor) {
  let cached: { key: string; day: string; at: number; docs: InsightDocs; value: ReturnType<typeof insightsFrom> } | null = null
  let refreshing: Promise<void> | null = null

  async function load(): Promise<InsightDocs> {
    const [settings, journey, trust, scorecard, pyramid, lifetime, program] = await Promise.all([
      doc<'journey', SettingsDoc>(sql, 'journey', SETTINGS_KEY),
      everyDoc(sql, { projection: 'journey', where: NOT_SETTINGS }),
      everyDoc(sql, { projection: 'trust', where: NOT_SETTINGS }),
      everyDoc(sql, { projection: 'scorecard', where: NOT_SETTINGS }),
      everyDoc(sql, { projection: 'pyramid', where: NOT_SETTINGS }),
      everyDoc(sql, { projection: 'lifetime_value', where: NOT_SETTINGS }),
      everyDoc(sql, { projection: 'program', where: NOT_SETTINGS }),
    ])
    return { settings, journey, trust, scorecard, pyramid, lifetime, program }
  }

  async function versionKey() {
    const row = await readModels(sql).selectFrom('projection_checkpoints as c')
      .where('c.status', '=', q.lit('active')).where('c.projection', 'in', INSIGHTS.map((projection) => name(projection)))
      .select(q<string>`coalesce(string_agg(c.projection || ':' || c.version || ':' || c.position_commit || ':' || c.position_prepare, ',' order by c.projection), '')`.as('key'))
      .executeTakeFirst()
    return row?.key ?? ''
  }

  // how long the last computation took: a big program refreshes less often, so that refreshing never takes more than
  // about 1/REFRESH_SHARE of the process's time
  let lastComputeMs = 0
  const REFRESH_SHARE = 20

  // how many times the figures were computed: a page that shows them is as new as this (the view cache's state)
  let computed = 0

  async function compute(now: string, key: string) {
    const started = Date.now()
    const docs = await load()
    cached = { key, day: now.slice(0, 10), at: Date.now(), docs, value: insightsFrom(docs, now) }
    computed++
    lastComputeMs = Date.now() - started
  }

  // the first computation of a day is awaited by the requests that need it: all of them wait for the same one
  let firstOfDay: { day: string; done: Promise<void> } | null = null

  /**
   * Program-wide insights (rows, ranks, funnel, pyramid), recomputed at most every REFRESH_MS when the read models moved;
   * meanwhile the previous figures are served while a refresh runs in the background.
   */
  async function current(now: string) {
    const day = now.slice(0, 10)
    if (!cached || cached.day !== day) {
      if (firstOfDay?.day !== day) {
        const done = (async () => compute(now, await versionKey()))()
        firstOfDay = { day, done }
        done.catch(() => {
          if (firstOfDay?.done === done) firstOfDay = null // the next request tries again
        })
      }
      await firstOfDay.done
    } else if (Date.now() - cached.at >= Math.max(REFRESH_MS, REFRESH_SHARE * lastComputeMs) && !refreshing) {
      // the figures are at least REFRESH_MS old: look whether the read models moved (one query per REFRESH_MS, not
      // per request), and recompute in the background if they did
      const stale = cached
      refreshing = versionKey()
        .then((key) => {
          if (key === stale.key) stale.at = Date.now()
          else return compute(now, key)
        })
        .catch((error: unknown) => console.error('Refreshing the program insights failed:', error))
        .finally(() => { refreshing = null })
    }
    return cached!.value
  }

  /** One partner's insights from its own documents read now (read-your-writes); group ranks from the program figures. */
  async function partner(partnerId: string, now: string, options: PartnerOptions = {}) {
    return (await partnerWith(partnerId, now, options, {})).insight
  }

  /**
   * What a page needs of a partner's insights (journey history in full or latest, lifetime value or not): each partner
   * document repeats the partner's facts, so a page reads only those it shows.
   */
  type PartnerOptions = { journeyHistory?: 'all' | 'last'; lifetime?: boolean }

  /** partner(), with the page's other questions (`alongside`, see docSets) asked in the same round trip */
  async function partnerWith<const S extends Record<string, DocSet>>(partnerId: string, now: string, options: PartnerOptions, alongside: S) {
    await current(now)
    const wanted: [Projection, string][] = [['journey', SETTINGS_KEY], ['journey', partnerId], ['trust', partnerId]]
    if (options.lifetime !== false) wanted.push(['lifetime_value', partnerId])
    const trustLog = (extra: Partial<LogRequest>): { log: LogRequest } => ({ log: { projection: 'trust', key: partnerId, field: 'history', ...extra } })
    // one round trip for the partner's six documents, the history rows its pages show and the caller's questions
    const found = await docSets(sql, {
      ...alongside,
      $docs: { keys: wanted },
      // the pyramid's facts are the journey's (both fold the same events with the same settings: partnerProjection)
      $pyramid: { keys: [['pyramid', partnerId]], omit: ['facts'] },
      $journey: { log: { projection: 'journey', key: partnerId, field: 'history', ...(options.journeyHistory === 'last' ? { limit: 1 } : {}) } },
      // the chart needs when and how much; the drops and gallons it lists come whole below (mergeLogs keeps those)
      $trust: trustLog({ limit: TRUST_POINTS, pick: ['at', 'value'] }),
      $drops: trustLog({ limit: TRUST_LATEST, match: { kind: 'drop' } }),
      $gallons: trustLog({ limit: TRUST_LATEST, match: { kind: 'gallon' } }),
    })
    return { insight: partnerFrom(partnerId, now, found), sets: found as SetsAnswer<S> }
  }

  type Found = Pick<SetsAnswer<object>, 'doc'> & { $journey: LogRow[]; $trust: LogRow[]; $drops: LogRow[]; $gallons: LogRow[] }

  function partnerFrom(partnerId: string, now: string, found: Found) {
    const get = found.doc
    const settings = get<'journey', SettingsDoc>('journey', SETTINGS_KEY)
    const stored = get('journey', partnerId)
    const journey = stored ? { ...stored, history: mergeLogs(found.$journey) as JourneyDoc['history'] } : null
    const storedTrust = get('trust', partnerId)
    // the newest changes and the newest drops and gallons: what trustSeries(...).slice(-60) and trustBreakdown(_, 8) read
    const trust = storedTrust ? { ...storedTrust, history: mergeLogs(found.$trust, found.$drops, found.$gallons) as TrustDoc['history'] } : null
    const storedPyramid = get<'pyramid', Omit<PyramidDoc, 'facts'>>('pyramid', partnerId)
    const pyramid = storedPyramid && journey ? { ...storedPyramid, facts: journey.facts } : null
    const lifetime = get('lifetime_value', partnerId)
    if (!journey) return null
    // ranks and group medians come from the program figures: recomputing the whole group per page view is too slow
    const program = cached!.value
    const card = program.cardOf(partnerId)
    const one = <T>(d: T | null) => (d ? [d] : [])
    const fresh = insightsFrom(
      { settings, journey: [journey], trust: one(trust), scorecard: [], pyramid: one(pyramid), lifetime: one(lifetime), program: [] },
      now,
    ).partner(partnerId)
    if (!fresh) return null
    return { ...fresh, scorecard: card, groupMedians: card ? program.mediansOf(card.group) : null }
  }

  return { load, current, partner, partnerWith, generation: () => computed }
}
export type InsightQueries = ReturnType<typeof createInsightQueries>
