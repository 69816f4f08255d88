// Program settings as the insight projections see them: a shared document folded from ProgramSettingsChanged, read at an event's time.
import type { RecordedEvent } from '../../eventstore/types.ts'
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../../domain/settings/defaults.ts'
import { settingsInForce, type SettingsHistory } from '../../domain/settings/settings.ts'

/** key of the shared settings document in every insight projection (partner ids never start with '$') */
export const SETTINGS_KEY = '$settings'
export const SETTINGS_EVENT = 'ProgramSettingsChanged'

export type SettingsDoc = SettingsHistory

export const emptySettingsDoc = (): SettingsDoc => ({ status: 'Defaults', changes: [] })

/** evolves the shared settings document; effective dates are kept, so a future change applies only from its effectiveFrom */
export function evolveSettingsDoc(state: SettingsDoc, event: RecordedEvent): SettingsDoc {
  if (event.type !== SETTINGS_EVENT) return state
  const data = event.data as SettingsHistory['changes'][number]
  return { status: 'Changed', changes: [...state.changes, { effectiveFrom: data.effectiveFrom, settings: data.settings }] }
}

/**
 * Everything the insight read models weigh or compare against. Trust weights, journey thresholds and tiers come from
 * ProgramSettings; the other groups come from ProgramSettings too when its schema carries them (same names as here),
 * and otherwise from INSIGHT_DEFAULTS below (see docs/projections.md, "Settings").
 */
export type InsightSettings = {
  trust: {
    initial: number
    /** gains ("drops") and losses ("gallons"; negative numbers) per kept or broken promise */
    weights: {
      dealReviewedWithinSla: number
      dealWon: number
      claimPaidOnTime: number
      workshopHeldAsScheduled: number
      psatGood: number
      planOnTrack: number
      dealReviewSlaBreached: number
      dealLostToDirect: number
      claimPaidLate: number
      claimPaidPartially: number
      claimRejected: number
      channelManagerReassigned: number
      psatLow: number
      workshopCancelledByVendor: number
      planOffTrack: number
    }
    /** a PSAT answer averaging at least this (0-10) is a good answer */
    psatGoodAtLeast: number
    /** a PSAT answer averaging at most this (0-10) is a low score */
    psatLowAtMost: number
    /** calendar days from claim approval within which payment is on time */
    claimPaymentDays: number
  }
  journey: {
    activationCertifications: number
    activationApprovedDeals: number
    /** devotion: won deals in at least `devotionWonQuarters` of the last `devotionQuarters` completed quarters */
    devotionQuarters: number
    devotionWonQuarters: number
    /** devotion: at least this many won deals in those quarters */
    devotionWonDeals: number
    devotionTrust: number
    /** a quarterly plan review is on time when recorded within this many days after the quarter's end */
    planReviewGraceDays: number
  }
  scorecard: {
    /** 'tier' or 'partnerType' */
    groupBy: 'tier' | 'partnerType'
    /** weights of the five Cs in the composite (normalised by their sum) */
    weights: { contribution: number; consumption: number; coverage: number; capability: number; commitment: number }
    /** points per asset use */
    assetUse: { viewed: number; downloaded: number; cobranded: number; shared: number }
  }
  pyramid: {
    /** enhanced: at least this many valid certifications */
    enhancedCertifications: number
    /** collaborative: a joint plan with at least this many reviews (the governance) */
    collaborativeReviews: number
    /** what one held workshop costs the vendor, in the program currency, when counting vendor effort */
    workshopCost: number
  }
  lifetime: {
    /** share of won revenue that is the vendor's margin */
    marginRate: number
    /** yearly churn probability of a healthy partner */
    baseChurn: number
    inactiveDays: number
    inactiveChurn: number
    /** no won deal in this many completed quarters */
    noWinQuarters: number
    noWinChurn: number
    certificationsLapsedChurn: number
    lowPsatChurn: number
    lowTrust: number
    lowTrustChurn: number
    minChurn: number
    maxChurn: number
    maxLifetimeYears: number
  }
}

