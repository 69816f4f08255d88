// One workshop as the vendor sees it: schedule or move it, record it as held with its outcomes, or cancel it.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-workshop'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { DateText, formatDate, PageHeader } from '../../components/ui.tsx'
import { CancelWorkshopData, HoldWorkshopData } from '../../../domain/workshops/decide.ts'
import { formText } from '../../forms.ts'
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

/** one schema per form; the action parses them as one union on `intent` */
const ScheduleForm = z.object({ intent: z.literal('schedule'), date: z.iso.date('Choose a date for the workshop') })
const HoldForm = z.object({
  intent: z.literal('hold'),
  alignedObjectives: formLines('the objectives both sides agreed on', HoldWorkshopData.shape.outcomes.shape.alignedObjectives),
  successMeasures: formLines('how you will measure success', HoldWorkshopData.shape.outcomes.shape.successMeasures),
})
const CancelForm = z.object({ intent: z.literal('cancel'), reason: formText('a reason the partner will see', CancelWorkshopData.shape.reason) })
const Intent = z.discriminatedUnion('intent', [ScheduleForm, HoldForm, CancelForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ workshopId: RouteId }, params, 'No workshop with this id.')
  const { services } = context
  const { user, form } = await requireIntent(request, services, () => 'workshop:manage')
  const { workshop, partnerName } = await load(services, ids.workshopId)
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const commands = services.commands.engagement
  const issued = { actor: toActor(user) }
  const name = `${kindLabels[workshop.kind]} workshop with ${partnerName}`
  const here = `/vendor/engagement/workshops/${workshop.workshopId}`
  try {
    const intent = submission.value
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
    return replyRefused(submission, error)
  }
}

export default function VendorWorkshop() {
  const { workshop, partnerName, canManage, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [schedule, s] = useSchemaForm({ id: 'schedule-workshop', schema: ScheduleForm, lastResult: resultFor(actionData, 'schedule'), defaultValue: { date: workshop.date ?? '' } })
  const [hold, h] = useSchemaForm({ id: 'hold-workshop', schema: HoldForm, lastResult: resultFor(actionData, 'hold') })
  const [cancel, c] = useSchemaForm({ id: 'cancel-workshop', schema: CancelForm, lastResult: resultFor(actionData, 'cancel') })
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
            <Form method="post" {...getFormProps(schedule)} className="card flex flex-wrap items-end gap-3 p-5">
              <FormHead form={schedule} intent="schedule" />
              <div className="min-w-48 flex-1">
                <ConformField label={workshop.status === 'Scheduled' ? 'Move to another date' : 'Schedule for'} meta={s.date}>
                  <input {...conformInput(s.date, 'date')} min={today} />
                </ConformField>
              </div>
              <button type="submit" className="btn-primary">{workshop.status === 'Scheduled' ? 'Reschedule' : 'Schedule'}</button>
            </Form>
          ) : null}
          {canManage && workshop.status === 'Scheduled' ? (
            <Form method="post" {...getFormProps(hold)} className="card space-y-4 p-5" aria-labelledby="hold-heading">
              <h2 id="hold-heading" className="text-sm font-semibold text-gray-900">Record the workshop as held</h2>
              <FormHead form={hold} intent="hold" />
              {canHold ? null : <p className="text-sm text-gray-700">Record the outcomes on or after <DateText iso={workshop.date!} />.</p>}
              <ConformField label="Aligned objectives" meta={h.alignedObjectives} hint="One per line: what both sides agreed to pursue">
                <textarea {...conformTextarea(h.alignedObjectives, { hint: true })} rows={3} />
              </ConformField>
              <ConformField label="Success measures" meta={h.successMeasures} hint="One per line: how you will both know it worked">
                <textarea {...conformTextarea(h.successMeasures, { hint: true })} rows={3} />
              </ConformField>
              <div className="flex justify-end"><button type="submit" className="btn-success" disabled={!canHold}>Record as held</button></div>
            </Form>
          ) : null}
          {canManage && open ? (
            <Form method="post" {...getFormProps(cancel)} className="card flex flex-wrap items-end gap-3 p-5">
              <FormHead form={cancel} intent="cancel" />
              <div className="min-w-48 flex-1">
                <ConformField label="Cancel: reason for the partner" meta={c.reason}>
                  <input {...conformInput(c.reason)} />
                </ConformField>
              </div>
              <button type="submit" className="btn-danger">Cancel workshop</button>
            </Form>
          ) : null}
          {!open ? <p className="card p-5 text-sm text-gray-700">This workshop is closed.</p> : null}
        </div>
      </div>
    </div>
  )
}
