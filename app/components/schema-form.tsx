// The scaffolding every Conform form page repeats: the form state from one zod schema (validated in the browser as you
// type, again by the action), and the form's head (CSRF token, the hidden command id, the form-level error).
import { useForm, type FormMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Link, useNavigation } from 'react-router'
import type { z } from 'zod'
import { CsrfInput } from './shell.tsx'
import { FormError } from './ui.tsx'

type Options<S extends z.ZodType> = {
  /** the form's id: the prefix of every field's id (`<id>-<name>`, `<id>-<name>-error`) */
  id: string
  schema: S
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: Record<string, unknown>
}

/** the HTML constraints of the form's fields; a schema that transforms the whole form gives those of its input */
function constraintOf(schema: z.ZodType) {
  const def = schema._zod.def as { type: string; in?: z.ZodType }
  return getZodConstraint(def.type === 'pipe' && def.in ? def.in : schema)
}

/** Conform's form state for `schema`: errors from the last submission, then validated on blur and as you correct. */
export function useSchemaForm<S extends z.ZodType>({ id, schema, lastResult, defaultValue }: Options<S>) {
  return useForm<z.input<S> extends Record<string, unknown> ? z.input<S> : Record<string, unknown>, z.output<S>>({
    id,
    lastResult: lastResult ?? undefined,
    constraint: constraintOf(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    ...(defaultValue ? { defaultValue: defaultValue as never } : {}),
  })
}

/**
 * The last submission's result if it came from the form posting `intent` (pages with several forms post a hidden
 * `intent`; each form shows only its own errors).
 */
export function resultFor(actionData: unknown, intent: string): SubmissionResult<string[]> | undefined {
  const result = (actionData as { result?: SubmissionResult<string[]> } | undefined)?.result
  return result?.initialValue?.intent === intent ? result : undefined
}

/** What opens every form: the CSRF token, the command id (when the form issues a command) and the form's error. */
export function FormHead({ form, commandId, intent }: { form: FormMetadata<any, string[]>; commandId?: string; intent?: string }) {
  // the loader's id for this rendering: a refused or invalid submission issued nothing, so a new id is as good
  return (
    <>
      <CsrfInput />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {commandId ? <input type="hidden" name="commandId" value={commandId} /> : null}
      <FormError message={form.errors?.[0]} />
    </>
  )
}

/** What closes a form page: a way back, and the submit button, which says it is busy while the form is sent. */
export function FormActions({ back, backLabel = 'Cancel', submit, sending }: { back: string; backLabel?: string; submit: string; sending: string }) {
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="flex items-center justify-end gap-2 border-t border-gray-100 pt-4">
      <Link to={back} className="btn-secondary no-underline">{backLabel}</Link>
      <button type="submit" className="btn-primary" disabled={busy}>{busy ? sending : submit}</button>
    </div>
  )
}
