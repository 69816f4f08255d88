// 5C scorecard: raw facts per partner, normalised within the group, composite, rank and trend; certifications expire.
import { describe, expect, test } from 'vitest'
import { scorecards, rawMeasures } from '../../projections/insights/scorecard.ts'
import { journeyProjection } from '../../projections/journey.ts'
import { e, fold } from './insights-fixtures.ts'

function history() {
  return [
    e.applied('2025-06-01', 'a', { geographies: ['DE', 'FR'], segments: ['smb', 'public'] }), e.approved('2025-06-02', 'a', 'silver'),
    e.applied('2025-06-01', 'b'), e.approved('2025-06-02', 'b', 'silver'),
    e.applied('2025-06-01', 'g'), e.approved('2025-06-02', 'g', 'gold'),
    e.applied('2025-06-01', 'x'), // not approved: not scored
    // a: revenue in 2025-Q4 and 2026-Q1, two customers; b: revenue only in 2026-Q1, one customer
    e.registered('2025-11-01', 'a1', 'a', 1, 'one.example'), e.won('2025-11-05', 'a1', 30_000, 'a'),
    e.registered('2026-02-01', 'a2', 'a', 1, 'two.example'), e.won('2026-02-05', 'a2', 10_000, 'a'),
    e.registered('2026-02-01', 'b1', 'b', 1, 'one.example'), e.won('2026-02-06', 'b1', 20_000, 'b'),
    e.registered('2024-01-01', 'a0', 'a', 1, 'old.example'), e.won('2024-12-01T00:00:00Z', 'a0', 99_000, 'a'), // outside the four quarters
    e.certified('2025-07-01', '2026-02-28', 'a'), e.certified('2025-07-01', '2027-01-01', 'b'),
    e.assetViewed('2026-01-10', 'b'), e.assetViewed('2026-01-11', 'b'), e.completed('2026-01-12', 'a'),
    e.coRequested('2026-01-02', 'co', '2026-Q1', 'b'), e.coApproved('2026-01-03', 'co', '2026-Q1', 4000, 'b'), e.plan('2026-01-04', 'a'),
    e.workshopHeld('2026-01-05', true, 'a'),
  ]
}

describe('scorecard', () => {
  const docs = [...fold(journeyProjection, history()).values()]

  test('keeps raw facts per partner and measures the four quarters ending with now', () => {
    const a = docs.find((d) => d.partnerId === 'a')!
    expect(a.facts.won['2025-Q4']).toEqual({ revenue: 30_000, deals: 1 })
    const raw = rawMeasures(a.facts, '2026-02-15T00:00:00Z')
    expect(raw.contribution.wonRevenue).toBe(40_000)
    expect(raw.coverage).toEqual({ geographies: 2, segments: 2, customers: 2 })
    expect(raw.capability.certifications).toBe(1)
    expect(raw.commitment).toEqual({ coInvestment: 0, planInForce: 1, workshops: 1 })
  })

  test('normalises each C within the group, ranks by composite and shows the trend', () => {
    const rows = scorecards(docs, '2026-02-15T00:00:00Z')
    expect(rows.map((r) => [r.group, r.partnerId, r.rank, r.groupSize])).toEqual([
      ['gold', 'g', 1, 1],
      ['silver', 'a', 1, 2],
      ['silver', 'b', 2, 2],
    ])
    const [, a, b] = rows
    expect(a!.scores.contribution).toBe(100)
    expect(b!.scores.contribution).toBe(50)
    // coverage: mean of geographies 2/2, segments 2/2 ... and customers 2/2 for a; 1/2, 1/2, 1/2 for b
    expect(a!.scores.coverage).toBe(100)
    expect(b!.scores.coverage).toBe(50)
    expect(b!.scores.consumption).toBe(50) // asset use 2/2, completions 0/1
    expect(a!.scores.consumption).toBe(50)
    // composite = weighted mean with the default weights 30/15/20/15/20
    const w = { contribution: 30, consumption: 15, coverage: 20, capability: 15, commitment: 20 }
    const expected = (s: Record<string, number>) => Math.round((Object.entries(w).reduce((n, [c, x]) => n + s[c]! * x, 0) / 100) * 100) / 100
    expect(a!.composite).toBe(expected(a!.scores))
    // trend against 2025-Q4's end: a had all the revenue then, b none
    expect(a!.previousComposite).not.toBeNull()
    expect(b!.trend).toBeGreaterThan(0)
  })

  test('an expired certification no longer counts for capability', () => {
    const rows = scorecards(docs, '2026-03-15T00:00:00Z')
    const a = rows.find((r) => r.partnerId === 'a')!
    const b = rows.find((r) => r.partnerId === 'b')!
    expect(a.raw.capability.certifications).toBe(0)
    expect(a.scores.capability).toBe(0)
    expect(b.scores.capability).toBe(100)
  })

  test('an empty group gives zero scores, not NaN; equal composites share a rank', () => {
    const rows = scorecards(docs.filter((d) => d.partnerId === 'g'), '2026-02-15T00:00:00Z')
    // alone in its group: what it has is the group's best (geographies, segments), what nobody has scores 0, never NaN
    expect(rows[0]!.scores).toEqual({ contribution: 0, consumption: 0, coverage: 66.67, capability: 0, commitment: 0 })
    expect(rows[0]!.composite).toBe(13.33)
    const twins = [...fold(journeyProjection, [e.applied('2026-01-01', 'm'), e.approved('2026-01-02', 'm'), e.applied('2026-01-01', 'n'), e.approved('2026-01-02', 'n')]).values()]
    expect(scorecards(twins, '2026-02-01T00:00:00Z').map((r) => r.rank)).toEqual([1, 1])
  })
})
