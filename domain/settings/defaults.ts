// The program settings schema and its defaults: the one place a default value is written down.
// Every number the insight read models weigh or compare against (trust, journey, scorecard, pyramid, lifetime value) is
// a program setting here, under the names projections/insights/settings.ts uses; see docs/projections.md.
import { z } from 'zod'
import { Currency, Text } from '../shared/schemas.ts'

// The messages say the bound as a channel manager reads it in the settings form (a rate of 0-1 is shown as 0-100 %).
const WHOLE = 'Use a whole number'
const between = (min: number, max: number, unit = '') => z.number().min(min, `Use ${min}${unit} or more`).max(max, `Use ${max}${unit} or less`)

export const TierRule = z.object({
  name: Text.describe('tier name, e.g. gold'),
  rank: z.number().int(WHOLE).min(0, 'Use 0 or more').describe('0 = entry tier; higher ranks are better'),
  minimumCertifications: z.number().int(WHOLE).min(0, 'Use 0 or more').default(0).describe('valid certifications a partner needs'),
  minimumWonDeals: z.number().int(WHOLE).min(0, 'Use 0 or more').default(0).describe('won deals a partner needs'),
})
export type TierRule = z.infer<typeof TierRule>

const count = () => z.number().int(WHOLE).min(0, 'Use 0 or more')
const days = () => z.number().int(WHOLE).positive('Use more than 0')
const wholeBetween = (min: number, max: number) => between(min, max).int(WHOLE)
/** a share or yearly probability, 0 to 1 (0.25 = 25%) */
const rate = () => z.number().min(0, 'Use 0 % or more').max(1, 'Use 100 % or less')
/** a trust score, 0 to 100 */
const trustScore = () => between(0, 100)
/** a PSAT average, 0 to 10 */
const psat = () => between(0, 10)
/** a kept promise adds a drop (0 to 100 points) */
const drop = (points: number, what: string) => between(0, 100).default(points).describe(`kept promise, points added: ${what}`)
/** a broken promise takes a gallon (-100 to 0 points) */
const gallon = (points: number, what: string) => between(-100, 0).default(points).describe(`broken promise, points taken (negative): ${what}`)

export const TrustSettings = z.object({
  initial: trustScore().default(50).describe('trust of a new partner, 0-100'),
  psatGoodAtLeast: psat().default(8).describe('a PSAT answer averaging at least this (0-10) is a good answer'),
  psatLowAtMost: psat().default(5).describe('a PSAT answer averaging at most this (0-10) is a low score; below psatGoodAtLeast'),
  claimPaymentDays: days().default(30).describe('calendar days from claim approval within which payment is on time'),
})
export type TrustSettings = z.infer<typeof TrustSettings>

/** trust is earned in drops and lost in gallons: losses weigh more. Names are the trust read model's rules. */
export const TrustWeightsSchema = z.object({
  dealReviewedWithinSla: drop(1, 'a deal registration reviewed within the SLA'),
  dealWon: drop(3, 'a registered deal won'),
  claimPaidOnTime: drop(1, 'a claim paid in full within trust.claimPaymentDays'),
  workshopHeldAsScheduled: drop(2, 'a workshop held on its scheduled date'),
  psatGood: drop(1, 'a good PSAT answer (trust.psatGoodAtLeast)'),
  planOnTrack: drop(1, 'a joint plan review on track'),
  dealReviewSlaBreached: gallon(-10, 'a deal registration not reviewed within the SLA'),
  dealLostToDirect: gallon(-15, "a registered deal lost to the vendor's direct sales"),
  claimPaidLate: gallon(-8, 'a claim paid after trust.claimPaymentDays'),
  claimPaidPartially: gallon(-5, 'a claim paid less than approved'),
  claimRejected: gallon(-5, 'a claim rejected after its activity was approved'),
  channelManagerReassigned: gallon(-8, 'the partner reassigned to another channel manager'),
  psatLow: gallon(-10, 'a low PSAT score (trust.psatLowAtMost)'),
  workshopCancelledByVendor: gallon(-5, 'a workshop cancelled by the vendor'),
  planOffTrack: gallon(-10, 'a joint plan review off track'),
})

