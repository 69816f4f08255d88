// Partner lifetime value: margin per year x expected lifetime minus cost to serve, with churn signals and inputs shown.
import { describe, expect, test } from 'vitest'
import { lifetimeValue } from '../../projections/insights/lifetime-value.ts'
import { journeyProjection } from '../../projections/journey.ts'
import type { LifetimeValueDoc } from '../../projections/lifetime-value.ts'
import { e, fold, P } from './insights-fixtures.ts'

describe('lifetime value', () => {
  const healthy = [
    e.applied('2025-01-01'), e.approved('2025-01-02'), e.certified('2025-01-03', '2027-01-01'),
    e.registered('2025-10-01', 'd1'), e.won('2025-10-10', 'd1', 40_000),
    e.registered('2026-01-01', 'd2'), e.won('2026-01-10', 'd2', 60_000),
    e.coRequested('2026-01-02', 'co', '2026-Q1', P, { kind: 'cofunded_head' }), e.coApproved('2026-01-03', 'co', '2026-Q1', 5000),
    e.claimApproved('2026-01-20', 'co', '2026-Q1', 5000), e.claimPaid('2026-02-01', 'co', '2026-Q1', 5000),
  ]

  test('a healthy partner: base churn, lifetime 1/churn, value = (margin - cost) x lifetime', () => {
    const doc = fold(journeyProjection, healthy).get(P) as LifetimeValueDoc
    const v = lifetimeValue(doc, '2026-02-15T00:00:00Z')
    expect(v).toMatchObject({
      yearlyRevenue: 100_000, marginRate: 0.25, yearlyMargin: 25_000, yearlyCostToServe: 5000, yearlyHeadsCost: 5000,
      churnSignals: [], churnRate: 0.1, expectedLifetimeYears: 10, lifetimeMargin: 250_000, lifetimeCostToServe: 50_000, value: 200_000,
    })
  })

  test('churn signals shorten the lifetime: inactivity, no wins, all certifications lapsed, low PSAT, low trust', () => {
    const doc = fold(journeyProjection, [
      ...healthy, e.lapsed('2026-02-02', '2026-02-01'), e.survey('2026-02-03', 2),
      e.lost('2026-02-04', 'x1', true), e.lost('2026-02-05', 'x2', true),
    ]).get(P) as LifetimeValueDoc
    const v = lifetimeValue(doc, '2026-12-01T00:00:00Z')
    expect(v.churnSignals.map((s) => s.signal)).toEqual([
      'No activity for more than 90 days', 'No won deal in the last 2 quarters', 'Every certification has lapsed', 'Last PSAT answer low (2 of 10)', 'Trust below 30 (17)',
    ])
    expect(v.churnRate).toBe(0.8)
    expect(v.expectedLifetimeYears).toBe(1.25)
    expect(v.yearlyRevenue).toBe(60_000) // 2025-Q4 fell out of the four quarters
    expect(v.value).toBe(Math.round((15_000 - 5000) * 1.25 * 100) / 100)
  })
})
