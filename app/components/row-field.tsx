// Conform fields in a table row (a decision per row of a queue): a small label, the error in small print, and the
// action's reply shown only by the row's form that posted it.
import type { FieldMetadata, FormMetadata, SubmissionResult } from '@conform-to/react'
import { CsrfInput } from './shell.tsx'

/**
 * The action's reply when this row's form posted it: the posted values (the row's id, the intent) must match `posted`,
 * so every other row's form starts clean.
 */
export function replyFor(actionData: unknown, posted: Record<string, string>): SubmissionResult<string[]> | undefined {
  const reply = (actionData as { result?: SubmissionResult<string[]> } | undefined)?.result
  const values = reply?.initialValue
  return values && Object.entries(posted).every(([key, value]) => values[key] === value) ? reply : undefined
}

/** A compact field: a small (or screen-reader only) label above the input and its error under it. */
export function RowField({ label, meta, srOnlyLabel, narrow, children }: { label: React.ReactNode; meta: FieldMetadata<any, any, string[]>; srOnlyLabel?: boolean; narrow?: boolean; children: React.ReactNode }) {
  const error = meta.errors?.[0]
  return (
    <div>
      <label htmlFor={meta.id} className={srOnlyLabel ? 'sr-only' : 'block text-xs text-gray-700'}>{label}</label>
      {children}
      {error ? <p id={meta.errorId} className={`mt-1 text-xs text-red-700 ${narrow ? 'max-w-48' : ''}`}>{error}</p> : null}
    </div>
  )
}

/** What opens a row's form: the CSRF token, the intent and the command id (the form's error goes under the row: RowFormError). */
export function RowFormHead({ intent, commandId }: { intent?: string; commandId?: string }) {
  return (
    <>
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {commandId ? <input type="hidden" name="commandId" value={commandId} /> : null}
    </>
  )
}

/** the form's own error (a refused command) in small print under the row's forms */
export function RowFormError({ form }: { form: FormMetadata<any, string[]> }) {
  const error = form.errors?.[0]
  return error ? <p id={form.errorId} role="alert" className="mt-1 w-full text-xs text-red-700">{error}</p> : null
}

/** props with more classes (a width, a margin) after the kit's */
export const withClass = <P extends { className?: string }>(props: P, extra: string): P => ({ ...props, className: `${props.className ?? ''} ${extra}` })
