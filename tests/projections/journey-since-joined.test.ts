// What devotion still needs names only the quarters the partner was in the program for.
import { expect, test } from 'vitest'
import { journeyNow } from '../../projections/insights/journey.ts'
import { journeyProjection, type JourneyDoc } from '../../projections/journey.ts'
import { e, fold, P } from './insights-fixtures.ts'

const journeyOf = (events: Parameters<typeof fold>[1]) => fold(journeyProjection, events).get(P) as JourneyDoc

test('a partner that joined in 2026 is not told it won nothing in 2025', () => {
  // given a partner approved in February 2026, investing through a plan, with a win in 2026-Q2
  const doc = journeyOf([
    e.applied('2026-02-02'), e.approved('2026-02-03'), e.certified('2026-02-10', '2027-02-10'),
    e.registered('2026-02-12', 'd0'), e.dealApproved('2026-02-12T15:00:00Z', 'd0'), e.plan('2026-02-20'),
    e.registered('2026-05-10', 'w1'), e.dealApproved('2026-05-10', 'w1'), e.won('2026-05-11T10:00:00Z', 'w1', 10_000),
  ])
  // when it looks at its journey in August 2026 (the last four quarters: 2025-Q3 to 2026-Q2)
  const needs = journeyNow(doc, '2026-08-05T00:00:00Z').nextNeeds
  // then the quarters without a win are those since it joined
  const wins = needs.find((n) => n.startsWith('Win deals in'))!
  expect(wins).toBe('Win deals in 4 of the last 4 quarters (none won in 2026-Q1)')
  expect(needs.join(' ')).not.toContain('2025')
})
