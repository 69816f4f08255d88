// Lifetime value inputs per partner (revenue, activity, churn signals, cost to serve); insights/ computes the value.
import { factsProjection, type FactsDoc } from './insights/partner-projection.ts'

export type LifetimeValueDoc = FactsDoc

export const lifetimeValueProjection = factsProjection('lifetime_value', 1)
