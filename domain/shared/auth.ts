// Who may do what: role checks shared by every decider, with messages that say why.
import type { Actor, Role } from './command.ts'
import { ForbiddenError } from './errors.ts'

export const PARTNER_ROLES: readonly Role[] = ['partner_user', 'partner_admin']
export const VENDOR_ROLES: readonly Role[] = ['channel_manager', 'vendor_admin']

/** the actor scheduler commands run as */
export const SCHEDULER_ACTOR: Actor = { userId: 'system:scheduler', organisationId: 'vendor', role: 'vendor_admin' }

export const isVendor = (actor: Actor) => VENDOR_ROLES.includes(actor.role)
export const isPartnerOf = (actor: Actor, partnerId: string) =>
  PARTNER_ROLES.includes(actor.role) && actor.organisationId === partnerId

function refuseAuditor(actor: Actor, action: string) {
  if (actor.role === 'auditor') throw new ForbiddenError(`Auditors have read-only access and cannot ${action}`)
}

/** a user of the given partner organisation (any partner role, or the listed ones) */
export function requirePartnerOf(actor: Actor, partnerId: string, action: string, roles: readonly Role[] = PARTNER_ROLES) {
  refuseAuditor(actor, action)
  if (!roles.includes(actor.role) || actor.organisationId !== partnerId) {
    const who = roles.length === 1 ? `a ${roles[0]!.replace('_', ' ')}` : 'a user'
    throw new ForbiddenError(`Only ${who} of partner ${partnerId} can ${action}`)
  }
}

/** a vendor user (channel manager or vendor admin, or the listed roles) */
export function requireVendor(actor: Actor, action: string, roles: readonly Role[] = VENDOR_ROLES) {
  refuseAuditor(actor, action)
  if (!roles.includes(actor.role)) {
    const who = roles.length === 1 ? `a ${roles[0]!.replace('_', ' ')}` : 'the vendor'
    throw new ForbiddenError(`Only ${who} can ${action}`)
  }
}

/** a user of the partner, or a vendor user acting for it */
export function requirePartnerOrVendor(actor: Actor, partnerId: string, action: string) {
  refuseAuditor(actor, action)
  if (!isVendor(actor) && !isPartnerOf(actor, partnerId))
    throw new ForbiddenError(`Only users of partner ${partnerId} or the vendor can ${action}`)
}
