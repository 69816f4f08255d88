// Form parsing with zod and the one place domain and store errors become form errors or HTTP statuses.
import { data } from 'react-router'
import { z } from 'zod'
import { DomainError, ValidationError } from '../domain/shared/errors.ts'
import { InvalidEvent, WrongExpectedVersion } from '../eventstore/errors.ts'

/** every action reads its form with this: only forms, streamed within limits, refusals as 415/413/400 with a reason */
export { readForm } from './form-body.server.ts'

export type FormResult = {
  fieldErrors: Record<string, string>
  formError: string | null
  values: Record<string, string>
}

function valuesOf(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string' && key !== 'csrf' && !key.toLowerCase().includes('password')) values[key] = value
  }
  return values
}

export function parseForm<S extends z.ZodType>(schema: S, form: FormData):
  | { ok: true; value: z.infer<S> }
  | { ok: false; result: FormResult } {
  const raw: Record<string, unknown> = {}
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key)
    raw[key] = all.length > 1 ? all : all[0]
  }
  const parsed = schema.safeParse(raw)
  if (parsed.success) return { ok: true, value: parsed.data }
  const fieldErrors: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'form'
    fieldErrors[key] ??= issue.message
    // an entry of a list (a line of a textarea, a comma-separated item) shows under its field, saying which entry
    const at = issue.path.findIndex((p) => typeof p === 'number')
    if (at > 0) fieldErrors[issue.path.slice(0, at).map(String).join('.')] ??= `Entry ${Number(issue.path[at]) + 1}: ${issue.message}`
  }
  return { ok: false, result: { fieldErrors, formError: fieldErrors.form ?? 'Check the highlighted fields.', values: valuesOf(form) } }
}

export function invalid(result: FormResult, status = 400) {
  return data({ result }, { status })
}

/** Turns a refused command into a form result with the right status; anything unexpected is rethrown. */
export function refused(error: unknown, form: FormData) {
  const values = valuesOf(form)
  if (error instanceof ValidationError) {
    // the form field is the last name in the command's path: applicant.email -> email, products.0 -> products
    const field = error.field?.split('.').filter((part) => !/^\d+$/.test(part)).pop()
    const entry = /\.(\d+)(\.|$)/.exec(error.field ?? '')
    const message = `${entry ? `Entry ${Number(entry[1]) + 1}: ` : ''}${error.message.replace(/^[\w.]+: /, '')}`
    return data(
      { result: { fieldErrors: field ? { [field]: message } : {}, formError: field ? 'Check the highlighted fields.' : error.message, values } satisfies FormResult },
      { status: 400 },
    )
  }
  if (error instanceof DomainError) {
    return data({ result: { fieldErrors: {}, formError: error.message, values } satisfies FormResult }, { status: error.status })
  }
  if (error instanceof WrongExpectedVersion) {
    return data(
      { result: { fieldErrors: {}, formError: 'Someone else changed this at the same moment. Reload the page and try again.', values } satisfies FormResult },
      { status: 409 },
    )
  }
  if (error instanceof InvalidEvent) {
    return data({ result: { fieldErrors: {}, formError: error.message, values } satisfies FormResult }, { status: 400 })
  }
  throw error
}

/** where an action sends the user back to (for the routes that still import it from here) */
export { returnTo } from './return-to.server.ts'
