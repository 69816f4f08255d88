// Vendor admin: erase a person's personal data (right to erasure): a confirmation page, then the erasure.
import { randomUUID } from 'node:crypto'
import { getFormProps, getInputProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-erase'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import type { ErasurePlan } from '../../commands/privacy.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { FormError, PageHeader } from '../../components/ui.tsx'
import { roleLabels } from '../../permissions.ts'
import { countOf } from '../../format.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Erase personal data · Partnerlog' }]

const backTo = (user: ErasurePlan['user']) =>
  user.organisationKind === 'partner' ? `/vendor/partners/${encodeURIComponent(user.organisationId)}/admin` : '/vendor/staff'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ userId: RouteId }, params, 'No person with this id.')
  const { services } = context
  const me = await requireUser(request, services, 'people:erase')
  const plan = await services.commands.privacy.plan(ids.userId)
  if (!plan) throw data('No person with this id.', { status: 404 })
  const count = (what: string) => plan.targets.filter((t) => t.what === what)
  return {
    person: { userId: plan.user.userId, name: plan.user.name, email: plan.user.email, role: plan.user.role },
    alreadyErased: plan.alreadyErased,
    self: plan.user.userId === me.userId,
    events: count('account').reduce((n, t) => n + t.eventIds.length, 0),
    contacts: count('profile contact').length,
    workshops: count('workshop attendees').length,
    back: { to: backTo(plan.user), label: plan.user.organisationKind === 'partner' ? 'Partner administration' : 'Vendor staff' },
    commandId: randomUUID(),
  }
}

/** the form's schema, shared by the browser and the action */
const EraseForm = z.object({
  commandId: z.uuid(),
  confirm: z.literal('yes', 'Tick the box to confirm that this cannot be undone'),
})

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ userId: RouteId }, params, 'No person with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'people:erase')
  const submission = parseWithZod(form, { schema: EraseForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  try {
    const done = await services.commands.privacy.eraseUser(user, ids.userId, submission.value.commandId)
    // the toast names nobody: it travels in a cookie
    return redirectWithToast(request, services, backTo(done.user), 'The personal data was erased: the person now reads as “Erased person” everywhere.')
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function Erase() {
  const { person, alreadyErased, self, events, contacts, workshops, back, commandId } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({ id: 'erase', schema: EraseForm, lastResult: useActionData<typeof action>()?.result })
  const { key: _key, ...confirm } = getInputProps(fields.confirm, { type: 'checkbox', value: 'yes' })
  // the page shows a refusal (such as erasing oneself) above the person, where the form may not be
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Erase personal data"
        description="Deletes the person's encryption key: their name and email read as placeholders in every page, export and rebuild, while the history stays complete and verifiable."
        breadcrumbs={[{ to: back.to, label: back.label }]}
      />
      {alreadyErased || self ? <FormError message={form.errors?.[0]} /> : null}
      <section className="card p-5" aria-labelledby="person-h">
        <h2 id="person-h" className="text-base font-semibold text-gray-900">{person.name}</h2>
        <p className="text-sm text-gray-600">{person.email} · {roleLabels[person.role]}</p>
        {alreadyErased ? (
          <p className="mt-4 text-sm">This person's personal data has already been erased.</p>
        ) : self ? (
          <p className="mt-4 text-sm">You cannot erase your own account; ask another vendor admin.</p>
        ) : (
          <>
            <h3 className="mt-4 text-sm font-semibold text-gray-900">What is erased</h3>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-gray-700">
              <li>their name and email in {countOf(events, 'event')}, and their sign-in (they can no longer sign in)</li>
              {contacts ? <li>the contact person of {countOf(contacts, 'co-branding profile')} that name them</li> : null}
              {workshops ? <li>the attendee list of {countOf(workshops, 'workshop')} they attended (every name on those lists)</li> : null}
            </ul>
            <p className="mt-3 text-sm text-gray-700">What they did stays in the history under their user id. This cannot be undone.</p>
            <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4" noValidate>
              <FormHead form={form} commandId={commandId} />
              <div>
                <label className="flex items-start gap-2 text-sm">
                  <input {...confirm} className="mt-1" />
                  <span>I understand that {person.name}'s personal data is erased for good.</span>
                </label>
                {fields.confirm.errors ? <p id={fields.confirm.errorId} className="mt-1 text-sm text-red-700">{fields.confirm.errors[0]}</p> : null}
              </div>
              <div className="flex gap-2">
                <button className="btn-danger">Erase personal data</button>
                <Link to={back.to} className="btn-secondary no-underline">Cancel</Link>
              </div>
            </Form>
          </>
        )}
      </section>
    </div>
  )
}
