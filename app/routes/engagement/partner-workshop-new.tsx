import { randomUUID } from 'node:crypto'
import { Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-workshop-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { RequestWorkshopData } from '../../../domain/workshops/decide.ts'
import { formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
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
  const parsed = parseForm(RequestWorkshopForm, form)
  if (!parsed.ok) return invalid(parsed.result)
  const { commandId, ...data } = parsed.value
  try {
    await services.commands.engagement.requestWorkshop({ actor: toActor(user), commandId }, { ...data, workshopId: commandId, partnerId: user.organisationId })
    return redirectWithToast(request, services, '/partner/collaborate', `${kindLabels[data.kind]} workshop requested; your channel manager will propose a date.`)
  } catch (error) {
    return refused(error, form)
  }
}

const kinds = [
  { value: 'strategy', title: 'Strategy', text: 'Agree where you grow together: markets, segments, objectives for the year.' },
  { value: 'value_proposition', title: 'Value proposition', text: 'Shape the offer you take to customers: your services around our products.' },
] as const

export default function NewWorkshop() {
  const { commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<{ result: FormResult }>()
  const result = actionData?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Request a workshop"
        description="Tell us what you want to achieve and who joins; your channel manager proposes a date."
        breadcrumbs={[{ to: '/partner/collaborate', label: 'Collaborate' }]}
      />
      <Form method="post" noValidate className="card space-y-5 p-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
        <FormError message={result?.formError} />
        <fieldset aria-describedby={errors.kind ? 'kind-error' : undefined}>
          <legend className="label">Kind of workshop</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {kinds.map((k) => (
              <label key={k.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-gray-300 has-[:checked]:bg-brand-50 has-[:checked]:ring-2 has-[:checked]:ring-brand-600">
                <input type="radio" name="kind" value={k.value} defaultChecked={(values.kind ?? 'strategy') === k.value} className="mt-1" />
                <span>
                  <span className="block text-sm font-medium text-gray-900">{k.title}</span>
                  <span className="block text-xs text-gray-600">{k.text}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.kind ? <p id="kind-error" className="mt-1 text-sm text-red-700">{errors.kind}</p> : null}
        </fieldset>
        <Field label="Goal" name="goal" error={errors.goal} hint="What should be agreed at the end of the workshop?">
          <textarea {...inputProps('goal', errors.goal, 'hint')} rows={3} defaultValue={values.goal} />
        </Field>
        <Field label="Attendees" name="attendees" error={errors.attendees} hint="One name per line, with their role if useful">
          <textarea {...inputProps('attendees', errors.attendees, 'hint')} rows={4} defaultValue={values.attendees} placeholder={'Maria Jensen, IT admin\nJonas Weber, sales lead'} />
        </Field>
        <div className="flex items-center justify-end gap-2 border-t border-gray-100 pt-4">
          <Link to="/partner/collaborate" className="btn-secondary no-underline">Cancel</Link>
          <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Requesting…' : 'Request workshop'}</button>
        </div>
      </Form>
    </div>
  )
}
