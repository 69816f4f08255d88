// Program settings as the insight projections see them: a shared document folded from ProgramSettingsChanged, read at an event's time.
import type { DomainRecordedEvent } from '../projection.ts'
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../../domain/settings/defaults.ts'
import { completeSettings, settingsInForce, type SettingsHistory } from '../../domain/settings/settings.ts'

/** key of the shared settings document in every insight projection (partner ids never start with '$') */
export const SETTINGS_KEY = '$settings'
export const SETTINGS_EVENT = 'ProgramSettingsChanged' as const

export type SettingsDoc = SettingsHistory

export const emptySettingsDoc = (): SettingsDoc => ({ status: 'Defaults', changes: [] })

/** evolves the shared settings document; effective dates are kept, so a future change applies only from its effectiveFrom */
export function evolveSettingsDoc(state: SettingsDoc, event: DomainRecordedEvent): SettingsDoc {
  if (event.type !== SETTINGS_EVENT) return state
  const { data } = event
  return { status: 'Changed', changes: [...state.changes, { effectiveFrom: data.effectiveFrom, settings: data.settings }] }
}

/**
 * Everything the insight read models weigh or compare against. Every number is a program setting (ProgramSettings in
 * domain/settings, same names; the trust weights are ProgramSettings.trustWeights), so a vendor admin changes them with
 * ProgramSettingsChanged from a date on (see docs/projections.md, "Settings").
 */
export type InsightSettings = {
  trust: ProgramSettings['trust'] & {
    /** gains ("drops") and losses ("gallons"; negative numbers) per kept or broken promise, by trust rule */
    weights: ProgramSettings['trustWeights']
  }
  journey: ProgramSettings['journey']
  scorecard: ProgramSettings['scorecard']
  pyramid: ProgramSettings['pyramid']
  lifetime: ProgramSettings['lifetime']
}

const cache = new WeakMap<object, InsightSettings>()

/** the insight settings a ProgramSettings value implies: the same groups and names (memoised per settings object) */
export function insightSettings(program: ProgramSettings): InsightSettings {
  const hit = cache.get(program)
  if (hit) return hit
  const { trust, trustWeights, journey, scorecard, pyramid, lifetime } = completeSettings(program)
  const s: InsightSettings = { trust: { ...trust, weights: trustWeights }, journey, scorecard, pyramid, lifetime }
  cache.set(program, s)
  return s
}

/** the insight settings before anyone changes the program settings: derived from DEFAULT_PROGRAM_SETTINGS, not a second copy */
export const INSIGHT_DEFAULTS: InsightSettings = insightSettings(DEFAULT_PROGRAM_SETTINGS)

/** settings in force at `at` (an ISO instant) given the shared settings document */
export function settingsAt(doc: SettingsDoc | undefined, at: string): InsightSettings {
  if (!doc || doc.changes.length === 0) return INSIGHT_DEFAULTS
  // every insight projection asks for the same event's settings in turn: the last answer, while the document is the same object
  if (last.doc === doc && last.at === at) return last.settings
  const settings = insightSettings(settingsInForce(doc, at))
  last = { doc, at, settings }
  return settings
}
let last: { doc: SettingsDoc | null; at: string; settings: InsightSettings } = { doc: null, at: '', settings: INSIGHT_DEFAULTS }

/** reads the shared settings document handed to evolve */
export const sharedSettings = (shared: Readonly<Record<string, unknown>>): SettingsDoc | undefined => shared[SETTINGS_KEY] as SettingsDoc | undefined
