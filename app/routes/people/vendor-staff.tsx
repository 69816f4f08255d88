// Vendor admin: the vendor's own people (channel managers, vendor admins, auditors): add them and change their role.
import { randomUUID } from 'node:crypto'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-staff'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { AddStaffMember } from '../../../domain/staff/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formEmail, formText } from '../../forms.ts'
import { parseForm, refused, type FormResult } from '../../forms.server.ts'
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
  const parsed = parseForm(z.discriminatedUnion('intent', [AddForm, RoleForm]), form)
  if (!parsed.ok) return data({ result: parsed.result }, { status: 400 })
  const people = services.commands.people
  try {
    const intent = parsed.value
    if (intent.intent === 'add') {
      const added = await people.addStaff(user, intent, intent.commandId)
      if (added.replayed) return redirectWithToast(request, services, '/vendor/staff', `${intent.name} was already added.`, 'info')
      return data({ added: { name: intent.name, email: intent.email, role: intent.role, password: added.password } })
    }
    const member = (await peopleQueries(services.sql).staff()).find((s) => s.userId === intent.userId && s.organisationId === user.organisationId)
    if (!member) throw data('No such member of your staff.', { status: 404 })
    if (member.userId === user.userId) return data({ result: { fieldErrors: {}, formError: 'You cannot change your own role; ask another vendor admin.', values: {} } satisfies FormResult }, { status: 409 })
    await people.changeStaffRole(user, member.userId, intent.role)
    return redirectWithToast(request, services, '/vendor/staff', `${member.name} is now ${roleLabels[intent.role].toLowerCase()}.`)
  } catch (error) {
    return refused(error, form)
  }
}

type ActionData = { result?: FormResult; added?: { name: string; email: string; role: string; password: string | null } }

export default function Staff() {
  const { staff, managed, me, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<ActionData>()
  const result = actionData?.result
  const adding = result?.values.intent === 'add'
  const errors = adding ? result?.fieldErrors ?? {} : {}
  const values = adding ? result?.values ?? {} : {}
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Vendor staff"
        description="The people who run the program: channel managers review and manage partners, vendor admins also change settings and staff, auditors read everything."
        breadcrumbs={[{ to: '/vendor/settings', label: 'Settings' }]}
      />
      {!adding ? <FormError message={result?.formError} /> : null}
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
                          <input type="hidden" name="userId" value={s.userId} />
                          <label htmlFor={`role-${s.userId}`} className="sr-only">Role of {s.name}</label>
                          <select id={`role-${s.userId}`} name="role" defaultValue={s.role} className="input w-44">
                            {vendorRoles.map((r) => <option key={r} value={r}>{roleLabels[r]}</option>)}
                          </select>
                          <button name="intent" value="role" className="btn-secondary" aria-label={`Save role of ${s.name}`}>Save</button>
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
          <Form method="post" noValidate className="mt-3 space-y-4" key={commandId}>
            <CsrfInput />
            <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
            {adding ? <FormError message={result?.formError} /> : null}
            <Field label="Full name" name="name" error={errors.name}>
              <input {...inputProps('name', errors.name)} defaultValue={values.name} autoComplete="off" />
            </Field>
            <Field label="Work email" name="email" error={errors.email}>
              <input {...inputProps('email', errors.email)} type="email" defaultValue={values.email} autoComplete="off" />
            </Field>
            <Field label="Role" name="role" error={errors.role}>
              <select {...inputProps('role', errors.role)} defaultValue={values.role ?? 'channel_manager'}>
                {vendorRoles.map((r) => <option key={r} value={r}>{roleLabels[r]}</option>)}
              </select>
            </Field>
            <Field label="Initial password (optional)" name="password" error={errors.password} hint="Leave empty and we generate one to show you once">
              <input {...inputProps('password', errors.password, 'hint')} type="password" autoComplete="new-password" />
            </Field>
            <button name="intent" value="add" className="btn-primary w-full" disabled={busy}>Add to staff</button>
          </Form>
        </section>
      </div>
    </div>
  )
}
