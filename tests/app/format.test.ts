import { describe, expect, it } from 'vitest'
import {
  countOf, formatBytes, formatCount, formatDate, formatDateTime, formatDayMonth, formatDecimal, formatMoney, formatMoneyCompact, formatMoneyExact, formatMonth,
  formatPercent, isoDay, plural, relativeTime,
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
