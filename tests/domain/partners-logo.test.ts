// A partner's logo is recorded as a path on the portal (or an https address), never an address built from a request.
import { describe, expect, it } from 'vitest'
import { PartnerDecider } from '../../domain/partners/index.ts'
import { PartnerProfileSetData } from '../../domain/partners/partner.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import { command, given, partnerUser } from './support/given.ts'
import type { PartnerEvent } from '../../domain/partners/index.ts'

const admin = partnerUser('p-acme', 'partner_admin')
const applicant = { userId: 'u-ann', name: 'Ann Lee', email: 'ann@acme.io' }
const history: PartnerEvent[] = [
  { type: 'PartnerApplied', data: { partnerId: 'p-acme', company: 'Acme', websiteDomain: 'acme.io', geographies: ['DE'], segments: ['SMB'], partnerType: 'msp', applicant } },
  { type: 'PartnerApproved', data: { partnerId: 'p-acme', tier: 'registered', adminUserId: 'u-ann' } },
]
const profile = { partnerId: 'p-acme', displayName: 'ACME IT', contactName: 'Ann Lee', contactEmail: 'ann@acme.io', primaryColor: '#112233', secondaryColor: '#ffffff' }
const sha = 'ab'.repeat(32)
const setProfile = (logoUrl: string) => command('SetProfile', { ...profile, logoUrl }, { actor: admin })

describe('SetProfile logo', () => {
  it('records an uploaded logo as its path', () =>
    given(PartnerDecider, history).when(setProfile(`/logos/p-acme/${sha}`)).then([{ type: 'PartnerProfileSet', data: { ...profile, logoUrl: `/logos/p-acme/${sha}` } }]))

  it('refuses plain http, other schemes, malformed paths and another partner\'s logo path', () => {
    for (const bad of [`http://evil.example/logos/p-acme/${sha}`, 'javascript:alert(1)', `/logos/p-acme/${sha}/../x`, '//evil.example/logo.png'])
      given(PartnerDecider, history).when(setProfile(bad)).thenThrows(ValidationError)
    given(PartnerDecider, history).when(setProfile(`/logos/p-other/${sha}`)).thenThrows(ValidationError, /uploaded for this partner/)
  })

  it('still reads events that stored an absolute logo URL', () => {
    const old = { ...profile, logoUrl: `http://localhost:3000/logos/p-acme/${sha}` }
    expect(PartnerProfileSetData.parse(old).logoUrl).toBe(old.logoUrl)
  })
})
