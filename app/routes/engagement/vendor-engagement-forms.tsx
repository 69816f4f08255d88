// The engagement page's forms: one schema per form (the action parses them as one union on `intent`), the schedule
// form of a workshop's row and the form that opens a survey round.
import { getFormProps } from '@conform-to/react'
import { Form, useActionData } from 'react-router'
import { z } from 'zod'
import { ref } from '../../../domain/shared/fields.ts'
import { OpenSurveyRoundData } from '../../../domain/psat/decide.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { ReturnHere } from '../../components/pager.tsx'
import { replyFor, RowField, RowFormError, RowFormHead, withClass } from '../../components/row-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { formLines } from './shared.tsx'

/** the page's forms, told apart by `intent`: schedule a workshop (a row each), open a round, close a round */
export const Schedule = z.object({ intent: z.literal('schedule'), workshopId: ref(), date: z.iso.date('Choose a date for the workshop') })
export const OpenRound = z.object({ intent: z.literal('open-round'), commandId: z.uuid(), topics: formLines('the topics to ask about', OpenSurveyRoundData.shape.topics) })
export const CloseRound = z.object({ intent: z.literal('close-round'), surveyId: ref() })
export const EngagementAction = z.discriminatedUnion('intent', [Schedule, OpenRound, CloseRound])

/** a date for a requested workshop, in its row of the table */
export function ScheduleForm({ workshopId, label, today }: { workshopId: string; label: string; today: string }) {
  const [form, fields] = useSchemaForm({ id: `schedule-${workshopId}`, schema: Schedule, lastResult: replyFor(useActionData(), { intent: 'schedule', workshopId }) })
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-1">
      <RowFormHead intent="schedule" />
      <ReturnHere anchor="workshops-heading" />
      <input type="hidden" name="workshopId" value={workshopId} />
      <RowField label={`Date for the ${label}`} meta={fields.date} srOnlyLabel>
        <input {...withClass(conformInput(fields.date, 'date'), 'w-40')} min={today} />
      </RowField>
      <button type="submit" className="btn-primary">Schedule<span className="sr-only"> the {label}</span></button>
      <RowFormError form={form} />
    </Form>
  )
}

/** a new survey round: the topics partners score, one per line */
export function OpenRoundForm({ commandId }: { commandId: string }) {
  const [form, fields] = useSchemaForm({
    id: 'open-round', schema: OpenRound, lastResult: resultFor(useActionData(), 'open-round'),
    defaultValue: { topics: 'Ease of doing business\nDeal registration\nEnablement content\nChannel manager support' },
  })
  return (
    <Form method="post" {...getFormProps(form)} className="card h-fit space-y-3 p-4" aria-labelledby="open-round-heading">
      <h3 id="open-round-heading" className="text-sm font-semibold text-gray-900">Open a survey round</h3>
      <FormHead form={form} commandId={commandId} intent="open-round" />
      <ConformField label="Topics" meta={fields.topics} hint="One per line; partners score each from 0 to 10">
        <textarea {...conformTextarea(fields.topics, { hint: true })} rows={5} />
      </ConformField>
      <button type="submit" className="btn-primary w-full">Open round</button>
    </Form>
  )
}
