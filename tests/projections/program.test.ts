// Program summary: funnel per phase, pyramid shape, and co-investment against pipeline per quarter.
import { describe, expect, test } from 'vitest'
import { programSummary } from '../../projections/insights/program.ts'
import { journeyProjection } from '../../projections/journey.ts'
import { programProjection } from '../../projections/program.ts'
import { pyramidDocOf } from '../../projections/pyramid.ts'
import { e, ev, fold } from './insights-fixtures.ts'

describe('program summary', () => {
  const events = [
    e.applied('2026-01-01', 'a'), e.approved('2026-01-02', 'a'), e.applied('2026-01-01', 'b'),
    e.registered('2026-01-05', 'd1', 'a', 50_000), e.registered('2026-04-05', 'd2', 'a', 30_000), e.won('2026-04-20', 'd1', 40_000, 'a'),
    e.coRequested('2026-01-06', 'co', '2026-Q1', 'a'), e.coApproved('2026-01-07', 'co', '2026-Q1', 800, 'a'), e.claimPaid('2026-04-02', 'co', '2026-Q1', 800, 'a'),
  ]

  test('counts quarters by close, payment and allocation quarter', () => {
    const docs = fold(programProjection, events)
    expect(docs.get('2026-Q1')).toMatchObject({ dealsRegistered: 1, pipelineRegistered: 50_000, coInvestmentRequested: 1000, expectedPipeline: 10_000, coInvestmentApproved: 800, coInvestmentPaid: 0 })
    expect(docs.get('2026-Q2')).toMatchObject({ dealsRegistered: 1, pipelineRegistered: 30_000, dealsWon: 1, wonRevenue: 40_000, coInvestmentPaid: 800 })
  })

  test('counts the funds allocated from the tiers and the vendor’s changes in their quarter', () => {
    const tier = { partnerId: 'a', tier: 'gold', currency: 'EUR', rule: 'full_quarter', tierAmount: 25_000, from: '2026-04-01', daysCovered: 91, daysInQuarter: 91 }
    const docs = fold(programProjection, [
      ev('FundsAllocatedByTier', { ...tier, quarter: '2026-Q2', amount: 25_000 }, '2026-04-01T00:01:00Z'),
      ev('FundsAllocatedByTier', { ...tier, partnerId: 'b', quarter: '2026-Q2', amount: 10_000, tier: 'silver', tierAmount: 10_000 }, '2026-04-01T00:01:00Z'),
      ev('AllocationAdjusted', { partnerId: 'a', quarter: '2026-Q2', from: 25_000, to: 20_000, currency: 'EUR', reason: 'Shared with a sister company' }, '2026-05-03T09:00:00Z'),
    ])
    expect(docs.get('2026-Q2')).toMatchObject({ fundsAllocated: 30_000 })
  })

  test('one call gives funnel, pyramid and co-investment vs pipeline', () => {
    const summary = programSummary(
      {
        journey: [...fold(journeyProjection, events).values()],
        pyramid: [...fold(journeyProjection, events).values()].filter((d) => d.partnerId).map(pyramidDocOf),
        program: [...fold(programProjection, events).values()],
      },
      '2026-05-01T00:00:00Z',
      null,
      2,
    )
    expect(summary.funnel).toEqual({ interest: 1, recruitment: 1, activation: 0, investment: 0, devotion: 0 })
    expect(summary.pyramid.levels[0]).toMatchObject({ stage: 'transactional', partners: 1 })
    expect(summary.quarters.map((q) => q.quarter)).toEqual(['2026-Q1', '2026-Q2'])
    expect(summary.quarters[0]!.approvedPerPipeline).toBe(0.02)
    expect(summary.total).toMatchObject({ quarter: '2026-Q1..2026-Q2', pipelineRegistered: 80_000, coInvestmentApproved: 800, coInvestmentPaid: 800, wonRevenue: 40_000, paidPerRevenue: 0.02 })
  })
})
