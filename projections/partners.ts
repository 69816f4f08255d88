// The partner directory (status, tier, channel manager, profile, users) and the program settings history.
import type { ProgramSettings } from '../domain/settings/defaults.ts'
import { parseSubject, placeholder } from '../domain/shared/personal-data.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type PartnerStatus = 'Applied' | 'Approved' | 'Rejected'
export type PartnerUserRole = 'partner_user' | 'partner_admin'

export type PartnerUser = { userId: string; name: string; email: string; role: PartnerUserRole; since: string }
export type PartnerProfile = {
  displayName: string
  logoUrl: string | null
  /** the content-addressed logo, when it was uploaded to Partnerlog: serve it from `path` */
  logo: { sha256: string; path: string } | null
  contactName: string
  contactEmail: string
  primaryColor: string
  secondaryColor: string
  setAt: string
  setBy: string
  /** the PartnerProfileSet it came from: its contact is the subject contact-<eventId> */
  eventId: string
}

export type PartnerDoc = {
  partnerId: string
  company: string
  websiteDomain: string
  geographies: string[]
  segments: string[]
  partnerType: 'reseller' | 'msp' | 'var' | 'referral'
  status: PartnerStatus
  applicant: { userId: string; name: string; email: string }
  appliedAt: string
  decidedAt: string | null
  decidedBy: string | null
  rejectionReason: string | null
  tier: string | null
  tierHistory: { from: string | null; to: string; reason: string; at: string; by: string }[]
  channelManagerId: string | null
  channelManagerHistory: { managerId: string; previousManagerId: string | null; at: string; by: string }[]
  profile: PartnerProfile | null
  users: PartnerUser[]
  updatedAt: string
}

