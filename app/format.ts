// The one formatter of dates, money, counts and plurals for pages and server messages (Intl, en-GB, business time).
// Intl formatters are costly to build, so each is built once; tests/app/format-guard.test.ts keeps ad-hoc formats out.

export const LOCALE = 'en-GB'
/** the zone business dates are shown in: calendar dates (YYYY-MM-DD) and instants are UTC days throughout the domain */
export const BUSINESS_TIME_ZONE = 'UTC'

const moneyFormats = new Map<string, Intl.NumberFormat | null>()
const compactMoneyFormats = new Map<string, Intl.NumberFormat | null>()

function moneyFormat(cache: Map<string, Intl.NumberFormat | null>, currency: string, options: Intl.NumberFormatOptions) {
  let format = cache.get(currency)
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencyDisplay: 'code', ...options })
    } catch {
      format = null // not an ISO 4217 code
    }
    if (cache.size < 500) cache.set(currency, format)
  }
  return format
}

const counts = new Intl.NumberFormat(LOCALE)
const decimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const percents = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 })
const compactCounts = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 })

/** "EUR 12,000": whole units with the ISO code (a non-breaking space between); an unknown code falls back to plain digits */
export function formatMoney(value: number, currency: string): string {
  const format = moneyFormat(moneyFormats, currency, { maximumFractionDigits: 0 })
  return format ? format.format(value) : `${currency}\u00a0${counts.format(Math.round(value))}`
}

/** "EUR 15k": money on a chart's axis, where the full figure sits in the table beside it */
export function formatMoneyCompact(value: number, currency: string): string {
  const format = moneyFormat(compactMoneyFormats, currency, { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 })
  return format ? format.format(value) : `${currency}\u00a0${compactCounts.format(value)}`
}

/** "2,340": a count of things, with the thousands grouped */
export function formatCount(n: number): string {
  return counts.format(n)
}

/** "2.5": one decimal (years, averages) */
export function formatDecimal(n: number): string {
  return decimals.format(n)
}

const points = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 })

/** "82.5", "97": a score or trust in points, at most one decimal */
export function formatPoints(n: number): string {
  return points.format(n)
}

/** "42%": a ratio (0.42) as a whole percentage */
export function formatPercent(ratio: number): string {
  return percents.format(ratio)
}

const pluralRules = new Intl.PluralRules(LOCALE)

/** The word for n things: plural(1, 'movement') is "movement", plural(3, 'movement') "movements". */
export function plural(n: number, one: string, other = `${one}s`): string {
  return pluralRules.select(n) === 'one' ? one : other
}

/** "1 movement", "2,340 movements": a count with its noun in the right number */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${formatCount(n)} ${plural(n, one, other)}`
}

const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: BUSINESS_TIME_ZONE })
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE })
const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: 'short', year: 'numeric', timeZone: BUSINESS_TIME_ZONE })
const dayMonthFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', timeZone: BUSINESS_TIME_ZONE })
const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' })

/** a calendar date (YYYY-MM-DD) is that day in business time; anything else is an instant */
function toDate(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)
}

function formatWith(format: Intl.DateTimeFormat, iso: string): string {
  const date = toDate(iso)
  return Number.isNaN(date.getTime()) ? iso : format.format(date)
}

// formatted days by their UTC day (business time is UTC): an Intl format costs ~1.3 us and a list shows hundreds of
// dates over a few hundred days. A Map, not lru-cache, as this module goes to the browser too; emptied when full.
const formattedDays = new Map<string, string>()
const FORMATTED_DAYS = 4096

/** "7 Dec 2026": the one date style of the app */
export function formatDate(iso: string): string {
  const date = toDate(iso)
  if (Number.isNaN(date.getTime())) return iso
  // a day, or an instant in UTC ("…Z", as events store them), names its day in its first ten characters; an instant
  // with an offset is formatted (toISOString would cost as much as the format)
  const dayFirst = iso[4] === '-' && iso[7] === '-' && (iso.length === 10 || (iso[10] === 'T' && iso.endsWith('Z')))
  if (!dayFirst) return dateFormat.format(date)
  const day = iso.slice(0, 10)
  let text = formattedDays.get(day)
  if (text === undefined) {
    if (formattedDays.size >= FORMATTED_DAYS) formattedDays.clear()
    formattedDays.set(day, (text = dateFormat.format(date)))
  }
  return text
}
/** "7 Dec 2026, 14:05 UTC" */
export const formatDateTime = (iso: string): string => `${formatWith(dateTimeFormat, iso)} UTC`
/** "Dec 2026": a month, on a chart's time axis */
export const formatMonth = (iso: string): string => formatWith(monthFormat, iso)
/** "7 Dec": a day within a year the reader can see, on a chart's time axis */
export const formatDayMonth = (iso: string): string => formatWith(dayMonthFormat, iso)

/** "2026-12-07": the machine form of a day in business time, for inputs, links and comparisons (never shown as text) */
export function isoDay(at: Date | string): string {
  return (typeof at === 'string' ? toDate(at) : at).toISOString().slice(0, 10)
}

/** "3 days ago", from the start of this minute, so a page rendered twice in a minute is the same (page cache). */
export function relativeTime(iso: string, now = new Date(Math.floor(Date.now() / 60_000) * 60_000)): string {
  const seconds = Math.round((toDate(iso).getTime() - now.getTime()) / 1000)
  const abs = Math.abs(seconds)
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 86400 * 45) return rtf.format(Math.round(seconds / 86400), 'day')
  if (abs < 86400 * 365) return rtf.format(Math.round(seconds / (86400 * 30)), 'month')
  return rtf.format(Math.round(seconds / (86400 * 365)), 'year')
}

const byteUnits = [
  [1024 * 1024, new Intl.NumberFormat(LOCALE, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 })],
  [1024, new Intl.NumberFormat(LOCALE, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 })],
  [1, new Intl.NumberFormat(LOCALE, { style: 'unit', unit: 'byte', maximumFractionDigits: 0 })],
] as const

/** "12 kB", "1.5 MB": a file's size */
export function formatBytes(size: number): string {
  const [unit, format] = byteUnits.find(([unit]) => size >= unit) ?? byteUnits[2]
  return format.format(size / unit)
}

const exactMoneyFormats = new Map<string, Intl.NumberFormat | null>()

/** "EUR 1,234.50" or "EUR 1,234": money to the cent where it matters (a limit a form must not exceed) */
export function formatMoneyExact(value: number, currency: string): string {
  if (Number.isInteger(Math.round(value * 100) / 100)) return formatMoney(value, currency)
  const format = moneyFormat(exactMoneyFormats, currency, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return format ? format.format(value) : `${currency}\u00a0${value}`
}
