// A partner requests a strategy or value-proposition workshop: the goal and who attends, one per line.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-workshop-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformTextarea } from '../../components/form-field.tsx'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { PageHeader } from '../../components/ui.tsx'
import { RequestWorkshopData } from '../../../domain/workshops/decide.ts'
import { formText } from '../../forms.ts'
import { formLines, kindLabels } from './shared.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Request a workshop · Partnerlog' }]

export const RequestWorkshopForm = z.object({
  commandId: z.uuid(),
  kind: z.enum(['strategy', 'value_proposition'], { error: 'Choose the kind of workshop' }),
  goal: formText('what the workshop should achieve', RequestWorkshopData.shape.goal),
  attendees: formLines('who attends', RequestWorkshopData.shape.attendees),
})

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(request, context.services, 'workshop:request')
  // a command id per rendered form: submitting twice requests the workshop once
  return { commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'workshop:request')
  const submission = parseWithZod(form, { schema: RequestWorkshopForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const { commandId, ...data } = submission.value
  try {
    await services.commands.engagement.requestWorkshop({ actor: toActor(user), commandId }, { ...data, workshopId: commandId, partnerId: user.organisationId })
    return redirectWithToast(request, services, '/partner/collaborate', `${kindLabels[data.kind]} workshop requested; your channel manager will propose a date.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

const kinds = [
  { value: 'strategy', title: 'Strategy', text: 'Agree where you grow together: markets, segments, objectives for the year.' },
  { value: 'value_proposition', title: 'Value proposition', text: 'Shape the offer you take to customers: your services around our products.' },
] as const

export default function NewWorkshop() {
  const { commandId } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({ id: 'request-workshop', schema: RequestWorkshopForm, lastResult: useActionData<typeof action>()?.result, defaultValue: { kind: 'strategy' } })
  const kind = fields.kind
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Request a workshop"
        description="Tell us what you want to achieve and who joins; your channel manager proposes a date."
        breadcrumbs={[{ to: '/partner/collaborate', label: 'Collaborate' }]}
      />
      <Form method="post" {...getFormProps(form)} className="card space-y-5 p-6">
        <FormHead form={form} commandId={commandId} />
        <fieldset aria-describedby={kind.errors ? kind.errorId : undefined}>
          <legend className="label">Kind of workshop</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {kinds.map((k) => (
              <label key={k.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-gray-300 has-[:checked]:bg-brand-50 has-[:checked]:ring-2 has-[:checked]:ring-brand-600">
                <input type="radio" name={kind.name} value={k.value} defaultChecked={kind.initialValue === k.value} className="mt-1" />
                <span>
                  <span className="block text-sm font-medium text-gray-900">{k.title}</span>
                  <span className="block text-xs text-gray-600">{k.text}</span>
                </span>
              </label>
            ))}
          </div>
          {kind.errors ? <p id={kind.errorId} className="mt-1 text-sm text-red-700">{kind.errors[0]}</p> : null}
        </fieldset>
        <ConformField label="Goal" meta={fields.goal} hint="What should be agreed at the end of the workshop?">
          <textarea {...conformTextarea(fields.goal, { hint: true })} rows={3} />
        </ConformField>
        <ConformField label="Attendees" meta={fields.attendees} hint="One name per line, with their role if useful">
          <textarea {...conformTextarea(fields.attendees, { hint: true })} rows={4} placeholder={'Maria Jensen, IT admin\nJonas Weber, sales lead'} />
        </ConformField>
        <FormActions back="/partner/collaborate" submit="Request workshop" sending="Requesting…" />
      </Form>
    </div>
  )
}
