import { describe, expect, it } from 'vitest'
import { changeInForce, completeSettings, DEFAULT_PROGRAM_SETTINGS, ProgramSettings, SettingsDecider, settingsInForce, type SettingsEvent } from '../../domain/settings/index.ts'
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
  it('refuses a number out of bounds with the bound as the settings form shows it (a rate as a percentage)', () => {
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { dealProtectionDays: 0 })).thenThrows(ValidationError, /Use more than 0$/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { journey: { devotionQuarters: 2.5 } })).thenThrows(ValidationError, /Use a whole number$/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { trust: { initial: 101 } })).thenThrows(ValidationError, /Use 100 or less$/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { trustWeights: { dealLostToDirect: 5 } })).thenThrows(ValidationError, /Use 0 or less$/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { lifetime: { marginRate: 1.5 } })).thenThrows(ValidationError, /Use 100 % or less$/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { lifetime: { minChurn: 0 } })).thenThrows(ValidationError, /Use more than 0 %$/)
  })
  it('the change in force at a time, and the one that takes effect last (what the next change starts from)', () => {
    const june = { effectiveFrom: '2026-06-01T00:00:00Z', id: 'june' }
    const september = { effectiveFrom: '2026-09-01T00:00:00Z', id: 'september' }
    const juneAgain = { effectiveFrom: '2026-06-01T00:00:00Z', id: 'june again' }
    // given the changes in the order they were recorded, when asked at a time, then the latest not after it
    expect(changeInForce([june, september], '2026-05-31T23:59:59Z')).toBeUndefined()
    expect(changeInForce([june, september], '2026-07-01T00:00:00Z')).toBe(june)
    expect(changeInForce([june, september], '2026-09-01T00:00:00Z')).toBe(september)
    // a tie goes to the change recorded later
    expect(changeInForce([june, september, juneAgain], '2026-07-01T00:00:00Z')).toBe(juneAgain)
    // without a time: the change that takes effect last, scheduled or not
    expect(changeInForce([september, june])).toBe(september)
    expect(changeInForce([])).toBeUndefined()
  })
  it('documents the defaults in one place', () => {
    expect(DEFAULT_PROGRAM_SETTINGS).toMatchObject({ dealProtectionDays: 90, dealExtensionDays: 60, reviewSlaBusinessDays: 2, claimDeadlineDays: 90 })
  })
  it('carries every insight number: trust, trust weights by rule, journey, scorecard, pyramid, lifetime', () => {
    expect(DEFAULT_PROGRAM_SETTINGS.trust).toEqual({ initial: 50, psatGoodAtLeast: 8, psatLowAtMost: 5, claimPaymentDays: 30 })
    expect(DEFAULT_PROGRAM_SETTINGS.trustWeights).toEqual({
      dealReviewedWithinSla: 1, dealWon: 3, claimPaidOnTime: 1, workshopHeldAsScheduled: 2, psatGood: 1, planOnTrack: 1,
      dealReviewSlaBreached: -10, dealLostToDirect: -15, claimPaidLate: -8, claimPaidPartially: -5, claimRejected: -5,
      channelManagerReassigned: -8, psatLow: -10, workshopCancelledByVendor: -5, planOffTrack: -10,
    })
    expect(DEFAULT_PROGRAM_SETTINGS.journey).toEqual({
      activationCertifications: 1, activationApprovedDeals: 1, devotionQuarters: 4, devotionWonQuarters: 4, devotionWonDeals: 5, devotionTrust: 50, planReviewGraceDays: 30,
    })
    expect(DEFAULT_PROGRAM_SETTINGS.scorecard).toEqual({
      groupBy: 'tier', weights: { contribution: 30, consumption: 15, coverage: 20, capability: 15, commitment: 20 }, assetUse: { viewed: 1, downloaded: 2, cobranded: 3, shared: 3 },
    })
    expect(DEFAULT_PROGRAM_SETTINGS.pyramid).toEqual({ enhancedCertifications: 1, collaborativeReviews: 1, workshopCost: 2000 })
    expect(DEFAULT_PROGRAM_SETTINGS.lifetime).toEqual({
      marginRate: 0.25, baseChurn: 0.1, inactiveDays: 90, inactiveChurn: 0.25, noWinQuarters: 2, noWinChurn: 0.15, certificationsLapsedChurn: 0.1,
      lowPsatChurn: 0.1, lowTrust: 30, lowTrustChurn: 0.1, minChurn: 0.02, maxChurn: 0.9, maxLifetimeYears: 10,
    })
    // a partial group keeps the defaults of the numbers it leaves out
    expect(ProgramSettings.parse({ scorecard: { weights: { contribution: 50 } } }).scorecard.weights).toEqual({ contribution: 50, consumption: 15, coverage: 20, capability: 15, commitment: 20 })
  })
  it('bounds every number', () => {
    for (const patch of [
      { trust: { initial: 101 } }, { trust: { psatGoodAtLeast: 11 } }, { trust: { claimPaymentDays: 0 } },
      { trustWeights: { dealWon: -1 } }, { trustWeights: { dealLostToDirect: 5 } }, { trustWeights: { psatLow: -101 } },
      { journey: { devotionQuarters: 0 } }, { journey: { activationCertifications: 1.5 } }, { journey: { devotionTrust: -1 } },
      { scorecard: { groupBy: 'region' } }, { scorecard: { weights: { coverage: -1 } } }, { scorecard: { assetUse: { shared: -2 } } },
      { pyramid: { workshopCost: -1 } }, { lifetime: { marginRate: 1.5 } }, { lifetime: { minChurn: 0 } }, { lifetime: { maxLifetimeYears: 0 } },
    ]) expect(ProgramSettings.safeParse(patch).success, JSON.stringify(patch)).toBe(false)
  })
  it('refuses settings that contradict themselves, naming the field', () => {
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { trust: { psatLowAtMost: 8 } })).thenThrows(ValidationError, /trust\.psatLowAtMost/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { journey: { devotionQuarters: 2 } })).thenThrows(ValidationError, /journey\.devotionWonQuarters/)
    given(SettingsDecider).when(change('2026-06-01T00:00:00Z', { lifetime: { minChurn: 0.5, maxChurn: 0.4 } })).thenThrows(ValidationError, /lifetime\.maxChurn/)
    given(SettingsDecider)
      .when(change('2026-06-01T00:00:00Z', { scorecard: { weights: { contribution: 0, consumption: 0, coverage: 0, capability: 0, commitment: 0 } } }))
      .thenThrows(ValidationError, /scorecard\.weights/)
  })
  it('reads trust weights stored under their old names as the rules they meant, and drops the unused ones', () => {
    const old = { trustWeights: { dealWon: 4, claimPaid: 2, workshopHeld: 3, surveyAnswered: 2, workshopCancelled: -7, dealRegistered: 1, certificationLapsed: -5 }, journey: { devotionTrust: 60, investmentWonDeals: 2 } }
    const read = ProgramSettings.parse(old)
    expect(read.trustWeights).toMatchObject({ dealWon: 4, claimPaidOnTime: 2, workshopHeldAsScheduled: 3, psatGood: 2, workshopCancelledByVendor: -7, dealLostToDirect: -15 })
    expect(read.trustWeights).not.toHaveProperty('claimPaid')
    expect(read.trustWeights).not.toHaveProperty('dealRegistered')
    expect(read.journey).toEqual({ ...DEFAULT_PROGRAM_SETTINGS.journey, devotionTrust: 60 })
    // the same holds for settings kept in a read model before the rename: settingsInForce completes them
    const stored = { ...DEFAULT_PROGRAM_SETTINGS, ...old } as unknown as ProgramSettings
    const inForce = settingsInForce({ status: 'Changed', changes: [{ effectiveFrom: '2026-01-01T00:00:00Z', settings: stored }] }, '2026-02-01T00:00:00Z')
    expect(inForce.trustWeights.claimPaidOnTime).toBe(2)
    expect(inForce.lifetime).toEqual(DEFAULT_PROGRAM_SETTINGS.lifetime)
    expect(completeSettings(stored)).toBe(inForce)
  })
})
