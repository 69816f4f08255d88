// Pure query functions over the insight read models: pages pass the documents and `now`, and get what they show.
export { journeyFunnel, journeyNow, journeyStatus, type JourneyNow, type JourneyStatus, type PhaseCheck } from './journey.ts'
export { trustBreakdown, trustOn, trustSeries, type TrustPoint } from './trust.ts'
export { Cs, rawMeasures, scorecardFor, scorecards, type C, type RawMeasures, type ScorecardRow } from './scorecard.ts'
export { programPyramid, pyramidNow, vendorEffort, type ProgramPyramid, type PyramidLevel, type PyramidNow, type PyramidPartner } from './pyramid.ts'
export { lifetimeValue, lifetimeValues, type ChurnSignal, type LifetimeValue } from './lifetime-value.ts'
export { programSummary, type CoInvestmentVsPipeline, type ProgramSummary } from './program.ts'
export { INSIGHT_DEFAULTS, SETTINGS_KEY, insightSettings, settingsAt, type InsightSettings, type SettingsDoc } from './settings.ts'

/** true for a partner document (the shared settings document of each insight projection has the key SETTINGS_KEY and no partnerId) */
export const isPartnerDoc = <T>(doc: T | null | undefined): doc is T & { partnerId: string } =>
  typeof doc === 'object' && doc !== null && typeof (doc as { partnerId?: unknown }).partnerId === 'string'
