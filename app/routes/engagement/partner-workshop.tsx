// A partner's own workshop: the request, the date, the agreed outcomes, and cancelling while it is open.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-workshop'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { DateText, PageHeader } from '../../components/ui.tsx'
import { CancelWorkshopData } from '../../../domain/workshops/decide.ts'
import { formText } from '../../forms.ts'
import { ownWorkshop } from './access.server.ts'
import { kindLabels, WorkshopOutcomes, WorkshopStatusBadge } from './shared.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data ? kindLabels[data.workshop.kind] : ''} workshop · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ workshopId: RouteId }, params, 'No workshop with this id in your organisation.')
  const user = await requireUser(request, context.services, 'workshop:request')
  return { workshop: await ownWorkshop(context.services, user, ids.workshopId) }
}

const CancelForm = z.object({ reason: formText('why the workshop is no longer needed', CancelWorkshopData.shape.reason) })

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ workshopId: RouteId }, params, 'No workshop with this id in your organisation.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'workshop:request')
  const workshop = await ownWorkshop(services, user, ids.workshopId)
  const submission = parseWithZod(form, { schema: CancelForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  try {
    await services.commands.engagement.cancelWorkshop({ actor: toActor(user) }, workshop.workshopId, submission.value.reason)
    return redirectWithToast(request, services, `/partner/collaborate/workshops/${workshop.workshopId}`, `${kindLabels[workshop.kind]} workshop cancelled.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function PartnerWorkshop() {
  const { workshop } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({ id: 'cancel-workshop', schema: CancelForm, lastResult: useActionData<typeof action>()?.result })
  const open = workshop.status === 'Requested' || workshop.status === 'Scheduled'
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={`${kindLabels[workshop.kind]} workshop`}
        description={workshop.goal}
        breadcrumbs={[{ to: '/partner/collaborate', label: 'Collaborate' }]}
        actions={<WorkshopStatusBadge status={workshop.status} />}
      />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <section className="card p-5 lg:col-span-2" aria-labelledby="facts">
          <h2 id="facts" className="text-sm font-semibold text-gray-900">{workshop.status === 'Held' ? 'Agreed outcomes' : 'Request'}</h2>
          {workshop.outcomes ? (
            <div className="mt-3"><WorkshopOutcomes outcomes={workshop.outcomes} /></div>
          ) : null}
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 border-t border-gray-100 pt-4 text-sm">
            <dt className="text-gray-600">Requested</dt><dd><DateText iso={workshop.requestedAt} /></dd>
            <dt className="text-gray-600">Attendees</dt><dd>{workshop.attendees.join(', ')}</dd>
            <dt className="text-gray-600">Date</dt><dd>{workshop.date ? <DateText iso={workshop.date} /> : 'Not scheduled yet'}{workshop.previousDate ? <span className="text-gray-600"> (moved from <DateText iso={workshop.previousDate} />)</span> : null}</dd>
            {workshop.heldOn ? (<><dt className="text-gray-600">Held on</dt><dd><DateText iso={workshop.heldOn} /></dd></>) : null}
            {workshop.cancelReason ? (<><dt className="text-gray-600">Cancelled by</dt><dd>{workshop.cancelledBy === 'vendor' ? 'The vendor' : 'You'}: {workshop.cancelReason}</dd></>) : null}
          </dl>
        </section>
        <section className="card space-y-3 self-start p-5" aria-labelledby="next">
          <h2 id="next" className="text-sm font-semibold text-gray-900">Next steps</h2>
          {workshop.status === 'Requested' ? <p className="text-sm text-gray-700">Your channel manager proposes a date.</p> : null}
          {workshop.status === 'Scheduled' ? <p className="text-sm text-gray-700">Meet on <DateText iso={workshop.date!} />; the outcomes appear here afterwards.</p> : null}
          {workshop.status === 'Held' ? <p className="text-sm text-gray-700">Turn the outcomes into goals of your joint business plan with your channel manager.</p> : null}
          {workshop.status === 'Cancelled' ? <p className="text-sm text-gray-700">This workshop is closed. Request a new one whenever you are ready.</p> : null}
          {open ? (
            <Form method="post" {...getFormProps(form)} className="space-y-2 border-t border-gray-100 pt-3">
              <FormHead form={form} />
              <ConformField label="No longer needed? Say why" meta={fields.reason}>
                <input {...conformInput(fields.reason)} />
              </ConformField>
              <button type="submit" className="btn-danger">Cancel workshop</button>
            </Form>
          ) : null}
        </section>
      </div>
    </div>
  )
}
