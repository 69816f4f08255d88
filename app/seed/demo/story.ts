// The demo program's history from its first day to today: the vendor sets up, partners apply over the first two
// years, quarters turn (tier reviews, allocations, PSAT rounds), and the last days leave work in the queues.
import type { FileRef } from '../../../domain/shared/schemas.ts'
import { StaffDecider, streamId as vendorStream } from '../../../domain/staff/index.ts'
import type { Actor } from '../../../domain/shared/command.ts'
import { decidedHistory } from '../history/deciders.ts'
import { prng } from '../history/random.ts'
import { DAY, nextQuarter, quarterEndTime, quarterOf, Queue } from '../history/timeline.ts'
import { planDirectAccounts } from './accounts.ts'
import { at, type Story } from './context.ts'
import { planRivalRegistrations, registerDeal } from './deals.ts'
import { publishCatalogue } from './enablement.ts'
import { requestWorkshop, surveyRound } from './engagement.ts'
import { contosoWebinar, requestFunds } from './funds.ts'
import { applyToProgram, paceOf, quarterStarts, reassign } from './partners.ts'
import { demoPartners, demoPeople, moreManagers, VENDOR_ID } from './roster.ts'

/** the program started this many days before today */
export const PROGRAM_DAYS = 800
const SETUP: Actor = { userId: 'system:setup', organisationId: VENDOR_ID, role: 'vendor_admin' }

export function createStory(now: Date, files: { assets: Map<string, FileRef>; invoice: FileRef }): Story {
  const end = now.getTime()
  // the first day at 08:00 UTC, so the days of the history are whole days before today
  const first = new Date(end - PROGRAM_DAYS * DAY)
  const start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate(), 8)
  return { h: decidedHistory('demo'), r: prng(15), start, now: end, queue: new Queue(), lives: new Map(), deals: new Map(), files, directAccounts: [], seq: {} }
}

/** Plans the whole history; `run` then decides it in business-time order. */
export function planStory(story: Story) {
  const { start, h } = story
  at(story, start, (t) => {
    h.decide(StaffDecider, vendorStream(VENDOR_ID), 'EstablishVendor', { vendorId: VENDOR_ID, name: 'Acme Cloud' }, SETUP, t)
    for (const person of [demoPeople.sam, demoPeople.vera, demoPeople.alex, ...moreManagers]) h.decide(StaffDecider, vendorStream(VENDOR_ID), 'AddStaffMember', person, SETUP, t)
  })
  at(story, start + 2 * DAY, (t) => publishCatalogue(story, t))
  for (const p of demoPartners()) at(story, start + p.appliesOnDay * DAY + story.r.int(1, 9) * 3_600_000, (t) => applyToProgram(story, p, t))
  // every quarter from the first full one: tier reviews and allocations on its first morning, PSAT ten days in
  for (let q = nextQuarter(quarterOf(start)); quarterEndTime(prevQuarter(q)) + 1 < story.now; q = nextQuarter(q)) {
    const first = quarterEndTime(prevQuarter(q)) + 1 + 6 * 3_600_000
    at(story, first, (t) => quarterStarts(story, t))
    at(story, first + 10 * DAY, (t) => surveyRound(story, t, (life) => paceOf(life.p).psat))
  }
  // territories move: the UK to Priya (Contoso among them), later the Nordic referral partners to Inês
  at(story, start + 430 * DAY, (t) => reassign(story, 'contoso', 'u-priya', t))
  at(story, start + 560 * DAY, (t) => reassign(story, 'quayside-advisory', 'u-ines', t))
  planDirectAccounts(story)
  planRivalRegistrations(story)
  finale(story)
}

const prevQuarter = (q: string) => quarterOf(quarterEndTime(q) - 92 * DAY)

/** the last days: Northwind's strategy workshop and a new one asked for, and work waiting in the vendor's queues */
function finale(story: Story) {
  const { now } = story
  const life = (id: string) => story.lives.get(id)!
  at(story, now - 21 * DAY, (t) => requestWorkshop(story, life('northwind'), t, 'strategy', ['Maria Jensen', 'Jonas Weber', 'Sam Rivera']))
  at(story, now - 2 * DAY, (t) => requestWorkshop(story, life('northwind'), t, 'value_proposition', ['Maria Jensen', 'Lena Fischer'], 'Shape a managed-backup offer that combines Northwind services with Acme Cloud Backup'))
  at(story, quarterEndTime(prevQuarter(quarterOf(now))) + 1 + 2 * DAY, (t) => contosoWebinar(story, life('contoso'), t))
  at(story, now - 5 * 3_600_000, (t) => registerDeal(story, life('contoso'), t))
  at(story, now - 3 * 3_600_000, (t) => requestFunds(story, life('northwind'), t, true))
}

/** Decides everything planned, in time order; what is planned for later than now never happens. */
export function runStory(story: Story, until = story.now) {
  for (;;) {
    const task = story.queue.pop()
    if (!task) return
    if (task.t >= until) {
      story.queue.push(task.t, task.run)
      return
    }
    task.run()
  }
}
