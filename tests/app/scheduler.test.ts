// The scheduler with a fake clock: time-based events appear once, whatever the number of runs or runners.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { toActor } from '../../app/commands/index.server.ts'
import { runDueWork } from '../../app/scheduler.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let now = new Date('2026-03-02T09:00:00Z') // a Monday

let opened: TestServices | undefined
beforeAll(async () => {
  // the minimal seed: the demo program leaves registrations waiting that would fall due as this test moves the clock
  opened = await openTestServices('scheduler', { clock: () => now, seed: false })
  services = opened.services
  await seedDemo(services, 'minimal')
  await runDueWork(services) // what is due at start (the quarter's tier allocations), so each test sees only its own
})
afterAll(() => opened?.close())

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const sam = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' as const }

async function eventsOf(streamId: string) {
  const types: string[] = []
  for await (const event of services.store.readStream(streamId)) types.push(event.type)
  return types
}

describe('scheduler', () => {
  test('a review past its SLA is recorded once, even with two runners at the same time', async () => {
    const { dealId } = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: 'Soylent', customerDomain: 'soylent.example', value: 9000, currency: 'EUR', expectedCloseDate: '2026-09-30', items: [],
    })
    expect(await runDueWork(services)).toBe(0) // not due yet: the SLA is 2 business days
    now = new Date('2026-03-04T10:00:00Z') // Wednesday, past Monday + 2 business days
    const [a, b] = await Promise.all([runDueWork(services), runDueWork(services)])
    expect(a + b).toBe(1)
    expect(await runDueWork(services)).toBe(0)
    expect((await eventsOf(`deal-${dealId}`)).filter((t) => t === 'DealReviewSlaBreached')).toHaveLength(1)
    // the late approval is recorded as outside the SLA
    await services.commands.deals.approve({ actor: toActor({ ...sam }) }, dealId)
    const deal = await services.queries.deals.byId(dealId)
    expect(deal?.withinSla).toBe(false)
    expect(deal?.slaBreached).toBe(true)
  })

  test('an approved deal expires once its protection has ended without an outcome', async () => {
    now = new Date('2026-03-09T09:00:00Z')
    const { dealId } = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: 'Tyrell', customerDomain: 'tyrell.example', value: 20000, currency: 'USD', expectedCloseDate: '2026-06-30', items: [],
    })
    await services.commands.deals.approve({ actor: sam }, dealId)
    const protectedUntil = (await services.queries.deals.byId(dealId))!.protectedUntil!
    expect(protectedUntil).toBe('2026-06-07') // 90 days
    now = new Date(`${protectedUntil}T12:00:00Z`)
    await runDueWork(services)
    expect((await services.queries.deals.byId(dealId))!.status).toBe('Approved') // still protected on its last day
    now = new Date('2026-06-08T00:30:00Z') // after downtime the first run catches up
    expect(await runDueWork(services)).toBeGreaterThanOrEqual(1)
    expect((await services.queries.deals.byId(dealId))!.status).toBe('Expired')
    expect(await runDueWork(services)).toBe(0)
    expect((await eventsOf(`deal-${dealId}`)).filter((t) => t === 'DealExpired')).toHaveLength(1)
  })
})

describe('certification lapse', () => {
  test('a certification lapses once when its validity ends', async () => {
    // Northwind's certification (24 months) was earned 180 days before the seed's clock
    const { createEnablementQueries } = await import('../../app/queries/enablement.server.ts')
    const before = await createEnablementQueries(services.sql).trainingOf('northwind')
    const certificate = Object.values(before!.learners['u-maria']!.certificates)[0]!
    expect(certificate.lapsed).toBe(false)
    now = new Date(Date.parse(`${certificate.validUntil}T12:00:00Z`) + 86_400_000)
    expect(await runDueWork(services)).toBeGreaterThanOrEqual(1)
    const after = await createEnablementQueries(services.sql).trainingOf('northwind')
    expect(Object.values(after!.learners['u-maria']!.certificates)[0]!.lapsed).toBe(true)
    const lapses: string[] = []
    for await (const event of services.store.readStream(`course-${certificate.courseId}`)) if (event.type === 'CertificationLapsed' && (event.data as { userId: string }).userId === 'u-maria') lapses.push(event.id)
    expect(lapses).toHaveLength(1)
    await runDueWork(services)
    const again: string[] = []
    for await (const event of services.store.readStream(`course-${certificate.courseId}`)) if (event.type === 'CertificationLapsed' && (event.data as { userId: string }).userId === 'u-maria') again.push(event.id)
    expect(again).toHaveLength(1)
  })
})

