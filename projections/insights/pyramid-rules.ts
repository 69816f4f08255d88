// Relationship pyramid stage from the kind of relationship the partner's facts show, read at a time.
import { validCertifications, type PartnerFacts } from './facts.ts'
import type { InsightSettings } from './settings.ts'
import { quarterOf, shiftQuarter } from './time.ts'

export const stages = ['transactional', 'enhanced', 'collaborative', 'partnership'] as const
export type PyramidStage = (typeof stages)[number]

export type StageCheck = { stage: PyramidStage; met: boolean; missing: string[] }

/** co-investments approved for the last four quarters (incl. `at`'s) where both sides put money in, or co-funded heads */
function sharedInvestments(f: PartnerFacts, at: string) {
  const oldest = shiftQuarter(quarterOf(at), -3)
  return Object.values(f.coInvestments).filter(
    (c) => c.approvedOn !== null && c.quarter >= oldest && (c.partnerInvestment > 0 || c.kind === 'cofunded_head'),
  )
}

/** the stage's conditions on `at`; a stage holds when it and every lower one hold; null before approval */
export function pyramidStatus(f: PartnerFacts, at: string, s: InsightSettings): { stage: PyramidStage | null; checks: StageCheck[] } {
  const certs = validCertifications(f, at).length
  const reviews = f.plan?.reviews.length ?? 0
  const shared = sharedInvestments(f, at).length
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
      met: shared > 0,
      missing: shared > 0 ? [] : ['A joint offering with shared investment (co-investment the partner also funds, or a co-funded head) in the last four quarters'],
    },
  ]
  let stage: PyramidStage | null = null
  for (const check of checks) {
    if (!check.met) break
    stage = check.stage
  }
  return { stage, checks }
}
