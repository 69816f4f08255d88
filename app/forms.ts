// zod helpers for form fields, which always arrive as strings (shared by forms and their actions). Each one ends in the
// command's own field schema from domain/shared/fields.ts, so a form and its command share limits and messages; the
// form adds only "Enter <label>" for an empty field and the reading of a number from text.
import { z } from 'zod'
import { email, integer, MAX, money, moneyOrZero, multiLine, singleLine } from '../domain/shared/fields.ts'

type TextField = z.ZodType<unknown, string>
type NumberField = z.ZodType<unknown, number>

const required = (label: string) => z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`)

/** A required field: empty answers "Enter <label>"; then `field`, or one line of at most that many characters. */
export function formText(label: string, max?: number): z.ZodPipe<z.ZodString, z.ZodString>
export function formText<F extends TextField>(label: string, field: F): z.ZodPipe<z.ZodString, F>
export function formText(label: string, field: number | TextField = MAX.label) {
  return required(label).pipe(typeof field === 'number' ? singleLine(field) : field)
}

/** A required text that may span lines (a reason, a goal, a description), at most `max` characters. */
export const formLongText = (label: string, max: number = MAX.shortText) => formText(label, multiLine(max))

const blankIsUndefined = () => z.string().optional().transform((v) => (v?.trim() ? v : undefined))

/** An optional field: missing or blank is undefined; anything else is checked by `field` (or one line of at most that many characters). */
export function formOptional(max?: number): z.ZodPipe<ReturnType<typeof blankIsUndefined>, z.ZodOptional<z.ZodString>>
export function formOptional<F extends TextField>(field: F): z.ZodPipe<ReturnType<typeof blankIsUndefined>, z.ZodOptional<F>>
export function formOptional(field: number | TextField = MAX.label) {
  return blankIsUndefined().pipe((typeof field === 'number' ? singleLine(field) : field).optional())
}

/** An email address, lower-cased; `example` shows the form, e.g. jo@yourcompany.com. */
export const formEmail = (label: string, example: string) => required(label).toLowerCase().pipe(email(`Enter ${label}, e.g. ${example}`))

/** a plain decimal, as typed: digits, an optional point and decimals; no exponent, hex, Infinity or spaces inside */
const DECIMAL = /^-?\d+(\.\d+)?$/
/** the same with a thousands comma, e.g. 48,000 or 1,250.50 */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/
/** a decimal comma instead of the point, e.g. 0,5 (where no thousands separator is expected) */
const DECIMAL_COMMA = /^-?\d+([.,]\d+)?$/

export type NumberText = 'grouped' | 'plain' | 'decimal-comma'

/**
 * A number typed into a field: surrounding spaces are trimmed, then the text must be a plain decimal (`grouped` also
 * takes a thousands comma, `decimal-comma` a comma as the decimal mark); -0 reads as 0. Then `field` checks its bounds.
 */
export const formNumber = <F extends NumberField>(label: string, field: F, text: NumberText = 'plain') => {
  const pattern = text === 'grouped' ? [DECIMAL, GROUPED] : text === 'decimal-comma' ? [DECIMAL_COMMA] : [DECIMAL]
  const example = text === 'grouped' ? '25000 or 25,000.50' : text === 'decimal-comma' ? '12.5' : '40'
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .refine((s) => pattern.some((p) => p.test(s)), `Write ${label} in digits, e.g. ${example}`)
    .transform((s) => Number(text === 'decimal-comma' ? s.replace(',', '.') : s.replace(/,/g, '')) + 0)
    .pipe(field)
}

/** An optional number: blank is undefined. */
export const formOptionalNumber = <F extends NumberField>(label: string, field: F, text: NumberText = 'plain') =>
  z.string().optional().transform((v) => (v?.trim() ? v : undefined)).pipe(formNumber(label, field, text).optional())

/** An amount of money: 0.01 or more, at most 2 decimals; 25000, 25,000 and 25000.50 read alike. */
export function formMoney(label: string): ReturnType<typeof formNumber<ReturnType<typeof money>>>
export function formMoney<F extends NumberField>(label: string, field: F): ReturnType<typeof formNumber<F>>
export function formMoney(label: string, field: NumberField = money()) {
  return formNumber(label, field, 'grouped')
}

/** An amount that may be 0; blank reads as 0. */
export const formMoneyOrZero = (label: string) =>
  z.string().optional().transform((v) => (v?.trim() ? v : '0')).pipe(formMoney(label, moneyOrZero()))

/** A whole number from `min` to `max` (a count, a score, a percentage). */
export const formInteger = (label: string, min: number, max: number, range?: string) => formNumber(label, integer(min, max, range))
