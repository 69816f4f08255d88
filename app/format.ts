// Number formats shared by pages and server queries; Intl formatters are costly to build, so each is built once.
const moneyFormats = new Map<string, Intl.NumberFormat | null>()

/** "EUR 12,000": whole units with the ISO code; an unknown currency code falls back to plain digits */
export function formatMoney(value: number, currency: string): string {
  let format = moneyFormats.get(currency)
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code', maximumFractionDigits: 0 })
    } catch {
      format = null // not an ISO 4217 code
    }
    if (moneyFormats.size < 500) moneyFormats.set(currency, format)
  }
  return format ? format.format(value) : `${currency} ${value.toLocaleString('en-GB')}`
}

const counts = new Intl.NumberFormat('en-GB')

/** "2,340": a count of things, with the thousands grouped */
export function formatCount(n: number): string {
  return counts.format(n)
}
