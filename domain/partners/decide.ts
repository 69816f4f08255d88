// Partner program rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOf, requirePartnerOrVendor, requireVendor, isVendor } from '../shared/auth.ts'
import type { Actor, Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { HexColor, parseData, Text } from '../shared/schemas.ts'
import { email, list, MAX, multiLine, ref, singleLine, tooLong } from '../shared/fields.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../settings/defaults.ts'
import { normaliseDomain } from '../shared/domains.ts'
import {
  evolve,
  initialState,
  LogoPath,
  PartnerRole,
  PartnerType,
  type ChannelManagerAssigned,
  type Partner,
  type PartnerApplied,
  type PartnerApproved,
  type PartnerEvent,
  type PartnerProfileSet,
  type PartnerRejected,
  type RoleGranted,
  type TierChanged,
  type UserInvited,
} from './partner.ts'

const DEFAULT_TIER = DEFAULT_PROGRAM_SETTINGS.tiers[0]!.name

/** a tier's name, as the program settings define it */
const tier = () => singleLine(60)

export const ApplyToProgramData = z.object({
  partnerId: ref(),
  company: singleLine(MAX.name),
  websiteDomain: singleLine(MAX.domain),
  geographies: list(singleLine(60), 30).min(1, 'Name at least one geography you serve'),
  segments: list(singleLine(60), 20),
  partnerType: PartnerType,
  applicant: z.object({ userId: ref(), name: singleLine(MAX.name), email: email() }),
})
export const ApprovePartnerData = z.object({
  partnerId: ref(),
  tier: tier().default(DEFAULT_TIER),
  /** supplied by the command handler: tier names in the settings in force */
  availableTiers: z.array(Text).optional(),
})
export const RejectPartnerData = z.object({ partnerId: ref(), reason: multiLine(MAX.shortText, 'Give a reason for the rejection') })
export const InviteUserData = z.object({ partnerId: ref(), userId: ref(), name: singleLine(MAX.name), email: email(), role: PartnerRole })
export const GrantRoleData = z.object({ partnerId: ref(), userId: ref(), role: PartnerRole })
export const AssignChannelManagerData = z.object({ partnerId: ref(), managerId: ref() })
export const ChangeTierData = z.object({
  partnerId: ref(),
  tier: tier(),
  reason: multiLine(MAX.shortText, 'Say why the tier changes'),
  availableTiers: z.array(Text).optional(),
})
export const SetProfileData = z.object({
  partnerId: ref(),
  displayName: singleLine(80),
  /** an uploaded logo's path, or a logo hosted elsewhere over https */
  logoUrl: z.string().max(MAX.url, tooLong(MAX.url))
    .pipe(z.union([LogoPath, z.url({ protocol: /^https$/, error: 'Use an https address or upload the logo' })])).optional(),
  contactName: singleLine(MAX.name),
  contactEmail: email(),
  primaryColor: HexColor,
  secondaryColor: HexColor,
})

export const partnerCommandSchemas = {
  ApplyToProgram: ApplyToProgramData,
  ApprovePartner: ApprovePartnerData,
  RejectPartner: RejectPartnerData,
  InviteUser: InviteUserData,
  GrantRole: GrantRoleData,
  AssignChannelManager: AssignChannelManagerData,
  ChangeTier: ChangeTierData,
  SetProfile: SetProfileData,
} as const

export type ApplyToProgram = Command<'ApplyToProgram', z.input<typeof ApplyToProgramData>>
export type ApprovePartner = Command<'ApprovePartner', z.input<typeof ApprovePartnerData>>
export type RejectPartner = Command<'RejectPartner', z.input<typeof RejectPartnerData>>
export type InviteUser = Command<'InviteUser', z.input<typeof InviteUserData>>
export type GrantRole = Command<'GrantRole', z.input<typeof GrantRoleData>>
export type AssignChannelManager = Command<'AssignChannelManager', z.input<typeof AssignChannelManagerData>>
export type ChangeTier = Command<'ChangeTier', z.input<typeof ChangeTierData>>
export type SetProfile = Command<'SetProfile', z.input<typeof SetProfileData>>
export type PartnerCommand = ApplyToProgram | ApprovePartner | RejectPartner | InviteUser | GrantRole | AssignChannelManager | ChangeTier | SetProfile
export type PartnerCommandType = PartnerCommand['type']

type Existing = Exclude<Partner, { status: 'Initial' }>
type Approved = Extract<Partner, { status: 'Approved' }>

function existing(state: Partner, partnerId: string): Existing {
  if (state.status === 'Initial') throw new NotFoundError(`Partner ${partnerId} has not applied to the program`)
  return state
}
function approved(state: Partner, partnerId: string, what: string): Approved {
  const partner = existing(state, partnerId)
  if (partner.status !== 'Approved') throw new IllegalStateError(`Only an approved partner can ${what} (this one is ${partner.status})`)
  return partner
}
/** partner admins of the partner, or the vendor */
function requireAdmin(actor: Actor, partnerId: string, action: string) {
  if (isVendor(actor)) return
  requirePartnerOf(actor, partnerId, action, ['partner_admin'])
}
function checkTier(tier: string, available: string[] | undefined) {
  const tiers = available ?? DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => t.name)
  if (!tiers.includes(tier)) throw new ValidationError(`There is no tier "${tier}"; choose one of ${tiers.join(', ')}`, 'tier')
}

