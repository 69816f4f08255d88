import { describe, expect, it } from 'vitest'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings, SettingsDecider, settingsInForce, type SettingsEvent } from '../../domain/settings/index.ts'
import { ForbiddenError, ValidationError } from '../../domain/shared/errors.ts'
import { channelManager, command, given, vendorAdmin } from './support/given.ts'

const change = (effectiveFrom: string, settings = {}, actor = vendorAdmin) => command('ChangeProgramSettings', { effectiveFrom, settings }, { actor })
const changed = (effectiveFrom: string, patch = {}): SettingsEvent => ({ type: 'ProgramSettingsChanged', data: { effectiveFrom, settings: ProgramSettings.parse(patch) } })

describe('settings', () => {
  it('a vendor admin changes settings from now on, defaults filled in', () => {
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { dealProtectionDays: 120 })).then([changed('2026-06-01T00:00:00Z', { dealProtectionDays: 120 })])
  })
  it('refuses changing the past, channel managers, and inconsistent tiers', () => {
    given(SettingsDecider).when(change('2026-05-01T00:00:00Z')).thenThrows(ValidationError, /cannot change the past/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', {}, channelManager)).thenThrows(ForbiddenError, /vendor admin/)
    given(SettingsDecider)
      .when(change('2026-06-01T00:00:00Z', { tiers: [{ name: 'a', rank: 0 }, { name: 'b', rank: 0 }] }))
      .thenThrows(ValidationError, /own name and rank/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { fundAllocationByTier: { diamond: 1 } })).thenThrows(ValidationError, /unknown tiers: diamond/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { dealProtectionDays: 0 })).thenThrows(ValidationError, /dealProtectionDays/)
  })
  it('settingsInForce returns the settings effective at a time', () => {
    const history = [changed('2026-06-01T00:00:00Z', { dealProtectionDays: 120 }), changed('2026-09-01T00:00:00Z', { dealProtectionDays: 60 })]
    expect(settingsInForce(history, '2026-05-31T23:59:59Z')).toEqual(DEFAULT_PROGRAM_SETTINGS)
    expect(settingsInForce(history, '2026-06-01T00:00:00Z').dealProtectionDays).toBe(120)
    expect(settingsInForce(given(SettingsDecider, history).state, '2026-12-01T00:00:00Z').dealProtectionDays).toBe(60)
  })
  it('documents the defaults in one place', () => {
    expect(DEFAULT_PROGRAM_SETTINGS).toMatchObject({ dealProtectionDays: 90, dealExtensionDays: 60, reviewSlaBusinessDays: 2, claimDeadlineDays: 90 })
  })
})
