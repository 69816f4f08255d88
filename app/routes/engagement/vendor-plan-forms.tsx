// The joint business plan's forms: the plan (goals and each side's commitments as lists of rows, added and removed
// with or without JavaScript) and the quarterly review. The action parses with the same schemas.
import { getFormProps, type FieldMetadata, type FormMetadata } from '@conform-to/react'
import { Form, useActionData } from 'react-router'
import { z } from 'zod'
import { list } from '../../../domain/shared/fields.ts'
import { CreateJointBusinessPlanData, ReviewPlanData } from '../../../domain/plans/decide.ts'
import { ConformField, conformInput, conformSelect, conformTextarea } from '../../components/form-field.tsx'
import { RowField } from '../../components/row-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { planStatusLabels } from './shared.tsx'

const goal = CreateJointBusinessPlanData.shape.goals.element.shape
const commitment = CreateJointBusinessPlanData.shape.commitments.element.shape.description
/** a field that must be filled in: `message` when blank, then the command's own field */
const needed = <F extends z.ZodType<unknown, string>>(message: string, field: F) => z.string({ error: message }).trim().min(1, message).pipe(field)
/** rows a list may have (the command's limit) */
export const MAX_PLAN_ROWS = 20

/** the plan: at least one goal (the command says so) and a commitment from each side */
export const CreatePlanForm = z.object({
  intent: z.literal('create'),
  commandId: z.uuid(),
  goals: list(z.object({
    description: needed('Describe the goal', goal.description),
    target: needed('Give a measurable target, e.g. EUR 500k bookings', goal.target),
    dueDate: z.iso.date('Choose the due date'),
  }), MAX_PLAN_ROWS),
  vendorCommitments: list(needed('Say what the vendor commits to, or remove the row', commitment), MAX_PLAN_ROWS).min(1, 'Name at least one vendor commitment'),
  partnerCommitments: list(needed('Say what the partner commits to, or remove the row', commitment), MAX_PLAN_ROWS).min(1, 'Name at least one partner commitment'),
})

export const ReviewForm = z.object({
  intent: z.literal('review'),
  quarter: z.string({ error: 'Choose the quarter reviewed' }).regex(/^\d{4}-Q[1-4]$/, 'Choose the quarter reviewed'),
  status: z.enum(['on_track', 'at_risk', 'off_track'], { error: 'Choose how the plan is doing' }),
  notes: ReviewPlanData.shape.notes,
}).refine((r) => r.status === 'on_track' || r.notes !== '', { path: ['notes'], message: 'Say what puts the plan at risk or off track' })

type ListMeta = FieldMetadata<any, any, string[]>

/** a list's error (too few or too many rows), named by the fieldset that holds the list */
function ListError({ meta }: { meta: ListMeta }) {
  return meta.errors ? <p id={meta.errorId} className="text-sm text-red-700">{meta.errors[0]}</p> : null
}

/** the button that adds a row to `meta`'s list (a post of Conform's intent without JavaScript) */
function AddRow({ form, meta, label, defaultValue, rows }: { form: FormMetadata<any, string[]>; meta: ListMeta; label: string; defaultValue?: unknown; rows: number }) {
  return rows < MAX_PLAN_ROWS ? <button className="btn-secondary" {...form.insert.getButtonProps({ name: meta.name, defaultValue: defaultValue as never })}>{label}</button> : null
}

