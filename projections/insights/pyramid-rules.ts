// Relationship pyramid stage from the kind of relationship the partner's facts show, read at a time.
import { hasSharedInvestmentSince, validCertificationCount, type PartnerFacts } from './facts.ts'
import type { InsightSettings } from './settings.ts'
import { quarterOf, shiftQuarter } from './time.ts'

export const stages = ['transactional', 'enhanced', 'collaborative', 'partnership'] as const
export type PyramidStage = (typeof stages)[number]

export type StageCheck = { stage: PyramidStage; met: boolean; missing: string[] }

/** a co-investment approved for the last four quarters (incl. `at`'s) where both sides put money in, or a co-funded head */
const sharedInvestment = (f: PartnerFacts, at: string) => hasSharedInvestmentSince(f, shiftQuarter(quarterOf(at), -3))

/** pyramidStatus(f, at, s).stage, without building the checks and their words (the fold asks on every event) */
export function pyramidStage(f: PartnerFacts, at: string, s: InsightSettings): PyramidStage | null {
  if (f.status !== 'approved') return null
  if (!(validCertificationCount(f, at) >= s.pyramid.enhancedCertifications)) return 'transactional'
  if (!(f.plan !== null && (f.plan?.reviews.length ?? 0) >= s.pyramid.collaborativeReviews)) return 'enhanced'
  return sharedInvestment(f, at) ? 'partnership' : 'collaborative'
}

/** the stage's conditions on `at`; a stage holds when it and every lower one hold; null before approval */
export function pyramidStatus(f: PartnerFacts, at: string, s: InsightSettings): { stage: PyramidStage | null; checks: StageCheck[] } {
  const certs = validCertificationCount(f, at)
  const reviews = f.plan?.reviews.length ?? 0
  const shared = sharedInvestment(f, at)
  const checks: StageCheck[] = [
    { stage: 'transactional', met: f.status === 'approved', missing: f.status === 'approved' ? [] : ['An approved partner'] },
    {
      stage: 'enhanced',
      met: certs >= s.pyramid.enhancedCertifications,
      missing: certs >= s.pyramid.enhancedCertifications ? [] : [`Add value: ${s.pyramid.enhancedCertifications} valid ${s.pyramid.enhancedCertifications === 1 ? 'certification' : 'certifications'} (now ${certs})`],
    },
    {
      stage: 'collaborative',
      met: f.plan !== null && reviews >= s.pyramid.collaborativeReviews,
      missing: f.plan === null ? ['A joint business plan'] : reviews < s.pyramid.collaborativeReviews ? [`Plan governance: ${s.pyramid.collaborativeReviews} plan ${s.pyramid.collaborativeReviews === 1 ? 'review' : 'reviews'} (now ${reviews})`] : [],
    },
    {
      stage: 'partnership',
      met: shared,
      missing: shared ? [] : ['A joint offering with shared investment (co-investment the partner also funds, or a co-funded head) in the last four quarters'],
    },
  ]
  let stage: PyramidStage | null = null
  for (const check of checks) {
    if (!check.met) break
    stage = check.stage
  }
  return { stage, checks }
}
