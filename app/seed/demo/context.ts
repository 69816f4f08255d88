// What every part of the demo story shares: the decided history, the random source, business time, the partners' lives.
import type { Actor } from '../../../domain/shared/command.ts'
import type { FileRef } from '../../../domain/shared/schemas.ts'
import type { DecidedHistory } from '../history/deciders.ts'
import type { Random } from '../history/random.ts'
import { DAY, type Queue } from '../history/timeline.ts'
import { VENDOR_ID, type DemoPartner, type Person } from './roster.ts'

/** a partner as the story goes on */
export type Life = {
  p: DemoPartner
  approved: boolean
  joinedAt: number | null
  tier: string
  /** its tiers over time, as the tier allocation reads them */
  tiers: { tier: string; from: string }[]
  manager: string
  /** people with an account so far, the admin first */
  users: Person[]
  /** valid until (ms), by course and user */
  certs: Map<string, number>
  wonDeals: number
  plan: boolean
  /** the story stops its activities after this time (a partner that goes quiet) */
  quietAfter: number
}

export type DealNote = { dealId: string; partnerId: string; customerDomain: string; status: string; registeredAt: string }

export type Story = {
  h: DecidedHistory
  r: Random
  /** the program's first day (ms) */
  start: number
  /** business time now: nothing is planned at or after it */
  now: number
  queue: Queue
  lives: Map<string, Life>
  /** every registration so far, for the rivals a new one is checked against */
  deals: Map<string, DealNote>
  files: { assets: Map<string, FileRef>; invoice: FileRef }
  /** the vendor's named direct accounts now */
  directAccounts: { accountId: string; name: string; domains: string[] }[]
  /** counters for readable ids (deal-0001, ...) */
  seq: Record<string, number>
}

/** plans `run` at `t` unless that is not in the past */
export function at(story: Story, t: number, run: (t: number) => void) {
  if (t < story.now) story.queue.push(t, () => run(t))
}

/** a moment `min` to `max` days after `t` */
export const after = (story: Story, t: number, min: number, max: number) => t + (min + story.r.next() * (max - min)) * DAY

/** the next readable id of a kind, e.g. nextId(story, 'deal') = 'deal-0042' */
export function nextId(story: Story, kind: string) {
  story.seq[kind] = (story.seq[kind] ?? 0) + 1
  return `demo-${kind}-${String(story.seq[kind]).padStart(4, '0')}`
}

export const staff = (userId: string, role: Actor['role'] = 'channel_manager'): Actor => ({ userId, organisationId: VENDOR_ID, role })
export const VERA = staff('u-vera', 'vendor_admin')
/** a partner's person acting: the first is its admin */
export const member = (life: Life, person: Person): Actor => ({
  userId: person.userId, organisationId: life.p.id, role: person === life.users[0] ? 'partner_admin' : 'partner_user',
})
export const admin = (life: Life): Actor => member(life, life.users[0]!)
export const managerOf = (life: Life): Actor => staff(life.manager)
/** is the partner still doing things at `t` */
export const active = (life: Life, t: number) => life.approved && t < life.quietAfter
