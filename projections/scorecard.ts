// 5C scorecard inputs per partner: the raw facts (won revenue by quarter, asset use, certifications, coverage, commitment); insights/scorecard.ts scores them.
import { factsProjection, type FactsDoc } from './insights/partner-projection.ts'

export type ScorecardDoc = FactsDoc

export const scorecardProjection = factsProjection('scorecard', 1)
