// The collateral catalogue with usage by tier, each partner's asset use, and the audience check over partner facts.
import { parseSubject, placeholder } from '../domain/shared/personal-data.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type AssetAudience = 'to_partner' | 'thru_partner'
export type UseCounts = { viewed: number; downloaded: number; cobranded: number; shared: number }
export type AudienceRules = {
  minimumTier?: string
  journeyPhases?: string[]
  requiredCertification?: string
  geographies?: string[]
}
export type AssetFile = { sha256: string; filename: string; size: number; contentType: string }

export type AssetDoc = {
  kind: 'asset'
  assetId: string
  title: string
  description: string
  tags: string[]
  audience: AssetAudience
  assetType: string
  product: string | null
  language: string
  audienceRules: AudienceRules
  coBrandable: boolean
  status: 'Published' | 'Retired'
  version: number
  file: AssetFile
  versions: { version: number; file: AssetFile; notes: string | null; publishedAt: string; publishedBy: string }[]
  publishedAt: string
  updatedAt: string
  retiredAt: string | null
  retiredReason: string | null
  usage: UseCounts
  /** by the partner's tier at the time of use */
  usageByTier: Record<string, UseCounts>
}

/** shared document of the assets projection: each partner's current tier, so usage is counted by tier */
export type TierBook = { kind: 'tiers'; tiers: Record<string, string> }
export const TIER_BOOK = '~tiers'

const USE_ACTION = { AssetViewed: 'viewed', AssetDownloaded: 'downloaded', AssetCoBranded: 'cobranded', AssetShared: 'shared' } as const
export const zeroUse = (): UseCounts => ({ viewed: 0, downloaded: 0, cobranded: 0, shared: 0 })

type UseEvent = RecordedOf<keyof typeof USE_ACTION>

/** the full-text expression; the query must use exactly this text so PostgreSQL picks the GIN index */
export const ASSET_TSVECTOR = `to_tsvector('english', coalesce(state->>'title', '') || ' ' || coalesce(state->>'description', '') || ' ' || coalesce(state->>'tags', ''))`

export const assetsProjection: Projection<
  AssetDoc | TierBook | null,
  RecordedOf<'AssetPublished' | 'AssetVersionPublished' | 'AssetRetired' | 'PartnerApproved' | 'TierChanged'> | UseEvent
> = {
  name: 'assets',
  version: 1,
  handles: ['AssetPublished', 'AssetVersionPublished', 'AssetRetired', 'AssetViewed', 'AssetDownloaded', 'AssetCoBranded', 'AssetShared', 'PartnerApproved', 'TierChanged'],
  keysOf: (event) => (event.type === 'PartnerApproved' || event.type === 'TierChanged' ? [TIER_BOOK] : [event.data.assetId]),
  sharedKeys: [TIER_BOOK],
  initialState: (key) => (key === TIER_BOOK ? { kind: 'tiers', tiers: {} } : null),
  indexes: [
    `create index if not exists assets_fts on read_models using gin ((${ASSET_TSVECTOR})) where projection = 'assets'`,
  ],
  evolve(state, event, shared) {
    const { type, data } = event
    const at = event.metadata.occurredAt
    if (type === 'PartnerApproved' || type === 'TierChanged') {
      const book = (state as TierBook | null) ?? { kind: 'tiers', tiers: {} }
      return { kind: 'tiers', tiers: { ...book.tiers, [data.partnerId]: type === 'PartnerApproved' ? data.tier : data.to } }
    }
    if (type === 'AssetPublished') {
      const file: AssetFile = data.file
      return {
        kind: 'asset', assetId: data.assetId, title: data.title, description: data.description, tags: data.tags ?? [],
        audience: data.audience, assetType: data.assetType, product: data.product ?? null, language: data.language,
        audienceRules: data.audienceRules ?? {}, coBrandable: Boolean(data.coBrandable), status: 'Published', version: 1, file,
        versions: [{ version: 1, file, notes: null, publishedAt: at, publishedBy: event.metadata.actor }],
        publishedAt: at, updatedAt: at, retiredAt: null, retiredReason: null, usage: zeroUse(), usageByTier: {},
      }
    }
    const asset = state as AssetDoc | null
    if (!asset || asset.kind !== 'asset') return state
    switch (type) {
      case 'AssetVersionPublished':
        return {
          ...asset, version: data.version, file: data.file, updatedAt: at,
          versions: [...asset.versions, { version: data.version, file: data.file, notes: data.notes ?? null, publishedAt: at, publishedBy: event.metadata.actor }],
        }
      case 'AssetRetired':
        return { ...asset, status: 'Retired', retiredAt: at, retiredReason: data.reason ?? null, updatedAt: at }
      case 'AssetViewed':
      case 'AssetDownloaded':
      case 'AssetCoBranded':
      case 'AssetShared': {
        const action = USE_ACTION[type]
        const tier = (shared[TIER_BOOK] as TierBook | undefined)?.tiers[data.partnerId] ?? 'unknown'
        const byTier = asset.usageByTier[tier] ?? zeroUse()
        return {
          ...asset,
          usage: { ...asset.usage, [action]: asset.usage[action] + 1 },
          usageByTier: { ...asset.usageByTier, [tier]: { ...byTier, [action]: byTier[action] + 1 } },
        }
      }
      default:
        return state
    }
  },
}

/** one partner's own use of assets (only ever shown to that partner and the vendor) */
export type AssetUsageDoc = {
  partnerId: string
  totals: UseCounts
  assets: Record<string, UseCounts & { lastAt: string; lastAction: keyof UseCounts }>
  recent: { assetId: string; action: keyof UseCounts; userId: string; at: string }[]
}

