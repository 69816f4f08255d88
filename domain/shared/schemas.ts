// Reusable zod building blocks for command and event data (ids, dates, money, files).
import { z } from 'zod'
import { ValidationError } from './errors.ts'

export const Id = z.string().min(1, 'Required')
export const Text = z.string().trim().min(1, 'Required')
/** calendar date, YYYY-MM-DD */
export const IsoDate = z.iso.date()
/** an instant, ISO-8601 with offset */
export const Instant = z.iso.datetime({ offset: true })
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO currency code, e.g. EUR')
export const PositiveAmount = z.number().positive('Must be greater than 0')
export const NonNegativeAmount = z.number().nonnegative('Must not be negative')
export const Email = z.email()
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'Use a quarter like 2026-Q4')
export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1a2b3c')

export const FileRef = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 hash is 64 lower-case hex digits'),
  filename: Text,
  size: z.number().int().nonnegative(),
  contentType: Text,
})
export type FileRef = z.infer<typeof FileRef>

/** Validates command data inside the domain, so a rule holds whoever calls decide. */
export function parseData<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const field = issue.path.map(String).join('.')
  throw new ValidationError(field ? `${field}: ${issue.message}` : issue.message, field || undefined)
}
