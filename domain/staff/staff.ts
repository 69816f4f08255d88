// The vendor's own people (channel managers, vendor admins, auditors): events and state of the vendor-<id> stream.
import { z } from 'zod'
import { userSubject, type PersonalDataRegistry } from '../shared/personal-data.ts'

export const VendorRole = z.enum(['channel_manager', 'vendor_admin', 'auditor'])
export type VendorRole = z.infer<typeof VendorRole>

export const VendorEstablished = z.object({
  vendorId: z.string().min(1),
  name: z.string().min(1).max(120),
})
export const StaffMemberAdded = z.object({
  vendorId: z.string().min(1),
  userId: z.string().min(1),
  name: z.string().min(1).max(120),
  email: z.email(),
  role: VendorRole,
})
export const StaffRoleChanged = z.object({
  vendorId: z.string().min(1),
  userId: z.string().min(1),
  role: VendorRole,
})

export const staffEventSchemas = { VendorEstablished, StaffMemberAdded, StaffRoleChanged } as const

/** Personal fields of the staff events: encrypted with the member's key, placeholders once it is erased. */
export const staffPersonalData = {
  StaffMemberAdded: [{
    subject: (d: z.infer<typeof StaffMemberAdded>) => userSubject(d.userId),
    subjectPattern: 'user-<userId>',
    fields: [{ path: 'name', kind: 'name' }, { path: 'email', kind: 'email' }],
  }],
} as const satisfies PersonalDataRegistry

export type StaffEvent =
  | { type: 'VendorEstablished'; data: z.infer<typeof VendorEstablished> }
  | { type: 'StaffMemberAdded'; data: z.infer<typeof StaffMemberAdded> }
  | { type: 'StaffRoleChanged'; data: z.infer<typeof StaffRoleChanged> }

export type Vendor =
  | { status: 'None' }
  | { status: 'Established'; vendorId: string; name: string; staff: Record<string, { role: VendorRole; email: string }> }

export const initialState = (): Vendor => ({ status: 'None' })

export function evolve(state: Vendor, event: StaffEvent): Vendor {
  switch (event.type) {
    case 'VendorEstablished':
      return { status: 'Established', vendorId: event.data.vendorId, name: event.data.name, staff: {} }
    case 'StaffMemberAdded':
      if (state.status !== 'Established') return state
      return { ...state, staff: { ...state.staff, [event.data.userId]: { role: event.data.role, email: event.data.email } } }
    case 'StaffRoleChanged': {
      if (state.status !== 'Established') return state
      const member = state.staff[event.data.userId]
      if (!member) return state
      return { ...state, staff: { ...state.staff, [event.data.userId]: { ...member, role: event.data.role } } }
    }
    default:
      return state
  }
}

export const streamId = (vendorId: string) => `vendor-${vendorId}`
