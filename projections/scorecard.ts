// 5C scorecard inputs per partner: the facts of the partner's journey document (decision 026); insights/ scores them.
import type { FactsDoc } from './insights/partner-projection.ts'

export type ScorecardDoc = FactsDoc
