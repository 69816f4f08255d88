import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  countOf, formatBytes, formatCount, formatDate, formatDateTime, formatDayMonth, formatDecimal, formatMoney, formatMoneyCompact, formatMoneyExact, formatMonth,
  formatPercent, isoDay, plural, relativeTime, BUSINESS_TIME_ZONE, LOCALE,
} from '../../app/format.ts'

// Intl puts a non-breaking space between a currency code and the figure
const nbsp = (s: string) => s.replace(/ /g, '\u00a0')

describe('format', () => {
  it('writes every date in one style, a calendar date and an instant alike, in business time (UTC)', () => {
    expect(formatDate('2026-12-07')).toBe('7 Dec 2026')
    expect(formatDate('2026-12-07T23:30:00.000Z')).toBe('7 Dec 2026')
    expect(formatDate('2027-01-05T00:00:00+02:00')).toBe('4 Jan 2027')
    expect(formatDate('not a date')).toBe('not a date')
    expect(formatDateTime('2026-12-07T09:05:00Z')).toBe('7 Dec 2026, 09:05 UTC')
    expect(formatMonth('2026-12-31T23:59:59Z')).toBe('Dec 2026')
    expect(formatDayMonth('2026-03-12')).toBe('12 Mar')
  })

  it('writes a date as Intl does in business time, remembered by day or not: instants with any offset, days, twice over', () => {
    const intl = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: BUSINESS_TIME_ZONE })
    const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
    const instant = fc.tuple(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.integer({ min: -14 * 60, max: 14 * 60 })).map(([ms, offset]) => {
      const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19)
      return offset === 0 ? `${local}Z` : `${local}${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
    })
    const day = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10))
    fc.assert(fc.property(fc.oneof(instant, day), (iso) => {
      const expected = intl.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso))
      expect(formatDate(iso)).toBe(expected)
      expect(formatDate(iso)).toBe(expected)
    }), { numRuns: 3000 })
    // forms whose first ten characters are not their day: formatted, never taken from another's day
    for (const [iso, text] of [['+002026-12-07T10:00:00Z', '7 Dec 2026'], ['2026-12-07t23:30:00z', '7 Dec 2026'], ['2026-12-08T01:00:00+02:00', '7 Dec 2026'], ['2026-12-07 23:30:00Z', '7 Dec 2026']]) {
      expect([iso, formatDate(iso!)]).toEqual([iso, text])
    }
  })

  it('keeps the machine form of a day for inputs and comparisons', () => {
    expect(isoDay(new Date('2026-12-07T23:30:00Z'))).toBe('2026-12-07')
    expect(isoDay('2026-12-07T10:00:00Z')).toBe('2026-12-07')
  })

  it('writes money with its ISO code, whole units, grouped', () => {
    expect(formatMoney(5000, 'EUR')).toBe(nbsp('EUR 5,000'))
    expect(formatMoney(1234567.6, 'USD')).toBe(nbsp('USD 1,234,568'))
    expect(formatMoney(0, 'EUR')).toBe(nbsp('EUR 0'))
    expect(formatMoney(-250, 'EUR')).toBe(nbsp('-EUR 250'))
    expect(formatMoney(1500, 'XYZ1')).toBe(nbsp('XYZ1 1,500'))
    expect(formatMoneyExact(1234.5, 'EUR')).toBe(nbsp('EUR 1,234.50'))
    expect(formatMoneyExact(1234, 'EUR')).toBe(nbsp('EUR 1,234'))
    expect(formatMoneyCompact(15000, 'EUR')).toBe(nbsp('EUR 15k'))
    expect(formatMoneyCompact(2_500_000, 'EUR')).toBe(nbsp('EUR 2.5m'))
  })

  it('writes counts, decimals, percentages and sizes', () => {
    expect(formatCount(2340)).toBe('2,340')
    expect(formatDecimal(2)).toBe('2.0')
    expect(formatPercent(0.424)).toBe('42%')
    expect(formatBytes(512)).toBe('512 byte')
    expect(formatBytes(12 * 1024)).toBe('12 kB')
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
  })

  it('puts a noun in the singular for one and in the plural otherwise', () => {
    expect(plural(1, 'movement')).toBe('movement')
    expect(plural(0, 'movement')).toBe('movements')
    expect(plural(2, 'registration')).toBe('registrations')
    expect(plural(2, 'person', 'people')).toBe('people')
    expect(countOf(1, 'movement')).toBe('1 movement')
    expect(countOf(1200, 'registration')).toBe('1,200 registrations')
    expect(countOf(0, 'deal')).toBe('0 deals')
  })

  it('says how long ago, to the minute', () => {
    const now = new Date('2026-12-07T12:00:00Z')
    expect(relativeTime('2026-12-04T12:00:00Z', now)).toBe('3 days ago')
    expect(relativeTime('2026-12-07T11:59:30Z', now)).toBe('this minute')
  })
})
