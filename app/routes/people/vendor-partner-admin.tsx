// Vendor: one partner's administration: channel manager, tier with its history, users and profile.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-partner-admin'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, EmptyState, FormError, PageHeader } from '../../components/ui.tsx'
import { ChangeTierData } from '../../../domain/partners/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formText } from '../../forms.ts'
import { can } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import { partnerRoleLabels, partnerTypeLabels, tierLabel } from './labels.ts'
import { ProfilePreview } from './profile-preview.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.partner.company ?? 'Partner'} administration · Partnerlog` }]

async function load(services: Route.LoaderArgs['context']['services'], partnerId: string) {
  const partner = await peopleQueries(services.sql).partner(partnerId)
  if (!partner) throw data('No partner with this id.', { status: 404 })
  return partner
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const user = await requireUser(request, services, 'partner:manage')
  const partner = await load(services, ids.partnerId)
  const queries = peopleQueries(services.sql)
  const [staff, { settings }] = await Promise.all([queries.staff(), queries.settingsAt(services.clock().toISOString())])
  const names = Object.fromEntries(staff.map((s) => [s.userId, s.name]))
  const managers = staff.filter((s) => s.role === 'channel_manager' && s.active).map((s) => ({ userId: s.userId, name: s.name, email: s.email }))
  const tiers = [...settings.tiers].sort((a, b) => a.rank - b.rank).map((t) => t.name)
  return { partner, managers, tiers, names, canErase: can(user.role, 'people:erase') }
}