/** The trust weights as stored before they took the trust rules' names (settings events written before the rename). */
const LEGACY_TRUST_WEIGHT_NAMES = {
  claimPaid: 'claimPaidOnTime',
  workshopHeld: 'workshopHeldAsScheduled',
  surveyAnswered: 'psatGood',
  workshopCancelled: 'workshopCancelledByVendor',
} as const satisfies Record<string, keyof z.input<typeof TrustWeightsSchema>>
export type LegacyTrustWeights = Partial<Record<keyof typeof LEGACY_TRUST_WEIGHT_NAMES | 'dealRegistered' | 'certificationEarned' | 'certificationLapsed', number>>

/** maps the old names onto the rules they meant (a value under the new name wins); the unused old ones are dropped by the schema */
export function upgradeTrustWeights(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const old = value as Record<string, unknown>
  if (!Object.keys(LEGACY_TRUST_WEIGHT_NAMES).some((k) => k in old)) return value
  const out: Record<string, unknown> = { ...old }
  for (const [from, to] of Object.entries(LEGACY_TRUST_WEIGHT_NAMES)) {
    if (from in out) {
      if (out[to] === undefined) out[to] = out[from]
      delete out[from]
    }
  }
  return out
}

export const TrustWeights = z.preprocess(
  (value: z.input<typeof TrustWeightsSchema> | LegacyTrustWeights | undefined) => upgradeTrustWeights(value),
  TrustWeightsSchema,
)
export type TrustWeights = z.infer<typeof TrustWeightsSchema>

export const JourneyThresholds = z.object({
  activationCertifications: count().default(1).describe('activation: valid certifications the partner holds'),
  activationApprovedDeals: count().default(1).describe('activation: approved deal registrations'),
  devotionQuarters: wholeBetween(1, 12).default(4).describe('devotion looks at this many completed quarters'),
  devotionWonQuarters: wholeBetween(0, 12).default(4).describe('devotion: quarters with a won deal among them; at most devotionQuarters'),
  devotionWonDeals: count().default(5).describe('devotion: won deals over those quarters'),
  devotionTrust: trustScore().default(50).describe('devotion: trust at this or more (0-100)'),
  planReviewGraceDays: wholeBetween(0, 92).default(30).describe("days after a quarter's end within which its joint plan review is on time"),
})
export type JourneyThresholds = z.infer<typeof JourneyThresholds>

const cWeight = (weight: number, c: string) => between(0, 100).default(weight).describe(`weight of ${c} in the composite (weights are normalised by their sum)`)
const assetPoints = (points: number, use: string) => between(0, 100).default(points).describe(`consumption points per asset ${use}`)

export const ScorecardSettings = z.object({
  groupBy: z.enum(['tier', 'partnerType']).default('tier').describe('partners are compared with the best of their tier or of their partner type'),
  weights: z.object({
    contribution: cWeight(30, 'contribution (won revenue)'),
    consumption: cWeight(15, 'consumption (asset use, training)'),
    coverage: cWeight(20, 'coverage (geographies, segments, customers)'),
    capability: cWeight(15, 'capability (valid certifications)'),
    commitment: cWeight(20, 'commitment (co-investment, joint plan, workshops)'),
  }).prefault({}).describe('the five Cs; at least one above 0'),
  assetUse: z.object({
    viewed: assetPoints(1, 'view'),
    downloaded: assetPoints(2, 'download'),
    cobranded: assetPoints(3, 'co-branding'),
    shared: assetPoints(3, 'share'),
  }).prefault({}).describe('points per asset use, counted under consumption'),
})
export type ScorecardSettings = z.infer<typeof ScorecardSettings>

export const PyramidSettings = z.object({
  enhancedCertifications: count().default(1).describe('enhanced: valid certifications the partner holds'),
  collaborativeReviews: count().default(1).describe('collaborative: reviews of a joint business plan (the governance)'),
  workshopCost: z.number().min(0, 'Use 0 or more').default(2000).describe('vendor effort of one held workshop, in fundCurrency'),
})
export type PyramidSettings = z.infer<typeof PyramidSettings>

