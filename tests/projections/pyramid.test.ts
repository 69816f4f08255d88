// Relationship pyramid: stages up and down, the program's shape, effort mismatches and cost of sale per level.
import { describe, expect, test } from 'vitest'
import { programPyramid, pyramidNow } from '../../projections/insights/pyramid.ts'
import { journeyProjection } from '../../projections/journey.ts'
import { pyramidDocOf, type PyramidDoc } from '../../projections/pyramid.ts'
import { e, fold, P } from './insights-fixtures.ts'

describe('pyramid', () => {
  test('transactional -> enhanced -> collaborative -> partnership, and back when the certification lapses', () => {
    const events = [
      e.applied('2026-01-01'), e.approved('2026-01-02'),
      e.certified('2026-01-03', '2026-06-30'),
      e.plan('2026-01-04'), e.planReviewed('2026-01-05', '2025-Q4'),
      e.coRequested('2026-01-06', 'co1', '2026-Q1', P, { partnerInvestment: 500 }), e.coApproved('2026-01-07', 'co1', '2026-Q1'),
    ]
    const doc = pyramidDocOf(fold(journeyProjection, events).get(P)) as PyramidDoc
    expect(doc.history.map((h) => h.stage)).toEqual(['transactional', 'enhanced', 'collaborative', 'partnership'])
    expect(doc.stage).toBe('partnership')
    const lapsed = pyramidDocOf(fold(journeyProjection, [...events, e.lapsed('2026-07-01', '2026-06-30')]).get(P)) as PyramidDoc
    expect(lapsed.stage).toBe('transactional')
    // one certification by default, said in the singular
    expect(lapsed.history.at(-1)!.reason).toContain('Add value: 1 valid certification (now 0)')
    // shared investment counts for four quarters (here with a certification valid long enough)
    const renewed = pyramidDocOf(fold(journeyProjection, [...events, e.certified('2026-06-01', '2028-01-01')]).get(P)) as PyramidDoc
    expect(pyramidNow(renewed, '2026-12-31T00:00:00Z').stage).toBe('partnership')
    expect(pyramidNow(renewed, '2027-01-01T00:00:00Z').stage).toBe('collaborative')
    expect(pyramidNow(renewed, '2027-01-01T00:00:00Z').nextNeeds[0]).toContain('shared investment')
  })

  test('a co-investment the partner does not fund itself is not shared investment; a co-funded head is', () => {
    const base = [e.applied('2026-01-01'), e.approved('2026-01-02'), e.certified('2026-01-03', '2027-01-01'), e.plan('2026-01-04'), e.planReviewed('2026-01-05', '2025-Q4')]
    const vendorOnly = fold(journeyProjection, [...base, e.coRequested('2026-01-06', 'c', '2026-Q1', P, { partnerInvestment: 0 }), e.coApproved('2026-01-07', 'c', '2026-Q1')])
    expect(vendorOnly.get(P).stage).toBe('collaborative')
    const head = fold(journeyProjection, [...base, e.coRequested('2026-01-06', 'c', '2026-Q1', P, { partnerInvestment: 0, kind: 'cofunded_head' }), e.coApproved('2026-01-07', 'c', '2026-Q1')])
    expect(head.get(P).stage).toBe('partnership')
  })

  test('the program view: shape, effort mismatches and cost of sale per level', () => {
    const partner = (id: string, certified: boolean, paid: number, revenue: number) => [
      e.applied('2026-01-01', id), e.approved('2026-01-02', id),
      ...(certified ? [e.certified('2026-01-03', '2027-01-01', id)] : []),
      ...(paid > 0 ? [e.coRequested('2026-01-04', `co-${id}`, '2026-Q1', id, { partnerInvestment: 0 }), e.coApproved('2026-01-05', `co-${id}`, '2026-Q1', paid, id), e.claimPaid('2026-02-01', `co-${id}`, '2026-Q1', paid, id)] : []),
      ...(revenue > 0 ? [e.registered('2026-01-06', `d-${id}`, id), e.won('2026-02-02', `d-${id}`, revenue, id)] : []),
    ]
    const docs = [...fold(journeyProjection, [
      ...partner('t1', false, 0, 10_000), ...partner('t2', false, 0, 10_000), ...partner('t3', false, 9_000, 10_000),
      ...partner('e1', true, 1_000, 20_000), ...partner('e2', true, 1_000, 20_000), ...partner('e3', true, 0, 0),
    ]).values()].filter((d) => d.partnerId).map(pyramidDocOf)
    const view = programPyramid(docs, '2026-03-01T00:00:00Z')
    expect(view.levels.map((l) => [l.stage, l.partners])).toEqual([['transactional', 3], ['enhanced', 3], ['collaborative', 0], ['partnership', 0]])
    // t3 gets more than the typical enhanced partner (median 1000): over-served; e3 gets less than the typical transactional (0)? no
    expect(view.mismatched.map((p) => [p.partnerId, p.mismatch])).toEqual([['t3', 'over']])
    // the level it is compared with, as figures the page formats (it showed 'Vendor effort 7644.14 ... (4982.73)')
    expect(view.mismatched[0]!.typical).toEqual({ stage: 'enhanced', effort: 1000 })
    const transactional = view.levels[0]!
    expect(transactional.costOfSale).toBe(0.3)
    expect(view.levels[1]!.costOfSale).toBe(0.05)
    expect(view.levels[2]!.costOfSale).toBeNull()
  })
})
