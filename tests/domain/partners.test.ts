import { describe, expect, it } from 'vitest'
import { PartnerDecider, streamId, type PartnerEvent } from '../../domain/partners/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { auditor, channelManager, command, given, partnerUser, vendorAdmin } from './support/given.ts'

const admin = partnerUser('p-acme', 'partner_admin')
const user = partnerUser('p-acme')
const applicant = { userId: 'u-ann', name: 'Ann Lee', email: 'ann@acme.io' }
const applied: PartnerEvent = {
  type: 'PartnerApplied',
  data: { partnerId: 'p-acme', company: 'Acme', websiteDomain: 'acme.io', geographies: ['DE'], segments: ['SMB'], partnerType: 'msp', applicant },
}
const approved: PartnerEvent = { type: 'PartnerApproved', data: { partnerId: 'p-acme', tier: 'registered', adminUserId: 'u-ann' } }
const invited: PartnerEvent = { type: 'UserInvited', data: { partnerId: 'p-acme', userId: 'u-bob', name: 'Bob', email: 'bob@acme.io', role: 'partner_user' } }
const cmd = <T extends string, D>(type: T, data: D, actor = channelManager) => command(type, { partnerId: 'p-acme', ...data }, { actor })

describe('partners', () => {
  it('names its stream partner-<id>', () => expect(streamId('p-acme')).toBe('partner-p-acme'))

  describe('ApplyToProgram', () => {
    const apply = (data = {}, actor = admin) =>
      cmd('ApplyToProgram', { company: 'Acme', websiteDomain: 'https://www.ACME.io/', geographies: ['DE'], segments: ['SMB'], partnerType: 'msp', applicant, ...data }, actor)

    it('records the application with a normalised domain', () => given(PartnerDecider).when(apply()).then([applied]))
    it('refuses a second application', () => given(PartnerDecider, [applied]).when(apply()).thenThrows(IllegalStateError, /already applied/))
    it('refuses an unknown partner type', () => given(PartnerDecider).when(apply({ partnerType: 'oem' })).thenThrows(ValidationError, /partnerType/))
    it('needs a geography', () => given(PartnerDecider).when(apply({ geographies: [] })).thenThrows(ValidationError, /geography/))
    it('refuses auditors and other partners', () => {
      given(PartnerDecider).when(apply({}, auditor)).thenThrows(ForbiddenError, /read-only/)
      given(PartnerDecider).when(apply({}, partnerUser('p-beta'))).thenThrows(ForbiddenError)
    })
  })

  describe('ApprovePartner / RejectPartner', () => {
    it('approves an application in the registered tier by default; the applicant becomes admin', () => {
      given(PartnerDecider, [applied]).when(cmd('ApprovePartner', {})).then([approved])
      const state = given(PartnerDecider, [applied, approved]).state
      expect(state).toMatchObject({ status: 'Approved', users: { 'u-ann': 'partner_admin' } })
    })
    it('approves into a named tier', () => {
      given(PartnerDecider, [applied]).when(cmd('ApprovePartner', { tier: 'gold' })).then([{ type: 'PartnerApproved', data: { ...approved.data, tier: 'gold' } } as PartnerEvent])
    })
    it('refuses an unknown tier', () => {
      given(PartnerDecider, [applied]).when(cmd('ApprovePartner', { tier: 'diamond' })).thenThrows(ValidationError, /no tier "diamond"/)
      given(PartnerDecider, [applied]).when(cmd('ApprovePartner', { tier: 'gold', availableTiers: ['basic'] })).thenThrows(ValidationError, /choose one of basic/)
    })
    it('refuses approving twice, or an unknown partner', () => {
      given(PartnerDecider, [applied, approved]).when(cmd('ApprovePartner', {})).thenThrows(IllegalStateError, /this partner is Approved/)
      given(PartnerDecider).when(cmd('ApprovePartner', {})).thenThrows(NotFoundError, /not applied/)
    })
    it('refuses partners approving themselves', () => {
      given(PartnerDecider, [applied]).when(cmd('ApprovePartner', {}, admin)).thenThrows(ForbiddenError)
    })
    it('rejects with a reason', () => {
      given(PartnerDecider, [applied]).when(cmd('RejectPartner', { reason: 'Out of territory' })).then([{ type: 'PartnerRejected', data: { partnerId: 'p-acme', reason: 'Out of territory' } }])
      given(PartnerDecider, [applied]).when(cmd('RejectPartner', { reason: '' })).thenThrows(ValidationError, /reason/)
      given(PartnerDecider, [applied, approved]).when(cmd('RejectPartner', { reason: 'x' })).thenThrows(IllegalStateError)
    })
  })

  describe('InviteUser / GrantRole', () => {
    const invite = (actor = admin, data = {}) => cmd('InviteUser', { userId: 'u-bob', name: 'Bob', email: 'bob@acme.io', role: 'partner_user', ...data }, actor)

    it('lets a partner admin or the vendor invite', () => {
      given(PartnerDecider, [applied, approved]).when(invite()).then([invited])
      given(PartnerDecider, [applied, approved]).when(invite(vendorAdmin)).then([invited])
    })
    it('refuses partner users and auditors', () => {
      given(PartnerDecider, [applied, approved]).when(invite(user)).thenThrows(ForbiddenError, /partner admin of partner p-acme/)
      given(PartnerDecider, [applied, approved]).when(invite(auditor)).thenThrows(ForbiddenError)
    })
    it('refuses before approval and for existing users', () => {
      given(PartnerDecider, [applied]).when(invite()).thenThrows(IllegalStateError, /Only an approved partner can invite users \(this one is Applied\)/)
      given(PartnerDecider, [applied, approved, invited]).when(invite()).thenThrows(IllegalStateError, /already a partner_user/)
    })
    it('refuses a bad email', () => given(PartnerDecider, [applied, approved]).when(invite(admin, { email: 'bob' })).thenThrows(ValidationError, /email/))

    it('grants a role to a user', () => {
      given(PartnerDecider, [applied, approved, invited])
        .when(cmd('GrantRole', { userId: 'u-bob', role: 'partner_admin' }, admin))
        .then([{ type: 'RoleGranted', data: { partnerId: 'p-acme', userId: 'u-bob', role: 'partner_admin', previousRole: 'partner_user' } }])
    })
    it('refuses granting to strangers, the same role, or demoting the last admin', () => {
      given(PartnerDecider, [applied, approved]).when(cmd('GrantRole', { userId: 'u-zed', role: 'partner_admin' }, admin)).thenThrows(NotFoundError, /invite them first/)
      given(PartnerDecider, [applied, approved, invited]).when(cmd('GrantRole', { userId: 'u-bob', role: 'partner_user' }, admin)).thenThrows(IllegalStateError, /already/)
      given(PartnerDecider, [applied, approved]).when(cmd('GrantRole', { userId: 'u-ann', role: 'partner_user' }, admin)).thenThrows(IllegalStateError, /only partner admin/)
    })
    it('refuses partner users granting roles', () => {
      given(PartnerDecider, [applied, approved, invited]).when(cmd('GrantRole', { userId: 'u-bob', role: 'partner_admin' }, user)).thenThrows(ForbiddenError)
    })
  })

  describe('AssignChannelManager', () => {
    const assigned: PartnerEvent = { type: 'ChannelManagerAssigned', data: { partnerId: 'p-acme', managerId: 'cm-1', previousManagerId: null } }
    it('assigns a manager, and a reassignment names the previous one', () => {
      given(PartnerDecider, [applied]).when(cmd('AssignChannelManager', { managerId: 'cm-1' })).then([assigned])
      given(PartnerDecider, [applied, approved, assigned])
        .when(cmd('AssignChannelManager', { managerId: 'cm-2' }))
        .then([{ type: 'ChannelManagerAssigned', data: { partnerId: 'p-acme', managerId: 'cm-2', previousManagerId: 'cm-1' } }])
    })
    it('refuses the same manager again, rejected partners and partner users', () => {
      given(PartnerDecider, [applied, assigned]).when(cmd('AssignChannelManager', { managerId: 'cm-1' })).thenThrows(IllegalStateError, /already manages/)
      given(PartnerDecider, [applied, { type: 'PartnerRejected', data: { partnerId: 'p-acme', reason: 'x' } }])
        .when(cmd('AssignChannelManager', { managerId: 'cm-1' }))
        .thenThrows(IllegalStateError, /rejected/)
      given(PartnerDecider, [applied]).when(cmd('AssignChannelManager', { managerId: 'cm-1' }, admin)).thenThrows(ForbiddenError)
    })
  })

  describe('ChangeTier', () => {
    it('changes the tier with a reason', () => {
      given(PartnerDecider, [applied, approved])
        .when(cmd('ChangeTier', { tier: 'silver', reason: 'First certification' }))
        .then([{ type: 'TierChanged', data: { partnerId: 'p-acme', from: 'registered', to: 'silver', reason: 'First certification' } }])
    })
    it('refuses the same tier, unknown tiers, missing reasons, unapproved partners and partners', () => {
      given(PartnerDecider, [applied, approved]).when(cmd('ChangeTier', { tier: 'registered', reason: 'x' })).thenThrows(IllegalStateError, /already is in tier registered/)
      given(PartnerDecider, [applied, approved]).when(cmd('ChangeTier', { tier: 'mythic', reason: 'x' })).thenThrows(ValidationError, /no tier/)
      given(PartnerDecider, [applied, approved]).when(cmd('ChangeTier', { tier: 'gold', reason: '' })).thenThrows(ValidationError, /Say why/)
      given(PartnerDecider, [applied]).when(cmd('ChangeTier', { tier: 'gold', reason: 'x' })).thenThrows(IllegalStateError, /this one is Applied/)
      given(PartnerDecider, [applied, approved]).when(cmd('ChangeTier', { tier: 'gold', reason: 'x' }, admin)).thenThrows(ForbiddenError)
    })
  })

  describe('SetProfile', () => {
    const profile = { displayName: 'ACME IT', contactName: 'Ann Lee', contactEmail: 'ann@acme.io', primaryColor: '#112233', secondaryColor: '#ffffff' }
    it('sets the co-branding profile', () => {
      given(PartnerDecider, [applied, approved]).when(cmd('SetProfile', profile, admin)).then([{ type: 'PartnerProfileSet', data: { partnerId: 'p-acme', ...profile, logoUrl: null } }])
      given(PartnerDecider, [applied, approved])
        .when(cmd('SetProfile', { ...profile, logoUrl: 'https://acme.io/logo.png' }, admin))
        .then([{ type: 'PartnerProfileSet', data: { partnerId: 'p-acme', ...profile, logoUrl: 'https://acme.io/logo.png' } }])
    })
    it('refuses bad colours, partner users and unapproved partners', () => {
      given(PartnerDecider, [applied, approved]).when(cmd('SetProfile', { ...profile, primaryColor: 'red' }, admin)).thenThrows(ValidationError, /#1a2b3c/)
      given(PartnerDecider, [applied, approved]).when(cmd('SetProfile', profile, user)).thenThrows(ForbiddenError)
      given(PartnerDecider, [applied]).when(cmd('SetProfile', profile, admin)).thenThrows(IllegalStateError)
    })
  })
})