describe('program settings in force', () => {
  test('a deal uses the protection period and review SLA in force when its commands were issued', async () => {
    const { SettingsDecider, streamId: settingsStream } = await import('../../domain/settings/index.ts')
    now = new Date('2026-09-07T09:00:00Z') // a Monday
    const vera = { userId: 'u-vera', organisationId: 'vendor', role: 'vendor_admin' as const }
    await services.commands.run(SettingsDecider, settingsStream(), {
      type: 'ChangeProgramSettings',
      data: { effectiveFrom: '2026-09-08T00:00:00.000Z', settings: { dealProtectionDays: 120, reviewSlaBusinessDays: 5 } },
      metadata: services.commands.metadata({ actor: vera }),
    })
    // registered before the change takes effect: the old SLA (2 business days)
    const before = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: 'Cyberdyne', customerDomain: 'cyberdyne.example', value: 5000, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [],
    })
    expect((await services.queries.deals.byId(before.dealId))!.reviewDueAt.slice(0, 10)).toBe('2026-09-09')
    // approved after: the new protection period
    now = new Date('2026-09-08T10:00:00Z')
    await services.commands.deals.approve({ actor: sam }, before.dealId)
    expect((await services.queries.deals.byId(before.dealId))!.protectedUntil).toBe('2027-01-06')
    // registered after: the new SLA (5 business days)
    const after = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: 'Wayne Enterprises', customerDomain: 'wayne.example', value: 5000, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [],
    })
    expect((await services.queries.deals.byId(after.dealId))!.reviewDueAt.slice(0, 10)).toBe('2026-09-15')
  })
})

describe('an approval cut off before it closed the registrations it superseded', () => {
  test('the scheduler closes each rival once, with the approval it lost to and its reason', async () => {
    now = new Date('2026-09-14T09:00:00Z')
    const li = { userId: 'u-li', organisationId: 'contoso', role: 'partner_admin' as const }
    const first = await services.commands.deals.register({ actor: maria }, {
      partnerId: 'northwind', customerName: 'Initech', customerDomain: 'initech.example', value: 8000, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [],
    })
    const rival = await services.commands.deals.register({ actor: li }, {
      partnerId: 'contoso', customerName: 'Initech', customerDomain: 'initech.example', value: 9000, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [],
    })
    // the database goes away after the approval's own write: the rival's stream cannot be written
    const store = services.store
    const append = store.appendToStream
    store.appendToStream = (streamId, events, options) =>
      streamId === `deal-${rival.dealId}` ? Promise.reject(new Error('connection terminated')) : append.call(store, streamId, events, options)
    try {
      await expect(services.commands.deals.approve({ actor: sam }, first.dealId)).rejects.toThrow('connection terminated')
    } finally {
      store.appendToStream = append
    }
    expect((await services.queries.deals.byId(first.dealId))!.status).toBe('Approved')
    expect((await services.queries.deals.byId(rival.dealId))!.status).toBe('Submitted') // two partners hold the customer

    await Promise.all([runDueWork(services), runDueWork(services)])
    await runDueWork(services)
    const closed = await services.queries.deals.byId(rival.dealId)
    expect(closed).toMatchObject({ status: 'Superseded', conflictLost: { byDealId: first.dealId, byPartnerId: 'northwind' } })
    const superseded: { actor: string }[] = []
    for await (const event of services.store.readStream(`deal-${rival.dealId}`)) if (event.type === 'DealSuperseded') superseded.push({ actor: event.metadata.actor })
    expect(superseded).toEqual([{ actor: 'system:scheduler' }])
  })
})