export function CreatePlan({ partnerName, today, commandId }: { partnerName: string; today: string; commandId: string }) {
  const [form, fields] = useSchemaForm({
    id: 'create-plan', schema: CreatePlanForm, lastResult: resultFor(useActionData(), 'create'),
    defaultValue: { goals: [{}], vendorCommitments: [''], partnerCommitments: [''] },
  })
  const goals = fields.goals.getFieldList()
  const sides = [
    { meta: fields.vendorCommitments, legend: 'We commit to', label: 'Vendor commitment' },
    { meta: fields.partnerCommitments, legend: `${partnerName} commits to`, label: 'Partner commitment' },
  ]
  return (
    <Form method="post" {...getFormProps(form)} className="card mt-4 space-y-6 p-6">
      {/* Enter in a field creates the plan, not the first row's Remove button */}
      <button type="submit" className="hidden" />
      <FormHead form={form} commandId={commandId} intent="create" />
      <fieldset aria-describedby={fields.goals.errors ? fields.goals.errorId : undefined}>
        <legend className="text-sm font-semibold text-gray-900">Goals</legend>
        <p className="text-xs text-gray-600">Each with a measurable target and a due date.</p>
        <div className="mt-3 space-y-3">
          <div className="-mb-2 hidden grid-cols-[1fr_14rem_10rem_5.5rem] gap-3 text-xs font-semibold text-gray-600 uppercase sm:grid" aria-hidden="true">
            <span>Goal</span><span>Target</span><span>Due</span><span />
          </div>
          {goals.map((row, index) => {
            const g = row.getFieldset()
            const n = index + 1
            return (
              <div key={row.key} className="grid items-start gap-3 sm:grid-cols-[1fr_14rem_10rem_5.5rem]">
                <RowField label={`Goal ${n}`} meta={g.description} srOnlyLabel>
                  <input {...conformInput(g.description)} placeholder={index === 0 ? 'Grow Cloud Backup bookings in DACH' : ''} />
                </RowField>
                <RowField label={`Goal ${n} target`} meta={g.target} srOnlyLabel>
                  <input {...conformInput(g.target)} placeholder={index === 0 ? 'EUR 400k bookings' : ''} />
                </RowField>
                <RowField label={`Goal ${n} due date`} meta={g.dueDate} srOnlyLabel>
                  <input {...conformInput(g.dueDate, 'date')} min={today} />
                </RowField>
                <button className="btn-secondary" {...form.remove.getButtonProps({ name: fields.goals.name, index })}>Remove<span className="sr-only"> goal {n}</span></button>
              </div>
            )
          })}
          <ListError meta={fields.goals} />
          <AddRow form={form} meta={fields.goals} label="Add goal" defaultValue={{}} rows={goals.length} />
        </div>
      </fieldset>
      <div className="grid gap-6 sm:grid-cols-2">
        {sides.map(({ meta, legend, label }) => {
          const rows = meta.getFieldList()
          return (
            <fieldset key={meta.name} className="space-y-2" aria-describedby={meta.errors ? meta.errorId : undefined}>
              <legend className="text-sm font-semibold text-gray-900">{legend}</legend>
              {rows.map((row, index) => (
                <div key={row.key} className="flex items-start gap-2">
                  <div className="flex-1">
                    <RowField label={`${label} ${index + 1}`} meta={row} srOnlyLabel><input {...conformInput(row)} /></RowField>
                  </div>
                  <button className="btn-secondary" {...form.remove.getButtonProps({ name: meta.name, index })}>Remove<span className="sr-only"> {label.toLowerCase()} {index + 1}</span></button>
                </div>
              ))}
              <ListError meta={meta} />
              <AddRow form={form} meta={meta} label={`Add ${label.toLowerCase()}`} defaultValue="" rows={rows.length} />
            </fieldset>
          )
        })}
      </div>
      <div className="flex justify-end border-t border-gray-100 pt-4">
        <button type="submit" className="btn-primary">Create plan</button>
      </div>
    </Form>
  )
}

export function ReviewPlan({ quarters }: { quarters: string[] }) {
  const [form, fields] = useSchemaForm({ id: 'review-plan', schema: ReviewForm, lastResult: resultFor(useActionData(), 'review'), defaultValue: { quarter: quarters[0] } })
  const status = fields.status
  return (
    <Form method="post" {...getFormProps(form)} className="card h-fit space-y-4 p-5" aria-labelledby="review-heading">
      <h2 id="review-heading" className="text-sm font-semibold text-gray-900">Quarterly review</h2>
      <FormHead form={form} intent="review" />
      <ConformField label="Quarter" meta={fields.quarter}>
        <select {...conformSelect(fields.quarter)}>
          {quarters.map((q) => <option key={q}>{q}</option>)}
        </select>
      </ConformField>
      <fieldset aria-describedby={status.errors ? status.errorId : undefined}>
        <legend className="label">How is the plan doing?</legend>
        <div className="mt-2 space-y-1">
          {(['on_track', 'at_risk', 'off_track'] as const).map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm text-gray-800">
              <input type="radio" name={status.name} value={s} defaultChecked={status.initialValue === s} /> {planStatusLabels[s]}
            </label>
          ))}
        </div>
        {status.errors ? <p id={status.errorId} className="mt-1 text-sm text-red-700">{status.errors[0]}</p> : null}
      </fieldset>
      <ConformField label="Notes" meta={fields.notes} hint="Required when at risk or off track">
        <textarea {...conformTextarea(fields.notes, { hint: true })} rows={3} />
      </ConformField>
      <button type="submit" className="btn-primary w-full">Record review</button>
    </Form>
  )
}
