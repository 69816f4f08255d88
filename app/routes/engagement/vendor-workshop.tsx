import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-workshop'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { DateText, Field, FormError, formatDate, inputProps, PageHeader } from '../../components/ui.tsx'
import { CancelWorkshopData, HoldWorkshopData } from '../../../domain/workshops/decide.ts'
import { formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
import type { AppServices } from '../../services.server.ts'
import { engagement, partnerNames, requireIntent, requireVendorReader } from './access.server.ts'
import { formLines, kindLabels, today, WorkshopOutcomes, WorkshopStatusBadge, ReadOnlyNote } from './shared.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data ? `${kindLabels[data.workshop.kind]} workshop with ${data.partnerName}` : 'Workshop'} · Partnerlog` }]

async function load(services: AppServices, workshopId: string) {
  const workshop = await engagement(services).queries.workshops.byId(workshopId)
  if (!workshop) throw data('No workshop with this id.', { status: 404 })
  const { names } = await partnerNames(services)
  return { workshop, partnerName: names[workshop.partnerId] ?? workshop.partnerId }
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ workshopId: RouteId }, params, 'No workshop with this id.')
  const { services } = context
  const { canManage } = await requireVendorReader(request, services, 'workshop:manage')
  return { ...(await load(services, ids.workshopId)), canManage, today: today(services.clock) }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('schedule'), date: z.iso.date('Choose a date for the workshop') }),
  z.object({
    intent: z.literal('hold'),
    alignedObjectives: formLines('the objectives both sides agreed on', HoldWorkshopData.shape.outcomes.shape.alignedObjectives),
    successMeasures: formLines('how you will measure success', HoldWorkshopData.shape.outcomes.shape.successMeasures),
  }),
  z.object({ intent: z.literal('cancel'), reason: formText('a reason the partner will see', CancelWorkshopData.shape.reason) }),
])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ workshopId: RouteId }, params, 'No workshop with this id.')
  const { services } = context
  const { user, form } = await requireIntent(request, services, () => 'workshop:manage')
  const { workshop, partnerName } = await load(services, ids.workshopId)
  const parsed = parseForm(Intent, form)
  if (!parsed.ok) return invalid(parsed.result)
  const commands = services.commands.engagement
  const issued = { actor: toActor(user) }
  const name = `${kindLabels[workshop.kind]} workshop with ${partnerName}`
  const here = `/vendor/engagement/workshops/${workshop.workshopId}`
  try {
    const intent = parsed.value
    switch (intent.intent) {
      case 'schedule':
        await commands.scheduleWorkshop(issued, workshop.workshopId, intent.date)
        return redirectWithToast(request, services, here, `${name} ${workshop.status === 'Scheduled' ? 'moved' : 'scheduled'} to ${formatDate(intent.date)}.`)
      case 'hold':
        await commands.holdWorkshop(issued, workshop.workshopId, { alignedObjectives: intent.alignedObjectives, successMeasures: intent.successMeasures })
        return redirectWithToast(request, services, here, `${name} recorded as held; ${partnerName} now sees the outcomes.`)
      case 'cancel':
        await commands.cancelWorkshop(issued, workshop.workshopId, intent.reason)
        return redirectWithToast(request, services, '/vendor/engagement', `${name} cancelled; ${partnerName} sees your reason.`)
    }
  } catch (error) {
    return refused(error, form)
  }
}

