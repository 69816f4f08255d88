// Partner: the team (invite users, grant roles; admins only) and the co-branding profile (read-only for partner users).
import { randomUUID } from 'node:crypto'
import { useEffect, useState } from 'react'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-team'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { safeLogoUrl } from '../../cobrand.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { InviteUserData, SetProfileData } from '../../../domain/partners/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formEmail, formText } from '../../forms.ts'
import { parseForm, refused, type FormResult } from '../../forms.server.ts'
import { ImageRefused, normaliseLogo } from '../../images.server.ts'
import { can } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import { partnerRoleLabels, tierLabel } from './labels.ts'
import { ProfilePreview, type PreviewProfile } from './profile-preview.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Team & profile · Partnerlog' }]

const MAX_LOGO_BYTES = 1024 * 1024

async function ownPartner(services: Route.LoaderArgs['context']['services'], partnerId: string) {
  const partner = await peopleQueries(services.sql).partner(partnerId)
  if (!partner) throw data('No partner organisation for your account.', { status: 404 })
  return partner
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:home')
  const found = await ownPartner(services, user.organisationId)
  // a logo stored as an absolute address by older versions reaches the page as its path only
  const partner = found.profile ? { ...found, profile: { ...found.profile, logoUrl: safeLogoUrl(found.profile.logoUrl) } } : found
  return { partner, isAdmin: can(user.role, 'partner:manage-own'), me: user.userId, commandId: randomUUID() }
}