export function applyToProgram(command: ApplyToProgram, state: Partner): PartnerApplied {
  const data = parseData(ApplyToProgramData, command.data)
  requirePartnerOrVendor(command.metadata.actor, data.partnerId, 'apply to the program for it')
  if (state.status !== 'Initial') throw new IllegalStateError(`Partner ${data.partnerId} has already applied (status ${state.status})`)
  return { type: 'PartnerApplied', data: { ...data, websiteDomain: normaliseDomain(data.websiteDomain) } }
}

export function approvePartner(command: ApprovePartner, state: Partner): PartnerApproved {
  const data = parseData(ApprovePartnerData, command.data)
  const partner = existing(state, data.partnerId)
  requireVendor(command.metadata.actor, 'approve partners')
  if (partner.status !== 'Applied') throw new IllegalStateError(`Only an application can be approved (this partner is ${partner.status})`)
  checkTier(data.tier, data.availableTiers)
  return { type: 'PartnerApproved', data: { partnerId: partner.partnerId, tier: data.tier, adminUserId: partner.applicantId } }
}

export function rejectPartner(command: RejectPartner, state: Partner): PartnerRejected {
  const data = parseData(RejectPartnerData, command.data)
  const partner = existing(state, data.partnerId)
  requireVendor(command.metadata.actor, 'reject partners')
  if (partner.status !== 'Applied') throw new IllegalStateError(`Only an application can be rejected (this partner is ${partner.status})`)
  return { type: 'PartnerRejected', data: { partnerId: partner.partnerId, reason: data.reason } }
}

export function inviteUser(command: InviteUser, state: Partner): UserInvited {
  const data = parseData(InviteUserData, command.data)
  requireAdmin(command.metadata.actor, data.partnerId, 'invite its users')
  const partner = approved(state, data.partnerId, 'invite users')
  if (partner.users[data.userId]) throw new IllegalStateError(`User ${data.userId} is already a ${partner.users[data.userId]} of ${partner.company}`)
  return { type: 'UserInvited', data }
}

export function grantRole(command: GrantRole, state: Partner): RoleGranted {
  const data = parseData(GrantRoleData, command.data)
  requireAdmin(command.metadata.actor, data.partnerId, 'grant roles')
  const partner = approved(state, data.partnerId, 'grant roles')
  const previousRole = partner.users[data.userId]
  if (!previousRole) throw new NotFoundError(`User ${data.userId} is not a user of ${partner.company}; invite them first`)
  if (previousRole === data.role) throw new IllegalStateError(`User ${data.userId} already is a ${data.role}`)
  if (previousRole === 'partner_admin' && Object.values(partner.users).filter((r) => r === 'partner_admin').length === 1)
    throw new IllegalStateError(`User ${data.userId} is the only partner admin of ${partner.company}; make someone else admin first`)
  return { type: 'RoleGranted', data: { ...data, previousRole } }
}

export function assignChannelManager(command: AssignChannelManager, state: Partner): ChannelManagerAssigned {
  const data = parseData(AssignChannelManagerData, command.data)
  const partner = existing(state, data.partnerId)
  requireVendor(command.metadata.actor, 'assign channel managers')
  if (partner.status === 'Rejected') throw new IllegalStateError(`Partner ${partner.partnerId} was rejected; it gets no channel manager`)
  if (partner.channelManagerId === data.managerId) throw new IllegalStateError(`${data.managerId} already manages ${partner.company}`)
  return { type: 'ChannelManagerAssigned', data: { ...data, previousManagerId: partner.channelManagerId } }
}

export function changeTier(command: ChangeTier, state: Partner): TierChanged {
  const data = parseData(ChangeTierData, command.data)
  requireVendor(command.metadata.actor, 'change tiers')
  const partner = approved(state, data.partnerId, 'change tier')
  checkTier(data.tier, data.availableTiers)
  if (partner.tier === data.tier) throw new IllegalStateError(`${partner.company} already is in tier ${data.tier}`)
  return { type: 'TierChanged', data: { partnerId: partner.partnerId, from: partner.tier, to: data.tier, reason: data.reason } }
}

export function setProfile(command: SetProfile, state: Partner): PartnerProfileSet {
  const data = parseData(SetProfileData, command.data)
  requireAdmin(command.metadata.actor, data.partnerId, 'set its profile')
  approved(state, data.partnerId, 'set a profile')
  if (data.logoUrl?.startsWith('/') && data.logoUrl.split('/')[2] !== encodeURIComponent(data.partnerId))
    throw new ValidationError("Use a logo uploaded for this partner's profile", 'logoUrl')
  return { type: 'PartnerProfileSet', data: { ...data, logoUrl: data.logoUrl ?? null } }
}

export function decide(command: PartnerCommand, state: Partner): PartnerEvent | PartnerEvent[] {
  switch (command.type) {
    case 'ApplyToProgram':
      return applyToProgram(command, state)
    case 'ApprovePartner':
      return approvePartner(command, state)
    case 'RejectPartner':
      return rejectPartner(command, state)
    case 'InviteUser':
      return inviteUser(command, state)
    case 'GrantRole':
      return grantRole(command, state)
    case 'AssignChannelManager':
      return assignChannelManager(command, state)
    case 'ChangeTier':
      return changeTier(command, state)
    case 'SetProfile':
      return setProfile(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const PartnerDecider: Decider<PartnerCommand, PartnerEvent, Partner> = { initialState, evolve, decide }
