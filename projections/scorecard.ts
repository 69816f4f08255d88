// 5C scorecard inputs per partner (revenue, asset use, certifications, coverage, commitment); insights/ scores them.
import { factsProjection, type FactsDoc } from './insights/partner-projection.ts'

export type ScorecardDoc = FactsDoc

export const scorecardProjection = factsProjection('scorecard', 1)
