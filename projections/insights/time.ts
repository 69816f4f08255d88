// Quarter and day arithmetic on ISO strings (UTC) for the insight read models and their queries.
import { dateOf, plainUtcDay, quarterEnd, quarterOf } from '../../domain/shared/time.ts'

export { plainUtcDay, quarterEnd, quarterOf }

const DAY = 86_400_000

/** the quarter `n` quarters after `quarter` (negative: before) */
export function shiftQuarter(quarter: string, n: number): string {
  // 'YYYY-QN' is what split would cut into [YYYY, N]; read it without the arrays (the folds shift quarters per event)
  let index: number
  if (quarter.length === 7 && quarter.charCodeAt(4) === 45 && quarter.charCodeAt(5) === 81) index = Number(quarter.slice(0, 4)) * 4 + (Number(quarter.slice(6)) - 1) + n
  else {
    const [year, q] = quarter.split('-Q').map(Number) as [number, number]
    index = year * 4 + (q - 1) + n
  }
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`
}

/** the `count` quarters ending with `last`, oldest first */
export function quartersEndingWith(last: string, count: number): string[] {
  const out: string[] = []
  for (let i = count - 1; i >= 0; i--) out.push(shiftQuarter(last, -i))
  return out
}

/** whole days from `from` to `to` (instants or dates) */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY)
}

/** the calendar date (YYYY-MM-DD) of an instant */
export const dayOf = dateOf

/** the last instant of a quarter */
export const quarterEndInstant = (quarter: string) => `${quarterEnd(quarter)}T23:59:59.999Z`

/** sum of a quarter-keyed record over the given quarters */
export function sumQuarters(byQuarter: Readonly<Record<string, number>>, quarters: readonly string[]): number {
  let total = 0
  for (const q of quarters) total += byQuarter[q] ?? 0
  return total
}

export const round2 = (n: number) => Math.round(n * 100) / 100