/** the two forms' schemas, shared by the browser and the action */
const AssignForm = z.object({ intent: z.literal('assign'), managerId: z.string({ error: 'Choose a channel manager' }).min(1, 'Choose a channel manager').pipe(ref()) })
const TierForm = z.object({
  intent: z.literal('tier'),
  tier: z.string({ error: 'Choose a tier' }).min(1, 'Choose a tier').pipe(ChangeTierData.shape.tier),
  reason: formText('why the tier changes', ChangeTierData.shape.reason),
})
const Intent = z.discriminatedUnion('intent', [AssignForm, TierForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ partnerId: RouteId }, params, 'No partner with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'partner:manage')
  const partner = await load(services, ids.partnerId)
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const people = services.commands.people
  const to = `/vendor/partners/${encodeURIComponent(partner.partnerId)}/admin`
  try {
    const intent = submission.value
    if (intent.intent === 'assign') {
      const manager = (await peopleQueries(services.sql).staff()).find((s) => s.userId === intent.managerId && s.role === 'channel_manager')
      if (!manager) return data({ result: submission.reply({ formErrors: ['Check the highlighted fields.'], fieldErrors: { managerId: ['Choose one of the listed channel managers'] } }) }, { status: 400 })
      await people.assignChannelManager(user, partner.partnerId, manager.userId)
      return redirectWithToast(request, services, to, `${manager.name} now manages ${partner.company}.`)
    }
    await people.changeTier(user, partner.partnerId, intent.tier, intent.reason)
    return redirectWithToast(request, services, to, `${partner.company} moved to tier ${tierLabel(intent.tier)}.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function PartnerAdmin() {
  const { partner, managers, tiers, names, canErase } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [assign, assignFields] = useSchemaForm({
    id: 'assign-manager', schema: AssignForm, lastResult: resultFor(actionData, 'assign'),
    defaultValue: { managerId: managers.find((m) => m.userId !== partner.channelManagerId)?.userId },
  })
  const [tier, tierFields] = useSchemaForm({ id: 'change-tier', schema: TierForm, lastResult: resultFor(actionData, 'tier'), defaultValue: { tier: tiers.find((t) => t !== partner.tier) } })
  const approved = partner.status === 'Approved'
  const manager = partner.channelManagerId ? names[partner.channelManagerId] ?? partner.channelManagerId : null
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`${partner.company}: administration`}
        description={`${partnerTypeLabels[partner.partnerType] ?? partner.partnerType} · ${partner.websiteDomain} · serves ${partner.geographies.join(', ')}`}
        breadcrumbs={[{ to: '/vendor/partners', label: 'Partners' }, { to: `/vendor/partners/${partner.partnerId}`, label: partner.company }]}
        actions={<>
          <Badge tone={approved ? 'green' : partner.status === 'Rejected' ? 'red' : 'amber'}>{partner.status === 'Applied' ? 'Waiting for approval' : partner.status}</Badge>
          {partner.tier ? <Badge tone="blue">Tier {tierLabel(partner.tier)}</Badge> : null}
        </>}
      />
      {partner.status === 'Applied' ? (
        <div className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/30">
          This company has applied but is not approved yet. <a href="/vendor/applications">Decide on the application</a>.
        </div>
      ) : null}
      {partner.status === 'Rejected' ? (
        <div className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/30">Application rejected: {partner.rejectionReason}</div>
      ) : null}
      <div className="mt-4 grid gap-6 lg:grid-cols-2">
        <section className="card p-5" aria-labelledby="manager-h">
          <h2 id="manager-h" className="text-sm font-semibold text-gray-900">Channel manager</h2>
          <p className="mt-1 text-sm text-gray-700">{manager ? <>Currently <strong>{manager}</strong>.</> : 'Nobody manages this partner yet.'}</p>
          {partner.status !== 'Rejected' ? (
            managers.length ? (
              <Form method="post" {...getFormProps(assign)} className="mt-4 flex flex-wrap items-end gap-2" noValidate key={`manager-${partner.updatedAt}`}>
                <CsrfInput />
                <input type="hidden" name="intent" value="assign" />
                {assign.errors ? <div className="basis-full"><FormError message={assign.errors[0]} /></div> : null}
                <div className="min-w-48 flex-1">
                  <ConformField label={manager ? 'Reassign to' : 'Assign'} meta={assignFields.managerId}>
                    <select {...conformSelect(assignFields.managerId)}>
                      {managers.map((m) => <option key={m.userId} value={m.userId} disabled={m.userId === partner.channelManagerId}>{m.name}{m.userId === partner.channelManagerId ? ' (current)' : ''}</option>)}
                    </select>
                  </ConformField>
                </div>
                <button type="submit" className="btn-primary">{manager ? 'Reassign' : 'Assign'}</button>
              </Form>
            ) : (
              <p className="mt-3 text-sm text-gray-600">There are no channel managers on the staff. <a href="/vendor/staff">Add one</a>.</p>
            )
          ) : null}
          {partner.channelManagerHistory.length > 1 ? (
            <ol className="mt-4 space-y-1 border-t border-gray-100 pt-3 text-xs text-gray-600">
              {[...partner.channelManagerHistory].reverse().map((h) => (
                <li key={h.at + h.managerId}><DateText iso={h.at} />: {names[h.managerId] ?? h.managerId}{h.previousManagerId ? ` (was ${names[h.previousManagerId] ?? h.previousManagerId})` : ''}</li>
              ))}
            </ol>
          ) : null}
        </section>

        <section className="card p-5" aria-labelledby="tier-h">
          <h2 id="tier-h" className="text-sm font-semibold text-gray-900">Tier</h2>
          {approved ? (
            <Form method="post" {...getFormProps(tier)} className="mt-3 space-y-3" noValidate key={`tier-${partner.updatedAt}`}>
              <FormHead form={tier} intent="tier" />
              <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
                <ConformField label="New tier" meta={tierFields.tier}>
                  <select {...conformSelect(tierFields.tier)}>
                    {tiers.map((t) => <option key={t} value={t} disabled={t === partner.tier}>{tierLabel(t)}{t === partner.tier ? ' (current)' : ''}</option>)}
                  </select>
                </ConformField>
                <ConformField label="Reason" meta={tierFields.reason} hint="The partner sees it in their history">
                  <input {...conformInput(tierFields.reason, 'text', { hint: true })} />
                </ConformField>
              </div>
              <button type="submit" className="btn-primary">Change tier</button>
            </Form>
          ) : <p className="mt-1 text-sm text-gray-600">A tier is set when the application is approved.</p>}
          {partner.tierHistory.length ? (
            <ol className="mt-4 space-y-1 border-t border-gray-100 pt-3 text-sm" aria-label="Tier history">
              {[...partner.tierHistory].reverse().map((h) => (
                <li key={h.at + h.to} className="flex flex-wrap gap-x-2">
                  <span className="text-gray-600"><DateText iso={h.at} /></span>
                  <span>{h.from ? `${tierLabel(h.from)} → ` : ''}<strong>{tierLabel(h.to)}</strong></span>
                  <span className="text-gray-600">{h.reason}{names[h.by] ? ` · ${names[h.by]}` : ''}</span>
                </li>
              ))}
            </ol>
          ) : null}
        </section>

        <section className="card overflow-hidden lg:col-span-2" aria-labelledby="users-h">
          <h2 id="users-h" className="px-5 pt-5 text-sm font-semibold text-gray-900">Users</h2>
          {partner.users.length ? (
            <div className="mt-2 overflow-x-auto">
              <table className="table-base">
                <thead className="bg-gray-50"><tr><th scope="col" className="th">Name</th><th scope="col" className="th">Email</th><th scope="col" className="th">Role</th><th scope="col" className="th">Since</th>{canErase ? <th scope="col" className="th"><span className="sr-only">Personal data</span></th> : null}</tr></thead>
                <tbody className="divide-y divide-gray-100">
                  {partner.users.map((u) => (
                    <tr key={u.userId}>
                      <td className="td font-medium">{u.name}</td>
                      <td className="td"><a href={`mailto:${u.email}`}>{u.email}</a></td>
                      <td className="td"><Badge tone={u.role === 'partner_admin' ? 'blue' : 'gray'}>{partnerRoleLabels[u.role]}</Badge></td>
                      <td className="td"><DateText iso={u.since} /></td>
                      {canErase ? <td className="td"><Link to={`/vendor/people/${encodeURIComponent(u.userId)}/erase`} className="text-sm text-red-700" aria-label={`Erase the personal data of ${u.name}`}>Erase…</Link></td> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="px-5 pb-5 pt-1 text-sm text-gray-600">
              No users yet: the applicant becomes the first admin on approval ({partner.applicant.name}, {partner.applicant.email}).
              {canErase ? <> <Link to={`/vendor/people/${encodeURIComponent(partner.applicant.userId)}/erase`} className="text-red-700">Erase the applicant's personal data…</Link></> : null}
            </p>
          )}
        </section>

        <section className="card p-5 lg:col-span-2" aria-labelledby="profile-h">
          <h2 id="profile-h" className="text-sm font-semibold text-gray-900">Co-branding profile</h2>
          {partner.profile ? (
            <div className="mt-3"><ProfilePreview profile={partner.profile} /></div>
          ) : (
            <EmptyState title="No profile yet" description="The partner's admin sets the display name, logo and colours used on co-branded assets from their Team & profile page." />
          )}
        </section>
      </div>
    </div>
  )
}
