// Vendor admin: the vendor's own people (channel managers, vendor admins, auditors): add them and change their role.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-staff'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { FormError, PageHeader } from '../../components/ui.tsx'
import { AddStaffMember } from '../../../domain/staff/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formEmail, formText } from '../../forms.ts'
import { roleLabels } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Vendor staff · Partnerlog' }]

const vendorRoles = ['channel_manager', 'vendor_admin', 'auditor'] as const

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'staff:manage')
  const staff = (await peopleQueries(services.sql).staff()).filter((s) => s.organisationId === user.organisationId)
  const partners = await peopleQueries(services.sql).partners()
  const managed = partners.reduce<Record<string, number>>((acc, p) => (p.channelManagerId ? { ...acc, [p.channelManagerId]: (acc[p.channelManagerId] ?? 0) + 1 } : acc), {})
  return { staff, managed, me: user.userId, commandId: randomUUID() }
}

/** the add form's schema, shared by the browser and the action; each row's role form posts RoleForm */
const AddForm = z.object({
  intent: z.literal('add'),
  commandId: z.uuid(),
  name: formText('their full name', AddStaffMember.shape.name),
  email: formEmail('their work email', 'kim@vendor.example'),
  role: z.enum(vendorRoles, 'Choose a role'),
  password: z.string().optional().transform((p) => p || undefined)
    .pipe(z.string().min(12, 'Use at least 12 characters, or leave it empty to generate one').max(200).optional()),
})
const RoleForm = z.object({ intent: z.literal('role'), userId: ref(), role: z.enum(vendorRoles, 'Choose a role') })

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'staff:manage')
  const submission = parseWithZod(form, { schema: z.discriminatedUnion('intent', [AddForm, RoleForm]) })
  if (submission.status !== 'success') return replyInvalid(submission, { hideFields: ['password'] })
  const people = services.commands.people
  try {
    const intent = submission.value
    if (intent.intent === 'add') {
      const added = await people.addStaff(user, intent, intent.commandId)
      if (added.replayed) return redirectWithToast(request, services, '/vendor/staff', `${intent.name} was already added.`, 'info')
      return data({ added: { name: intent.name, email: intent.email, role: intent.role, password: added.password } })
    }
    const member = (await peopleQueries(services.sql).staff()).find((s) => s.userId === intent.userId && s.organisationId === user.organisationId)
    if (!member) throw data('No such member of your staff.', { status: 404 })
    if (member.userId === user.userId) return data({ result: submission.reply({ formErrors: ['You cannot change your own role; ask another vendor admin.'] }) }, { status: 409 })
    await people.changeStaffRole(user, member.userId, intent.role)
    return redirectWithToast(request, services, '/vendor/staff', `${member.name} is now ${roleLabels[intent.role].toLowerCase()}.`)
  } catch (error) {
    return replyRefused(submission, error, { hideFields: ['password'] })
  }
}

type ActionData = { added?: { name: string; email: string; role: string; password: string | null } }

export default function Staff() {
  const { staff, managed, me, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const [form, fields] = useSchemaForm({ id: 'add-staff', schema: AddForm, lastResult: resultFor(actionData, 'add'), defaultValue: { role: 'channel_manager' } })
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Vendor staff"
        description="The people who run the program: channel managers review and manage partners, vendor admins also change settings and staff, auditors read everything."
        breadcrumbs={[{ to: '/vendor/settings', label: 'Settings' }]}
      />
      <FormError message={resultFor(actionData, 'role')?.error?.['']?.[0]} />
      {actionData?.added ? (
        <div role="status" className="mb-6 rounded-lg bg-green-50 p-4 text-sm text-green-900 ring-1 ring-green-600/30">
          <p className="font-semibold">{actionData.added.name} added as {roleLabels[actionData.added.role as keyof typeof roleLabels].toLowerCase()} ({actionData.added.email}).</p>
          {actionData.added.password ? (
            <>
              <p className="mt-1">Give them this initial password through a channel you trust. It is shown only this once.</p>
              <p className="mt-2"><code className="rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-green-600/30" data-testid="initial-password">{actionData.added.password}</code></p>
            </>
          ) : <p className="mt-1">They sign in with the password you set.</p>}
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <section className="card self-start overflow-hidden lg:col-span-3" aria-labelledby="staff-h">
          <h2 id="staff-h" className="px-5 pt-5 text-sm font-semibold text-gray-900">Staff</h2>
          <div className="mt-2 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50"><tr><th scope="col" className="th">Name</th><th scope="col" className="th">Role</th><th scope="col" className="th num">Partners managed</th></tr></thead>
              <tbody className="divide-y divide-gray-100">
                {staff.map((s) => (
                  <tr key={s.userId}>
                    <td className="td">
                      <div className="font-medium">{s.name}{s.userId === me ? <span className="ml-1 text-xs font-normal text-gray-600">(you)</span> : null}</div>
                      <div className="text-xs text-gray-600">{s.email}</div>
                      {s.userId !== me && s.active ? <Link to={`/vendor/people/${encodeURIComponent(s.userId)}/erase`} className="text-xs text-red-700" aria-label={`Erase the personal data of ${s.name}`}>Erase…</Link> : null}
                    </td>
                    <td className="td">
                      {s.userId === me ? <span className="text-sm">{roleLabels[s.role]}</span> : (
                        <Form method="post" className="flex items-center gap-2">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="userId" value={s.userId} />
                          <label htmlFor={`role-${s.userId}`} className="sr-only">Role of {s.name}</label>
                          <select id={`role-${s.userId}`} name="role" defaultValue={s.role} className="input w-44">
                            {vendorRoles.map((r) => <option key={r} value={r}>{roleLabels[r]}</option>)}
                          </select>
                          <button type="submit" className="btn-secondary" aria-label={`Save role of ${s.name}`}>Save</button>
                        </Form>
                      )}
                    </td>
                    <td className="td num">{managed[s.userId] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card p-5 lg:col-span-2" aria-labelledby="add-h">
          <h2 id="add-h" className="text-sm font-semibold text-gray-900">Add a staff member</h2>
          <Form method="post" {...getFormProps(form)} noValidate className="mt-3 space-y-4" key={commandId}>
            <FormHead form={form} commandId={commandId} intent="add" />
            <ConformField label="Full name" meta={fields.name}>
              <input {...conformInput(fields.name)} autoComplete="off" />
            </ConformField>
            <ConformField label="Work email" meta={fields.email}>
              <input {...conformInput(fields.email, 'email')} autoComplete="off" />
            </ConformField>
            <ConformField label="Role" meta={fields.role}>
              <select {...conformSelect(fields.role)}>
                {vendorRoles.map((r) => <option key={r} value={r}>{roleLabels[r]}</option>)}
              </select>
            </ConformField>
            <ConformField label="Initial password (optional)" meta={fields.password} hint="Leave empty and we generate one to show you once">
              <input {...conformInput(fields.password, 'password', { hint: true })} autoComplete="new-password" />
            </ConformField>
            <button type="submit" className="btn-primary w-full" disabled={busy}>Add to staff</button>
          </Form>
        </section>
      </div>
    </div>
  )
}
