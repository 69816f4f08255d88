// Demo data for a first start: a vendor with its staff, two partner organisations with a user each, one course.
import type { Actor, Command, Decider, DomainEvent } from '../domain/shared/command.ts'
import { DealDecider, streamId as dealStream, type DealCommand } from '../domain/deals/index.ts'
import { PartnerDecider, streamId as partnerStream, type PartnerCommand } from '../domain/partners/index.ts'
import { StaffDecider, streamId as vendorStream, type StaffCommand } from '../domain/staff/index.ts'
import { CourseDecider, streamId as courseStream, type CourseCommand } from '../domain/training/index.ts'
import { setCredentials } from './auth.server.ts'
import { executeCommand } from './commands/handler.server.ts'
import { hashPassword } from './password.server.ts'
import { seedEnablement } from './seed/enablement.server.ts'
import { seedEngagement } from './seed/engagement.server.ts'
import { seedFunds } from './seed/funds.server.ts'
import type { AppServices } from './services.server.ts'

export const DEMO_PASSWORD = 'partnerlog'
export const VENDOR_ID = 'vendor'

export const demoPeople = {
  sam: { userId: 'u-sam', name: 'Sam Rivera', email: 'sam@vendor.example', role: 'channel_manager' as const },
  vera: { userId: 'u-vera', name: 'Vera Lindqvist', email: 'vera@vendor.example', role: 'vendor_admin' as const },
  alex: { userId: 'u-alex', name: 'Alex Morgan', email: 'alex@vendor.example', role: 'auditor' as const },
  maria: { userId: 'u-maria', name: 'Maria Jensen', email: 'maria@northwind.example', partnerId: 'northwind' },
  li: { userId: 'u-li', name: 'Li Wei', email: 'li@contoso.example', partnerId: 'contoso' },
}

const SETUP: Actor = { userId: 'system:setup', organisationId: VENDOR_ID, role: 'vendor_admin' }

/** 'plogseed': the advisory lock a seeding process holds, so that processes starting together seed one at a time */
export const SEED_LOCK = 0x706c6f6773656564n

/**
 * Seeds an empty store ('minimal': what tests build on; 'demo': the whole program); false when it had data.
 * Seeders take turns under a lock, and a seed command that runs twice is recognised by its command id.
 */
export async function seedDemo(services: AppServices, level: 'demo' | 'minimal' = 'demo'): Promise<boolean> {
  const seed = () => seedEmptyStore(services, level)
  return services.sql.withAdvisoryLock ? services.sql.withAdvisoryLock(SEED_LOCK, seed) : seed()
}

