// Program settings over time: each change takes effect at a time, and `settingsInForce` answers what held when.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Instant } from '../shared/schemas.ts'
import { isAfter, compareInstants } from '../shared/time.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from './defaults.ts'

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

/** the settings effective at `at`: the latest change whose effectiveFrom is not after it (later-recorded wins a tie), else the defaults */
export function settingsInForce(history: SettingsHistory | SettingsEvent[], at: string): ProgramSettings {
  const changes = Array.isArray(history) ? history.filter((e) => e.type === 'ProgramSettingsChanged').map((e) => e.data) : history.changes
  let best: (typeof changes)[number] | undefined
  for (const change of changes) {
    if (isAfter(change.effectiveFrom, at)) continue
    if (!best || compareInstants(change.effectiveFrom, best.effectiveFrom) >= 0) best = change
  }
  return best?.settings ?? DEFAULT_PROGRAM_SETTINGS
}