export default function VendorWorkshop() {
  const { workshop, partnerName, canManage, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<{ result: FormResult }>()
  const result = actionData?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const open = workshop.status === 'Requested' || workshop.status === 'Scheduled'
  const canHold = workshop.status === 'Scheduled' && workshop.date! <= today
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`${kindLabels[workshop.kind]} workshop with ${partnerName}`}
        description={workshop.goal}
        breadcrumbs={[{ to: '/vendor/engagement', label: 'Engagement' }]}
        actions={<WorkshopStatusBadge status={workshop.status} />}
      />
      <FormError message={result?.formError} />
      <div className="mt-4 grid gap-6 lg:grid-cols-5">
        <section className="card self-start p-5 lg:col-span-2" aria-labelledby="facts">
          <h2 id="facts" className="text-sm font-semibold text-gray-900">Request</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-gray-600">Partner</dt><dd><Link to={`/vendor/partners/${workshop.partnerId}`}>{partnerName}</Link></dd>
            <dt className="text-gray-600">Requested</dt><dd><DateText iso={workshop.requestedAt} /></dd>
            <dt className="text-gray-600">Attendees</dt><dd>{workshop.attendees.join(', ')}</dd>
            <dt className="text-gray-600">Date</dt><dd>{workshop.date ? <DateText iso={workshop.date} /> : 'Not scheduled yet'}</dd>
            {workshop.heldOn ? (<><dt className="text-gray-600">Held on</dt><dd><DateText iso={workshop.heldOn} />{workshop.heldAsScheduled ? '' : ' (not on the scheduled date)'}</dd></>) : null}
            {workshop.cancelReason ? (<><dt className="text-gray-600">Cancelled by</dt><dd>{workshop.cancelledBy === 'vendor' ? 'Vendor' : 'Partner'}: {workshop.cancelReason}</dd></>) : null}
          </dl>
          {workshop.outcomes ? (
            <div className="mt-4 border-t border-gray-100 pt-4"><WorkshopOutcomes outcomes={workshop.outcomes} /></div>
          ) : null}
        </section>
        <div className="space-y-6 lg:col-span-3">
          {!canManage ? <ReadOnlyNote /> : null}
          {canManage && open ? (
            <Form method="post" noValidate className="card flex flex-wrap items-end gap-3 p-5">
              <CsrfInput />
              <div className="min-w-48 flex-1">
                <Field label={workshop.status === 'Scheduled' ? 'Move to another date' : 'Schedule for'} name="date" error={errors.date}>
                  <input {...inputProps('date', errors.date)} type="date" min={today} defaultValue={values.date ?? workshop.date ?? ''} />
                </Field>
              </div>
              <button name="intent" value="schedule" className="btn-primary">{workshop.status === 'Scheduled' ? 'Reschedule' : 'Schedule'}</button>
            </Form>
          ) : null}
          {canManage && workshop.status === 'Scheduled' ? (
            <Form method="post" noValidate className="card space-y-4 p-5" aria-labelledby="hold-heading">
              <h2 id="hold-heading" className="text-sm font-semibold text-gray-900">Record the workshop as held</h2>
              <CsrfInput />
              {canHold ? null : <p className="text-sm text-gray-700">Record the outcomes on or after <DateText iso={workshop.date!} />.</p>}
              <Field label="Aligned objectives" name="alignedObjectives" error={errors.alignedObjectives} hint="One per line: what both sides agreed to pursue">
                <textarea {...inputProps('alignedObjectives', errors.alignedObjectives, 'hint')} rows={3} defaultValue={values.alignedObjectives} />
              </Field>
              <Field label="Success measures" name="successMeasures" error={errors.successMeasures} hint="One per line: how you will both know it worked">
                <textarea {...inputProps('successMeasures', errors.successMeasures, 'hint')} rows={3} defaultValue={values.successMeasures} />
              </Field>
              <div className="flex justify-end"><button name="intent" value="hold" className="btn-success" disabled={!canHold}>Record as held</button></div>
            </Form>
          ) : null}
          {canManage && open ? (
            <Form method="post" noValidate className="card flex flex-wrap items-end gap-3 p-5">
              <CsrfInput />
              <div className="min-w-48 flex-1">
                <Field label="Cancel: reason for the partner" name="reason" error={errors.reason}>
                  <input {...inputProps('reason', errors.reason)} defaultValue={values.reason} />
                </Field>
              </div>
              <button name="intent" value="cancel" className="btn-danger">Cancel workshop</button>
            </Form>
          ) : null}
          {!open ? <p className="card p-5 text-sm text-gray-700">This workshop is closed.</p> : null}
        </div>
      </div>
    </div>
  )
}
