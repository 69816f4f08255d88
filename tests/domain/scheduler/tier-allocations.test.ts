// The scheduler's tier allocation policy: which partners get an allocation for the quarter, from which tier and settings.
import { describe, expect, it } from 'vitest'
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/settings/defaults.ts'
import type { SettingsHistory } from '../../../domain/settings/settings.ts'
import { dueTierAllocations, type PartnerInProgram } from '../../../domain/scheduler/index.ts'

const now = '2026-04-01T00:01:00.000Z'
const defaults: SettingsHistory = { status: 'Defaults', changes: [] }
const partner = (partnerId: string, joinedAt: string, tiers: [string, string][], allocated = false): PartnerInProgram =>
  ({ partnerId, joinedAt, tiers: tiers.map(([tier, from]) => ({ tier, from })), allocated })

describe('dueTierAllocations', () => {
  it('given approved partners without a Q2 allocation, when Q2 starts, then each gets one from its tier, with an id per partner and quarter', () => {
    const due = dueTierAllocations({
      partners: [
        partner('p-gold', '2025-06-01T10:00:00Z', [['silver', '2025-06-01T10:00:00Z'], ['gold', '2026-01-15T10:00:00Z']]),
        partner('p-reg', '2026-03-30T10:00:00Z', [['registered', '2026-03-30T10:00:00Z']]),
        partner('p-done', '2025-06-01T10:00:00Z', [['gold', '2025-06-01T10:00:00Z']], true),
      ],
      settings: defaults,
    }, now)
    expect(due.map((c) => [c.data.partnerId, c.data.tier, c.data.tierAmount, c.data.currency, c.metadata.commandId])).toEqual([
      ['p-gold', 'gold', 25_000, 'EUR', 'allocate-from-tier-p-gold-2026-Q2'],
      ['p-reg', 'registered', 0, 'EUR', 'allocate-from-tier-p-reg-2026-Q2'],
    ])
    expect(due[0]!.metadata.actor.userId).toBe('system:scheduler')
    expect(due[0]!.data.joinedAt).toBe('2025-06-01T10:00:00Z')
  })

  it('uses the tier held on the quarter’s first day: a change during the quarter counts from the next one', () => {
    const [command] = dueTierAllocations({
      partners: [partner('p-up', '2025-06-01T10:00:00Z', [['silver', '2025-06-01T10:00:00Z'], ['gold', '2026-04-20T10:00:00Z']])],
      settings: defaults,
    }, '2026-05-02T09:00:00.000Z')
    expect(command!.data.tier).toBe('silver')
  })

  it('uses the tier and the settings in force when a partner joins during the quarter', () => {
    const settings: SettingsHistory = {
      status: 'Changed',
      changes: [
        { effectiveFrom: '2026-01-01T00:00:00.000Z', settings: { ...DEFAULT_PROGRAM_SETTINGS, fundAllocationByTier: { ...DEFAULT_PROGRAM_SETTINGS.fundAllocationByTier, gold: 30_000 } } },
        { effectiveFrom: '2026-05-10T00:00:00.000Z', settings: { ...DEFAULT_PROGRAM_SETTINGS, fundAllocationByTier: { ...DEFAULT_PROGRAM_SETTINGS.fundAllocationByTier, gold: 40_000 } } },
      ],
    }
    const due = dueTierAllocations({
      partners: [partner('p-old', '2025-06-01T10:00:00Z', [['gold', '2025-06-01T10:00:00Z']]), partner('p-new', '2026-05-20T09:00:00Z', [['gold', '2026-05-20T09:00:00Z']])],
      settings,
    }, '2026-05-20T09:01:00.000Z')
    // the partner in the program since before the quarter: the settings of the quarter's first day
    expect(due.map((c) => [c.data.partnerId, c.data.tierAmount])).toEqual([['p-old', 30_000], ['p-new', 40_000]])
  })

  it('asks nothing for a partner already allocated, or without a tier yet', () => {
    expect(dueTierAllocations({ partners: [partner('p-x', '2025-06-01T10:00:00Z', [])], settings: defaults }, now)).toEqual([])
    expect(dueTierAllocations({ partners: [partner('p-x', '2025-06-01T10:00:00Z', [['gold', '2025-06-01T10:00:00Z']], true)], settings: defaults }, now)).toEqual([])
  })

  it('asks the same commands however often it runs (the decider then makes one allocation)', () => {
    const view = { partners: [partner('p-gold', '2025-06-01T10:00:00Z', [['gold', '2025-06-01T10:00:00Z']])], settings: defaults }
    expect(dueTierAllocations(view, now)).toEqual(dueTierAllocations(view, now))
  })
})
