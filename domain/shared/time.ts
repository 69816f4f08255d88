// Calendar arithmetic on ISO strings in UTC; the clock itself always comes from command metadata.

const DAY = 86_400_000

/** the UTC calendar date (YYYY-MM-DD) of an ISO instant or date */
export function dateOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date.slice(0, 10)}T00:00:00Z`).getTime() + days * DAY).toISOString().slice(0, 10)
}

/** adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29) */
export function addMonths(date: string, months: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`)
  const day = d.getUTCDate()
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(day, lastDay))
  return target.toISOString().slice(0, 10)
}

/** adds business days (Mon-Fri, UTC) to an instant, keeping the time of day */
export function addBusinessDays(instant: string, days: number): string {
  let t = new Date(instant).getTime()
  let left = days
  while (left > 0) {
    t += DAY
    const weekday = new Date(t).getUTCDay()
    if (weekday !== 0 && weekday !== 6) left--
  }
  return new Date(t).toISOString()
}

/** compares two instants (or dates) by time, not by string, so offsets compare correctly */
export function compareInstants(a: string, b: string): number {
  return Math.sign(new Date(a).getTime() - new Date(b).getTime())
}

export const isAfter = (a: string, b: string) => compareInstants(a, b) > 0
export const isBefore = (a: string, b: string) => compareInstants(a, b) < 0

/** the quarter (e.g. 2026-Q4) an instant or date falls in */
export function quarterOf(iso: string): string {
  const d = new Date(iso)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

/** the last calendar day (YYYY-MM-DD) of a quarter like 2026-Q4 */
export function quarterEnd(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number) as [number, number]
  return new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10)
}
