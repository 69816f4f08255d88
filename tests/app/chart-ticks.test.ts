// Chart axes: round ticks a reader can check.
import { expect, test } from 'vitest'
import { niceTicks, tickPlaces } from '../../app/components/charts.tsx'

test('ticks are round steps from 0 past the largest value; counts get whole numbers only', () => {
  expect(niceTicks(100)).toEqual([0, 50, 100])
  expect(niceTicks(96_000)).toEqual([0, 50_000, 100_000])
  expect(niceTicks(130)).toEqual([0, 50, 100, 150])
  expect(niceTicks(1)).toEqual([0, 0.5, 1])
  expect(niceTicks(1, 4, true)).toEqual([0, 1])
  expect(niceTicks(7, 4, true)).toEqual([0, 2, 4, 6, 8])
  expect(niceTicks(0)).toEqual([0, 1])
})

test('time-axis labels that would run into the last one shown hide: on a phone under 22% apart, everywhere under 10%', () => {
  const hides = (lefts: number[]) => tickPlaces(lefts).map((p) => p.hide)
  expect(hides([0, 25, 50, 75, 100])).toEqual(['never', 'never', 'never', 'never', 'never'])
  // "Nov 2026Jan 2027" at 390 px: the last month 17% after the one before shows on wide screens only
  expect(hides([4, 29, 54, 79, 96])).toEqual(['never', 'never', 'never', 'never', 'narrow'])
  // after a label hidden on phones, the next one is measured from the last label a phone shows
  expect(hides([0, 15, 30])).toEqual(['never', 'narrow', 'never'])
  expect(hides([0, 5, 40])).toEqual(['never', 'always', 'never'])
})
