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

/** calendar days already checked against Date (a day Date rolls over, like 2019-02-31, is not plain); bounded */
const plainDays = new Map<string, boolean>()
function isPlainDay(day: string): boolean {
  let known = plainDays.get(day)
  if (known === undefined) {
    const d = new Date(`${day}T00:00:00Z`)
    known = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day
    if (plainDays.size >= 20_000) plainDays.clear()
    plainDays.set(day, known)
  }
  return known
}

/**
 * The UTC day of a date (YYYY-MM-DD) or of an instant written in UTC (YYYY-MM-DDTHH:MM:SS[.sss]Z) with every field in
 * range, read off the string; null for anything else (offsets, other precisions, out-of-range fields), which callers
 * then hand to Date.
 */
export function plainUtcDay(iso: string): string | null {
  // a fold asks about the same event's instant many times in a row
  if (iso !== lastIso) {
    lastDay = readPlainUtcDay(iso)
    lastIso = iso
  }
  return lastDay
}
let lastIso = ''
let lastDay: string | null = null

function readPlainUtcDay(iso: string): string | null {
  const n = iso.length
  if (n !== 10 && n !== 20 && n !== 24) return null
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null // '-'
  if (twoDigits(iso, 0) < 0 || twoDigits(iso, 2) < 0 || twoDigits(iso, 5) < 0 || twoDigits(iso, 8) < 0) return null
  if (n > 10) {
    if (iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58 || iso.charCodeAt(n - 1) !== 90) return null // T : : Z
    const h = twoDigits(iso, 11)
    const m = twoDigits(iso, 14)
    const sec = twoDigits(iso, 17)
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return null
    if (n === 24 && (iso.charCodeAt(19) !== 46 || digit(iso, 20) < 0 || digit(iso, 21) < 0 || digit(iso, 22) < 0)) return null // .sss
  }
  const day = n === 10 ? iso : iso.slice(0, 10)
  return isPlainDay(day) ? day : null
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
  if (a.length === b.length && plainUtcDay(a) !== null && plainUtcDay(b) !== null) return a < b ? -1 : a > b ? 1 : 0
  return Math.sign(new Date(a).getTime() - new Date(b).getTime())
}

export const isAfter = (a: string, b: string) => compareInstants(a, b) > 0
export const isBefore = (a: string, b: string) => compareInstants(a, b) < 0

/** the quarter (e.g. 2026-Q4) an instant or date falls in */
export function quarterOf(iso: string): string {
  const day = plainUtcDay(iso)
  if (day !== null) {
    let quarter = quarterOfDay.get(day)
    if (quarter === undefined) {
      quarter = `${Number(day.slice(0, 4))}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`
      if (quarterOfDay.size >= 20_000) quarterOfDay.clear()
      quarterOfDay.set(day, quarter)
    }
    return quarter
  }
  const d = new Date(iso)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}
const quarterOfDay = new Map<string, string>()

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
