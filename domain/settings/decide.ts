// Program settings rules: only a vendor admin changes them, never retroactively.
import { z } from 'zod'
import { requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { ValidationError } from '../shared/errors.ts'
import { Instant, parseData } from '../shared/schemas.ts'
import { list, moneyOrZero, singleLine } from '../shared/fields.ts'
import { dateOf, isBefore } from '../shared/time.ts'
import { ProgramSettings, settingsProblems } from './defaults.ts'
import { evolve, initialState, type ProgramSettingsChanged, type SettingsEvent, type SettingsHistory } from './settings.ts'

export const ChangeProgramSettingsData = z.object({ effectiveFrom: Instant, settings: ProgramSettings })
/** at most this many tiers, each named in one short line */
export const MAX_TIERS = 20
export const MAX_TIER_NAME = 40
/** the input bounds of a change (the stored settings schema is the event's, read on every replay: it stays as it was) */
const SettingsChangeBounds = z.object({
  settings: z.object({
    tiers: list(z.object({ name: singleLine(MAX_TIER_NAME) }), MAX_TIERS).optional(),
    fundAllocationByTier: z.record(singleLine(MAX_TIER_NAME), moneyOrZero()).optional(),
    pyramid: z.object({ workshopCost: moneyOrZero().optional() }).optional(),
  }),
})
export const settingsCommandSchemas = { ChangeProgramSettings: ChangeProgramSettingsData } as const

export type ChangeProgramSettings = Command<'ChangeProgramSettings', z.input<typeof ChangeProgramSettingsData>>
export type SettingsCommand = ChangeProgramSettings
export type SettingsCommandType = SettingsCommand['type']

export function changeProgramSettings(command: ChangeProgramSettings, _state: SettingsHistory): ProgramSettingsChanged {
  parseData(SettingsChangeBounds, command.data)
  const data = parseData(ChangeProgramSettingsData, command.data)
  requireVendor(command.metadata.actor, 'change program settings', ['vendor_admin'])
  if (isBefore(data.effectiveFrom, command.metadata.now))
    throw new ValidationError(`Settings cannot change the past; choose ${dateOf(command.metadata.now)} or later for effectiveFrom`, 'effectiveFrom')
  const ranks = data.settings.tiers.map((t) => t.rank)
  const names = data.settings.tiers.map((t) => t.name)
  if (new Set(ranks).size !== ranks.length || new Set(names).size !== names.length)
    throw new ValidationError('Each tier needs its own name and rank', 'settings.tiers')
  const unknown = Object.keys(data.settings.fundAllocationByTier).filter((t) => !names.includes(t))
  if (unknown.length) throw new ValidationError(`Fund allocations name unknown tiers: ${unknown.join(', ')}`, 'settings.fundAllocationByTier')
  const [problem] = settingsProblems(data.settings)
  if (problem) throw new ValidationError(`${problem[1]} (${problem[0]})`, `settings.${problem[0]}`)
  return { type: 'ProgramSettingsChanged', data }
}

export function decide(command: SettingsCommand, state: SettingsHistory): SettingsEvent | SettingsEvent[] {
  switch (command.type) {
    case 'ChangeProgramSettings':
      return changeProgramSettings(command, state)
    default: {
      // a one-command union narrows by its type string, not by the object
      const _exhaustive: never = command.type
      throw new ValidationError(`Unknown command ${String(_exhaustive)}`)
    }
  }
}

export const SettingsDecider: Decider<SettingsCommand, SettingsEvent, SettingsHistory> = { initialState, evolve, decide }
