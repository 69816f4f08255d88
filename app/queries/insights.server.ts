// The insight read models as pages need them: journey, trust, scorecard, pyramid and lifetime value per partner and
// across the program. Group-wide figures (ranks, normalisation) are computed once per read-model change and day, from
// the documents kept in memory and refreshed by the rows that changed, so every page shows the same figures.
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import {
  isPartnerDoc, journeyFunnel, journeyNow, lifetimeValue, programPyramid, programSummary, pyramidNow, scorecards, SETTINGS_KEY,
  trustBreakdown, trustSeries, type ScorecardRow, type SettingsDoc,
} from '../../projections/insights/index.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import type { LifetimeValueDoc } from '../../projections/lifetime-value.ts'
import type { ProgramQuarterDoc } from '../../projections/program.ts'
import { pyramidDocOf, type PyramidDoc } from '../../projections/pyramid.ts'
import type { ScorecardDoc } from '../../projections/scorecard.ts'
import type { TrustDoc } from '../../projections/trust.ts'
import type { OrganisationDoc } from '../../projections/users.ts'
import { sql as q } from 'kysely'
import { docSets, mergeLogs, name, readModels, type DocOf, type DocSet, type LogRequest, type LogRow, type SetsAnswer } from './read-models.server.ts'

/**
 * the projections the program figures are computed from (the journey's documents hold the pyramid stage and the facts
 * scorecard and lifetime value are read from, decision 026); organisations name the partners (as the header does)
 */
const INSIGHTS = ['journey', 'trust', 'program', 'organisations'] as const
type InsightProjection = (typeof INSIGHTS)[number]
/**
 * held with them for the partner's pages, not part of the program figures (a change of theirs computes nothing, decision
 * 037): the fund settings, whose program settings document (3.7 KB) the tier card would otherwise read and parse on
 * every view, and the survey rounds (a few a quarter), whose open ones every dashboard lists unless answered.
 */
const HELD = [...INSIGHTS, 'fund-settings', 'survey_rounds'] as const
const inInsights = (projection: string) => (INSIGHTS as readonly string[]).includes(projection)

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
  /** each partner's name as its organisation reads now (its display name once set), by partner id */
  names?: ReadonlyMap<string, string>
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
      // one name everywhere: the organisation's (the header's), else the name it applied with
      company: d.names?.get(partnerId) ?? journey.facts.company,
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
    const pyramid = programPyramid(d.pyramid.filter(isPartnerDoc), now, d.settings)
    const named = <T extends { partnerId: string; company: string | null }>(p: T): T => ({ ...p, company: d.names?.get(p.partnerId) ?? p.company })
    return {
      summary: programSummary({ journey: journeys, pyramid: d.pyramid.filter(isPartnerDoc), program: d.program.filter((q) => q && typeof q === 'object' && 'quarter' in q) }, now, d.settings),
      funnel: journeyFunnel(journeys, now, d.settings),
      pyramid: { ...pyramid, mismatched: pyramid.mismatched.map(named) },
    }
  }

  return { partner, table, program, scorecards: cards, mediansOf, cardOf: (partnerId: string) => cardOf.get(partnerId) ?? null }
}
export type PartnerInsight = NonNullable<ReturnType<ReturnType<typeof insightsFrom>['partner']>>
export type PartnerRow = ReturnType<ReturnType<typeof insightsFrom>['table']>[number]
export type { ScorecardRow }

/** A projection's documents as last read, and the checkpoint they are as of. */
type Held = { version: number; commit: string; prepare: string; docs: Map<string, unknown> }
type Checkpoint = { projection: string; version: number; commit: string; prepare: string }

/** rows read per query when a projection is read whole */
const PAGE = 1000

