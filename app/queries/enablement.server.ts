// The read side of enablement: the assets a partner may see today (full-text search, filters, audience rules), usage,
// courses and certifications. Every asset a partner reaches goes through `assetForPartner`, which applies the audience check.
import type { ProgramSettings } from '../../domain/settings/defaults.ts'
import { settingsInForce } from '../../domain/settings/settings.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { ASSET_TSVECTOR, audienceCheck, zeroUse, type AssetDoc, type AudienceFacts, type EnablementPartnerDoc, type UseCounts } from '../../projections/assets.ts'
import type { JourneyDoc } from '../../projections/journey.ts'
import { validCertifications, type PartnerTrainingDoc } from '../../projections/training.ts'
import type { PageRequest } from '../paging.ts'
import { sql as q } from 'kysely'
import { activeRowsOf, doc, docSets, eb, everyDoc, field, firstOf, KEY_ORDER, pageOf, readModels, type DocList, type Sort, type Where } from './read-models.server.ts'

/**
 * The most assets a library search lists: more than anyone reads, few enough to send. The page says when a search
 * matches more, and how many; its totals and filter choices count every asset.
 */
export const LIBRARY_SHOWN = 500

/** the fields of an asset that say who may see it and which filter choices it offers: a whole library of them is small */
const AUDIENCE_FIELDS = ['assetId', 'status', 'audienceRules', 'assetType', 'product', 'language'] as const
/** what a library card shows and the audience check reads: not its file, versions or usage counts */
const LISTED_FIELDS = [
  'assetId', 'title', 'description', 'assetType', 'audience', 'product', 'language', 'updatedAt', 'coBrandable', 'version', 'tags', 'status', 'audienceRules',
] as const

export type LibraryFilter = { q?: string; audience?: 'to_partner' | 'thru_partner'; assetType?: string; product?: string; language?: string }

/** a prefix query from what the user typed: every word must match the start of a word (ransom -> ransomware) */
export function toPrefixQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  const unique = [...new Set(words)].slice(0, 8)
  return unique.length ? unique.map((w) => `${w}:*`).join(' & ') : null
}

const USE_KEYS = Object.keys(zeroUse()) as (keyof UseCounts)[]

type SettingsDoc = { changes: { effectiveFrom: string; settings: ProgramSettings }[] }

/** the assets' full-text document, as the assets_fts index is made (on the rows `rm`) */
const ASSET_VECTOR = q.raw(ASSET_TSVECTOR.replaceAll('state->>', 'rm.state->>'))

