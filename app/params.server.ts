// Route ids and search parameters parsed with zod: an impossible id answers 404 like an unknown one, a bad search
// value 400 with the reason.
import { data } from 'react-router'
import { z } from 'zod'

/** control characters: PostgreSQL refuses NUL in text, and none belongs in an id or a filter */
const CONTROL = /\p{Cc}/u
/** half of a surrogate pair on its own: not text, and not storable as UTF-8 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** text a filter or id may hold: bounded, without control characters or broken characters */
export const QueryText = (max: number) =>
  z
    .string()
    .max(max, `is longer than ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'has a control character in it')
    .refine((s) => !LONE_SURROGATE.test(s), 'has a broken character in it')

/** an id in a route or a filter (uuids, slugs like "northwind", "u-maria", "system:setup") */
export const RouteId = QueryText(200).pipe(z.string().min(1, 'is empty'))

/** a page of a list, from 1: requestedPage(url, name) reads one with its own 400 */
export { PageNumber } from './paging.ts'

/** a calendar date as the date inputs send it */
export const IsoDate = z.iso.date('is not a date as YYYY-MM-DD')

/** a global position in the log (a PostgreSQL bigint) */
export const Position = z
  .string()
  .regex(/^\d{1,19}$/, 'is not a position in the log: use a whole number')
  .refine((s) => !/^\d+$/.test(s) || BigInt(s) <= 9_223_372_036_854_775_807n, 'is past any position in the log')

/** a calendar quarter, 2026-Q4 */
export const QuarterParam = z.string().regex(/^\d{4}-Q[1-4]$/, 'is not a quarter like 2026-Q4')

/** a stored file's content address */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'is not a file address')

type RouteParams = Readonly<Record<string, string | undefined>>

/** The route's params through `shape`; one that cannot be an id answers 404 with `missing`, as an unknown id would. */
export function parseParams<S extends z.ZodRawShape>(shape: S, params: RouteParams, missing = 'Nothing has this address.'): z.output<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(params)
  if (parsed.success) return parsed.data
  throw data(missing, { status: 404 })
}

/** a value as an error message may quote it: short, with control characters spelled out */
function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value
  return JSON.stringify(short).slice(1, -1)
}

/** The search parameters named in `shape`, trimmed, empty as absent; a refused one answers 400 naming it and why. */
export function parseSearch<S extends z.ZodRawShape>(shape: S, url: URL): z.output<z.ZodObject<S>> {
  const raw: Record<string, string | undefined> = {}
  for (const name of Object.keys(shape)) raw[name] = url.searchParams.get(name)?.trim() || undefined
  const parsed = z.object(shape).safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const name = String(issue.path[0] ?? '')
  const message = raw[name] === undefined ? 'is missing' : issue.code === 'invalid_value' ? `is not one of ${issue.values.map(String).join(', ')}` : issue.message
  throw data(`“${name}=${quoted(raw[name] ?? '')}” ${message}.`, { status: 400 })
}