/** Fallbacks for the groups ProgramSettings does not carry yet; the trust weights and journey thresholds it carries win. */
export const INSIGHT_DEFAULTS: InsightSettings = {
  trust: {
    initial: 50,
    weights: {
      dealReviewedWithinSla: 1,
      dealWon: 3,
      claimPaidOnTime: 1,
      workshopHeldAsScheduled: 2,
      psatGood: 1,
      planOnTrack: 1,
      dealReviewSlaBreached: -10,
      dealLostToDirect: -15,
      claimPaidLate: -8,
      claimPaidPartially: -5,
      claimRejected: -5,
      channelManagerReassigned: -8,
      psatLow: -10,
      workshopCancelledByVendor: -5,
      planOffTrack: -10,
    },
    psatGoodAtLeast: 8,
    psatLowAtMost: 5,
    claimPaymentDays: 30,
  },
  journey: {
    activationCertifications: 1,
    activationApprovedDeals: 1,
    devotionQuarters: 4,
    devotionWonQuarters: 4,
    devotionWonDeals: 5,
    devotionTrust: 50,
    planReviewGraceDays: 30,
  },
  scorecard: {
    groupBy: 'tier',
    weights: { contribution: 30, consumption: 15, coverage: 20, capability: 15, commitment: 20 },
    assetUse: { viewed: 1, downloaded: 2, cobranded: 3, shared: 3 },
  },
  pyramid: { enhancedCertifications: 1, collaborativeReviews: 1, workshopCost: 2000 },
  lifetime: {
    marginRate: 0.25,
    baseChurn: 0.1,
    inactiveDays: 90,
    inactiveChurn: 0.25,
    noWinQuarters: 2,
    noWinChurn: 0.15,
    certificationsLapsedChurn: 0.1,
    lowPsatChurn: 0.1,
    lowTrust: 30,
    lowTrustChurn: 0.1,
    minChurn: 0.02,
    maxChurn: 0.9,
    maxLifetimeYears: 10,
  },
}

type Loose = Record<string, unknown>
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v)

/** fills `base` with the numbers (and strings) `over` has under the same names, recursively */
function merge<T>(base: T, over: unknown): T {
  if (!isObject(over) || !isObject(base)) return base
  const out: Loose = { ...(base as Loose) }
  for (const [key, value] of Object.entries(base as Loose)) {
    const given = over[key]
    if (given === undefined) continue
    if (isObject(value)) out[key] = merge(value, given)
    else if (typeof given === typeof value) out[key] = given
  }
  return out as T
}

const cache = new WeakMap<object, InsightSettings>()

/** the insight settings a ProgramSettings value implies (memoised per settings object) */
export function insightSettings(program: ProgramSettings): InsightSettings {
  const hit = cache.get(program)
  if (hit) return hit
  const loose = program as unknown as Loose
  let s = merge(INSIGHT_DEFAULTS, {
    trust: loose.trust,
    journey: loose.journey,
    scorecard: loose.scorecard,
    pyramid: loose.pyramid,
    lifetime: loose.lifetime,
  })
  // the weights ProgramSettings already names (trustWeights) map onto the promises they describe
  const tw = program.trustWeights
  s = {
    ...s,
    trust: {
      ...s.trust,
      weights: merge(
        {
          ...s.trust.weights,
          dealWon: tw.dealWon,
          claimPaidOnTime: tw.claimPaid,
          workshopHeldAsScheduled: tw.workshopHeld,
          psatGood: tw.surveyAnswered,
          planOnTrack: tw.planOnTrack,
          dealReviewSlaBreached: tw.dealReviewSlaBreached,
          claimRejected: tw.claimRejected,
          workshopCancelledByVendor: tw.workshopCancelled,
          planOffTrack: tw.planOffTrack,
        },
        tw,
      ),
    },
    journey: {
      ...s.journey,
      activationCertifications: program.journey.activationCertifications,
      devotionWonDeals: program.journey.devotionWonDeals,
      devotionTrust: program.journey.devotionTrust,
    },
  }
  cache.set(program, s)
  return s
}

/** settings in force at `at` (an ISO instant) given the shared settings document */
export function settingsAt(doc: SettingsDoc | undefined, at: string): InsightSettings {
  return insightSettings(doc && doc.changes.length > 0 ? settingsInForce(doc, at) : DEFAULT_PROGRAM_SETTINGS)
}

/** the program's tiers in force at `at`, entry tier first */
export function tiersAt(doc: SettingsDoc | undefined, at: string): ProgramSettings['tiers'] {
  const program = doc && doc.changes.length > 0 ? settingsInForce(doc, at) : DEFAULT_PROGRAM_SETTINGS
  return [...program.tiers].sort((a, b) => a.rank - b.rank)
}

/** reads the shared settings document handed to evolve */
export const sharedSettings = (shared: Readonly<Record<string, unknown>>): SettingsDoc | undefined => shared[SETTINGS_KEY] as SettingsDoc | undefined