export function createInsightQueries(sql: SqlExecutor) {
  const db = readModels(sql)
  const held = new Map<string, Held>()
  // key: the program figures' projections' checkpoints; heldKey: every held projection's (HELD)
  let cached: { key: string; heldKey: string; day: string; value: ReturnType<typeof insightsFrom> } | null = null
  // one refresh at a time, and at most one waiting behind it
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null
  // how many times the figures were computed: a page that shows them is as new as this (the view cache's state)
  let computed = 0
  // a request's read-model state (every active checkpoint, as auth's user lookup reads it) seen when the figures were
  // as new as that state: a later request with the same state needs no look at the checkpoints (they only move forward)
  let seen: { readModels: string; key: string } | null = null

  async function checkpoints(): Promise<Checkpoint[]> {
    return db.selectFrom('projection_checkpoints as c')
      .where('c.status', '=', q.lit('active')).where('c.projection', 'in', HELD.map((projection) => name(projection)))
      .select(['c.projection', 'c.version', q<string>`c.position_commit::text`.as('commit'), q<string>`c.position_prepare::text`.as('prepare')])
      .orderBy('c.projection').execute()
  }
  const keyOf = (points: Checkpoint[]) => points.map((c) => `${c.projection}:${c.version}:${c.commit}:${c.prepare}`).join(',')

  /** the rows of a projection's version written after `since` (all of them without it), by key */
  async function rowsSince(projection: string, version: number, since: Held | null, into: Map<string, unknown>) {
    let after = ''
    for (;;) {
      let query = db.selectFrom('read_models as rm').select(['rm.key', 'rm.state'])
        .where('rm.projection', '=', name(projection)).where('rm.version', '=', version).where('rm.key', '>', after)
      if (since) query = query.where(q<boolean>`(rm.position_commit, rm.position_prepare) > (${since.commit}::numeric, ${since.prepare}::bigint)`)
      const rows = await query.orderBy('rm.key').limit(q.lit(PAGE)).execute()
      for (const row of rows) into.set(row.key, row.state)
      if (rows.length < PAGE) return
      after = rows.at(-1)!.key
    }
  }

  /** Brings the held documents to `points`: a projection that moved gives the rows written since, a new version all. */
  async function catchUp(points: Checkpoint[]) {
    await Promise.all(points.map(async (point) => {
      const before = held.get(point.projection) ?? null
      if (before && before.version === point.version && before.commit === point.commit && before.prepare === point.prepare) return
      const same = before?.version === point.version ? before : null
      const docs = same ? new Map(same.docs) : new Map<string, unknown>()
      await rowsSince(point.projection, point.version, same, docs)
      held.set(point.projection, { version: point.version, commit: point.commit, prepare: point.prepare, docs })
    }))
    for (const projection of held.keys()) if (!points.some((p) => p.projection === projection)) held.delete(projection)
  }

  function docsHeld(): InsightDocs {
    const of = <T>(projection: InsightProjection) =>
      [...(held.get(projection)?.docs ?? new Map<string, unknown>()).entries()].filter(([k, d]) => k !== SETTINGS_KEY && d !== null).map(([, d]) => d as T)
    const names = new Map(of<OrganisationDoc>('organisations').filter((o) => o.kind === 'partner').map((o) => [o.organisationId, o.name]))
    const journey = of<JourneyDoc>('journey')
    return {
      settings: (held.get('journey')?.docs.get(SETTINGS_KEY) as SettingsDoc | undefined) ?? null,
      journey, trust: of('trust'), scorecard: journey, pyramid: journey.map(pyramidDocOf), lifetime: journey, program: of('program'),
      names,
    }
  }

  async function refresh(now: string) {
    const points = await checkpoints()
    const heldKey = keyOf(points)
    const key = keyOf(points.filter((p) => inInsights(p.projection)))
    const day = now.slice(0, 10)
    if (cached && cached.heldKey === heldKey && cached.day === day) return
    await catchUp(points)
    // only the documents held for the partner's pages moved: the figures stand
    cached = cached && cached.key === key && cached.day === day ? { ...cached, heldKey } : { key, heldKey, day, value: insightsFrom(docsHeld(), now) }
    computed++
  }

  /**
   * Program-wide insights (rows, ranks, funnel, pyramid) as the read models are now: every page computes a partner's
   * figures from the same documents, so the list, a partner's page and its dashboard agree. Only rows written since the
   * last computation are read again.
   */
  async function current(now: string, readModels?: string) {
    if (readModels && cached && seen?.readModels === readModels && seen.key === cached.heldKey && cached.day === now.slice(0, 10)) return cached.value
    await refreshed(now)
    // every refresh awaited here started after the caller read its state: the figures are at least that new
    if (readModels) seen = { readModels, key: cached!.heldKey }
    return cached!.value
  }

  async function refreshed(now: string) {
    if (!running) await (running = refresh(now).finally(() => { running = null }))
    else {
      // the refresh under way may have looked before this request's read models moved: the next one, shared by
      // every request that arrives meanwhile, looks after
      next ??= running.catch(() => undefined).then(() => {
        next = null
        return (running ??= refresh(now).finally(() => { running = null }))
      })
      await next
    }
  }

  /** One partner's insights from its own documents read now (read-your-writes); group ranks from the program figures. */
  async function partner(partnerId: string, now: string, options: PartnerOptions = {}) {
    return (await partnerWith(partnerId, now, options, {})).insight
  }

  /**
   * What a page needs of a partner's insights (journey history in full or latest, lifetime value or not).
   */
  type PartnerOptions = {
    journeyHistory?: 'all' | 'last'; lifetime?: boolean
    /** the request's read-model state (readModelsState in auth.server.ts): the program figures are not looked up again while it holds */
    readModels?: string | null
  }

  /**
   * partner(), with the page's other questions (`alongside`, see docSets) asked in the same round trip. The partner's
   * journey, trust and organisation documents and the settings come from the documents held for the program figures:
   * current() has just brought them at least to the request's read-model state, so they are as new as a read (15 KB of
   * JSON per view less to build, send and parse, decision 032); answer.doc() finds them too, and the fund settings'
   * documents (HELD), which `alongside` then need not ask for (tierProgressHeldSets, decision 037).
   */
  async function partnerWith<const S extends Record<string, DocSet>>(partnerId: string, now: string, options: PartnerOptions, alongside: S) {
    await current(now, options.readModels ?? undefined)
    const trustLog = (extra: Partial<LogRequest>): { log: LogRequest } => ({ log: { projection: 'trust', key: partnerId, field: 'history', ...extra } })
    // one round trip for the history rows its pages show and the caller's questions
    const asked = await docSets(sql, {
      ...alongside,
      $journey: { log: { projection: 'journey', key: partnerId, field: 'history', ...(options.journeyHistory === 'last' ? { limit: 1 } : {}) } },
      // the chart needs when and how much; the drops and gallons it lists come whole below (mergeLogs keeps those)
      $trust: trustLog({ limit: TRUST_POINTS, pick: ['at', 'value'] }),
      $drops: trustLog({ limit: TRUST_LATEST, match: { kind: 'drop' } }),
      $gallons: trustLog({ limit: TRUST_LATEST, match: { kind: 'gallon' } }),
    })
    const docOf = asked.doc
    const found = Object.assign(asked, {
      doc: <P extends string, T>(projection: P, key: string) => (docOf<P, T>(projection, key) ?? heldDoc<T>(projection, key)),
    })
    return { insight: partnerFrom(partnerId, now, found, options.lifetime !== false), sets: found as unknown as SetsAnswer<S> }
  }

  /** a document held for the program figures or the partner's pages (HELD's projections), as of the last refresh */
  function heldDoc<T>(projection: string, key: string): T | null {
    return ((held.get(projection)?.docs.get(key) ?? null) as T | null)
  }

  /** every document held of one of HELD's projections, as of the last refresh (partnerWith or current brings them up) */
  function heldDocs<P extends (typeof HELD)[number]>(projection: P): Iterable<DocOf<P> | null> {
    return (held.get(projection)?.docs.values() ?? []) as Iterable<DocOf<P> | null>
  }

  type Found = Pick<SetsAnswer<object>, 'doc'> & { $journey: LogRow[]; $trust: LogRow[]; $drops: LogRow[]; $gallons: LogRow[] }

  function partnerFrom(partnerId: string, now: string, found: Found, withLifetime: boolean) {
    const get = found.doc
    const settings = get<'journey', SettingsDoc>('journey', SETTINGS_KEY)
    const stored = get('journey', partnerId)
    const journey = stored ? { ...stored, history: mergeLogs(found.$journey) as JourneyDoc['history'] } : null
    const storedTrust = get('trust', partnerId)
    // the newest changes and the newest drops and gallons: what trustSeries(...).slice(-60) and trustBreakdown(_, 8) read
    const trust = storedTrust ? { ...storedTrust, history: mergeLogs(found.$trust, found.$drops, found.$gallons) as TrustDoc['history'] } : null
    const organisation = get('organisations', partnerId)
    if (!journey) return null
    // the pyramid's stage and the facts lifetime value reads are the journey document's (decision 026)
    const pyramid = pyramidDocOf(journey)
    const lifetime = withLifetime ? journey : null
    // ranks and group medians come from the program figures: recomputing the whole group per page view is too slow
    const program = cached!.value
    const card = program.cardOf(partnerId)
    const one = <T>(d: T | null) => (d ? [d] : [])
    const fresh = insightsFrom(
      { settings, journey: [journey], trust: one(trust), scorecard: [], pyramid: [pyramid], lifetime: one(lifetime), program: [], names: new Map(organisation ? [[partnerId, organisation.name]] : []) },
      now,
    ).partner(partnerId)
    if (!fresh) return null
    return { ...fresh, scorecard: card, groupMedians: card ? program.mediansOf(card.group) : null }
  }

  return { current, partner, partnerWith, heldDocs, generation: () => computed }
}
export type InsightQueries = ReturnType<typeof createInsightQueries>
