// What a partner's tier gives it and what the next tier needs, from the tier rules of the program settings.
import type { ProgramSettings, TierRule } from './defaults.ts'

/** where a partner stands against the tier thresholds */
export type TierStanding = { certifications: number; wonDeals: number }

export type TierOffer = {
  name: string
  rank: number
  allocationPerQuarter: number
  currency: string
  /** library assets whose lowest tier is this one (the asset rules' minimumTier) */
  unlocksAssets: number
  /** library assets a partner of this tier sees that the entry tier does not: those unlocked by it and the tiers below */
  restrictedAssets: number
}
export type TierRequirement = { kind: keyof TierStanding; have: number; need: number; met: boolean; text: string }
export type TierProgress = {
  /** the partner's tier, or null when the settings no longer name it */
  current: TierOffer | null
  /** the tier ranked next above it, with each threshold and where the partner stands; null at the top */
  next: (TierOffer & { requirements: TierRequirement[]; ready: boolean }) | null
  /** every tier, lowest rank first */
  tiers: TierOffer[]
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many)

/** "1 of 3 valid certifications", "5 of 5 won deals" */
function requirement(kind: keyof TierStanding, have: number, need: number): TierRequirement {
  const what = kind === 'certifications' ? plural(need, 'valid certification', 'valid certifications') : plural(need, 'won deal', 'won deals')
  return { kind, have, need, met: have >= need, text: `${have.toLocaleString('en-GB')} of ${need.toLocaleString('en-GB')} ${what}` }
}

/**
 * The partner's tier and the next one up, by rank, with the thresholds it has met and those it has not; what each tier
 * gives: its funds per quarter and the library assets reserved for it (`assetsByMinimumTier`: published assets by their
 * minimum tier's name, any case).
 */
export function tierProgress(settings: ProgramSettings, tier: string | null, standing: TierStanding, assetsByMinimumTier: Record<string, number> = {}): TierProgress {
  const ordered = [...settings.tiers].sort((a, b) => a.rank - b.rank)
  const unlocks = (t: TierRule) => Object.entries(assetsByMinimumTier).reduce((n, [name, count]) => (name.toLowerCase() === t.name.toLowerCase() ? n + count : n), 0)
  const offerOf = (t: TierRule): TierOffer => ({
    name: t.name, rank: t.rank, allocationPerQuarter: settings.fundAllocationByTier[t.name] ?? 0, currency: settings.fundCurrency,
    unlocksAssets: unlocks(t), restrictedAssets: ordered.filter((o) => o.rank > ordered[0]!.rank && o.rank <= t.rank).reduce((n, o) => n + unlocks(o), 0),
  })
  const mine = ordered.find((t) => t.name === tier) ?? null
  const above = ordered.find((t) => t.rank > (mine?.rank ?? -1))
  const next = above && above !== mine
    ? (() => {
        const requirements = [requirement('certifications', standing.certifications, above.minimumCertifications), requirement('wonDeals', standing.wonDeals, above.minimumWonDeals)]
          .filter((r) => r.need > 0)
        return { ...offerOf(above), requirements, ready: requirements.every((r) => r.met) }
      })()
    : null
  return { current: mine ? offerOf(mine) : null, next, tiers: ordered.map((t) => offerOf(t)) }
}