const email = (label: string) => formEmail(label, 'jo@yourcompany.com')
const colour = (label: string) => z.string({ error: `Choose the ${label}` }).regex(/^#[0-9a-fA-F]{6}$/, `Choose the ${label} as #rrggbb`).transform((c) => c.toLowerCase())

const InviteForm = z.object({
  intent: z.literal('invite'),
  commandId: z.uuid(),
  name: formText('their full name', InviteUserData.shape.name),
  email: email('their work email'),
  role: z.enum(['partner_user', 'partner_admin'], 'Choose a role'),
  password: z.string().optional().transform((p) => p || undefined)
    .pipe(z.string().min(12, 'Use at least 12 characters, or leave it empty to generate one').max(200).optional()),
})
const RoleForm = z.object({ intent: z.literal('role'), userId: ref(), role: z.enum(['partner_user', 'partner_admin'], 'Choose a role') })
const ProfileForm = z.object({
  intent: z.literal('profile'),
  displayName: formText('the name to show on co-branded assets', SetProfileData.shape.displayName),
  contactName: formText('the contact person', SetProfileData.shape.contactName),
  contactEmail: email('the contact email'),
  primaryColor: colour('primary colour'),
  secondaryColor: colour('secondary colour'),
  removeLogo: z.string().optional(),
})
const Intent = z.discriminatedUnion('intent', [InviteForm, RoleForm, ProfileForm])

function fieldError(field: string, message: string, form?: FormData) {
  const values: Record<string, string> = { intent: 'profile' }
  for (const [key, value] of form?.entries() ?? []) if (typeof value === 'string' && key !== 'csrf' && !key.includes('password')) values[key] = value
  return data({ result: { fieldErrors: { [field]: message }, formError: 'Check the highlighted fields.', values } satisfies FormResult }, { status: 400 })
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  // refuse oversized uploads before reading them into memory
  if (Number(request.headers.get('content-length') ?? 0) > MAX_LOGO_BYTES + 64 * 1024) {
    await requireUser(request, services, 'partner:manage-own')
    return fieldError('logo', 'The logo must be at most 1 MB. Export a smaller PNG or JPEG.')
  }
  const { user, form } = await requireAction(request, services, 'partner:manage-own')
  const partner = await ownPartner(services, user.organisationId)
  const parsed = parseForm(Intent, form)
  if (!parsed.ok) return data({ result: parsed.result }, { status: 400 })
  const people = services.commands.people
  try {
    const intent = parsed.value
    switch (intent.intent) {
      case 'invite': {
        const invited = await people.invite(user, partner.partnerId, intent, intent.commandId)
        if (invited.replayed) return redirectWithToast(request, services, '/partner/team', `${intent.name} was already invited.`, 'info')
        // the generated password is shown once in this response; it is not stored anywhere in clear
        return data({ invited: { name: intent.name, email: intent.email, password: invited.password } })
      }
      case 'role': {
        const member = partner.users.find((u) => u.userId === intent.userId)
        if (!member) throw data('No such user in your organisation.', { status: 404 })
        await people.grantRole(user, partner.partnerId, member.userId, intent.role)
        return redirectWithToast(request, services, '/partner/team', `${member.name} is now ${intent.role === 'partner_admin' ? 'an admin' : 'a user'} of ${partner.company}.`)
      }
      case 'profile': {
        const file = form.get('logo')
        // the logo is kept as a path on the portal: an address never takes its host from the request
        let logoUrl = intent.removeLogo === 'on' ? undefined : safeLogoUrl(partner.profile?.logoUrl) ?? undefined
        if (file instanceof File && file.size > 0) {
          if (file.size > MAX_LOGO_BYTES) return fieldError('logo', 'The logo must be at most 1 MB. Export a smaller PNG or JPEG.', form)
          // the real format and dimensions are checked before any pixel is decoded; what is stored is a small PNG without metadata
          let logo: Awaited<ReturnType<typeof normaliseLogo>>
          try {
            logo = await normaliseLogo(new Uint8Array(await file.arrayBuffer()))
          } catch (error) {
            if (error instanceof ImageRefused) return fieldError('logo', error.message, form)
            throw error
          }
          const stored = await services.files.put(logo.bytes)
          logoUrl = `/logos/${encodeURIComponent(partner.partnerId)}/${stored.sha256}`
        }
        const { intent: _i, removeLogo: _r, ...profile } = intent
        await people.setProfile(user, partner.partnerId, { ...profile, ...(logoUrl ? { logoUrl } : {}) })
        return redirectWithToast(request, services, '/partner/team', `Co-branding profile for ${profile.displayName} saved.`)
      }
    }
  } catch (error) {
    return refused(error, form)
  }
}

type ActionData = { result?: FormResult; invited?: { name: string; email: string; password: string | null } }

export default function Team() {
  const { partner, isAdmin, me, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<ActionData>()
  const result = actionData?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  const intent = values.intent
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={isAdmin ? 'Team & profile' : 'Profile'}
        description={isAdmin
          ? `Who can act for ${partner.company} in Partnerlog, and how your brand appears on co-branded assets.`
          : `How ${partner.company} appears on co-branded assets, and who your colleagues are. Your admins can change them.`}
        actions={partner.tier ? <Badge tone="blue">Tier {tierLabel(partner.tier)}</Badge> : undefined}
      />
      {intent !== 'invite' && intent !== 'profile' ? <FormError message={result?.formError} /> : null}
      {actionData?.invited ? (
        <div role="status" className="mb-6 rounded-lg bg-green-50 p-4 text-sm text-green-900 ring-1 ring-green-600/30">
          <p className="font-semibold">{actionData.invited.name} invited as {actionData.invited.email}.</p>
          {actionData.invited.password ? (
            <>
              <p className="mt-1">Give them this initial password through a channel you trust. It is shown only this once.</p>
              <p className="mt-2"><code className="rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-green-600/30" data-testid="initial-password">{actionData.invited.password}</code></p>
            </>
          ) : <p className="mt-1">They sign in with the password you set.</p>}
        </div>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-5">
        <section className="card self-start overflow-hidden lg:col-span-3" aria-labelledby="team-h">
          <div className="flex items-center justify-between px-5 pt-5">
            <h2 id="team-h" className="text-sm font-semibold text-gray-900">Team</h2>
            <span className="text-xs text-gray-600">{partner.users.length} {partner.users.length === 1 ? 'person' : 'people'}</span>
          </div>
          <div className="mt-2 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50">
                <tr><th scope="col" className="th">Name</th><th scope="col" className="th">Role</th><th scope="col" className="th hidden sm:table-cell">Since</th></tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {partner.users.map((u) => (
                  <tr key={u.userId}>
                    <td className="td"><div className="font-medium">{u.name}{u.userId === me ? <span className="ml-1 text-xs font-normal text-gray-600">(you)</span> : null}</div><div className="text-xs text-gray-600">{u.email}</div></td>
                    <td className="td">
                      {isAdmin ? (
                        <Form method="post" className="flex items-center gap-2">
                          <CsrfInput />
                          <input type="hidden" name="userId" value={u.userId} />
                          <label htmlFor={`role-${u.userId}`} className="sr-only">Role of {u.name}</label>
                          <select id={`role-${u.userId}`} name="role" defaultValue={u.role} className="input w-24">
                            <option value="partner_user">User</option>
                            <option value="partner_admin">Admin</option>
                          </select>
                          <button name="intent" value="role" className="btn-secondary" aria-label={`Save role of ${u.name}`}>Save</button>
                        </Form>
                      ) : <Badge tone={u.role === 'partner_admin' ? 'blue' : 'gray'}>{partnerRoleLabels[u.role]}</Badge>}
                    </td>
                    <td className="td hidden whitespace-nowrap sm:table-cell"><DateText iso={u.since} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {partner.users.length <= 1 && isAdmin ? (
            <p className="border-t border-gray-100 px-5 py-3 text-sm text-gray-600">Only you so far. Invite your sales and pre-sales colleagues so they can register deals and use the library.</p>
          ) : null}
        </section>

        {isAdmin ? (
          <section className="card p-5 lg:col-span-2" aria-labelledby="invite-h">
            <h2 id="invite-h" className="text-sm font-semibold text-gray-900">Invite a colleague</h2>
            <Form method="post" noValidate className="mt-3 space-y-4" key={commandId}>
              <CsrfInput />
              <input type="hidden" name="commandId" value={intent === 'invite' ? values.commandId ?? commandId : commandId} />
              {intent === 'invite' ? <FormError message={result?.formError} /> : null}
              <Field label="Full name" name="name" error={intent === 'invite' ? errors.name : undefined}>
                <input {...inputProps('name', intent === 'invite' ? errors.name : undefined)} defaultValue={intent === 'invite' ? values.name : ''} autoComplete="off" />
              </Field>
              <Field label="Work email" name="email" error={intent === 'invite' ? errors.email : undefined}>
                <input {...inputProps('email', intent === 'invite' ? errors.email : undefined)} type="email" defaultValue={intent === 'invite' ? values.email : ''} autoComplete="off" />
              </Field>
              <Field label="Role" name="role" error={intent === 'invite' ? errors.role : undefined} hint="Admins invite people and edit the profile">
                <select {...inputProps('role', intent === 'invite' ? errors.role : undefined, 'hint')} defaultValue={intent === 'invite' ? values.role : 'partner_user'}>
                  <option value="partner_user">User</option>
                  <option value="partner_admin">Admin</option>
                </select>
              </Field>
              <Field label="Initial password (optional)" name="password" error={intent === 'invite' ? errors.password : undefined} hint="Leave empty and we generate one to show you once">
                <input {...inputProps('password', intent === 'invite' ? errors.password : undefined, 'hint')} type="password" autoComplete="new-password" />
              </Field>
              <button name="intent" value="invite" className="btn-primary w-full" disabled={busy}>Invite</button>
            </Form>
          </section>
        ) : null}

        <section className="card p-5 lg:col-span-5" aria-labelledby="profile-h">
          <h2 id="profile-h" className="text-sm font-semibold text-gray-900">Co-branding profile</h2>
          <p className="mt-1 text-sm text-gray-600">Thru-Partner assets in the library carry this name, logo, contact and colours.</p>
          {isAdmin ? (
            <ProfileEditor key={partner.profile?.setAt ?? "new"} partner={partner} result={intent === "profile" ? result : undefined} busy={busy} />
          ) : partner.profile ? (
            <div className="mt-4 max-w-xl"><ProfilePreview profile={partner.profile} /></div>
          ) : (
            <p className="mt-4 rounded-md bg-gray-50 px-3 py-2 text-sm text-gray-700">Your admins have not set up the profile yet. Assets show the vendor&rsquo;s branding until they do.</p>
          )}
        </section>
      </div>
    </div>
  )
}

type PartnerData = ReturnType<typeof useLoaderData<typeof loader>>['partner']

function ProfileEditor({ partner, result, busy }: { partner: PartnerData; result?: FormResult; busy: boolean }) {
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const initial: PreviewProfile = {
    displayName: values.displayName ?? partner.profile?.displayName ?? partner.company,
    contactName: values.contactName ?? partner.profile?.contactName ?? '',
    contactEmail: values.contactEmail ?? partner.profile?.contactEmail ?? '',
    primaryColor: values.primaryColor ?? partner.profile?.primaryColor ?? '#1f41b8',
    secondaryColor: values.secondaryColor ?? partner.profile?.secondaryColor ?? '#f59e0b',
    logo: partner.profile?.logo ?? null,
    logoUrl: partner.profile?.logoUrl ?? null,
  }
  const [draft, setDraft] = useState(initial)
  const [logoPreview, setLogoPreview] = useState<string | null>(null)
  useEffect(() => () => { if (logoPreview) URL.revokeObjectURL(logoPreview) }, [logoPreview])
  const set = (key: keyof PreviewProfile) => (event: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [key]: event.target.value }))
  const hasLogo = Boolean(partner.profile?.logoUrl)
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="mt-4 grid gap-6 lg:grid-cols-2">
      <CsrfInput />
      <div className="space-y-4">
        <FormError message={result?.formError} />
        <Field label="Display name" name="displayName" error={errors.displayName}>
          <input {...inputProps('displayName', errors.displayName)} defaultValue={initial.displayName} onChange={set('displayName')} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Contact person" name="contactName" error={errors.contactName}>
            <input {...inputProps('contactName', errors.contactName)} defaultValue={initial.contactName} onChange={set('contactName')} autoComplete="name" />
          </Field>
          <Field label="Contact email" name="contactEmail" error={errors.contactEmail}>
            <input {...inputProps('contactEmail', errors.contactEmail)} type="email" defaultValue={initial.contactEmail} onChange={set('contactEmail')} autoComplete="email" />
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Primary colour" name="primaryColor" error={errors.primaryColor}>
            <input {...inputProps('primaryColor', errors.primaryColor)} type="color" className={`h-9 w-full cursor-pointer rounded-md bg-white p-1 ring-1 ring-gray-300 ${errors.primaryColor ? 'ring-red-500' : ''}`} defaultValue={initial.primaryColor} onChange={set('primaryColor')} />
          </Field>
          <Field label="Secondary colour" name="secondaryColor" error={errors.secondaryColor}>
            <input {...inputProps('secondaryColor', errors.secondaryColor)} type="color" className={`h-9 w-full cursor-pointer rounded-md bg-white p-1 ring-1 ring-gray-300 ${errors.secondaryColor ? 'ring-red-500' : ''}`} defaultValue={initial.secondaryColor} onChange={set('secondaryColor')} />
          </Field>
        </div>
        <Field label="Logo" name="logo" error={errors.logo} hint="PNG or JPEG, at most 1 MB; shown at most 512 pixels wide; a wide logo on a transparent background works best">
          <input
            {...inputProps('logo', errors.logo, 'hint')}
            type="file"
            accept="image/png,image/jpeg"
            className="block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-gray-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-gray-800 hover:file:bg-gray-200"
            onChange={(event) => {
              const file = event.target.files?.[0]
              setLogoPreview(file ? URL.createObjectURL(file) : null)
            }}
          />
        </Field>
        {hasLogo ? (
          <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="removeLogo" className="h-4 w-4 rounded border-gray-300" /> Remove the current logo</label>
        ) : null}
        <div className="flex justify-end border-t border-gray-100 pt-4">
          <button name="intent" value="profile" className="btn-primary" disabled={busy}>Save profile</button>
        </div>
      </div>
      <div>
        <p className="label mb-2">Preview</p>
        <ProfilePreview profile={draft} logoSrc={logoPreview} />
        {partner.profile ? <p className="mt-2 text-xs text-gray-600">Last saved <DateText iso={partner.profile.setAt} />.</p> : <p className="mt-2 text-xs text-gray-600">Not saved yet.</p>}
      </div>
    </Form>
  )
}
