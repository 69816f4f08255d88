// Who can sign in and what they may do (partner users and vendor staff), and the organisations they act for.
import { parseSubject, placeholder } from '../domain/shared/personal-data.ts'
import type { RecordedEvent } from '../eventstore/types.ts'
import type { Projection } from './projection.ts'

export type UserDoc = {
  userId: string
  name: string
  email: string
  role: 'partner_user' | 'partner_admin' | 'channel_manager' | 'vendor_admin' | 'auditor'
  organisationId: string
  organisationKind: 'partner' | 'vendor'
  active: boolean
}
export type OrganisationDoc = { organisationId: string; name: string; kind: 'partner' | 'vendor' }

type Data = Record<string, unknown>
const str = (value: unknown) => String(value)

export const usersProjection: Projection<UserDoc | null> = {
  name: 'users',
  version: 2,
  handles: ['StaffMemberAdded', 'StaffRoleChanged', 'PartnerApplied', 'PartnerApproved', 'PartnerRejected', 'UserInvited', 'RoleGranted', 'PersonErased'],
  keysOf(event: RecordedEvent) {
    const data = event.data as Data
    if (event.type === 'PersonErased') {
      const subject = parseSubject(str(data.subject))
      return subject?.kind === 'user' ? [subject.userId] : []
    }
    if (event.type === 'PartnerApplied') {
      const applicant = data.applicant as Data | undefined
      return applicant?.userId ? [str(applicant.userId)] : []
    }
    if (event.type === 'PartnerApproved' || event.type === 'PartnerRejected') {
      return typeof data.adminUserId === 'string' ? [data.adminUserId] : []
    }
    return typeof data.userId === 'string' ? [data.userId] : []
  },
  initialState: () => null,
  evolve(state, event) {
    const data = event.data as Data
    switch (event.type) {
      case 'PartnerApplied': {
        const applicant = data.applicant as Data
        return {
          userId: str(applicant.userId), name: str(applicant.name), email: str(applicant.email).toLowerCase(),
          // the applicant may act for the partner only once the application is approved
          role: 'partner_admin', organisationId: str(data.partnerId), organisationKind: 'partner', active: false,
        }
      }
      case 'PartnerApproved':
        return state ? { ...state, active: true } : state
      case 'PartnerRejected':
        return state ? { ...state, active: false } : state
      case 'StaffMemberAdded':
        return {
          userId: str(data.userId), name: str(data.name), email: str(data.email).toLowerCase(),
          role: data.role as UserDoc['role'], organisationId: str(data.vendorId), organisationKind: 'vendor', active: true,
        }
      case 'UserInvited':
        return {
          userId: str(data.userId), name: str(data.name), email: str(data.email).toLowerCase(),
          role: data.role as UserDoc['role'], organisationId: str(data.partnerId), organisationKind: 'partner', active: true,
        }
      case 'StaffRoleChanged':
      case 'RoleGranted':
        return state ? { ...state, role: data.role as UserDoc['role'] } : state
      case 'PersonErased': {
        // what a rebuild reads once the key is gone; an erased person can no longer act
        const subject = str(data.subject)
        return state ? { ...state, name: placeholder({ kind: 'name' }, subject), email: placeholder({ kind: 'email' }, subject), active: false } : state
      }
      default:
        return state
    }
  },
}

export const organisationsProjection: Projection<OrganisationDoc | null> = {
  name: 'organisations',
  version: 1,
  handles: ['VendorEstablished', 'PartnerApplied', 'PartnerProfileSet'],
  keysOf(event: RecordedEvent) {
    const data = event.data as Data
    return [str(event.type === 'VendorEstablished' ? data.vendorId : data.partnerId)]
  },
  initialState: () => null,
  evolve(state, event) {
    const data = event.data as Data
    switch (event.type) {
      case 'VendorEstablished':
        return { organisationId: str(data.vendorId), name: str(data.name), kind: 'vendor' }
      case 'PartnerApplied':
        return { organisationId: str(data.partnerId), name: str(data.company), kind: 'partner' }
      case 'PartnerProfileSet':
        return state && typeof data.displayName === 'string' ? { ...state, name: data.displayName } : state
      default:
        return state
    }
  },
}
