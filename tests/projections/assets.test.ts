// The collateral catalogue, usage by tier, each partner's own usage, and the audience check.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { assetsProjection, assetUsageProjection, audienceCheck, enablementPartnersProjection, TIER_BOOK, type AssetDoc, type AudienceFacts, type TierBook } from '../../projections/assets.ts'
import { foldEvents, type AnyProjection } from '../../projections/projection.ts'

let position = 0n
function ev(type: string, data: Record<string, unknown>, actor = 'u-sam', occurredAt = '2026-03-01T10:00:00.000Z'): RecordedEvent {
  position++
  return {
    id: `e${position}`, type, streamId: `s-${position}`, streamRevision: 0n, globalPosition: position, data,
    metadata: { actor, tenant: 'default', occurredAt, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
    recordedAt: occurredAt,
  } as unknown as RecordedEvent
}
const fold = (projection: AnyProjection, events: RecordedEvent[]) => {
  const docs = new Map<string, unknown>()
  for (const e of events) foldEvents(projection, docs, e)
  return docs
}
const file = { sha256: 'a'.repeat(64), filename: 'guide.pdf', size: 1234, contentType: 'application/pdf' }
const published = (assetId: string, extra: Record<string, unknown> = {}) => ev('AssetPublished', {
  assetId, title: 'Cloud Backup sales guide', description: 'Qualify backup deals', tags: ['backup'], audience: 'to_partner', assetType: 'sales_guide',
  product: 'Cloud Backup', language: 'en', audienceRules: {}, file, coBrandable: false, version: 1, ...extra,
})

describe('assets projection', () => {
  test('publication, a new version and retirement', () => {
    const file2 = { ...file, sha256: 'b'.repeat(64), filename: 'guide-v2.pdf' }
    const docs = fold(assetsProjection, [
      published('a1'),
      ev('AssetVersionPublished', { assetId: 'a1', version: 2, file: file2, notes: 'New prices' }, 'u-sam', '2026-03-05T10:00:00.000Z'),
      ev('AssetRetired', { assetId: 'a1', reason: 'Replaced' }, 'u-vera', '2026-04-01T10:00:00.000Z'),
    ])
    const asset = docs.get('a1') as AssetDoc
    expect(asset).toMatchObject({ kind: 'asset', status: 'Retired', version: 2, file: file2, retiredReason: 'Replaced', retiredAt: '2026-04-01T10:00:00.000Z' })
    expect(asset.versions.map((v) => [v.version, v.file.sha256, v.notes])).toEqual([[1, file.sha256, null], [2, file2.sha256, 'New prices']])
  })

  test('usage counts by action and by the tier the partner held at the time of use', () => {
    const docs = fold(assetsProjection, [
      ev('PartnerApproved', { partnerId: 'p1', tier: 'registered', adminUserId: 'u1' }),
      ev('PartnerApproved', { partnerId: 'p2', tier: 'gold', adminUserId: 'u2' }),
      published('a1', { audience: 'thru_partner', coBrandable: true }),
      ev('AssetViewed', { assetId: 'a1', partnerId: 'p1', userId: 'u1', version: 1 }, 'u1'),
      ev('AssetDownloaded', { assetId: 'a1', partnerId: 'p1', userId: 'u1', version: 1 }, 'u1'),
      ev('AssetViewed', { assetId: 'a1', partnerId: 'p2', userId: 'u2', version: 1 }, 'u2'),
      ev('TierChanged', { partnerId: 'p1', from: 'registered', to: 'silver', reason: 'First win' }),
      ev('AssetCoBranded', { assetId: 'a1', partnerId: 'p1', userId: 'u1', version: 1 }, 'u1'),
      ev('AssetShared', { assetId: 'a1', partnerId: 'p2', userId: 'u2', version: 1 }, 'u2'),
    ])
    const asset = docs.get('a1') as AssetDoc
    expect(asset.usage).toEqual({ viewed: 2, downloaded: 1, cobranded: 1, shared: 1 })
    expect(asset.usageByTier).toEqual({
      registered: { viewed: 1, downloaded: 1, cobranded: 0, shared: 0 },
      silver: { viewed: 0, downloaded: 0, cobranded: 1, shared: 0 },
      gold: { viewed: 1, downloaded: 0, cobranded: 0, shared: 1 },
    })
    expect((docs.get(TIER_BOOK) as TierBook).tiers).toEqual({ p1: 'silver', p2: 'gold' })
  })

  test('the full-text index is a GIN index restricted to the assets projection', () => {
    expect(assetsProjection.indexes?.[0]).toMatch(/using gin \(\(to_tsvector\('english'.*title.*description.*tags.*\)\) where projection = 'assets'/)
  })

  test("each partner's own usage is kept apart", () => {
    const docs = fold(assetUsageProjection, [
      ev('AssetViewed', { assetId: 'a1', partnerId: 'p1', userId: 'u1', version: 1 }, 'u1', '2026-03-02T09:00:00.000Z'),
      ev('AssetDownloaded', { assetId: 'a1', partnerId: 'p1', userId: 'u1', version: 1 }, 'u1', '2026-03-02T09:01:00.000Z'),
      ev('AssetViewed', { assetId: 'a2', partnerId: 'p2', userId: 'u2', version: 1 }, 'u2'),
    ])
    expect(docs.get('p1')).toMatchObject({ totals: { viewed: 1, downloaded: 1, cobranded: 0, shared: 0 }, assets: { a1: { viewed: 1, downloaded: 1, lastAction: 'downloaded', lastAt: '2026-03-02T09:01:00.000Z' } } })
    expect(Object.keys((docs.get('p2') as { assets: object }).assets)).toEqual(['a2'])
  })

  test('partner facts: tier, geographies and the profile with an uploaded logo', () => {
    const docs = fold(enablementPartnersProjection, [
      ev('PartnerApplied', { partnerId: 'p1', company: 'Northwind IT', websiteDomain: 'northwind.example', geographies: ['DE'], segments: [], partnerType: 'var', applicant: { userId: 'u1', name: 'M', email: 'm@n.example' } }),
      ev('PartnerApproved', { partnerId: 'p1', tier: 'registered', adminUserId: 'u1' }),
      ev('TierChanged', { partnerId: 'p1', from: 'registered', to: 'gold', reason: 'x' }),
      ev('PartnerProfileSet', { partnerId: 'p1', displayName: 'Northwind', logoUrl: `https://portal.example/logos/p1/${'c'.repeat(64)}`, contactName: 'Maria', contactEmail: 'maria@n.example', primaryColor: '#112233', secondaryColor: '#ddeeff' }),
    ])
    expect(docs.get('p1')).toMatchObject({ approved: true, tier: 'gold', geographies: ['DE'], profile: { displayName: 'Northwind', logoSha256: 'c'.repeat(64), primaryColor: '#112233' } })
  })
})

describe('audience check', () => {
  const ranks = { registered: 0, silver: 1, gold: 2, platinum: 3 }
  const partner: AudienceFacts = { approved: true, tier: 'silver', phase: 'activation', certifications: ['Cloud Backup Associate'], geographies: ['DE', 'AT'] }
  const asset = (audienceRules: AssetDoc['audienceRules'], status: AssetDoc['status'] = 'Published') => ({ status, audienceRules })

  test('no rules: every approved partner sees a published asset', () => {
    expect(audienceCheck(asset({}), partner, ranks)).toEqual({ ok: true })
    expect(audienceCheck(asset({}, 'Retired'), partner, ranks).ok).toBe(false)
    expect(audienceCheck(asset({}), { ...partner, approved: false }, ranks).ok).toBe(false)
  })
  test('minimum tier by rank, case-insensitive; an unknown tier sees nothing tiered', () => {
    expect(audienceCheck(asset({ minimumTier: 'silver' }), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset({ minimumTier: 'Registered' }), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset({ minimumTier: 'gold' }), partner, ranks)).toEqual({ ok: false, reason: 'tier below gold' })
    expect(audienceCheck(asset({ minimumTier: 'silver' }), { ...partner, tier: 'mystery' }, ranks).ok).toBe(false)
    expect(audienceCheck(asset({ minimumTier: 'diamond' }), { ...partner, tier: 'platinum' }, ranks).ok).toBe(false)
  })
  test('journey phases', () => {
    expect(audienceCheck(asset({ journeyPhases: ['activation', 'investment'] }), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset({ journeyPhases: ['devotion'] }), partner, ranks).ok).toBe(false)
    expect(audienceCheck(asset({ journeyPhases: ['activation'] }), { ...partner, phase: null }, ranks).ok).toBe(false)
    expect(audienceCheck(asset({ journeyPhases: [] }), partner, ranks).ok).toBe(true)
  })
  test('required certification, held today', () => {
    expect(audienceCheck(asset({ requiredCertification: 'cloud backup associate' }), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset({ requiredCertification: 'Edge Firewall Professional' }), partner, ranks).ok).toBe(false)
    expect(audienceCheck(asset({ requiredCertification: 'Cloud Backup Associate' }), { ...partner, certifications: [] }, ranks).ok).toBe(false)
  })
  test('geographies: any overlap', () => {
    expect(audienceCheck(asset({ geographies: ['CH', 'at'] }), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset({ geographies: ['UK', 'IE'] }), partner, ranks).ok).toBe(false)
  })
  test('all rules must hold', () => {
    const rules = { minimumTier: 'silver', journeyPhases: ['activation'], requiredCertification: 'Cloud Backup Associate', geographies: ['DE'] }
    expect(audienceCheck(asset(rules), partner, ranks).ok).toBe(true)
    expect(audienceCheck(asset(rules), { ...partner, geographies: ['FR'] }, ranks).ok).toBe(false)
  })
})