export function createEnablementQueries(sql: SqlExecutor) {
  const db = readModels(sql)
  function ranksFrom(history: SettingsDoc | null, nowIso: string): Record<string, number> {
    const settings = settingsInForce({ status: history?.changes.length ? 'Changed' : 'Defaults', changes: (history?.changes ?? []).map((c) => ({ effectiveFrom: c.effectiveFrom, settings: c.settings })) }, nowIso)
    return Object.fromEntries(settings.tiers.map((t) => [t.name.toLowerCase(), t.rank]))
  }

  async function tierRanks(nowIso: string): Promise<Record<string, number>> {
    return ranksFrom(await doc(sql, 'program-settings', 'program').catch(() => null), nowIso)
  }

  function factsFrom(partner: EnablementPartnerDoc | null, journey: JourneyDoc | null, training: PartnerTrainingDoc | null, nowIso: string): AudienceFacts & { partner: EnablementPartnerDoc | null } {
    return {
      partner,
      approved: partner?.approved ?? false,
      tier: partner?.tier ?? null,
      phase: journey?.phase ?? null,
      geographies: partner?.geographies ?? [],
      certifications: validCertifications(training, nowIso.slice(0, 10)),
    }
  }

  async function audienceFacts(partnerId: string, nowIso: string): Promise<AudienceFacts & { partner: EnablementPartnerDoc | null }> {
    const [partner, journey, training] = await Promise.all([
      doc(sql, 'enablement_partners', partnerId),
      doc(sql, 'journey', partnerId),
      doc(sql, 'training', partnerId),
    ])
    return factsFrom(partner, journey, training, nowIso)
  }

  /** the search as a DocList, so that it can travel with other questions */
  function assetQuery(filter: LibraryFilter, publishedOnly: boolean): DocList<'assets'> {
    const where: Where[] = [eb(field('kind'), '=', q.lit('asset'))]
    if (publishedOnly) where.push(eb(field('status'), '=', q.lit('Published')))
    if (filter.audience) where.push(eb(field('audience'), '=', filter.audience))
    if (filter.assetType) where.push(eb(field('assetType'), '=', filter.assetType))
    if (filter.product) where.push(eb(field('product'), '=', filter.product))
    if (filter.language) where.push(eb(field('language'), '=', filter.language))
    const query = filter.q ? toPrefixQuery(filter.q) : null
    const orderBy: Sort[] = [[field('updatedAt'), 'desc']]
    if (query) {
      where.push(q<boolean>`${ASSET_VECTOR} @@ to_tsquery('english', ${query})`)
      orderBy.unshift([q`ts_rank(${ASSET_VECTOR}, to_tsquery('english', ${query}))`, 'desc'])
    }
    return { projection: 'assets', where: eb.and(where), orderBy }
  }

  return {
    tierRanks,
    audienceFacts,
    /** the assets this partner may see today, after search and filters */
    /** also answers the partner's asset usage and enablement profile (co-branding): a library page's one round trip */
    async library(partnerId: string, nowIso: string, filter: LibraryFilter = {}) {
      // only what the library shows: not the journey's facts, nor an asset's file, versions and usage counts
      const filtered = Boolean(filter.q || filter.audience || filter.assetType || filter.product || filter.language)
      // one round trip: the first matches to list, and of every published asset (and every match) only what the
      // audience check and the filter choices need, so that the totals count them all
      const sets = await docSets(sql, {
        docs: { keys: [['enablement_partners', partnerId], ['training', partnerId], ['program-settings', 'program'], ['asset_usage', partnerId]] },
        journey: { keys: [['journey', partnerId]], omit: ['facts'] },
        found: { ...assetQuery(filter, true), limit: LIBRARY_SHOWN, pick: LISTED_FIELDS },
        // counted, not listed: in key order (no rank to compute, nothing to sort by date)
        all: { ...assetQuery({}, true), orderBy: KEY_ORDER, limit: 'all', pick: AUDIENCE_FIELDS },
        ...(filtered ? { matching: { ...assetQuery(filter, true), orderBy: KEY_ORDER, limit: 'all', pick: ['assetId'] } } : {}),
      })
      const facts = factsFrom(sets.doc('enablement_partners', partnerId), sets.doc('journey', partnerId), sets.doc('training', partnerId), nowIso)
      const ranks = ranksFrom(sets.doc('program-settings', 'program'), nowIso)
      const visible = <A extends Pick<AssetDoc, 'status' | 'audienceRules'>>(assets: A[]) => assets.filter((a) => audienceCheck(a, facts, ranks).ok)
      const everything = visible(sets.all)
      const seen = new Set(everything.map((a) => a.assetId))
      const matching = sets.matching ? sets.matching.filter((a) => seen.has(a.assetId)).length : everything.length
      const assets = visible(sets.found)
      return {
        facts,
        /** the first matches this partner may see (at most LIBRARY_SHOWN matches are read) */
        assets,
        /** how many assets this partner may see match the search and filters, however many */
        matching,
        // filter choices come from what this partner may see, so they never reveal hidden assets
        choices: {
          assetTypes: [...new Set(everything.map((a) => a.assetType))].sort(),
          products: [...new Set(everything.map((a) => a.product).filter((p): p is string => Boolean(p)))].sort(),
          languages: [...new Set(everything.map((a) => a.language))].sort(),
        },
        /** how many assets this partner may see, however many */
        total: everything.length,
        usage: sets.doc('asset_usage', partnerId),
      }
    },
    /** one asset, or null when it does not exist, is retired, or is outside this partner's audience today */
    async assetForPartner(partnerId: string, assetId: string, nowIso: string) {
      const asset = await doc(sql, 'assets', assetId)
      if (!asset || asset.kind !== 'asset') return null
      const [facts, ranks] = await Promise.all([audienceFacts(partnerId, nowIso), tierRanks(nowIso)])
      return audienceCheck(asset, facts, ranks).ok ? { asset, facts } : null
    },
    usageOf: (partnerId: string) => doc(sql, 'asset_usage', partnerId),
    assetById: async (assetId: string) => {
      const asset = await doc(sql, 'assets', assetId)
      return asset && asset.kind === 'asset' ? asset : null
    },
    /** the first `limit` assets, published or retired, that match a search, best match first, and how many match */
    findAssets: (filter: LibraryFilter, limit: number) => firstOf(sql, assetQuery(filter, false), { limit }),
    /** a page of every asset, published or retired, last updated first, and how many there are */
    allAssets: (page?: PageRequest) => pageOf(sql, assetQuery({}, false), page),
    /** the partners' use of every asset added up by tier (a tier no asset was used in is absent), however many assets */
    async usageByTier(): Promise<Record<string, UseCounts>> {
      const assets = activeRowsOf(db, 'assets').select('rm.state').where(field('kind'), '=', q.lit('asset'))
      const { rows } = await q<{ tier: string } & Record<keyof UseCounts, number | string>>`select t.key as tier, ${q.join(USE_KEYS.map((k) => q`coalesce(sum((t.value->>${q.lit(k)})::bigint), 0)::bigint as ${q.ref(k)}`))}
           from ${assets} a
           cross join lateral jsonb_each(coalesce(a.state->'usageByTier', '{}'::jsonb)) t
          group by t.key order by t.key`.execute(db)
      return Object.fromEntries(rows.map((row) => [row.tier, Object.fromEntries(USE_KEYS.map((k) => [k, Number(row[k])])) as UseCounts]))
    },
    /** every partner, by company name (however many) */
    partners: () => everyDoc(sql, { projection: 'enablement_partners' }).then((list) => list.sort((a, b) => (a.company ?? '').localeCompare(b.company ?? ''))),
    partner: (partnerId: string) => doc(sql, 'enablement_partners', partnerId),
    /** every course, by title (the catalogue is short, and a partner's training page and the vendor's list show all of it) */
    courses: () => everyDoc(sql, { projection: 'courses' }).then((list) => list.sort((a, b) => a.title.localeCompare(b.title))),
    course: (courseId: string) => doc(sql, 'courses', courseId),
    trainingOf: (partnerId: string) => doc(sql, 'training', partnerId),
    /** every partner's training record holding a certificate that is past its validity and not marked lapsed yet */
    lapsingTraining: (today: string) =>
      everyDoc(sql, {
        projection: 'training',
        where: q<boolean>`jsonb_path_exists(rm.state, '$.learners.*.certificates.* ? (@.lapsed == false && @.validUntil < $today)', jsonb_build_object('today', ${today}::text))`,
      }),
  }
}
export type EnablementQueries = ReturnType<typeof createEnablementQueries>
