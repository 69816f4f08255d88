// Partner organisations in the program: application, approval, users, channel manager, tier and profile.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { contactSubject, userSubject, type PersonalDataRegistry } from '../shared/personal-data.ts'
import { Email, HexColor, Id, Text } from '../shared/schemas.ts'

export const streamId = (partnerId: string) => `partner-${partnerId}`

export const PartnerType = z.enum(['reseller', 'msp', 'var', 'referral'])
export type PartnerType = z.infer<typeof PartnerType>
export const PartnerRole = z.enum(['partner_user', 'partner_admin'])
export type PartnerRole = z.infer<typeof PartnerRole>

const partnerId = Id.describe('partner organisation id')
export const Person = z.object({
  userId: Id,
  name: Text.describe('personal data'),
  email: Email.describe('personal data'),
})

export const PartnerAppliedData = z.object({
  partnerId,
  company: Text,
  websiteDomain: Text.describe('normalised: lower case, no scheme, no www.'),
  geographies: z.array(Text).describe('countries or regions served'),
  segments: z.array(Text).describe('customer segments served'),
  partnerType: PartnerType,
  applicant: Person.describe('becomes the first partner admin on approval'),
}).describe('A company applied to the partner program.')
export const PartnerApprovedData = z.object({ partnerId, tier: Text, adminUserId: Id.describe('the applicant, now partner admin') }).describe('The vendor admitted the partner; the applicant becomes its first partner admin.')
export const PartnerRejectedData = z.object({ partnerId, reason: Text }).describe('The vendor turned the application down.')
export const UserInvitedData = z.object({ partnerId, ...Person.shape, role: PartnerRole }).describe('A user joined the partner organisation.')
export const RoleGrantedData = z.object({ partnerId, userId: Id, role: PartnerRole, previousRole: PartnerRole }).describe("A partner user's role changed.")
export const ChannelManagerAssignedData = z.object({
  partnerId,
  managerId: Id.describe('vendor user id of the channel manager'),
  previousManagerId: Id.nullable().describe('null on the first assignment'),
}).describe('A channel manager was assigned (or reassigned) to the partner.')
export const TierChangedData = z.object({ partnerId, from: Text, to: Text, reason: Text }).describe('The partner moved to another tier.')
/** an uploaded logo as a path on the portal; never an absolute URL, so no request's Host header reaches the log */
export const LogoPath = z.string().regex(/^\/logos\/[A-Za-z0-9._~%-]{1,200}\/[0-9a-f]{64}$/, 'Use the path of an uploaded logo (/logos/<partner>/<sha256>)')
export const PartnerProfileSetData = z.object({
  partnerId,
  displayName: Text,
  // older events hold absolute logo URLs: readers take only their /logos/ path
  logoUrl: z.union([LogoPath, z.url()]).nullable(),
  contactName: Text.describe('personal data'),
  contactEmail: Email.describe('personal data'),
  primaryColor: HexColor,
  secondaryColor: HexColor,
}).describe("The partner's co-branding profile was set.")

export const partnerEventSchemas = {
  PartnerApplied: PartnerAppliedData,
  PartnerApproved: PartnerApprovedData,
  PartnerRejected: PartnerRejectedData,
  UserInvited: UserInvitedData,
  RoleGranted: RoleGrantedData,
  ChannelManagerAssigned: ChannelManagerAssignedData,
  TierChanged: TierChangedData,
  PartnerProfileSet: PartnerProfileSetData,
} as const

/** Personal fields of the partner events: encrypted with their subject's key, placeholders once it is erased. */
export const partnerPersonalData = {
  PartnerApplied: [{
    subject: (d: z.infer<typeof PartnerAppliedData>) => userSubject(d.applicant.userId),
    subjectPattern: 'user-<applicant.userId>',
    fields: [{ path: 'applicant.name', kind: 'name' }, { path: 'applicant.email', kind: 'email' }],
  }],
  UserInvited: [{
    subject: (d: z.infer<typeof UserInvitedData>) => userSubject(d.userId),
    subjectPattern: 'user-<userId>',
    fields: [{ path: 'name', kind: 'name' }, { path: 'email', kind: 'email' }],
  }],
  // the contact is free text (often a role mailbox): each profile's contact is its own subject
  PartnerProfileSet: [{
    subject: (_d: unknown, eventId: string) => contactSubject(eventId),
    subjectPattern: 'contact-<event id>',
    fields: [{ path: 'contactName', kind: 'name' }, { path: 'contactEmail', kind: 'email' }],
  }],
} as const satisfies PersonalDataRegistry

export type PartnerApplied = DomainEvent<'PartnerApplied', z.infer<typeof PartnerAppliedData>>
export type PartnerApproved = DomainEvent<'PartnerApproved', z.infer<typeof PartnerApprovedData>>
export type PartnerRejected = DomainEvent<'PartnerRejected', z.infer<typeof PartnerRejectedData>>
export type UserInvited = DomainEvent<'UserInvited', z.infer<typeof UserInvitedData>>
export type RoleGranted = DomainEvent<'RoleGranted', z.infer<typeof RoleGrantedData>>
export type ChannelManagerAssigned = DomainEvent<'ChannelManagerAssigned', z.infer<typeof ChannelManagerAssignedData>>
export type TierChanged = DomainEvent<'TierChanged', z.infer<typeof TierChangedData>>
export type PartnerProfileSet = DomainEvent<'PartnerProfileSet', z.infer<typeof PartnerProfileSetData>>
export type PartnerEvent =
  | PartnerApplied
  | PartnerApproved
  | PartnerRejected
  | UserInvited
  | RoleGranted
  | ChannelManagerAssigned
  | TierChanged
  | PartnerProfileSet
export type PartnerEventType = PartnerEvent['type']

type PartnerFacts = {
  partnerId: string
  company: string
  applicantId: string
  /** userId -> role */
  users: Record<string, PartnerRole>
  channelManagerId: string | null
}
export type Partner =
  | { status: 'Initial' }
  | ({ status: 'Applied' | 'Rejected' } & PartnerFacts)
  | ({ status: 'Approved'; tier: string; hasProfile: boolean } & PartnerFacts)

export const initialState = (): Partner => ({ status: 'Initial' })

export function evolve(state: Partner, event: PartnerEvent): Partner {
  switch (event.type) {
    case 'PartnerApplied':
      return {
        status: 'Applied',
        partnerId: event.data.partnerId,
        company: event.data.company,
        applicantId: event.data.applicant.userId,
        users: {},
        channelManagerId: null,
      }
    case 'PartnerApproved':
      return state.status === 'Applied'
        ? { ...state, status: 'Approved', tier: event.data.tier, hasProfile: false, users: { ...state.users, [event.data.adminUserId]: 'partner_admin' } }
        : state
    case 'PartnerRejected':
      return state.status === 'Applied' ? { ...state, status: 'Rejected' } : state
    case 'UserInvited':
    case 'RoleGranted':
      return state.status === 'Initial' ? state : { ...state, users: { ...state.users, [event.data.userId]: event.data.role } }
    case 'ChannelManagerAssigned':
      return state.status === 'Initial' ? state : { ...state, channelManagerId: event.data.managerId }
    case 'TierChanged':
      return state.status === 'Approved' ? { ...state, tier: event.data.to } : state
    case 'PartnerProfileSet':
      return state.status === 'Approved' ? { ...state, hasProfile: true } : state
    default:
      return state
  }
}
