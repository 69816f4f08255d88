// Partner: the team (invite users, grant roles; admins only) and the co-branding profile (read-only for partner users).
import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/partner-team'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { safeLogoUrl } from '../../cobrand.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { resultFor } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader } from '../../components/ui.tsx'
import { can } from '../../permissions.ts'
import { partnerRoleLabels, tierLabel } from './labels.ts'
import { logoTooLarge, ownPartner, saveProfile } from './partner-team.server.ts'
import { ProfilePreview } from './profile-preview.tsx'
import { InviteColleague, ProfileEditor, TeamIntent } from './team-forms.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Team & profile · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:home')
  const found = await ownPartner(services, user.organisationId)
  // a logo stored as an absolute address by older versions reaches the page as its path only
  const partner = found.profile ? { ...found, profile: { ...found.profile, logoUrl: safeLogoUrl(found.profile.logoUrl) } } : found
  return { partner, isAdmin: can(user.role, 'partner:manage-own'), me: user.userId, commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  // refuse oversized uploads before reading them into memory
  const tooLarge = logoTooLarge(request)
  if (tooLarge) {
    await requireUser(request, services, 'partner:manage-own')
    return tooLarge
  }
  const { user, form } = await requireAction(request, services, 'partner:manage-own')
  const partner = await ownPartner(services, user.organisationId)
  const submission = parseWithZod(form, { schema: TeamIntent })
  if (submission.status !== 'success') return replyInvalid(submission, { hideFields: ['password'] })
  const people = services.commands.people
  try {
    const intent = submission.value
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
        const refused = await saveProfile(services, user, partner, intent)
        if (refused) return data({ result: submission.reply({ formErrors: ['Check the highlighted fields.'], fieldErrors: { logo: [refused.logoRefused] } }) }, { status: 400 })
        return redirectWithToast(request, services, '/partner/team', `Co-branding profile for ${intent.displayName} saved.`)
      }
    }
  } catch (error) {
    return replyRefused(submission, error, { hideFields: ['password'] })
  }
}

type ActionData = { invited?: { name: string; email: string; password: string | null } }

export default function Team() {
  const { partner, isAdmin, me, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={isAdmin ? 'Team & profile' : 'Profile'}
        description={isAdmin
          ? `Who can act for ${partner.company} in Partnerlog, and how your brand appears on co-branded assets.`
          : `How ${partner.company} appears on co-branded assets, and who your colleagues are. Your admins can change them.`}
        actions={partner.tier ? <Badge tone="blue">Tier {tierLabel(partner.tier)}</Badge> : undefined}
      />
      <FormError message={resultFor(actionData, 'role')?.error?.['']?.[0]} />
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
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="userId" value={u.userId} />
                          <label htmlFor={`role-${u.userId}`} className="sr-only">Role of {u.name}</label>
                          <select id={`role-${u.userId}`} name="role" defaultValue={u.role} className="input w-24">
                            <option value="partner_user">User</option>
                            <option value="partner_admin">Admin</option>
                          </select>
                          <button type="submit" className="btn-secondary" aria-label={`Save role of ${u.name}`}>Save</button>
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
            <InviteColleague commandId={commandId} actionData={actionData} busy={busy} />
          </section>
        ) : null}

        <section className="card p-5 lg:col-span-5" aria-labelledby="profile-h">
          <h2 id="profile-h" className="text-sm font-semibold text-gray-900">Co-branding profile</h2>
          <p className="mt-1 text-sm text-gray-600">Thru-Partner assets in the library carry this name, logo, contact and colours.</p>
          {isAdmin ? (
            <ProfileEditor key={partner.profile?.setAt ?? 'new'} partner={partner} actionData={actionData} busy={busy} />
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
