// Use cases of the people area: applications, partner administration, team and profile, vendor staff, program settings.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { PartnerDecider, streamId as partnerStream, type PartnerCommand, type PartnerRole } from '../../domain/partners/index.ts'
import type { ProgramSettingsInput } from '../../domain/settings/defaults.ts'
import { SettingsDecider, streamId as settingsStream, type SettingsCommand } from '../../domain/settings/index.ts'
import type { Actor } from '../../domain/shared/command.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import { StaffDecider, type StaffCommand } from '../../domain/staff/decide.ts'
import { streamId as vendorStream, type VendorRole } from '../../domain/staff/staff.ts'
import type { Migration } from '../../eventstore/postgres/migrations.ts'
import { setCredentials, type CurrentUser } from '../auth.server.ts'
import { hashPassword } from '../password.server.ts'
import { peopleQueries } from '../queries/people.server.ts'
import type { AppServices } from '../services.server.ts'
import { toActor, type CommandCore } from './core.server.ts'
import { allocateFromTiers } from './funds.server.ts'

/** The people area's tables: migration 5 of the runner (app/migrations.server.ts), created at start. */
export const PEOPLE_MIGRATION: Migration = {
  number: 5,
  name: 'people',
  statements: [
    // an applicant's password hash waits here until the application is approved, so nobody signs in to a partner that is not in the program
    `create table if not exists pending_credentials (
  user_id text primary key,
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
)`,
    `create table if not exists application_attempts (
  client text not null,
  at timestamptz not null default now()
)`,
    `create index if not exists application_attempts_at on application_attempts (at)`,
  ],
}