export const assetUsageProjection: Projection<AssetUsageDoc | null, UseEvent> = {
  name: 'asset_usage',
  version: 1,
  handles: ['AssetViewed', 'AssetDownloaded', 'AssetCoBranded', 'AssetShared'],
  keysOf: (event) => [event.data.partnerId],
  initialState: () => null,
  evolve(state, event) {
    const { data } = event
    const action = USE_ACTION[event.type]
    const doc: AssetUsageDoc = state ?? { partnerId: data.partnerId, totals: zeroUse(), assets: {}, recent: [] }
    const current = doc.assets[data.assetId] ?? { ...zeroUse(), lastAt: '', lastAction: action }
    const at = event.metadata.occurredAt
    return {
      ...doc,
      totals: { ...doc.totals, [action]: doc.totals[action] + 1 },
      assets: { ...doc.assets, [data.assetId]: { ...current, [action]: current[action] + 1, lastAt: at, lastAction: action } },
      recent: [{ assetId: data.assetId, action, userId: data.userId, at }, ...doc.recent].slice(0, 20),
    }
  },
}

/** what the audience rules and the co-brand need to know about a partner organisation */
export type EnablementPartnerDoc = {
  partnerId: string
  company: string
  approved: boolean
  tier: string | null
  geographies: string[]
  profile: {
    displayName: string
    logoUrl: string | null
    /** sha256 of an uploaded logo in the file store, when the logo URL points at one */
    logoSha256: string | null
    contactName: string
    contactEmail: string
    primaryColor: string
    secondaryColor: string
    /** the PartnerProfileSet it came from: its contact is the subject contact-<eventId> */
    eventId: string
  } | null
}

export const enablementPartnersProjection: Projection<
  EnablementPartnerDoc | null,
  RecordedOf<'PartnerApplied' | 'PartnerApproved' | 'TierChanged' | 'PartnerProfileSet' | 'PersonErased'>
> = {
  name: 'enablement_partners',
  version: 2,
  handles: ['PartnerApplied', 'PartnerApproved', 'TierChanged', 'PartnerProfileSet', 'PersonErased'],
  keysOf: (event) => {
    const { partnerId } = event.data
    return typeof partnerId === 'string' ? [partnerId] : []
  },
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    if (type === 'PartnerApplied')
      return { partnerId: data.partnerId, company: data.company, approved: false, tier: null, geographies: data.geographies ?? [], profile: null }
    if (!state) return state
    switch (type) {
      case 'PartnerApproved':
        return { ...state, approved: true, tier: data.tier }
      case 'TierChanged':
        return { ...state, tier: data.to }
      case 'PartnerProfileSet': {
        const logoUrl: string | null = data.logoUrl ?? null
        const match = logoUrl?.match(/\/logos\/[^/]+\/([0-9a-f]{64})(?:[?#].*)?$/)
        return {
          ...state,
          profile: {
            displayName: data.displayName, logoUrl, logoSha256: match ? match[1]! : null, contactName: data.contactName,
            contactEmail: data.contactEmail, primaryColor: data.primaryColor, secondaryColor: data.secondaryColor, eventId: event.id,
          },
        }
      }
      case 'PersonErased': {
        // the co-brand names the contact: once erased, it reads as a rebuild would decode it
        const { subject } = data
        const parsed = parseSubject(subject)
        if (parsed?.kind !== 'contact' || state.profile?.eventId !== parsed.eventId) return state
        return { ...state, profile: { ...state.profile, contactName: placeholder({ kind: 'name' }, subject), contactEmail: placeholder({ kind: 'email' }, subject) } }
      }
      default:
        return state
    }
  },
}

/** everything the audience check needs about a partner, as of today */
export type AudienceFacts = {
  approved: boolean
  tier: string | null
  phase: string | null
  /** names of certifications some user of the partner holds, valid today */
  certifications: string[]
  geographies: string[]
}

export type Audience = Pick<AssetDoc, 'status' | 'audienceRules'>

/** May this partner see this asset today? Pure; an unknown tier ranks below every known one; says why not. */
export function audienceCheck(asset: Audience, partner: AudienceFacts, tierRanks: Record<string, number>): { ok: true } | { ok: false; reason: string } {
  if (asset.status !== 'Published') return { ok: false, reason: 'retired' }
  if (!partner.approved) return { ok: false, reason: 'partner not approved' }
  const rules = asset.audienceRules ?? {}
  if (rules.minimumTier) {
    const needed = tierRanks[rules.minimumTier.toLowerCase()] ?? Number.POSITIVE_INFINITY
    const held = partner.tier ? (tierRanks[partner.tier.toLowerCase()] ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY
    if (held < needed) return { ok: false, reason: `tier below ${rules.minimumTier}` }
  }
  if (rules.journeyPhases?.length && !(partner.phase && rules.journeyPhases.includes(partner.phase)))
    return { ok: false, reason: `journey phase not in ${rules.journeyPhases.join(', ')}` }
  if (rules.requiredCertification) {
    const needed = rules.requiredCertification.trim().toLowerCase()
    if (!partner.certifications.some((c) => c.trim().toLowerCase() === needed)) return { ok: false, reason: `needs ${rules.requiredCertification}` }
  }
  if (rules.geographies?.length) {
    const served = new Set(partner.geographies.map((g) => g.trim().toUpperCase()))
    if (!rules.geographies.some((g) => served.has(g.trim().toUpperCase()))) return { ok: false, reason: `not in ${rules.geographies.join(', ')}` }
  }
  return { ok: true }
}
