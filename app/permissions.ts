// Which role may do what: one table, checked in every loader and action and used to shape navigation.
import type { Role } from '../domain/shared/command.ts'

export const permissionsByRole = {
  partner_user: [
    'partner:home', 'deal:register', 'deal:manage-own', 'asset:use', 'training:take', 'workshop:request',
    'coinvest:request', 'claim:submit', 'survey:answer', 'plan:read-own',
  ],
  partner_admin: [
    'partner:home', 'deal:register', 'deal:manage-own', 'asset:use', 'training:take', 'workshop:request',
    'coinvest:request', 'claim:submit', 'survey:answer', 'plan:read-own', 'partner:manage-own',
  ],
  channel_manager: [
    'vendor:home', 'deal:review', 'coinvest:review', 'claim:review', 'partner:read-all', 'partner:manage',
    'workshop:manage', 'asset:publish', 'course:publish', 'funds:allocate', 'survey:manage', 'plan:manage',
  ],
  vendor_admin: [
    'vendor:home', 'deal:review', 'coinvest:review', 'claim:review', 'partner:read-all', 'partner:manage',
    'workshop:manage', 'asset:publish', 'course:publish', 'funds:allocate', 'survey:manage', 'plan:manage',
    'settings:manage', 'staff:manage', 'people:erase',
  ],
  auditor: ['audit:read', 'partner:read-all'],
} as const satisfies Record<Role, readonly string[]>

export type Permission = (typeof permissionsByRole)[Role][number]

export function can(role: Role, permission: Permission): boolean {
  return (permissionsByRole[role] as readonly string[]).includes(permission)
}

export const isPartnerRole = (role: Role) => role === 'partner_user' || role === 'partner_admin'
export const isVendorRole = (role: Role) => role === 'channel_manager' || role === 'vendor_admin'

export const roleLabels: Record<Role, string> = {
  partner_user: 'Partner user',
  partner_admin: 'Partner admin',
  channel_manager: 'Channel manager',
  vendor_admin: 'Vendor admin',
  auditor: 'Auditor',
}
