// Lifetime value inputs per partner: the facts of the partner's journey document (decision 026); insights/ computes the value.
import type { FactsDoc } from './insights/partner-projection.ts'

export type LifetimeValueDoc = FactsDoc