/** A readable one-time password: 16 characters from an alphabet without look-alikes (about 90 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = randomBytes(16)
  let out = ''
  for (const byte of bytes) out += alphabet[byte % alphabet.length]
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`
}

/** A stable uuid derived from a command id, so a resubmitted form names the same user. */
function derivedId(commandId: string, purpose: string): string {
  const hex = createHash('sha256').update(`${purpose}:${commandId}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

async function emailInUse(services: Pick<AppServices, 'sql' | 'queries'>, email: string): Promise<boolean> {
  const { rows } = await services.sql.query<{ n: number }>(
    `select (select count(*) from credentials where email = lower($1)) + (select count(*) from pending_credentials where email = lower($1)) as n`,
    [email],
  )
  if (Number(rows[0]?.n ?? 0) > 0) return true
  return (await services.queries.users.byEmail(email)) !== null
}

const EMAIL_TAKEN = 'This email already belongs to an account or an application. Sign in, or use another address.'

export type Application = {
  company: string
  websiteDomain: string
  geographies: string[]
  segments: string[]
  partnerType: 'reseller' | 'msp' | 'var' | 'referral'
  name: string
  email: string
  password: string
}

/** Applications per client and in total per hour: bots, not partners, apply faster. */
export const APPLY_LIMITS = { perClientPerHour: 5, totalPerHour: 60 }

export function createPeopleCommands(services: Pick<AppServices, 'sql' | 'clock' | 'queries' | 'store' | 'runner' | 'files'>, commands: CommandCore) {
  const queries = peopleQueries(services.sql)
  const meta = (actor: Actor, commandId?: string, now = services.clock().toISOString()) => ({ commandId: commandId ?? randomUUID(), now, actor })
  const partner = (actor: Actor, partnerId: string, command: Omit<PartnerCommand, 'metadata'>, commandId?: string) =>
    commands.run(PartnerDecider, partnerStream(partnerId), { ...command, metadata: meta(actor, commandId) } as PartnerCommand)
  const tierNames = async () => (await queries.settingsAt(services.clock().toISOString())).settings.tiers.map((t) => t.name)

  return {
    /** true when the client may submit another application now; records the attempt */
    async allowApplication(client: string): Promise<boolean> {
      await services.sql.query(`delete from application_attempts where at < now() - interval '1 hour'`)
      const { rows } = await services.sql.query<{ mine: number; total: number }>(
        `select count(*) filter (where client = $1)::int as mine, count(*)::int as total from application_attempts`,
        [client],
      )
      const { mine = 0, total = 0 } = rows[0] ?? {}
      if (mine >= APPLY_LIMITS.perClientPerHour || total >= APPLY_LIMITS.totalPerHour) return false
      await services.sql.query(`insert into application_attempts (client) values ($1)`, [client])
      return true
    },

    /** A company applies; the applicant's password hash waits, outside the events, until approval. */
    async apply(application: Application, commandId: string) {
      const partnerId = commandId
      const userId = derivedId(commandId, 'applicant')
      if (await emailInUse(services, application.email)) {
        // a resubmission of the same form is not a conflict
        const existing = await queries.partner(partnerId)
        if (existing?.applicant.email !== application.email.toLowerCase()) throw new ValidationError(EMAIL_TAKEN, 'email')
      }
      const actor: Actor = { userId, organisationId: partnerId, role: 'partner_admin' }
      const result = await partner(actor, partnerId, {
        type: 'ApplyToProgram',
        data: {
          partnerId, company: application.company, websiteDomain: application.websiteDomain, geographies: application.geographies,
          segments: application.segments, partnerType: application.partnerType,
          applicant: { userId, name: application.name, email: application.email.toLowerCase() },
        },
      }, commandId)
      if (!result.replayed) {
        const hash = await hashPassword(application.password)
        await services.sql.query(
          `insert into pending_credentials (user_id, email, password_hash) values ($1, lower($2), $3) on conflict (user_id) do nothing`,
          [userId, application.email, hash],
        )
      }
      return { partnerId, userId }
    },

    async approve(user: CurrentUser, partnerId: string, tier: string) {
      const application = await queries.partner(partnerId)
      const result = await partner(toActor(user), partnerId, { type: 'ApprovePartner', data: { partnerId, tier, availableTiers: await tierNames() } })
      if (application) {
        const { rows } = await services.sql.query<{ user_id: string; email: string; password_hash: string }>(
          `select user_id, email, password_hash from pending_credentials where user_id = $1`, [application.applicant.userId],
        )
        const pending = rows[0]
        if (pending) {
          await setCredentials(services.sql, pending.user_id, pending.email, pending.password_hash)
          await services.sql.query(`delete from pending_credentials where user_id = $1`, [pending.user_id])
        }
      }
      // the quarter's funds from its tier right away (the scheduler would within a minute; the same command either way)
      await allocateFromTiers(services, partnerId)
      return result
    },

    async reject(user: CurrentUser, partnerId: string, reason: string) {
      const application = await queries.partner(partnerId)
      const result = await partner(toActor(user), partnerId, { type: 'RejectPartner', data: { partnerId, reason } })
      if (application) {
        await services.sql.query(`delete from pending_credentials where user_id = $1`, [application.applicant.userId])
      }
      return result
    },

    /** Invites a user with an initial password: the admin's, or a generated one returned once and never stored in clear. */
    async invite(user: CurrentUser, partnerId: string, invitee: { name: string; email: string; role: PartnerRole; password?: string }, commandId: string) {
      const userId = derivedId(commandId, 'invitee')
      const already = (await queries.partner(partnerId))?.users.find((u) => u.userId === userId)
      if (already) return { userId, password: null, replayed: true }
      if (await emailInUse(services, invitee.email)) throw new ValidationError(EMAIL_TAKEN, 'email')
      const result = await partner(toActor(user), partnerId, {
        type: 'InviteUser', data: { partnerId, userId, name: invitee.name, email: invitee.email.toLowerCase(), role: invitee.role },
      }, commandId)
      if (result.replayed) return { userId, password: null, replayed: true }
      const password = invitee.password || generatePassword()
      await setCredentials(services.sql, userId, invitee.email, await hashPassword(password))
      return { userId, password: invitee.password ? null : password, replayed: false }
    },

    grantRole: (user: CurrentUser, partnerId: string, userId: string, role: PartnerRole) =>
      partner(toActor(user), partnerId, { type: 'GrantRole', data: { partnerId, userId, role } }),

    assignChannelManager: (user: CurrentUser, partnerId: string, managerId: string) =>
      partner(toActor(user), partnerId, { type: 'AssignChannelManager', data: { partnerId, managerId } }),

    async changeTier(user: CurrentUser, partnerId: string, tier: string, reason: string) {
      return partner(toActor(user), partnerId, { type: 'ChangeTier', data: { partnerId, tier, reason, availableTiers: await tierNames() } })
    },

    setProfile: (user: CurrentUser, partnerId: string, profile: {
      displayName: string; logoUrl?: string; contactName: string; contactEmail: string; primaryColor: string; secondaryColor: string
    }) => partner(toActor(user), partnerId, { type: 'SetProfile', data: { partnerId, ...profile } }),

    /** `now` is the instant the caller read the clock: "from now on" must not be a millisecond before the command's time */
    changeSettings: (user: CurrentUser, effectiveFrom: string, settings: ProgramSettingsInput, commandId?: string, now?: string) =>
      commands.run(SettingsDecider, settingsStream(), {
        type: 'ChangeProgramSettings', data: { effectiveFrom, settings }, metadata: meta(toActor(user), commandId, now),
      } as SettingsCommand),

    /** Adds a vendor staff member with an initial password (the admin's, or a generated one returned once). */
    async addStaff(user: CurrentUser, member: { name: string; email: string; role: VendorRole; password?: string }, commandId: string) {
      const userId = derivedId(commandId, 'staff')
      if (await queries.user(userId)) return { userId, password: null, replayed: true }
      if (await emailInUse(services, member.email)) throw new ValidationError(EMAIL_TAKEN, 'email')
      const result = await commands.run(StaffDecider, vendorStream(user.organisationId), {
        type: 'AddStaffMember', data: { userId, name: member.name, email: member.email.toLowerCase(), role: member.role },
        metadata: meta(toActor(user), commandId),
      } as StaffCommand)
      if (result.replayed) return { userId, password: null, replayed: true }
      const password = member.password || generatePassword()
      await setCredentials(services.sql, userId, member.email, await hashPassword(password))
      return { userId, password: member.password ? null : password, replayed: false }
    },

    changeStaffRole: (user: CurrentUser, userId: string, role: VendorRole) =>
      commands.run(StaffDecider, vendorStream(user.organisationId), {
        type: 'ChangeStaffRole', data: { userId, role }, metadata: meta(toActor(user)),
      } as StaffCommand),
  }
}
export type PeopleCommands = ReturnType<typeof createPeopleCommands>
