import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { eventSchemas, personalData } from '../../domain/index.ts'
import { ErasureDecider, streamId, type PersonErased } from '../../domain/privacy/index.ts'
import { ForbiddenError, IllegalStateError, ValidationError } from '../../domain/shared/errors.ts'
import {
  attendeesSubject, contactSubject, ERASED_NAME, parseSubject, placeholder, redactSubject, shortHash, subjectOf, userSubject,
} from '../../domain/shared/personal-data.ts'
import { auditor, channelManager, command, given, partnerUser, vendorAdmin } from './support/given.ts'

const erase = (data: { subject: string; partnerId: string | null; eventIds: string[] }, actor = vendorAdmin) => command('ErasePerson', data, { actor })
const maria = { subject: 'user-u-maria', partnerId: 'northwind', eventIds: ['e-1', 'e-2', 'e-1'] }
const erased: PersonErased = { type: 'PersonErased', data: { subject: 'user-u-maria', partnerId: 'northwind', eventIds: ['e-1', 'e-2'] } }

describe('erasure', () => {
  it('names its stream erasure-<subject>', () => expect(streamId('user-u-maria')).toBe('erasure-user-u-maria'))

  it('a vendor admin erases a subject, once', () => {
    given(ErasureDecider).when(erase(maria)).then([erased])
    given(ErasureDecider, [erased]).when(erase(maria)).thenThrows(IllegalStateError, /already erased/)
  })

  it('nobody else may: channel managers, partner users and admins, auditors', () => {
    given(ErasureDecider).when(erase(maria, channelManager)).thenThrows(ForbiddenError, /vendor admin/)
    given(ErasureDecider).when(erase(maria, partnerUser('northwind', 'partner_admin'))).thenThrows(ForbiddenError)
    given(ErasureDecider).when(erase(maria, partnerUser('northwind'))).thenThrows(ForbiddenError)
    given(ErasureDecider).when(erase(maria, auditor)).thenThrows(ForbiddenError, /read-only/)
  })

  it('erases subjects of personal data only', () => {
    given(ErasureDecider).when(erase({ ...maria, subject: 'partner-northwind' })).thenThrows(ValidationError, /not a subject/)
    given(ErasureDecider).when(erase({ ...maria, subject: '' })).thenThrows(ValidationError, /subject/)
  })
})

// one valid event per type that carries personal data
const samples: Record<string, unknown> = {
  PartnerApplied: {
    partnerId: 'northwind', company: 'Northwind IT', websiteDomain: 'northwind.example', geographies: ['DE'], segments: [], partnerType: 'var',
    applicant: { userId: 'u-maria', name: 'Maria Jensen', email: 'maria@northwind.example' },
  },
  UserInvited: { partnerId: 'northwind', userId: 'u-jo', name: 'Jo Park', email: 'jo@northwind.example', role: 'partner_user' },
  PartnerProfileSet: {
    partnerId: 'northwind', displayName: 'Northwind', logoUrl: null, contactName: 'Maria Jensen', contactEmail: 'maria@northwind.example',
    primaryColor: '#112233', secondaryColor: '#445566',
  },
  StaffMemberAdded: { vendorId: 'vendor', userId: 'u-sam', name: 'Sam Rivera', email: 'sam@vendor.example', role: 'channel_manager' },
  WorkshopRequested: { workshopId: 'w-1', partnerId: 'northwind', kind: 'strategy', goal: 'Grow', attendees: ['Maria Jensen', 'Jonas Weber'] },
}

type JsonSchema = { type?: string; format?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema }
function schemaAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  let at: JsonSchema | undefined = schema
  for (const segment of path.split('.')) at = segment === '*' ? at?.items : at?.properties?.[segment]
  return at
}

describe('personal data registry', () => {
  it('lists every name and email of a person in the events, and only those', () => {
    expect(Object.keys(personalData).sort()).toEqual(['PartnerApplied', 'PartnerProfileSet', 'StaffMemberAdded', 'UserInvited', 'WorkshopRequested'])
    expect(Object.keys(samples).sort()).toEqual(Object.keys(personalData).sort())
  })

  it('marks string fields that exist in the schemas, emails as emails', () => {
    for (const [type, rules] of Object.entries(personalData)) {
      const json = z.toJSONSchema((eventSchemas as Record<string, z.ZodType>)[type]!, { io: 'output', unrepresentable: 'any' }) as JsonSchema
      for (const field of rules.flatMap((r) => r.fields)) {
        const at = schemaAt(json, field.path)
        expect(at?.type, `${type}.${field.path}`).toBe('string')
        if (field.kind === 'email') expect(at?.format, `${type}.${field.path}`).toBe('email')
      }
    }
  })

  it('names the subject of each event from its data (and its id)', () => {
    const subjects = Object.fromEntries(Object.entries(personalData).map(([type, rules]) => [type, subjectOf(rules[0]!, samples[type], 'e-9')]))
    expect(subjects).toEqual({
      PartnerApplied: 'user-u-maria', UserInvited: 'user-u-jo', PartnerProfileSet: 'contact-e-9', StaffMemberAdded: 'user-u-sam',
      WorkshopRequested: 'attendees-w-1',
    })
    expect(subjectOf(personalData.UserInvited![0]!, { partnerId: 'x' }, 'e-9')).toBeNull()
  })

  it('placeholders pass the schemas, and redaction touches only the subject fields', () => {
    for (const [type, rules] of Object.entries(personalData)) {
      const subject = subjectOf(rules[0]!, samples[type], 'e-9')!
      const redacted = redactSubject(personalData, type, samples[type], 'e-9', subject) as Record<string, unknown>
      expect((eventSchemas as Record<string, z.ZodType>)[type]!.safeParse(redacted).success, type).toBe(true)
      expect(JSON.stringify(redacted)).not.toMatch(/Maria|Jo Park|Sam Rivera|Jonas|@northwind|@vendor/)
      expect(redactSubject(personalData, type, samples[type], 'e-9', 'user-somebody-else')).toBe(samples[type])
    }
    expect(redactSubject(personalData, 'WorkshopRequested', samples.WorkshopRequested, 'e-9', 'attendees-w-1')).toMatchObject({ attendees: [ERASED_NAME, ERASED_NAME], goal: 'Grow' })
  })

  it('placeholders are stable per subject and say nothing about the person', () => {
    expect(placeholder({ kind: 'name' }, 'user-u-maria')).toBe('Erased person')
    expect(placeholder({ kind: 'email' }, 'user-u-maria')).toBe(`erased-${shortHash('user-u-maria')}@erased.invalid`)
    expect(placeholder({ kind: 'email' }, 'user-u-maria')).not.toBe(placeholder({ kind: 'email' }, 'user-u-li'))
    expect(shortHash('')).toBe('811c9dc5')
  })

  it('subjects round-trip', () => {
    expect(parseSubject(userSubject('u-1'))).toEqual({ kind: 'user', userId: 'u-1' })
    expect(parseSubject(contactSubject('e-1'))).toEqual({ kind: 'contact', eventId: 'e-1' })
    expect(parseSubject(attendeesSubject('w-1'))).toEqual({ kind: 'attendees', workshopId: 'w-1' })
    expect(parseSubject('deal-1')).toBeNull()
    expect(() => userSubject('')).toThrow()
  })
})