export const LifetimeSettings = z.object({
  marginRate: rate().default(0.25).describe("share of won revenue that is the vendor's margin, 0-1"),
  baseChurn: rate().default(0.1).describe('yearly churn probability of a healthy partner, 0-1'),
  inactiveDays: days().default(90).describe('no activity for more than this many days is a churn signal'),
  inactiveChurn: rate().default(0.25).describe('churn added when the partner is inactive'),
  noWinQuarters: wholeBetween(1, 12).default(2).describe('no won deal in this many completed quarters is a churn signal'),
  noWinChurn: rate().default(0.15).describe('churn added when the partner won nothing in those quarters'),
  certificationsLapsedChurn: rate().default(0.1).describe("churn added when every certification lapsed"),
  lowPsatChurn: rate().default(0.1).describe('churn added when the last PSAT answer is low (trust.psatLowAtMost)'),
  lowTrust: trustScore().default(30).describe('trust below this (0-100) is a churn signal'),
  lowTrustChurn: rate().default(0.1).describe('churn added when trust is below lowTrust'),
  minChurn: z.number().gt(0, 'Use more than 0 %').max(1, 'Use 100 % or less').default(0.02).describe('churn is kept at this or more (above 0)'),
  maxChurn: z.number().gt(0, 'Use more than 0 %').max(1, 'Use 100 % or less').default(0.9).describe('churn is kept at this or less; at least minChurn'),
  maxLifetimeYears: z.number().positive('Use more than 0').max(100, 'Use 100 or less').default(10).describe('the expected lifetime (1 / churn) is capped at this many years'),
})
export type LifetimeSettings = z.infer<typeof LifetimeSettings>

export const DEFAULT_TIERS: TierRule[] = [
  { name: 'registered', rank: 0, minimumCertifications: 0, minimumWonDeals: 0 },
  { name: 'silver', rank: 1, minimumCertifications: 1, minimumWonDeals: 1 },
  { name: 'gold', rank: 2, minimumCertifications: 3, minimumWonDeals: 5 },
  { name: 'platinum', rank: 3, minimumCertifications: 5, minimumWonDeals: 15 },
]

export const ProgramSettings = z.object({
  tiers: z.array(TierRule).min(1).default(DEFAULT_TIERS).describe('the program tiers and what a partner needs for each'),
  dealProtectionDays: days().default(90).describe('days a deal is protected after approval'),
  dealExtensionDays: days().default(60).describe('days one extension adds to the protection'),
  reviewSlaBusinessDays: days().default(2).describe('business days (Mon-Fri) the vendor has to review a deal registration'),
  fundAllocationByTier: z.record(z.string(), z.number().nonnegative())
    .default({ registered: 0, silver: 10_000, gold: 25_000, platinum: 50_000 })
    .describe('quarterly fund allocation per tier name, in fundCurrency'),
  fundCurrency: Currency.default('EUR').describe('currency of fund allocations and of pyramid.workshopCost'),
  claimDeadlineDays: days().default(90).describe("days after an activity's approval within which its claim must be submitted"),
  trust: TrustSettings.prefault({}).describe("the partner's trust in the vendor: start, PSAT thresholds, payment days"),
  trustWeights: TrustWeights.prefault({})
    .describe('points per kept (drop) or broken (gallon) promise, by trust rule; settings stored under the old names (claimPaid, workshopHeld, surveyAnswered, workshopCancelled) are read under the new ones'),
  journey: JourneyThresholds.prefault({}).describe('what moves a partner through activation and devotion'),
  scorecard: ScorecardSettings.prefault({}).describe('the 5C scorecard: grouping, weights, asset use points'),
  pyramid: PyramidSettings.prefault({}).describe('the relationship pyramid: stage thresholds, vendor effort'),
  lifetime: LifetimeSettings.prefault({}).describe('partner lifetime value: margin and churn'),
})
export type ProgramSettings = z.infer<typeof ProgramSettings>
export type ProgramSettingsInput = z.input<typeof ProgramSettings>

/** the settings in force before anyone changes them */
export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = ProgramSettings.parse({})

/**
 * Rules across fields of one settings value, as [field path under settings, message]; the decider refuses a change that
 * breaks one and the settings form shows them next to the field.
 */
export function settingsProblems(s: ProgramSettings): [string, string][] {
  const problems: [string, string][] = []
  if (s.trust.psatLowAtMost >= s.trust.psatGoodAtLeast) problems.push(['trust.psatLowAtMost', 'A low PSAT score must be below a good one'])
  if (s.journey.devotionWonQuarters > s.journey.devotionQuarters) problems.push(['journey.devotionWonQuarters', 'Use at most the number of quarters devotion looks at'])
  if (s.lifetime.minChurn > s.lifetime.maxChurn) problems.push(['lifetime.maxChurn', 'The highest churn must not be below the lowest'])
  if (Object.values(s.scorecard.weights).every((w) => w === 0)) problems.push(['scorecard.weights', 'Give at least one of the five Cs a weight above 0'])
  return problems
}
