// Chart axes: round ticks a reader can check.
import { expect, test } from 'vitest'
import { niceTicks } from '../../app/components/charts.tsx'

test('ticks are round steps from 0 past the largest value; counts get whole numbers only', () => {
  expect(niceTicks(100)).toEqual([0, 50, 100])
  expect(niceTicks(96_000)).toEqual([0, 50_000, 100_000])
  expect(niceTicks(130)).toEqual([0, 50, 100, 150])
  expect(niceTicks(1)).toEqual([0, 0.5, 1])
  expect(niceTicks(1, 4, true)).toEqual([0, 1])
  expect(niceTicks(7, 4, true)).toEqual([0, 2, 4, 6, 8])
  expect(niceTicks(0)).toEqual([0, 1])
})
