// Who may see engagement pages: partners their own records, the vendor everything, the auditor everything read-only.
import { data } from 'react-router'
import { requireAction, requireUser, type CurrentUser } from '../../auth.server.ts'
import { can, type Permission } from '../../permissions.ts'
import { engagementQueries } from '../../queries/engagement.server.ts'
import type { AppServices } from '../../services.server.ts'

export const engagement = (services: AppServices) => ({ queries: engagementQueries(services.sql) })

/** Vendor pages: the managing permission, or the auditor's read-only view; `canManage` says whether to show forms. */
export async function requireVendorReader(request: Request, services: AppServices, permission: Permission): Promise<{ user: CurrentUser; canManage: boolean }> {
  const user = await requireUser(request, services)
  if (can(user.role, permission)) return { user, canManage: true }
  if (can(user.role, 'audit:read')) return { user, canManage: false }
  throw new Response(`Your role (${user.role.replace('_', ' ')}) may not see this page: it needs the ${permission} permission.`, { status: 403, statusText: 'Forbidden' })
}

/** A partner's own workshop; another organisation's answers 404 so ids cannot be probed. */
export async function ownWorkshop(services: AppServices, user: CurrentUser, workshopId: string) {
  const workshop = await engagementQueries(services.sql).workshops.byId(workshopId)
  if (!workshop || workshop.partnerId !== user.organisationId) throw data('No workshop with this id in your organisation.', { status: 404 })
  return workshop
}

/**
 * The approved partners (those that answer survey rounds and agree plans: an applicant is not in the program yet), and
 * every partner organisation's name by id, for vendor tables.
 */
export async function partnerNames(services: AppServices) {
  const { all, approved } = await services.queries.organisations.partnersAndApproved()
  return { partners: approved, names: Object.fromEntries(all.map((p) => [p.organisationId, p.name])) as Record<string, string> }
}

/** Actions on vendor pages with several intents: CSRF first, then the permission the intent needs (403 otherwise). */
export async function requireIntent(request: Request, services: AppServices, permissionFor: (intent: string) => Permission) {
  const { user, form } = await requireAction(request, services)
  const intent = String(form.get('intent') ?? '')
  const permission = permissionFor(intent)
  if (!can(user.role, permission)) {
    throw new Response(`Your role (${user.role.replace('_', ' ')}) may not do this: it needs the ${permission} permission.`, { status: 403, statusText: 'Forbidden' })
  }
  return { user, form, intent }
}
