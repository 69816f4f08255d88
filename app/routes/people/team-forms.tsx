// The partner team page's forms: inviting a colleague, a member's role, and the co-branding profile with its live
// preview. Each schema is shared by the browser (Conform validates as you type) and the action.
import { getFormProps } from '@conform-to/react'
import { useEffect, useState } from 'react'
import { Form } from 'react-router'
import { z } from 'zod'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { DateText } from '../../components/ui.tsx'
import { InviteUserData, SetProfileData } from '../../../domain/partners/decide.ts'
import { ref } from '../../../domain/shared/fields.ts'
import { formEmail, formText } from '../../forms.ts'
import { ProfilePreview, type PreviewProfile } from './profile-preview.tsx'

const email = (label: string) => formEmail(label, 'jo@yourcompany.com')
const colour = (label: string) => z.string({ error: `Choose the ${label}` }).regex(/^#[0-9a-fA-F]{6}$/, `Choose the ${label} as #rrggbb`).transform((c) => c.toLowerCase())
const partnerRole = z.enum(['partner_user', 'partner_admin'], 'Choose a role')

export const InviteForm = z.object({
  intent: z.literal('invite'),
  commandId: z.uuid(),
  name: formText('their full name', InviteUserData.shape.name),
  email: email('their work email'),
  role: partnerRole,
  password: z.string().optional().transform((p) => p || undefined)
    .pipe(z.string().min(12, 'Use at least 12 characters, or leave it empty to generate one').max(200).optional()),
})
export const RoleForm = z.object({ intent: z.literal('role'), userId: ref(), role: partnerRole })
export const ProfileForm = z.object({
  intent: z.literal('profile'),
  displayName: formText('the name to show on co-branded assets', SetProfileData.shape.displayName),
  contactName: formText('the contact person', SetProfileData.shape.contactName),
  contactEmail: email('the contact email'),
  primaryColor: colour('primary colour'),
  secondaryColor: colour('secondary colour'),
  /** a new logo (an empty file input arrives as no value); its bytes are checked on the server */
  logo: z.instanceof(File).optional(),
  removeLogo: z.string().optional(),
})
export const TeamIntent = z.discriminatedUnion('intent', [InviteForm, RoleForm, ProfileForm])

/** the invitation form: name, email, role and an optional initial password */
export function InviteColleague({ commandId, actionData, busy }: { commandId: string; actionData: unknown; busy: boolean }) {
  const [form, fields] = useSchemaForm({ id: 'invite', schema: InviteForm, lastResult: resultFor(actionData, 'invite'), defaultValue: { role: 'partner_user' } })
  return (
    <Form method="post" {...getFormProps(form)} noValidate className="mt-3 space-y-4" key={commandId}>
      <FormHead form={form} commandId={commandId} intent="invite" />
      <ConformField label="Full name" meta={fields.name}><input {...conformInput(fields.name)} autoComplete="off" /></ConformField>
      <ConformField label="Work email" meta={fields.email}><input {...conformInput(fields.email, 'email')} autoComplete="off" /></ConformField>
      <ConformField label="Role" meta={fields.role} hint="Admins invite people and edit the profile">
        <select {...conformSelect(fields.role, { hint: true })}>
          <option value="partner_user">User</option>
          <option value="partner_admin">Admin</option>
        </select>
      </ConformField>
      <ConformField label="Initial password (optional)" meta={fields.password} hint="Leave empty and we generate one to show you once">
        <input {...conformInput(fields.password, 'password', { hint: true })} autoComplete="new-password" />
      </ConformField>
      <button type="submit" className="btn-primary w-full" disabled={busy}>Invite</button>
    </Form>
  )
}

type Partner = { company: string; profile?: (PreviewProfile & { setAt: string }) | null }
const colourInput = (error: boolean) => `h-9 w-full cursor-pointer rounded-md bg-white p-1 ring-1 ring-gray-300 ${error ? 'ring-red-500' : ''}`

/** the co-branding profile and its preview, which follows what is typed and the logo chosen */
export function ProfileEditor({ partner, actionData, busy }: { partner: Partner; actionData: unknown; busy: boolean }) {
  const saved = partner.profile
  const [form, fields] = useSchemaForm({
    id: 'profile', schema: ProfileForm, lastResult: resultFor(actionData, 'profile'),
    defaultValue: {
      displayName: saved?.displayName ?? partner.company, contactName: saved?.contactName ?? '', contactEmail: saved?.contactEmail ?? '',
      primaryColor: saved?.primaryColor ?? '#1f41b8', secondaryColor: saved?.secondaryColor ?? '#f59e0b',
    },
  })
  const text = (meta: { initialValue?: unknown }) => (typeof meta.initialValue === 'string' ? meta.initialValue : '')
  const [draft, setDraft] = useState<PreviewProfile>(() => ({
    displayName: text(fields.displayName), contactName: text(fields.contactName), contactEmail: text(fields.contactEmail),
    primaryColor: text(fields.primaryColor), secondaryColor: text(fields.secondaryColor), logo: saved?.logo ?? null, logoUrl: saved?.logoUrl ?? null,
  }))
  const [logoPreview, setLogoPreview] = useState<string | null>(null)
  useEffect(() => () => { if (logoPreview) URL.revokeObjectURL(logoPreview) }, [logoPreview])
  const set = (key: keyof PreviewProfile) => (event: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [key]: event.target.value }))
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate className="mt-4 grid gap-6 lg:grid-cols-2">
      <div className="space-y-4">
        <FormHead form={form} intent="profile" />
        <ConformField label="Display name" meta={fields.displayName}>
          <input {...conformInput(fields.displayName)} onChange={set('displayName')} />
        </ConformField>
        <div className="grid gap-4 sm:grid-cols-2">
          <ConformField label="Contact person" meta={fields.contactName}>
            <input {...conformInput(fields.contactName)} onChange={set('contactName')} autoComplete="name" />
          </ConformField>
          <ConformField label="Contact email" meta={fields.contactEmail}>
            <input {...conformInput(fields.contactEmail, 'email')} onChange={set('contactEmail')} autoComplete="email" />
          </ConformField>
        </div>
        <div className="grid grid-cols-2 gap-4">
          <ConformField label="Primary colour" meta={fields.primaryColor}>
            <input {...conformInput(fields.primaryColor, 'color')} className={colourInput(Boolean(fields.primaryColor.errors))} onChange={set('primaryColor')} />
          </ConformField>
          <ConformField label="Secondary colour" meta={fields.secondaryColor}>
            <input {...conformInput(fields.secondaryColor, 'color')} className={colourInput(Boolean(fields.secondaryColor.errors))} onChange={set('secondaryColor')} />
          </ConformField>
        </div>
        <ConformField label="Logo" meta={fields.logo} hint="PNG or JPEG, at most 1 MB; shown at most 512 pixels wide; a wide logo on a transparent background works best">
          <input
            {...conformInput(fields.logo, 'file', { hint: true })}
            accept="image/png,image/jpeg"
            className="block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-gray-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-gray-800 hover:file:bg-gray-200"
            onChange={(event) => {
              const file = event.target.files?.[0]
              setLogoPreview(file ? URL.createObjectURL(file) : null)
            }}
          />
        </ConformField>
        {saved?.logoUrl ? (
          <label className="flex items-center gap-2 text-sm"><input type="checkbox" name={fields.removeLogo.name} className="h-4 w-4 rounded border-gray-300" /> Remove the current logo</label>
        ) : null}
        <div className="flex justify-end border-t border-gray-100 pt-4">
          <button type="submit" className="btn-primary" disabled={busy}>Save profile</button>
        </div>
      </div>
      <div>
        <p className="label mb-2">Preview</p>
        <ProfilePreview profile={draft} logoSrc={logoPreview} />
        {saved ? <p className="mt-2 text-xs text-gray-600">Last saved <DateText iso={saved.setAt} />.</p> : <p className="mt-2 text-xs text-gray-600">Not saved yet.</p>}
      </div>
    </Form>
  )
}
