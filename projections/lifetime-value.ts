// Partner lifetime value inputs per partner: margin-bearing revenue, activity and churn signals, cost to serve; insights/lifetime-value.ts computes the value.
import { factsProjection, type FactsDoc } from './insights/partner-projection.ts'

export type LifetimeValueDoc = FactsDoc

export const lifetimeValueProjection = factsProjection('lifetime_value', 1)
