// Bounded zod building blocks for command data and its forms: texts have a length and printable characters only,
// numbers are finite, money has cents at most.
import { z } from 'zod'

/** Lengths (characters) and list sizes (entries); a form field and the command it feeds share them. */
export const MAX = {
  /** ids and references: uuids, slugs like p-acme, user-<uuid> */
  id: 200,
  /** a person's or an organisation's name */
  name: 120,
  /** a title, a topic, a tag, a product, a region */
  label: 200,
  email: 254,
  /** a web domain (RFC 1035 limit) */
  domain: 253,
  url: 2048,
  /** a reason, a goal, a one-paragraph description */
  shortText: 500,
  /** notes, comments, long descriptions */
  longText: 5000,
  /** entries in a list of strings */
  items: 50,
} as const

/** money and other amounts: at most this much */
export const MAX_AMOUNT = 1_000_000_000_000

export const REQUIRED = 'Required.'
export const tooLong = (max: number) => `At most ${max} characters.`
export const tooMany = (max: number) => `At most ${max} entries.`
export const CONTROL_IN_LINE = 'Use one line of plain text: no tabs, line breaks or control characters (such as NUL).'
export const CONTROL_IN_TEXT = 'Use plain text: no control characters (such as NUL); tabs and line breaks are fine.'

// control characters and lone surrogates (PostgreSQL refuses NUL and lone surrogates in JSON); one line also refuses
// the Unicode line and paragraph separators
const NOT_IN_LINE = /[\p{Cc}\p{Cs}\u2028\u2029]/u
const NOT_IN_TEXT = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u

/** true when the text holds nothing a single-line field refuses */
export const isSingleLine = (text: string) => !NOT_IN_LINE.test(text)
/** true when the text holds nothing a multi-line field refuses (tabs, CR and LF are fine) */
export const isPlainText = (text: string) => !NOT_IN_TEXT.test(text)

/** One line of text, trimmed, 1 to `max` characters; `required` is the empty value's message, or false to allow it. */
export function singleLine(max: number, required: string | false = REQUIRED) {
  const text = z.string().trim().max(max, tooLong(max)).refine(isSingleLine, CONTROL_IN_LINE)
  return required === false ? text : text.min(1, required)
}

/** Text that may span lines (descriptions, notes, reasons), trimmed, at most `max` characters. */
export function multiLine(max: number, required: string | false = REQUIRED) {
  const text = z.string().trim().max(max, tooLong(max)).refine(isPlainText, CONTROL_IN_TEXT)
  return required === false ? text : text.min(1, required)
}

/** An id or a reference to a record: as given (never trimmed), one line, at most MAX.id characters. */
export const ref = () => z.string().min(1, REQUIRED).max(MAX.id, tooLong(MAX.id)).refine(isSingleLine, CONTROL_IN_LINE)

/** An email address, at most 254 characters. */
export const email = (message = 'Enter an email address, e.g. jo@example.com.') =>
  z.string().trim().max(MAX.email, tooLong(MAX.email)).pipe(z.email(message))

/** A list of at most `max` entries, each checked by `item`. */
export const list = <T extends z.ZodType>(item: T, max: number = MAX.items) => z.array(item).max(max, tooMany(max))

/** A number with at most `places` decimals between `min` and `max`. */
export function decimal({ min, max, places }: { min: number; max: number; places?: number }) {
  const n = z.number({ error: 'Enter a number.' }).min(min, `At least ${min.toLocaleString('en-GB')}.`).max(max, `At most ${max.toLocaleString('en-GB')}.`)
  return places === undefined ? n : n.refine((v) => hasAtMostDecimals(v, places), places === 0 ? 'Use a whole number.' : `At most ${places} decimals.`)
}

/** A whole number from `min` to `max`; `range` says both bounds in one message (e.g. 'A score is 0 to 100'). */
export const integer = (min: number, max: number, range?: string) =>
  z.number({ error: 'Enter a whole number.' }).int('Use a whole number.')
    .min(min, range ?? `At least ${min.toLocaleString('en-GB')}.`).max(max, range ?? `At most ${max.toLocaleString('en-GB')}.`)

/** An amount of money in the currency's major unit: at least 0.01, at most 2 decimals. */
export const money = () => decimal({ min: 0.01, max: MAX_AMOUNT, places: 2 })
/** An amount of money that may be 0. */
export const moneyOrZero = () => decimal({ min: 0, max: MAX_AMOUNT, places: 2 })

/** true when `value` in decimal has at most `places` digits after the point (by its shortest form) */
export function hasAtMostDecimals(value: number, places: number): boolean {
  return Number.isFinite(value) && Number(value.toFixed(places)) === value
}
