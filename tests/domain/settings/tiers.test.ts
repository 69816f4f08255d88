// What a tier gives and what the next tier needs, from the tier rules.
import { describe, expect, it } from 'vitest'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from '../../../domain/settings/defaults.ts'
import { tierProgress } from '../../../domain/settings/tiers.ts'

describe('tierProgress', () => {
  it('given a silver partner with 1 certification and 3 won deals, then it gets silver’s allocation and sees gold’s thresholds against where it stands', () => {
    const progress = tierProgress(DEFAULT_PROGRAM_SETTINGS, 'silver', { certifications: 1, wonDeals: 3 })
    expect(progress.current).toEqual({ name: 'silver', rank: 1, allocationPerQuarter: 10_000, currency: 'EUR', unlocksAssets: 0, restrictedAssets: 0 })
    expect(progress.next).toEqual({
      name: 'gold', rank: 2, allocationPerQuarter: 25_000, currency: 'EUR', ready: false, unlocksAssets: 0, restrictedAssets: 0,
      requirements: [
        { kind: 'certifications', have: 1, need: 3, met: false, text: '1 of 3 valid certifications' },
        { kind: 'wonDeals', have: 3, need: 5, met: false, text: '3 of 5 won deals' },
      ],
    })
    expect(progress.tiers.map((t) => t.name)).toEqual(['registered', 'silver', 'gold', 'platinum'])
  })

  it('says when every threshold of the next tier is met, and leaves out a threshold of 0', () => {
    const settings = ProgramSettings.parse({
      tiers: [{ name: 'member', rank: 0 }, { name: 'select', rank: 1, minimumCertifications: 0, minimumWonDeals: 1 }],
      fundAllocationByTier: { member: 1_000, select: 4_000 },
    })
    const progress = tierProgress(settings, 'member', { certifications: 0, wonDeals: 1 })
    expect(progress.next).toMatchObject({ name: 'select', ready: true, requirements: [{ kind: 'wonDeals', text: '1 of 1 won deal', met: true }] })
  })

  it('has no next tier at the top, and a tier the settings no longer name has no offer (the lowest tier is next)', () => {
    expect(tierProgress(DEFAULT_PROGRAM_SETTINGS, 'platinum', { certifications: 9, wonDeals: 40 }).next).toBeNull()
    const renamed = tierProgress(DEFAULT_PROGRAM_SETTINGS, 'bronze', { certifications: 0, wonDeals: 0 })
    expect(renamed.current).toBeNull()
    expect(renamed.next?.name).toBe('registered')
  })

  it('counts the library assets each tier unlocks, and those a partner of the tier sees beyond the entry tier', () => {
    const progress = tierProgress(DEFAULT_PROGRAM_SETTINGS, 'silver', { certifications: 0, wonDeals: 0 }, { Silver: 2, gold: 3, platinum: 1 })
    expect(progress.current).toMatchObject({ unlocksAssets: 2, restrictedAssets: 2 })
    expect(progress.next).toMatchObject({ name: 'gold', unlocksAssets: 3, restrictedAssets: 5 })
  })

  it('gives a tier missing from the allocations 0', () => {
    const settings = ProgramSettings.parse({ fundAllocationByTier: { silver: 5_000 } })
    expect(tierProgress(settings, 'gold', { certifications: 0, wonDeals: 0 }).current?.allocationPerQuarter).toBe(0)
  })
})
