// Calendar arithmetic on ISO strings in UTC; the clock itself always comes from command metadata.

const DAY = 86_400_000

/** the UTC calendar date (YYYY-MM-DD) of an ISO instant or date */
export function dateOf(iso: string): string {
  return plainUtcDay(iso) ?? new Date(iso).toISOString().slice(0, 10)
}

// ---- fast paths: the folds read these for every event; each gives exactly what the Date-based code gives ----------

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : -1
}
const twoDigits = (s: string, i: number) => {
  const a = digit(s, i)
  const b = digit(s, i + 1)
  return a < 0 || b < 0 ? -1 : a * 10 + b
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Is `iso` a date (YYYY-MM-DD) or an instant written in UTC (YYYY-MM-DDTHH:MM:SS[.sss]Z) with every field in range (a
 * real calendar day, hours to 23, seconds to 59)? Then its UTC day and month can be read off the string; anything else
 * (offsets, other precisions, days Date would roll over like 2019-02-31) goes to Date.
 */
function isPlainUtc(iso: string): boolean {
  const n = iso.length
  if (n !== 10 && n !== 20 && n !== 24) return false
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return false // '-'
  const century = twoDigits(iso, 0)
  const yy = twoDigits(iso, 2)
  const month = twoDigits(iso, 5)
  const day = twoDigits(iso, 8)
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return false
  const year = century * 100 + yy
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false
  if (n > 10) {
    if (iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58 || iso.charCodeAt(n - 1) !== 90) return false // T : : Z
    const h = twoDigits(iso, 11)
    const m = twoDigits(iso, 14)
    const sec = twoDigits(iso, 17)
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return false
    if (n === 24 && (iso.charCodeAt(19) !== 46 || digit(iso, 20) < 0 || digit(iso, 21) < 0 || digit(iso, 22) < 0)) return false // .sss
  }
  return true
}

/** The UTC day of a plain date or UTC instant (see isPlainUtc), read off the string; null for anything else. */
export function plainUtcDay(iso: string): string | null {
  if (!isPlainUtc(iso)) return null
  return iso.length === 10 ? iso : iso.slice(0, 10)
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
  // two plain UTC strings of the same shape order as their text does
  if (a.length === b.length && isPlainUtc(a) && isPlainUtc(b)) return a < b ? -1 : a > b ? 1 : 0
  return Math.sign(new Date(a).getTime() - new Date(b).getTime())
}

export const isAfter = (a: string, b: string) => compareInstants(a, b) > 0
export const isBefore = (a: string, b: string) => compareInstants(a, b) < 0

/** the quarter (e.g. 2026-Q4) an instant or date falls in */
export function quarterOf(iso: string): string {
  if (isPlainUtc(iso)) {
    const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2)
    const index = year * 4 + Math.floor((twoDigits(iso, 5) - 1) / 3)
    let quarter = quarterNames.get(index)
    if (quarter === undefined) quarterNames.set(index, (quarter = `${year}-Q${(index % 4) + 1}`))
    return quarter
  }
  const d = new Date(iso)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}
/** quarter names by year * 4 + quarter index (at most 40,000: years 0000-9999) */
const quarterNames = new Map<number, string>()

/** the last calendar day (YYYY-MM-DD) of a quarter like 2026-Q4 */
export function quarterEnd(quarter: string): string {
  let end = quarterEnds.get(quarter)
  if (end === undefined) {
    const [year, q] = quarter.split('-Q').map(Number) as [number, number]
    end = new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10)
    if (quarterEnds.size >= 10_000) quarterEnds.clear()
    quarterEnds.set(quarter, end)
  }
  return end
}
const quarterEnds = new Map<string, string>()
