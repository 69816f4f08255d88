// Commands on the vendor's staff: establishing the vendor, adding people, changing their role.
import { z } from 'zod'
import type { Command, Decider } from '../shared/command.ts'
import { ForbiddenError, IllegalStateError } from '../shared/errors.ts'
import { email, MAX, ref, singleLine } from '../shared/fields.ts'
import { VendorRole, evolve, initialState, type StaffEvent, type Vendor } from './staff.ts'

export const EstablishVendor = z.object({ vendorId: ref(), name: singleLine(MAX.name) })
export const AddStaffMember = z.object({
  userId: ref(),
  name: singleLine(MAX.name, 'Enter a name'),
  email: email('Enter a valid email address').transform((e) => e.toLowerCase()),
  role: VendorRole,
})
export const ChangeStaffRole = z.object({ userId: ref(), role: VendorRole })

export type StaffCommand =
  | Command<'EstablishVendor', z.infer<typeof EstablishVendor>>
  | Command<'AddStaffMember', z.infer<typeof AddStaffMember>>
  | Command<'ChangeStaffRole', z.infer<typeof ChangeStaffRole>>

function requireVendorAdmin(command: StaffCommand, state: Vendor & { status: 'Established' }) {
  const actor = command.metadata.actor
  if (actor.role !== 'vendor_admin' || actor.organisationId !== state.vendorId) {
    throw new ForbiddenError('Only a vendor admin can manage vendor staff')
  }
}

export function decide(command: StaffCommand, state: Vendor): StaffEvent {
  switch (command.type) {
    case 'EstablishVendor':
      if (state.status !== 'None') throw new IllegalStateError(`Vendor ${command.data.vendorId} already exists`)
      return { type: 'VendorEstablished', data: command.data }
    case 'AddStaffMember': {
      if (state.status !== 'Established') throw new IllegalStateError('Establish the vendor first')
      // the very first member is added by the set-up (system actor), later ones by a vendor admin
      if (Object.keys(state.staff).length > 0 && !command.metadata.actor.userId.startsWith('system:')) {
        requireVendorAdmin(command, state)
      }
      if (state.staff[command.data.userId]) throw new IllegalStateError('This person is already a member of the vendor staff')
      if (Object.values(state.staff).some((m) => m.email === command.data.email)) {
        throw new IllegalStateError(`${command.data.email} is already a member of the vendor staff`)
      }
      return { type: 'StaffMemberAdded', data: { vendorId: state.vendorId, ...command.data } }
    }
    case 'ChangeStaffRole': {
      if (state.status !== 'Established') throw new IllegalStateError('Establish the vendor first')
      requireVendorAdmin(command, state)
      if (!state.staff[command.data.userId]) throw new IllegalStateError('No such member of the vendor staff')
      return { type: 'StaffRoleChanged', data: { vendorId: state.vendorId, ...command.data } }
    }
    default: {
      const exhaustive: never = command
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`)
    }
  }
}

export const StaffDecider: Decider<StaffCommand, StaffEvent, Vendor> = { initialState, evolve, decide }

export const staffCommandSchemas = { EstablishVendor, AddStaffMember, ChangeStaffRole } as const
