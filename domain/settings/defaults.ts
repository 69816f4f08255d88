// The program settings schema and its defaults: the one place a default value is written down.
import { z } from 'zod'
import { Currency, Text } from '../shared/schemas.ts'

export const TierRule = z.object({
  name: Text.describe('tier name, e.g. gold'),
  rank: z.number().int().nonnegative().describe('0 = entry tier; higher ranks are better'),
  minimumCertifications: z.number().int().nonnegative().default(0).describe('valid certifications a partner needs'),
  minimumWonDeals: z.number().int().nonnegative().default(0).describe('won deals a partner needs'),
})
export type TierRule = z.infer<typeof TierRule>

export const TrustWeights = z.object({
  dealWon: z.number().default(3),
  dealRegistered: z.number().default(1),
  certificationEarned: z.number().default(2),
  workshopHeld: z.number().default(2),
  claimPaid: z.number().default(1),
  surveyAnswered: z.number().default(1),
  planOnTrack: z.number().default(1),
  /** trust is earned in drops and lost in gallons: losses weigh more */
  dealReviewSlaBreached: z.number().default(-10),
  claimRejected: z.number().default(-5),
  certificationLapsed: z.number().default(-5),
  workshopCancelled: z.number().default(-5),
  planOffTrack: z.number().default(-10),
})
export type TrustWeights = z.infer<typeof TrustWeights>

export const JourneyThresholds = z.object({
  /** activation: the partner is approved and has this many valid certifications */
  activationCertifications: z.number().int().nonnegative().default(1),
  /** investment: this many won deals, or an approved co-investment */
  investmentWonDeals: z.number().int().nonnegative().default(1),
  /** devotion: this many won deals and a joint business plan */
  devotionWonDeals: z.number().int().nonnegative().default(5),
  devotionTrust: z.number().default(50),
})
export type JourneyThresholds = z.infer<typeof JourneyThresholds>

export const DEFAULT_TIERS: TierRule[] = [
  { name: 'registered', rank: 0, minimumCertifications: 0, minimumWonDeals: 0 },
  { name: 'silver', rank: 1, minimumCertifications: 1, minimumWonDeals: 1 },
  { name: 'gold', rank: 2, minimumCertifications: 3, minimumWonDeals: 5 },
  { name: 'platinum', rank: 3, minimumCertifications: 5, minimumWonDeals: 15 },
]

export const ProgramSettings = z.object({
  tiers: z.array(TierRule).min(1).default(DEFAULT_TIERS),
  /** days a deal is protected after approval */
  dealProtectionDays: z.number().int().positive().default(90),
  /** days one extension adds to the protection */
  dealExtensionDays: z.number().int().positive().default(60),
  /** business days (Mon-Fri) the vendor has to review a deal registration */
  reviewSlaBusinessDays: z.number().int().positive().default(2),
  /** quarterly fund allocation per tier name, in fundCurrency */
  fundAllocationByTier: z.record(z.string(), z.number().nonnegative()).default({ registered: 0, silver: 10_000, gold: 25_000, platinum: 50_000 }),
  fundCurrency: Currency.default('EUR'),
  /** days after an activity's approval within which its claim must be submitted */
  claimDeadlineDays: z.number().int().positive().default(90),
  trustWeights: TrustWeights.default(TrustWeights.parse({})),
  journey: JourneyThresholds.default(JourneyThresholds.parse({})),
})
export type ProgramSettings = z.infer<typeof ProgramSettings>
export type ProgramSettingsInput = z.input<typeof ProgramSettings>

/** the settings in force before anyone changes them */
export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = ProgramSettings.parse({})
