// Journey phases: forward through activation and investment to devotion, and back on a lapse, an expiry and a settings change.
import { describe, expect, test } from 'vitest'
import { DEFAULT_PROGRAM_SETTINGS } from '../../domain/settings/defaults.ts'
import { journeyFunnel, journeyNow } from '../../projections/insights/journey.ts'
import { SETTINGS_KEY } from '../../projections/insights/settings.ts'
import { journeyProjection, phases, type JourneyDoc } from '../../projections/journey.ts'
import { e, fold, P } from './insights-fixtures.ts'

const journeyOf = (events: Parameters<typeof fold>[1]) => fold(journeyProjection, events).get(P) as JourneyDoc

describe('journey', () => {
  test('keeps its exported names and phases', () => {
    expect(phases).toEqual(['interest', 'recruitment', 'activation', 'investment', 'devotion'])
    expect(journeyProjection.name).toBe('journey')
  })

  test('a certified partner reaches activation on its first approved deal', () => {
    const doc = journeyOf([
      e.applied('2026-01-05'), e.approved('2026-01-06'), e.certified('2026-01-10', '2027-01-10'),
      e.registered('2026-01-12', 'd1'), e.dealApproved('2026-01-12T15:00:00Z', 'd1'),
    ])
    expect(doc.phase).toBe('activation')
    expect(doc.history.map((h) => [h.from, h.phase, h.eventType])).toEqual([
      [null, 'interest', 'PartnerApplied'],
      ['interest', 'recruitment', 'PartnerApproved'],
      ['recruitment', 'activation', 'DealApproved'],
    ])
    expect(doc.history.at(-1)!.reason).toBe('Deal registration approved')
    expect(doc.approvedDeals).toBe(1)
    expect(doc.activeCertifications).toEqual(['c1:u1'])
  })

  test('a rejected applicant stays in interest', () => {
    const doc = journeyOf([e.applied('2026-01-05'), e.rejected('2026-01-06')])
    expect(doc.phase).toBe('interest')
    expect(doc.rejected).toBe(true)
    expect(journeyNow(doc, '2026-02-01T00:00:00Z').nextNeeds).toEqual(['The application was rejected; apply again'])
  })

  test('a lapsed certification moves the partner back to recruitment, with the reason', () => {
    const doc = journeyOf([
      e.applied('2026-01-05'), e.approved('2026-01-06'), e.certified('2026-01-10', '2026-03-01'),
      e.registered('2026-01-12', 'd1'), e.dealApproved('2026-01-12T15:00:00Z', 'd1'), e.lapsed('2026-03-02', '2026-03-01'),
    ])
    expect(doc.phase).toBe('recruitment')
    const last = doc.history.at(-1)!
    expect([last.from, last.phase, last.eventType]).toEqual(['activation', 'recruitment', 'CertificationLapsed'])
    expect(last.reason).toContain('Certification lapsed')
    expect(last.reason).toContain('Earn a first certification')
  })

  test('an expired certification counts as gone on "now" even before its lapse event', () => {
    const doc = journeyOf([
      e.applied('2026-01-05'), e.approved('2026-01-06'), e.certified('2026-01-10', '2026-03-01'),
      e.registered('2026-01-12', 'd1'), e.dealApproved('2026-01-12T15:00:00Z', 'd1'),
    ])
    expect(doc.phase).toBe('activation')
    const now = journeyNow(doc, '2026-03-05T00:00:00Z')
    expect(now.phase).toBe('recruitment')
    expect(now.recordedPhase).toBe('activation')
    expect(now.nextNeeds).toEqual(['Earn a first certification'])
  })

  test('investment while a co-investment is in force; the quarter allocation expiring drops it back to activation', () => {
    const base = [
      e.applied('2026-01-05'), e.approved('2026-01-06'), e.certified('2026-01-10', '2027-01-10'),
      e.registered('2026-01-12', 'd1'), e.dealApproved('2026-01-12T15:00:00Z', 'd1'),
      e.coRequested('2026-02-01', 'co1', '2026-Q1'), e.coApproved('2026-02-03', 'co1', '2026-Q1'),
    ]
    expect(journeyOf(base).phase).toBe('investment')
    const dropped = journeyOf([...base, e.allocationExpired('2026-04-01T01:00:00Z', '2026-Q1')])
    expect(dropped.phase).toBe('activation')
    expect(dropped.history.at(-1)!.reason).toContain('Quarterly fund allocation expired')
    expect(dropped.coInvestmentsApproved).toBe(0)
    // a rejected claim also ends the co-investment
    expect(journeyOf([...base, e.claimRejected('2026-03-01', 'co1', '2026-Q1')]).phase).toBe('activation')
  })

  test('a joint business plan keeps a partner in investment; devotion needs wins every quarter, trust and on-time reviews', () => {
    const events = [
      e.applied('2025-01-05'), e.approved('2025-01-06'), e.certified('2025-01-10', '2027-01-10'),
      e.registered('2025-01-12', 'd0'), e.dealApproved('2025-01-12T15:00:00Z', 'd0'), e.plan('2025-01-20'),
    ]
    // wins in each quarter of 2025, two in Q4 (five in total), reviews within 30 days of each quarter end
    const quarters = [['2025-02-10', '2025-Q1', '2025-04-10'], ['2025-05-10', '2025-Q2', '2025-07-10'], ['2025-08-10', '2025-Q3', '2025-10-10'], ['2025-11-10', '2025-Q4', '2026-01-10']] as const
    quarters.forEach(([wonOn, quarter, reviewOn], i) => {
      events.push(e.registered(wonOn, `w${i}`), e.dealApproved(wonOn, `w${i}`), e.won(`${wonOn}T16:00:00Z`, `w${i}`, 10_000))
      events.push(e.planReviewed(reviewOn, quarter))
    })
    events.push(e.registered('2025-12-01', 'w9'), e.dealApproved('2025-12-01', 'w9'), e.won('2025-12-02T10:00:00Z', 'w9', 5000))
    const before = journeyOf(events)
    expect(before.phase).toBe('investment') // at its last event (a win on 2 Dec 2025) the last four completed quarters are 2024-Q4..2025-Q3
    const after = journeyOf([...events, e.assetViewed('2026-01-15')])
    expect(after.phase).toBe('devotion')
    expect(after.history.at(-1)!.eventType).toBe('AssetViewed')
    // a late review of 2026-Q1 (due 30 days after 31 March) costs devotion on "now"
    expect(journeyNow(after, '2026-05-05T00:00:00Z').phase).toBe('investment')
    expect(journeyNow(after, '2026-05-05T00:00:00Z').nextNeeds).toContain('Review the joint business plan on time every quarter')
    // low trust: three direct-sales losses (-15 each) take trust from 50 (+drops) under the threshold
    const distrust = journeyOf([...events, e.lost('2026-01-15', 'x1', true), e.lost('2026-01-16', 'x2', true), e.lost('2026-01-17', 'x3', true)])
    expect(distrust.trust).toBeLessThan(50)
    expect(distrust.phase).toBe('investment')
    expect(distrust.history.at(-1)!.reason).toContain('Trust at 50 or more')
  })

  test('thresholds come from ProgramSettingsChanged, from their effective date on', () => {
    const stricter = { ...DEFAULT_PROGRAM_SETTINGS, journey: { ...DEFAULT_PROGRAM_SETTINGS.journey, activationCertifications: 2 } }
    const events = [
      e.settings('2026-01-01', '2026-02-01T00:00:00.000Z', stricter),
      e.applied('2026-01-05'), e.approved('2026-01-06'), e.certified('2026-01-10', '2027-01-10'),
      e.registered('2026-01-12', 'd1'), e.dealApproved('2026-01-12T15:00:00Z', 'd1'),
    ]
    const docs = fold(journeyProjection, events)
    expect(docs.get(P).phase).toBe('activation') // the change is not in force yet
    expect(docs.get(SETTINGS_KEY).changes).toHaveLength(1)
    const later = fold(journeyProjection, [...events, e.assetViewed('2026-02-02')])
    expect(later.get(P).phase).toBe('recruitment')
    expect(journeyNow(later.get(P), '2026-02-03T00:00:00Z', later.get(SETTINGS_KEY)).nextNeeds).toEqual(['Hold 2 valid certifications (now 1)'])
  })

  test('the funnel counts partners per phase on "now"', () => {
    const docs = fold(journeyProjection, [
      e.applied('2026-01-05', 'a'), e.applied('2026-01-05', 'b'), e.approved('2026-01-06', 'b'),
      e.applied('2026-01-05', 'c'), e.approved('2026-01-06', 'c'), e.certified('2026-01-07', '2027-01-01', 'c'), e.dealApproved('2026-01-08', 'dc', 'c'),
    ])
    const list = [...docs.values()]
    expect(journeyFunnel(list, '2026-02-01T00:00:00Z')).toEqual({ interest: 1, recruitment: 1, activation: 1, investment: 0, devotion: 0 })
  })
})
