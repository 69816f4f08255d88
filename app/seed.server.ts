// Demo data for a first start. 'minimal' (what tests build on): the vendor with its staff, Northwind and Contoso with
// a user each, one course Maria is certified in. 'demo': a program of 62 partners over 800 days (app/seed/demo/).
import type { Actor, Command, Decider, DomainEvent } from '../domain/shared/command.ts'
import { PartnerDecider, streamId as partnerStream, type PartnerCommand } from '../domain/partners/index.ts'
import { StaffDecider, streamId as vendorStream, type StaffCommand } from '../domain/staff/index.ts'
import { CourseDecider, streamId as courseStream, type CourseCommand } from '../domain/training/index.ts'
import type { Position } from '../eventstore/types.ts'
import { ProjectionWaitTimeout } from '../projections/runner/types.ts'
import { setCredentials } from './auth.server.ts'
import { executeCommand } from './commands/handler.server.ts'
import { hashPassword } from './password.server.ts'
import { createStory, planStory, runStory } from './seed/demo/story.ts'
import { demoPeople, moreManagers, VENDOR_ID } from './seed/demo/roster.ts'
import { storeDemoFiles } from './seed/enablement.server.ts'
import { cloudBackupAssociate, demoAnswers } from './seed/training-demo.server.ts'
import { appendHistory } from './seed/history/append.ts'
import type { AppServices } from './services.server.ts'

export const DEMO_PASSWORD = 'partnerlog'
export { demoPeople, VENDOR_ID }

const SETUP: Actor = { userId: 'system:setup', organisationId: VENDOR_ID, role: 'vendor_admin' }

/** 'plogseed': the advisory lock a seeding process holds, so that processes starting together seed one at a time */
export const SEED_LOCK = 0x706c6f6773656564n

/**
 * Seeds an empty store ('minimal': what tests build on; 'demo': the whole program); false when it had data.
 * Seeders take turns under a lock, and a store that has any event is left as it is.
 */
export async function seedDemo(services: AppServices, level: 'demo' | 'minimal' = 'demo'): Promise<boolean> {
  const seed = () => seedEmptyStore(services, level)
  return services.sql.withAdvisoryLock ? services.sql.withAdvisoryLock(SEED_LOCK, seed) : seed()
}

async function seedEmptyStore(services: AppServices, level: 'demo' | 'minimal'): Promise<boolean> {
  for await (const _ of services.store.readAll({ maxCount: 1 })) return false
  // sign-ins first: a start stopped after the events are in (none seeds again then) still lets the demo people in
  const hash = await hashPassword(DEMO_PASSWORD)
  for (const person of [...Object.values(demoPeople), ...moreManagers]) await setCredentials(services.sql, person.userId, person.email, hash)
  const last = level === 'demo' ? await seedProgram(services) : await seedMinimal(services)
  // the pages should show the whole program at once; a very slow machine gets on with starting, the projections catch up
  if (last) await services.runner.waitFor(last, 600_000).catch((error: unknown) => {
    if (!(error instanceof ProjectionWaitTimeout)) throw error
  })
  return true
}

/** the demo program: decided in memory in business-time order, then appended in that order */
async function seedProgram(services: AppServices): Promise<Position | null> {
  const story = createStory(services.clock(), await storeDemoFiles(services))
  planStory(story)
  runStory(story)
  const events = story.h.take()
  await appendHistory(services.store, events)
  const lastStream = events.at(-1)?.streamId
  if (!lastStream) return null
  for await (const event of services.store.readStream(lastStream, { direction: 'backwards', maxCount: 1 })) return event.position
  return null
}

async function seedMinimal(services: AppServices): Promise<Position | null> {
  const { store, clock } = services
  let n = 0
  // the history starts a year ago, so "as of" dates have something to show
  let daysAgo = 0
  const run = async <C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, type: C['type'], data: C['data'], actor: Actor) => {
    const now = new Date(clock().getTime() - daysAgo * 86_400_000).toISOString()
    const command = { type, data, metadata: { commandId: `seed-${++n}`, now, actor } } as C
    return executeCommand(store, decider, stream, command)
  }
  const on = (days: number) => { daysAgo = days }
  const sam: Actor = { userId: demoPeople.sam.userId, organisationId: VENDOR_ID, role: 'channel_manager' }

  on(400)
  await run<StaffCommand, DomainEvent, unknown>(StaffDecider as never, vendorStream(VENDOR_ID), 'EstablishVendor', { vendorId: VENDOR_ID, name: 'Acme Cloud' }, SETUP)
  for (const person of [demoPeople.sam, demoPeople.vera, demoPeople.alex]) {
    await run<StaffCommand, DomainEvent, unknown>(StaffDecider as never, vendorStream(VENDOR_ID), 'AddStaffMember', person, SETUP)
  }
  const partners = [
    { person: demoPeople.maria, company: 'Northwind IT', websiteDomain: 'northwind.example', geographies: ['DE', 'AT', 'CH'], segments: ['mid-market'], partnerType: 'var' as const },
    { person: demoPeople.li, company: 'Contoso MSP', websiteDomain: 'contoso.example', geographies: ['UK', 'IE'], segments: ['smb'], partnerType: 'msp' as const },
  ]
  let start = 330
  for (const p of partners) {
    on(start)
    start -= 60
    const stream = partnerStream(p.person.partnerId)
    // the applicant applies for their company; the channel team approves
    const applicant: Actor = { userId: p.person.userId, organisationId: p.person.partnerId, role: 'partner_admin' }
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'ApplyToProgram', {
      partnerId: p.person.partnerId, company: p.company, websiteDomain: p.websiteDomain, geographies: p.geographies, segments: p.segments,
      partnerType: p.partnerType, applicant: { userId: p.person.userId, name: p.person.name, email: p.person.email },
    }, applicant)
    on(start + 55)
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'ApprovePartner', { partnerId: p.person.partnerId }, sam)
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'AssignChannelManager', { partnerId: p.person.partnerId, managerId: sam.userId }, sam)
  }
  // a certification for Northwind, so its first approved deal activates it
  on(250)
  const courseId = cloudBackupAssociate.courseId
  await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'PublishCourse', cloudBackupAssociate, sam)
  const maria: Actor = { userId: demoPeople.maria.userId, organisationId: demoPeople.maria.partnerId, role: 'partner_admin' }
  on(200)
  await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'EnrolInCourse', { courseId, partnerId: maria.organisationId, userId: maria.userId }, maria)
  on(180)
  const last = await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'SubmitAssessment', {
    courseId, partnerId: maria.organisationId, userId: maria.userId, assessmentVersion: 1, answers: demoAnswers(cloudBackupAssociate, cloudBackupAssociate.questions!.length),
  }, maria)
  return last.position
}
