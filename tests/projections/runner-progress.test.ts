// Progress (projections/runner/wait.ts): one progress wakes every waiter, not every other one (decision 027).
import { expect, test } from 'vitest'
import { Progress } from '../../projections/runner/wait.ts'

test('one progress wakes all of 16 waiters at once, and a waiter that missed it does not wait', async () => {
  const progress = new Progress()
  const woken: number[] = []
  const waits = Array.from({ length: 16 }, (_, index) => progress.next(60_000).then(() => woken.push(index)))
  progress.progressed()
  await Promise.all(waits)
  expect(woken.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, index) => index))
  const seen = progress.version
  progress.progressed()
  await progress.next(60_000, seen)
})