async function seedEmptyStore(services: AppServices, level: 'demo' | 'minimal'): Promise<boolean> {
  for await (const _ of services.store.readAll({ maxCount: 1 })) return false
  const { store, clock } = services
  let n = 0
  // the demo history starts a year ago, so "as of" dates and trends have something to show
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
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'ApplyToProgram', {
      partnerId: p.person.partnerId, company: p.company, websiteDomain: p.websiteDomain, geographies: p.geographies, segments: p.segments,
      partnerType: p.partnerType, applicant: { userId: p.person.userId, name: p.person.name, email: p.person.email },
    }, sam)
    on(start + 55)
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'ApprovePartner', { partnerId: p.person.partnerId }, sam)
    await run<PartnerCommand, DomainEvent, unknown>(PartnerDecider as never, stream, 'AssignChannelManager', { partnerId: p.person.partnerId, managerId: sam.userId }, sam)
  }
  // a certification for Northwind, so its first approved deal activates it
  on(250)
  const courseId = 'cloud-backup-associate'
  await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'PublishCourse', {
    courseId, title: 'Cloud Backup Associate', description: 'Sell and deploy Acme Cloud Backup for mid-market customers.',
    certification: { name: 'Cloud Backup Associate', validityMonths: 24 },
  }, sam)
  const maria: Actor = { userId: demoPeople.maria.userId, organisationId: demoPeople.maria.partnerId, role: 'partner_admin' }
  on(200)
  await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'EnrolInCourse', { courseId, partnerId: maria.organisationId, userId: maria.userId }, maria)
  on(180)
  const last = await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'CompleteCourse', { courseId, partnerId: maria.organisationId, userId: maria.userId, score: 92 }, maria)

  const full = level === 'demo'
  // Contoso's year: certified, then deals registered, reviewed (one late), won and one lost to direct sales
  const li: Actor = { userId: demoPeople.li.userId, organisationId: demoPeople.li.partnerId, role: 'partner_admin' }
  if (full) {
    on(245)
    await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'EnrolInCourse', { courseId, partnerId: li.organisationId, userId: li.userId }, li)
    on(240)
    await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(courseId), 'CompleteCourse', { courseId, partnerId: li.organisationId, userId: li.userId, score: 85 }, li)
    const dayOf = (days: number) => new Date(clock().getTime() - days * 86_400_000).toISOString().slice(0, 10)
    type Outcome = { won: number } | { lostToDirect: number }
    const history = [
      { dealId: 'demo-deal-fabrikam', customer: 'Fabrikam Ltd', domain: 'fabrikam.example', value: 18_000, registered: 230, reviewed: 229, outcome: { won: 190 } as Outcome },
      { dealId: 'demo-deal-litware', customer: 'Litware Inc', domain: 'litware.example', value: 32_000, registered: 170, reviewed: 163, outcome: { won: 120 } as Outcome },
      { dealId: 'demo-deal-adatum', customer: 'Adatum Corporation', domain: 'adatum.example', value: 45_000, registered: 100, reviewed: 99, outcome: { lostToDirect: 80 } as Outcome },
      { dealId: 'demo-deal-proseware', customer: 'Proseware', domain: 'proseware.example', value: 27_500, registered: 60, reviewed: 59, outcome: { won: 20 } as Outcome },
      { dealId: 'demo-deal-tailspin', customer: 'Tailspin Toys', domain: 'tailspin.example', value: 12_000, registered: 10, reviewed: 9, outcome: null as Outcome | null },
    ]
    for (const deal of history) {
      const stream = dealStream(deal.dealId)
      on(deal.registered)
      await run<DealCommand, DomainEvent, unknown>(DealDecider as never, stream, 'RegisterDeal', {
        dealId: deal.dealId, partnerId: li.organisationId, customerName: deal.customer, customerDomain: deal.domain, value: deal.value,
        currency: 'EUR', expectedCloseDate: dayOf(deal.registered - 60), items: [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 25 }],
        customerDomainFacts: { publicSuffix: false },
      }, li)
      on(deal.reviewed)
      await run<DealCommand, DomainEvent, unknown>(DealDecider as never, stream, 'ApproveDeal', { dealId: deal.dealId }, sam)
      if (deal.outcome && 'won' in deal.outcome) {
        on(deal.outcome.won)
        await run<DealCommand, DomainEvent, unknown>(DealDecider as never, stream, 'MarkDealWon', { dealId: deal.dealId }, li)
      } else if (deal.outcome) {
        on(deal.outcome.lostToDirect)
        await run<DealCommand, DomainEvent, unknown>(DealDecider as never, stream, 'MarkDealLost', { dealId: deal.dealId, reason: 'The customer bought directly from the vendor', lostToDirect: true }, li)
      }
    }

    on(150)
    await seedEnablement(services, run)
  }
  on(0)
  if (last.position) await services.runner.waitFor(last.position, 10_000)
  if (full) {
    await seedFunds(services)
    await seedEngagement(services)
  }
  const hash = await hashPassword(DEMO_PASSWORD)
  for (const person of Object.values(demoPeople)) await setCredentials(services.sql, person.userId, person.email, hash)
  return true
}
