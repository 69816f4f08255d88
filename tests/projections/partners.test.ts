// The partner directory and program settings history: folds of partner and settings events.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { foldEvents } from '../../projections/projection.ts'
import { logoOf, partnersProjection, programSettingsProjection, type PartnerDoc, type ProgramSettingsDoc } from '../../projections/partners.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../../domain/settings/defaults.ts'

let seq = 0
function event(type: string, data: Record<string, unknown>, at = '2026-03-01T10:00:00.000Z', actor = 'u-sam'): RecordedEvent {
  seq++
  return {
    id: `e-${seq}`, type, data, streamId: `partner-${String(data.partnerId ?? 'program')}`, streamRevision: BigInt(seq), globalPosition: BigInt(seq),
    position: { commit: BigInt(seq), prepare: BigInt(seq) }, recordedAt: new Date(at),
    metadata: { actor, tenant: 'vendor', occurredAt: at, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
  }
}

function fold(events: RecordedEvent[]) {
  const docs = new Map<string, unknown>()
  for (const e of events) foldEvents(partnersProjection, docs, e)
  return docs as Map<string, PartnerDoc | null>
}

const applied = event('PartnerApplied', {
  partnerId: 'fabrikam', company: 'Fabrikam', websiteDomain: 'fabrikam.example', geographies: ['NL'], segments: ['smb'], partnerType: 'msp',
  applicant: { userId: 'u-ana', name: 'Ana Costa', email: 'Ana@Fabrikam.example' },
}, '2026-03-01T09:00:00.000Z', 'u-ana')

describe('partners projection', () => {
  test('an application is listed with its applicant, who is not yet a user', () => {
    const doc = fold([applied]).get('fabrikam')!
    expect(doc).toMatchObject({ status: 'Applied', company: 'Fabrikam', tier: null, users: [], applicant: { email: 'ana@fabrikam.example' } })
  })

  test('approval makes the applicant the admin and starts the tier history; invitations and role grants follow', () => {
    const doc = fold([
      applied,
      event('PartnerApproved', { partnerId: 'fabrikam', tier: 'silver', adminUserId: 'u-ana' }),
      event('UserInvited', { partnerId: 'fabrikam', userId: 'u-jo', name: 'Jo Becker', email: 'jo@fabrikam.example', role: 'partner_user' }),
      event('RoleGranted', { partnerId: 'fabrikam', userId: 'u-jo', role: 'partner_admin', previousRole: 'partner_user' }),
      event('ChannelManagerAssigned', { partnerId: 'fabrikam', managerId: 'u-sam', previousManagerId: null }),
      event('ChannelManagerAssigned', { partnerId: 'fabrikam', managerId: 'u-kim', previousManagerId: 'u-sam' }),
      event('TierChanged', { partnerId: 'fabrikam', from: 'silver', to: 'gold', reason: 'Five won deals' }, '2026-06-01T00:00:00.000Z'),
    ]).get('fabrikam')!
    expect(doc.status).toBe('Approved')
    expect(doc.tier).toBe('gold')
    expect(doc.tierHistory.map((h) => [h.from, h.to, h.reason])).toEqual([[null, 'silver', 'Application approved'], ['silver', 'gold', 'Five won deals']])
    expect(doc.users.map((u) => [u.name, u.role])).toEqual([['Ana Costa', 'partner_admin'], ['Jo Becker', 'partner_admin']])
    expect(doc.channelManagerId).toBe('u-kim')
    expect(doc.channelManagerHistory).toHaveLength(2)
    expect(doc.updatedAt).toBe('2026-06-01T00:00:00.000Z')
  })

  test('a rejection keeps the reason', () => {
    const doc = fold([applied, event('PartnerRejected', { partnerId: 'fabrikam', reason: 'Outside our regions' })]).get('fabrikam')!
    expect(doc).toMatchObject({ status: 'Rejected', rejectionReason: 'Outside our regions', decidedBy: 'u-sam' })
  })

  test('the profile exposes an uploaded logo by its hash and path; other logo URLs are kept without one', () => {
    const sha = 'a'.repeat(64)
    const docs = fold([
      applied,
      event('PartnerApproved', { partnerId: 'fabrikam', tier: 'registered', adminUserId: 'u-ana' }),
      event('PartnerProfileSet', {
        partnerId: 'fabrikam', displayName: 'Fabrikam', logoUrl: `https://portal.example/logos/fabrikam/${sha}`, contactName: 'Ana Costa',
        contactEmail: 'ana@fabrikam.example', primaryColor: '#0d6e64', secondaryColor: '#f2b705',
      }),
    ])
    expect(docs.get('fabrikam')!.profile).toMatchObject({ displayName: 'Fabrikam', logo: { sha256: sha, path: `/logos/fabrikam/${sha}` }, primaryColor: '#0d6e64' })
    expect(logoOf('fabrikam', 'https://cdn.example/logo.png')).toBeNull()
    expect(logoOf('fabrikam', null)).toBeNull()
  })

  test('events for a partner that never applied are ignored, and documents survive a JSON round trip', () => {
    const docs = fold([event('TierChanged', { partnerId: 'ghost', from: 'a', to: 'b', reason: 'x' }), applied])
    expect(docs.get('ghost')).toBeNull()
    expect(JSON.parse(JSON.stringify(docs.get('fabrikam')))).toEqual(docs.get('fabrikam'))
  })
})

describe('program settings projection', () => {
  test('keeps every change in recorded order with who and when', () => {
    const docs = new Map<string, unknown>()
    const later = { ...DEFAULT_PROGRAM_SETTINGS, dealProtectionDays: 120 }
    foldEvents(programSettingsProjection, docs, event('ProgramSettingsChanged', { effectiveFrom: '2026-04-01T00:00:00.000Z', settings: later }, '2026-03-01T10:00:00.000Z', 'u-vera'))
    foldEvents(programSettingsProjection, docs, event('ProgramSettingsChanged', { effectiveFrom: '2026-03-02T00:00:00.000Z', settings: DEFAULT_PROGRAM_SETTINGS }, '2026-03-01T11:00:00.000Z', 'u-vera'))
    const doc = docs.get('program') as ProgramSettingsDoc
    expect(doc.changes.map((c) => [c.effectiveFrom, c.settings.dealProtectionDays, c.changedBy])).toEqual([
      ['2026-04-01T00:00:00.000Z', 120, 'u-vera'],
      ['2026-03-02T00:00:00.000Z', 90, 'u-vera'],
    ])
  })
})
