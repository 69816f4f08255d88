// Program settings over time: each change takes effect at a time, and `settingsInForce` answers what held when.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Instant } from '../shared/schemas.ts'
import { isAfter, compareInstants } from '../shared/time.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings, upgradeTrustWeights } from './defaults.ts'

export const STREAM_ID = 'settings-program'
export const streamId = (_id = 'program') => `settings-${_id}`

export const ProgramSettingsChangedData = z.object({
  effectiveFrom: Instant.describe('the settings apply from then on'),
  settings: ProgramSettings.describe('the complete settings, defaults filled in'),
})
export const settingsEventSchemas = { ProgramSettingsChanged: ProgramSettingsChangedData } as const

export type ProgramSettingsChanged = DomainEvent<'ProgramSettingsChanged', z.infer<typeof ProgramSettingsChangedData>>
export type SettingsEvent = ProgramSettingsChanged
export type SettingsEventType = SettingsEvent['type']

export type SettingsHistory = { status: 'Defaults' | 'Changed'; changes: z.infer<typeof ProgramSettingsChangedData>[] }

export const initialState = (): SettingsHistory => ({ status: 'Defaults', changes: [] })

export function evolve(state: SettingsHistory, event: SettingsEvent): SettingsHistory {
  if (event.type !== 'ProgramSettingsChanged') return state
  return { status: 'Changed', changes: [...state.changes, event.data] }
}

/**
 * The change in force at `at`: the latest whose effectiveFrom is not after it (later-recorded wins a tie); without
 * `at`, the change that takes effect last, scheduled ones included (what the next change starts from).
 */
export function changeInForce<C extends { effectiveFrom: string }>(changes: readonly C[], at?: string): C | undefined {
  let best: C | undefined
  for (const change of changes) {
    if (at !== undefined && isAfter(change.effectiveFrom, at)) continue
    if (!best || compareInstants(change.effectiveFrom, best.effectiveFrom) >= 0) best = change
  }
  return best
}

/** the settings effective at `at`: those of the change in force then, else the defaults */
export function settingsInForce(history: SettingsHistory | SettingsEvent[], at: string): ProgramSettings {
  const changes = Array.isArray(history) ? history.filter((e) => e.type === 'ProgramSettingsChanged').map((e) => e.data) : history.changes
  const best = changeInForce(changes, at)
  return best ? completeSettings(best.settings) : DEFAULT_PROGRAM_SETTINGS
}

const completed = new WeakMap<object, ProgramSettings>()

/**
 * A stored settings value in today's shape: read models and tests may hold settings recorded before a group or a name
 * existed (no `trust`, `scorecard`, ... ; trust weights under their old names); parsing fills the defaults and maps the
 * old names. Memoised per object, so a settings value is parsed once however often it is read.
 */
export function completeSettings(settings: ProgramSettings): ProgramSettings {
  if (settings === DEFAULT_PROGRAM_SETTINGS) return settings
  const hit = completed.get(settings)
  if (hit) return hit
  // the same settings read again as a new object (a read model parsed per request): one parse per distinct value,
  // and the same completed object, so the caches keyed by it hit too
  const text = JSON.stringify(settings)
  let complete = completedByText.get(text)
  if (!complete) {
    const parsed = ProgramSettings.safeParse(settings)
    complete = parsed.success ? parsed.data : lenient(settings)
    if (completedByText.size >= 200) completedByText.delete(completedByText.keys().next().value!)
    completedByText.set(text, complete)
  }
  completed.set(settings, complete)
  return complete
}
const completedByText = new Map<string, ProgramSettings>()

/** a value the schema no longer accepts (bounds added later) keeps its own numbers where it has them, the defaults elsewhere */
function lenient(settings: ProgramSettings): ProgramSettings {
  const d = DEFAULT_PROGRAM_SETTINGS
  const given = settings as unknown as Partial<Record<keyof ProgramSettings, Record<string, unknown>>>
  const group = <K extends keyof ProgramSettings>(key: K, value: unknown = given[key]) =>
    ({ ...(d[key] as object), ...(typeof value === 'object' && value !== null ? value : {}) }) as ProgramSettings[K]
  const scorecard = group('scorecard')
  return {
    ...d, ...settings,
    trust: group('trust'), trustWeights: group('trustWeights', upgradeTrustWeights(given.trustWeights)), journey: group('journey'),
    scorecard: { ...scorecard, weights: { ...d.scorecard.weights, ...scorecard.weights }, assetUse: { ...d.scorecard.assetUse, ...scorecard.assetUse } },
    pyramid: group('pyramid'), lifetime: group('lifetime'),
  }
}