/** Uploaded logos are served by /logos/<partnerId>/<sha256>; other URLs are kept as given. */
export function logoOf(partnerId: string, logoUrl: string | null): PartnerProfile['logo'] {
  const match = logoUrl?.match(/\/logos\/[^/]+\/([0-9a-f]{64})(?:[?#].*)?$/)
  return match ? { sha256: match[1]!, path: `/logos/${encodeURIComponent(partnerId)}/${match[1]}` } : null
}

// by name, then id: a total order, so an erased user sorts as a rebuild sorts them
const byName = (a: PartnerUser, b: PartnerUser) => a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)

function withUser(users: PartnerUser[], user: PartnerUser): PartnerUser[] {
  const others = users.filter((u) => u.userId !== user.userId)
  return [...others, user].sort(byName)
}

/** The partner's records with the erased subject's personal data replaced by what a rebuild decodes. */
function erase(state: PartnerDoc, subject: string): PartnerDoc {
  const parsed = parseSubject(subject)
  const name = placeholder({ kind: 'name' }, subject)
  const email = placeholder({ kind: 'email' }, subject)
  if (parsed?.kind === 'user') {
    const userId = parsed.userId
    return {
      ...state,
      applicant: state.applicant.userId === userId ? { ...state.applicant, name, email } : state.applicant,
      users: state.users.map((u) => (u.userId === userId ? { ...u, name, email } : u)).sort(byName),
    }
  }
  if (parsed?.kind === 'contact' && state.profile?.eventId === parsed.eventId) {
    return { ...state, profile: { ...state.profile, contactName: name, contactEmail: email } }
  }
  return state
}

type PartnerEvent = RecordedOf<
  | 'PartnerApplied' | 'PartnerApproved' | 'PartnerRejected' | 'UserInvited' | 'RoleGranted' | 'ChannelManagerAssigned'
  | 'TierChanged' | 'PartnerProfileSet' | 'PersonErased'
>

export const partnersProjection: Projection<PartnerDoc | null, PartnerEvent> = {
  name: 'partners',
  version: 2,
  handles: [
    'PartnerApplied', 'PartnerApproved', 'PartnerRejected', 'UserInvited', 'RoleGranted', 'ChannelManagerAssigned',
    'TierChanged', 'PartnerProfileSet', 'PersonErased',
  ],
  keysOf: (event) => {
    const { partnerId } = event.data
    return typeof partnerId === 'string' ? [partnerId] : []
  },
  initialState: () => null,
  indexes: [
    `create index if not exists partners_status on read_models ((state->>'status')) where projection = 'partners'`,
  ],
  evolve(state, event) {
    const { type, data } = event
    const at = event.metadata.occurredAt
    const by = event.metadata.actor
    if (type === 'PartnerApplied') {
      return {
        partnerId: data.partnerId, company: data.company, websiteDomain: data.websiteDomain,
        geographies: data.geographies ?? [], segments: data.segments ?? [], partnerType: data.partnerType,
        status: 'Applied',
        applicant: { userId: data.applicant.userId, name: data.applicant.name, email: String(data.applicant.email).toLowerCase() },
        appliedAt: at, decidedAt: null, decidedBy: null, rejectionReason: null,
        tier: null, tierHistory: [], channelManagerId: null, channelManagerHistory: [], profile: null, users: [], updatedAt: at,
      }
    }
    if (!state) return state
    const next: PartnerDoc = { ...state, updatedAt: at }
    switch (type) {
      case 'PartnerApproved': {
        const admin: PartnerUser = { ...state.applicant, userId: data.adminUserId ?? state.applicant.userId, role: 'partner_admin', since: at }
        return {
          ...next, status: 'Approved', decidedAt: at, decidedBy: by, tier: data.tier,
          tierHistory: [...state.tierHistory, { from: null, to: data.tier, reason: 'Application approved', at, by }],
          users: withUser(state.users, admin),
        }
      }
      case 'PartnerRejected':
        return { ...next, status: 'Rejected', decidedAt: at, decidedBy: by, rejectionReason: data.reason }
      case 'UserInvited':
        return { ...next, users: withUser(state.users, { userId: data.userId, name: data.name, email: String(data.email).toLowerCase(), role: data.role, since: at }) }
      case 'RoleGranted': {
        const user = state.users.find((u) => u.userId === data.userId)
        return user ? { ...next, users: withUser(state.users, { ...user, role: data.role }) } : state
      }
      case 'ChannelManagerAssigned':
        return {
          ...next, channelManagerId: data.managerId,
          channelManagerHistory: [...state.channelManagerHistory, { managerId: data.managerId, previousManagerId: data.previousManagerId ?? null, at, by }],
        }
      case 'TierChanged':
        return { ...next, tier: data.to, tierHistory: [...state.tierHistory, { from: data.from, to: data.to, reason: data.reason, at, by }] }
      case 'PartnerProfileSet':
        return {
          ...next,
          profile: {
            displayName: data.displayName, logoUrl: data.logoUrl ?? null, logo: logoOf(state.partnerId, data.logoUrl ?? null),
            contactName: data.contactName, contactEmail: data.contactEmail,
            primaryColor: data.primaryColor, secondaryColor: data.secondaryColor, setAt: at, setBy: by, eventId: event.id,
          },
        }
      case 'PersonErased':
        // not a change of the partner's own: updatedAt stays
        return erase(state, data.subject)
      default:
        return state
    }
  },
}

export type SettingsChange = { eventId: string; effectiveFrom: string; settings: ProgramSettings; changedAt: string; changedBy: string }
export type ProgramSettingsDoc = { changes: SettingsChange[] }

/** Every change of the program settings, in order; `settingsInForce` picks the one in force at a time. */
export const programSettingsProjection: Projection<ProgramSettingsDoc, RecordedOf<'ProgramSettingsChanged'>> = {
  name: 'program-settings',
  version: 1,
  handles: ['ProgramSettingsChanged'],
  keysOf: () => ['program'],
  initialState: () => ({ changes: [] }),
  evolve(state, event) {
    if (event.type !== 'ProgramSettingsChanged') return state
    const { data } = event
    const change: SettingsChange = {
      eventId: event.id, effectiveFrom: data.effectiveFrom, settings: data.settings,
      changedAt: event.metadata.occurredAt, changedBy: event.metadata.actor,
    }
    return { changes: [...state.changes, change] }
  },
}
