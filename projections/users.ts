// Who can sign in and what they may do (partner users and vendor staff), and the organisations they act for.
import { parseSubject, placeholder } from '../domain/shared/personal-data.ts'
import type { Projection, RecordedOf } from './projection.ts'

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

export const usersProjection: Projection<
  UserDoc | null,
  RecordedOf<'StaffMemberAdded' | 'StaffRoleChanged' | 'PartnerApplied' | 'PartnerApproved' | 'PartnerRejected' | 'UserInvited' | 'RoleGranted' | 'PersonErased'>
> = {
  name: 'users',
  version: 2,
  handles: ['StaffMemberAdded', 'StaffRoleChanged', 'PartnerApplied', 'PartnerApproved', 'PartnerRejected', 'UserInvited', 'RoleGranted', 'PersonErased'],
  keysOf(event) {
    const { type, data } = event
    switch (type) {
      case 'PersonErased': {
        const subject = parseSubject(data.subject)
        return subject?.kind === 'user' ? [subject.userId] : []
      }
      case 'PartnerApplied':
        return [data.applicant.userId]
      case 'PartnerApproved':
        return [data.adminUserId]
      case 'PartnerRejected':
        return 'adminUserId' in data && typeof data.adminUserId === 'string' ? [data.adminUserId] : []
      default:
        return [data.userId]
    }
  },
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    switch (type) {
      case 'PartnerApplied': {
        const { applicant } = data
        return {
          userId: applicant.userId, name: applicant.name, email: applicant.email.toLowerCase(),
          // the applicant may act for the partner only once the application is approved
          role: 'partner_admin', organisationId: data.partnerId, organisationKind: 'partner', active: false,
        }
      }
      case 'PartnerApproved':
        return state ? { ...state, active: true } : state
      case 'PartnerRejected':
        return state ? { ...state, active: false } : state
      case 'StaffMemberAdded':
        return {
          userId: data.userId, name: data.name, email: data.email.toLowerCase(),
          role: data.role, organisationId: data.vendorId, organisationKind: 'vendor', active: true,
        }
      case 'UserInvited':
        return {
          userId: data.userId, name: data.name, email: data.email.toLowerCase(),
          role: data.role, organisationId: data.partnerId, organisationKind: 'partner', active: true,
        }
      case 'StaffRoleChanged':
      case 'RoleGranted':
        return state ? { ...state, role: data.role } : state
      case 'PersonErased': {
        // what a rebuild reads once the key is gone; an erased person can no longer act
        const { subject } = data
        return state ? { ...state, name: placeholder({ kind: 'name' }, subject), email: placeholder({ kind: 'email' }, subject), active: false } : state
      }
      default:
        return state
    }
  },
}

export const organisationsProjection: Projection<OrganisationDoc | null, RecordedOf<'VendorEstablished' | 'PartnerApplied' | 'PartnerProfileSet'>> = {
  name: 'organisations',
  version: 1,
  handles: ['VendorEstablished', 'PartnerApplied', 'PartnerProfileSet'],
  keysOf(event) {
    return [event.type === 'VendorEstablished' ? event.data.vendorId : event.data.partnerId]
  },
  initialState: () => null,
  evolve(state, event) {
    const { type, data } = event
    switch (type) {
      case 'VendorEstablished':
        return { organisationId: data.vendorId, name: data.name, kind: 'vendor' }
      case 'PartnerApplied':
        return { organisationId: data.partnerId, name: data.company, kind: 'partner' }
      case 'PartnerProfileSet':
        return state && typeof data.displayName === 'string' ? { ...state, name: data.displayName } : state
      default:
        return state
    }
  },
}
