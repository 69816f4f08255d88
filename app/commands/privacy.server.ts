// Erasing a person: their subjects' keys, credentials and sessions go, and PersonErased tells the read models. The
// events stay, so the history still verifies; the person's fields read as placeholders.
import { randomUUID } from 'node:crypto'
import { personalData, subjectOf } from '../../domain/index.ts'
import { ErasureDecider, erasePerson, initialState, streamId as erasureStream, type ErasePerson } from '../../domain/privacy/index.ts'
import { IllegalStateError, NotFoundError } from '../../domain/shared/errors.ts'
import { mapPath, parseSubject, userSubject } from '../../domain/shared/personal-data.ts'
import { streamId as vendorStream } from '../../domain/staff/staff.ts'
import { StreamNotFound } from '../../eventstore/errors.ts'
import type { TimelineDoc } from '../../projections/timeline.ts'
import type { UserDoc } from '../../projections/users.ts'
import { forgetCachedReads } from '../audit.server.ts'
import { endSessionsOf, type CurrentUser } from '../auth.server.ts'
import { peopleQueries } from '../queries/people.server.ts'
import type { AppServices } from '../services.server.ts'
import { forgetStream } from './handler.server.ts'
import { toActor, type CommandCore } from './core.server.ts'

export type ErasureTarget = {
  subject: string
  partnerId: string | null
  eventIds: string[]
  /** what the subject is, for the confirmation page */
  what: 'account' | 'profile contact' | 'workshop attendees'
}

export type ErasurePlan = {
  user: UserDoc
  /** the person's own subject was erased before: nothing is left to erase */
  alreadyErased: boolean
  targets: ErasureTarget[]
}

const same = (a: unknown, b: string) => typeof a === 'string' && a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase()

export function createPrivacyCommands(services: Omit<AppServices, 'commands'>, core: CommandCore) {
  /** Every event that holds personal data, as the auditor's timeline shows it (decoded). */
  async function personalEvents(): Promise<TimelineDoc[]> {
    return services.queries.timeline.ofTypes(Object.keys(personalData))
  }

  async function alreadyErased(subject: string): Promise<boolean> {
    try {
      for await (const _ of services.store.readStream(erasureStream(subject), { maxCount: 1 })) return true
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error
    }
    return false
  }

  /** What erasing this user forgets: their own records, and the profile contacts and attendee lists that name them. */
  async function plan(userId: string): Promise<ErasurePlan | null> {
    const user = await peopleQueries(services.sql).user(userId)
    if (!user) return null
    const own = userSubject(userId)
    if (await alreadyErased(own)) return { user, alreadyErased: true, targets: [] }
    const targets: ErasureTarget[] = [{ subject: own, partnerId: user.organisationKind === 'partner' ? user.organisationId : null, eventIds: [], what: 'account' }]
    for (const event of await personalEvents()) {
      for (const rule of personalData[event.type] ?? []) {
        const subject = subjectOf(rule, event.data, event.eventId)
        if (!subject) continue
        // free-text names and addresses (profile contacts, attendees) are this person's when they read as theirs;
        // another user's account is never theirs, whatever its name
        const namesThem = subject === own || (parseSubject(subject)?.kind !== 'user' && rule.fields.some((field) => {
          let found = false
          mapPath(event.data, field.path, (value) => {
            if (same(value, field.kind === 'email' ? user.email : user.name)) found = true
            return value
          })
          return found
        }))
        if (!namesThem) continue
        let target = targets.find((t) => t.subject === subject)
        if (!target) {
          const kind = parseSubject(subject)?.kind
          target = { subject, partnerId: event.partnerId, eventIds: [], what: kind === 'contact' ? 'profile contact' : kind === 'attendees' ? 'workshop attendees' : 'account' }
          targets.push(target)
        }
        target.eventIds.push(event.eventId)
      }
    }
    return { user, alreadyErased: false, targets }
  }

  return {
    plan,

    /**
     * Erases the user's personal data. Keys first, so that nothing decodes the person again even if a later step
     * fails (running it again completes it); then the credentials; then the events the read models follow.
     */
    async eraseUser(actor: CurrentUser, userId: string, commandId: string = randomUUID()): Promise<ErasurePlan> {
      const metadata = (index: number) => ({ commandId: `${commandId}:${index}`, now: services.clock().toISOString(), actor: toActor(actor) })
      // the rules before anything irreversible: a vendor admin, never oneself
      erasePerson({ type: 'ErasePerson', data: { subject: userSubject(userId), partnerId: null, eventIds: [] }, metadata: metadata(0) }, initialState())
      const found = await plan(userId)
      if (!found) throw new NotFoundError(`No user ${userId}`)
      const commands: ErasePerson[] = found.targets.map((target, index) => ({
        type: 'ErasePerson', data: { subject: target.subject, partnerId: target.partnerId, eventIds: target.eventIds }, metadata: metadata(index),
      }))
      if (userId === actor.userId) throw new IllegalStateError('You cannot erase your own account; ask another vendor admin.')

      const subjects = found.alreadyErased ? [userSubject(userId)] : found.targets.map((t) => t.subject)
      for (const subject of subjects) {
        await services.keys.erase(subject)
        services.codec.forget(subject)
      }
      await services.sql.query('delete from credentials where user_id = $1', [userId])
      await services.sql.query('delete from pending_credentials where user_id = $1', [userId])
      await endSessionsOf(services.sql, userId)
      for (const command of commands) {
        try {
          await core.run(ErasureDecider, erasureStream(command.data.subject), command)
        } catch (error) {
          if (!(error instanceof IllegalStateError)) throw error // erased before (a subject shared with an earlier erasure)
        }
      }
      if (found.user.organisationKind === 'vendor') forgetStream(services.store, vendorStream(found.user.organisationId))
      forgetCachedReads()
      return found
    },
  }
}

export type PrivacyCommands = ReturnType<typeof createPrivacyCommands>
