// Trust: small drops for kept promises, gallons for broken ones, bounded 0-100, each change in the history.
import { describe, expect, test } from 'vitest'
import { DEFAULT_PROGRAM_SETTINGS } from '../../domain/settings/defaults.ts'
import { trustBreakdown, trustOn, trustSeries } from '../../projections/insights/trust.ts'
import { journeyProjection, type JourneyDoc } from '../../projections/journey.ts'
import { trustProjection, type TrustDoc } from '../../projections/trust.ts'
import { e, fold, P } from './insights-fixtures.ts'

const trustOf = (events: Parameters<typeof fold>[1]) => fold(trustProjection, events).get(P) as TrustDoc

describe('trust', () => {
  test('a review within SLA is a drop; a breach is one gallon even when the late review follows', () => {
    const doc = trustOf([
      e.dealApproved('2026-01-02', 'd1'), // +1
      e.breached('2026-01-05', 'd2'), // -10
      e.dealApproved('2026-01-06', 'd2', P, false), // already counted
      e.dealRejected('2026-01-07', 'd3', P, false), // late without a breach event: -10
    ])
    expect(doc.history.map((h) => [h.rule, h.delta, h.value])).toEqual([
      ['dealReviewedWithinSla', 1, 51],
      ['dealReviewSlaBreached', -10, 41],
      ['dealReviewSlaBreached', -10, 31],
    ])
    expect(doc.drops).toBe(1)
    expect(doc.gallons).toBe(2)
    expect(doc.pending.breachedDeals).toEqual([])
  })

  test('a breached deal that then closes without a review (withdrawn, superseded) is forgotten, in trust and in the facts', () => {
    const history = [
      e.breached('2026-01-05', 'd1'), // -10
      e.breached('2026-01-05', 'd2'), // -10
      e.breached('2026-01-05', 'd3'), // -10
      e.withdrawn('2026-01-06', 'd1'),
      e.superseded('2026-01-07', 'd2', 'd9'),
      e.withdrawn('2026-01-08', 'd4'), // never breached: nothing
    ]
    const doc = trustOf(history)
    expect(doc.pending.breachedDeals).toEqual(['d3'])
    expect(doc.value).toBe(50 - 30)
    expect(doc.history.map((h) => h.rule)).toEqual(['dealReviewSlaBreached', 'dealReviewSlaBreached', 'dealReviewSlaBreached'])
    const journey = fold(journeyProjection, history).get(P) as JourneyDoc
    expect(journey.facts.trustPending.breachedDeals).toEqual(['d3'])
    expect(journey.facts.trust).toBe(50 - 30)
  })

  test('claims: on time is a drop; late, partial and rejected are gallons', () => {
    const doc = trustOf([
      e.claimApproved('2026-01-01', 'c1', '2026-Q1', 1000), e.claimPaid('2026-01-20', 'c1', '2026-Q1', 1000), // +1
      e.claimApproved('2026-01-01', 'c2', '2026-Q1', 1000), e.claimPaid('2026-03-15', 'c2', '2026-Q1', 1000), // late: -8
      e.claimApproved('2026-01-01', 'c3', '2026-Q1', 1000), e.claimPaid('2026-01-10', 'c3', '2026-Q1', 700), // partial: -5
      e.claimRejected('2026-01-11', 'c4', '2026-Q1'), // -5
    ])
    expect(doc.history.map((h) => h.rule)).toEqual(['claimPaidOnTime', 'claimPaidLate', 'claimPaidPartially', 'claimRejected'])
    expect(doc.value).toBe(50 + 1 - 8 - 5 - 5)
    expect(doc.history[1]!.reason).toBe('Claim paid 73 days after approval')
    expect(doc.pending.claims).toEqual({})
  })

  test('workshops, reassignment, direct-sales losses, PSAT and plan reviews', () => {
    const doc = trustOf([
      e.workshopHeld('2026-01-01', true), // +2
      e.workshopHeld('2026-01-02', false), // nothing
      e.workshopCancelled('2026-01-03', 'partner'), // nothing
      e.workshopCancelled('2026-01-04', 'vendor'), // -5
      e.managerAssigned('2026-01-05', 'm1', null), // first assignment: nothing
      e.managerAssigned('2026-01-06', 'm2', 'm1'), // -8
      e.lost('2026-01-07', 'd1', false), // nothing
      e.lost('2026-01-08', 'd2', true), // -15
      e.survey('2026-01-09', 9), // +1
      e.survey('2026-01-10', 7), // nothing
      e.survey('2026-01-11', 3), // -10
      e.won('2026-01-12', 'd3', 100), // +3
      e.planReviewed('2026-01-13', '2025-Q4', 'off_track'), // -10
      e.planReviewed('2026-01-14', '2025-Q4', 'at_risk'), // nothing
    ])
    expect(doc.history.map((h) => [h.rule, h.kind])).toEqual([
      ['workshopHeldAsScheduled', 'drop'], ['workshopCancelledByVendor', 'gallon'], ['channelManagerReassigned', 'gallon'],
      ['dealLostToDirect', 'gallon'], ['psatGood', 'drop'], ['psatLow', 'gallon'], ['dealWon', 'drop'], ['planOffTrack', 'gallon'],
    ])
    expect(doc.value).toBe(50 + 2 - 5 - 8 - 15 + 1 - 10 + 3 - 10)
    const breakdown = trustBreakdown(doc, 2)
    expect(breakdown.gallons.map((g) => g.rule)).toEqual(['planOffTrack', 'psatLow'])
    expect(breakdown.drops.map((g) => g.rule)).toEqual(['dealWon', 'psatGood'])
  })

  test('bounded at 0 and 100; the history records what actually moved', () => {
    const losses = Array.from({ length: 5 }, (_, i) => e.lost(`2026-01-0${i + 1}`, `d${i}`, true))
    const low = trustOf(losses)
    expect(low.value).toBe(0)
    expect(low.history.map((h) => h.delta)).toEqual([-15, -15, -15, -5, 0])
    const gains = Array.from({ length: 20 }, (_, i) => e.won(`2026-02-${String(i + 1).padStart(2, '0')}`, `w${i}`, 10))
    const high = trustOf(gains)
    expect(high.value).toBe(100)
    expect(high.history.at(-1)!.delta).toBe(0)
    expect(high.gained).toBe(50)
  })

  test('weights come from ProgramSettingsChanged from its effective date; the series and past values follow', () => {
    const heavier = { ...DEFAULT_PROGRAM_SETTINGS, trustWeights: { ...DEFAULT_PROGRAM_SETTINGS.trustWeights, dealWon: 10 } }
    const docs = fold(trustProjection, [
      e.settings('2026-01-01', '2026-02-01T00:00:00.000Z', heavier),
      e.won('2026-01-15', 'd1', 10), // +3 (default still in force)
      e.won('2026-02-15', 'd2', 10), // +10
    ])
    const doc = docs.get(P) as TrustDoc
    expect(doc.history.map((h) => h.delta)).toEqual([3, 10])
    expect(trustSeries(doc).map((p) => p.value)).toEqual([50, 53, 63])
    expect(trustOn(doc, '2026-02-01T00:00:00Z')).toBe(53)
  })
})
