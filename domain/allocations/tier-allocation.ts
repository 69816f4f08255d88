// How much a partner's tier allocates for a quarter (docs/decisions/017): the tier's amount for a whole quarter, pro
// rata by days for a partner that joins during it; a tier change takes effect from the next quarter.
import { addDays, dateOf, quarterEnd } from '../shared/time.ts'
import type { TierAllocationRule } from './allocation.ts'

const DAY = 86_400_000

/** the first calendar day (YYYY-MM-DD) of a quarter like 2026-Q4 */
export function quarterStart(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number) as [number, number]
  return new Date(Date.UTC(year, (q - 1) * 3, 1)).toISOString().slice(0, 10)
}

/** calendar days from `from` to `to`, both included */
export const daysFromTo = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1

/** the quarter after `quarter` */
export const nextQuarter = (quarter: string) => quarterOfDate(addDays(quarterEnd(quarter), 1))
const quarterOfDate = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`

export type TierAllocation = { amount: number; rule: TierAllocationRule; from: string; daysCovered: number; daysInQuarter: number }

/**
 * The allocation a tier amount gives for `quarter` to a partner that joined the program at `joinedAt`: the whole amount
 * when it was in the program on the quarter's first day, else the share of the quarter's days left from the day it
 * joined (that day included), in whole currency units. Null when it joined after the quarter.
 */
export function tierAllocation(quarter: string, tierAmount: number, joinedAt: string): TierAllocation | null {
  const start = quarterStart(quarter)
  const end = quarterEnd(quarter)
  const joined = dateOf(joinedAt)
  if (joined > end) return null
  const from = joined > start ? joined : start
  const daysInQuarter = daysFromTo(start, end)
  const daysCovered = daysFromTo(from, end)
  if (from === start) return { amount: tierAmount, rule: 'full_quarter', from, daysCovered, daysInQuarter }
  return { amount: Math.round((tierAmount * daysCovered) / daysInQuarter), rule: 'pro_rata_from_joining', from, daysCovered, daysInQuarter }
}

/** A partner's tiers over time, oldest first: each from the instant it began. */
export type TierHistory = readonly { tier: string; from: string }[]

/** the tier held at the start of `date` (a change during that day counts from the next day), or null before any */
export function tierOn(history: TierHistory, date: string): string | null {
  let found: string | null = null
  for (const entry of history) {
    // the first tier (joining) counts on its own day; a later change from the day after
    const effective = entry === history[0] ? dateOf(entry.from) : addDays(dateOf(entry.from), 1)
    if (effective <= date) found = entry.tier
  }
  return found
}
