// Form fields wired by Conform's field metadata: the label, hint and error ids come from the field, so a field's
// aria-describedby names its error (or hint) and aria-invalid says when it has one. Looks as Field in ui.tsx.
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'

type Meta = FieldMetadata<any, any, any>
/** the text-like inputs (a checkbox or radio needs its value, not a default text) */
type InputType = 'text' | 'date' | 'email' | 'number' | 'search' | 'tel' | 'url' | 'password' | 'file' | 'color'

const firstError = (meta: Meta) => meta.errors?.[0]

/** A labelled field; `hint` is shown under it until there is an error, which then takes its place. */
export function ConformField({ label, meta, hint, srOnlyLabel, children }: { label: string; meta: Meta; hint?: string; srOnlyLabel?: boolean; children: React.ReactNode }) {
  const error = firstError(meta)
  return (
    <div>
      <label htmlFor={meta.id} className={srOnlyLabel ? 'sr-only' : 'label'}>{label}</label>
      <div className={srOnlyLabel ? undefined : 'mt-1'}>{children}</div>
      {hint && !error ? <p id={meta.descriptionId} className="mt-1 text-xs text-gray-600">{hint}</p> : null}
      {error ? <p id={meta.errorId} className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  )
}

/** the hint's id while the hint shows (Conform adds the error's id itself when there is an error) */
const describedBy = (meta: Meta, hint?: boolean): string | undefined => (hint && !firstError(meta) ? meta.descriptionId : undefined)

/** Props for an <input>: Conform's (id, name, defaultValue, aria-*), without its React `key`, and the kit's classes. */
export function conformInput(meta: Meta, type: InputType = 'text', options: { hint?: boolean } = {}) {
  const { key: _key, ...props } = getInputProps(meta, { type, ariaDescribedBy: describedBy(meta, options.hint) })
  return { ...props, className: `input ${firstError(meta) ? 'input-error' : ''}` }
}

/** Props for a <select>, as conformInput. */
export function conformSelect(meta: Meta, options: { hint?: boolean } = {}) {
  const { key: _key, ...props } = getSelectProps(meta, { ariaDescribedBy: describedBy(meta, options.hint) })
  return { ...props, className: `input ${firstError(meta) ? 'input-error' : ''}` }
}

/** Props for a <textarea>, as conformInput. */
export function conformTextarea(meta: Meta, options: { hint?: boolean } = {}) {
  const { key: _key, ...props } = getTextareaProps(meta, { ariaDescribedBy: describedBy(meta, options.hint) })
  return { ...props, className: `input ${firstError(meta) ? 'input-error' : ''}` }
}
