// Quarterly allocations from the tier rules, made by the scheduler: once per partner and quarter however often (or in how
// many runs at once) it runs, pro rata for a partner that joins during a quarter, a tier change from the next quarter;
// and the vendor's change with a reason, shown in the ledger.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { executeCommand } from '../../app/commands/handler.server.ts'
import { runDueWork } from '../../app/scheduler.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { fundsQueries } from '../../app/queries/funds.server.ts'
import { PartnerDecider, streamId as partnerStream } from '../../domain/partners/index.ts'
import type { Actor } from '../../domain/shared/command.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let now = new Date('2026-03-15T09:00:00Z')
let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('tier-allocations', { clock: () => now, seed: false })
  services = opened.services
})
afterAll(() => opened?.close())

const sam: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
let n = 0
async function partnerCommand(partnerId: string, type: string, data: Record<string, unknown>, at: string) {
  const result = await executeCommand(services.store, PartnerDecider as never, partnerStream(partnerId), { type, data: { partnerId, ...data }, metadata: { commandId: `t-${++n}`, now: at, actor: sam } } as never)
  if (result.position) await services.runner.waitFor(result.position, 5000)
}
async function joined(partnerId: string, tier: string, at: string) {
  await partnerCommand(partnerId, 'ApplyToProgram', {
    company: `Company ${partnerId}`, websiteDomain: `${partnerId}.example`, geographies: ['DE'], segments: [], partnerType: 'var',
    applicant: { userId: `u-${partnerId}`, name: 'A. Person', email: `a@${partnerId}.example` },
  }, at)
  await partnerCommand(partnerId, 'ApprovePartner', { tier }, at)
}
async function tierEvents(partnerId: string, quarter: string) {
  const found: { type: string; data: Record<string, unknown> }[] = []
  try {
    for await (const event of services.store.readStream(`allocation-${partnerId}-${quarter}`)) found.push({ type: event.type, data: event.data as Record<string, unknown> })
  } catch {
    return []
  }
  return found
}

describe('tier allocations by the scheduler', () => {
  test('every approved partner gets this quarter’s allocation once, however many runs at the same time', async () => {
    await joined('acme', 'gold', '2025-11-10T10:00:00Z')
    await joined('globex', 'silver', '2026-03-15T08:00:00Z') // joins during Q1: 17 of its 90 days are left
    const [a, b] = await Promise.all([runDueWork(services), runDueWork(services)])
    expect(a + b).toBe(2)
    expect(await runDueWork(services)).toBe(0)
    expect(await tierEvents('acme', '2026-Q1')).toEqual([{ type: 'FundsAllocatedByTier', data: expect.objectContaining({ tier: 'gold', amount: 25_000, rule: 'full_quarter' }) }])
    expect(await tierEvents('globex', '2026-Q1')).toEqual([{ type: 'FundsAllocatedByTier', data: expect.objectContaining({ tier: 'silver', amount: 1_889, rule: 'pro_rata_from_joining', daysCovered: 17, daysInQuarter: 90 }) }])
    const ledger = await fundsQueries(services.sql).ledger('globex', '2026-Q1')
    expect(ledger).toMatchObject({ allocated: 1_889, available: 1_889 })
    expect(ledger!.movements[0]).toMatchObject({ type: 'FundsAllocatedByTier', actor: 'system:scheduler', note: 'Silver tier: EUR 10,000 a quarter, pro rata for 17 of 90 days from joining on 2026-03-15' })
  })

  test('when a quarter starts, each partner gets the new quarter from the tier it holds then; a later change counts from the next quarter', async () => {
    now = new Date('2026-04-01T00:05:00Z')
    expect(await runDueWork(services)).toBeGreaterThanOrEqual(2) // two allocations, and Q1's two expiries
    expect((await tierEvents('globex', '2026-Q2'))[0]).toMatchObject({ data: { tier: 'silver', amount: 10_000, rule: 'full_quarter' } })
    now = new Date('2026-04-20T10:00:00Z')
    await partnerCommand('acme', 'ChangeTier', { tier: 'platinum', reason: 'Fifteen won deals' }, now.toISOString())
    expect(await runDueWork(services)).toBe(0)
    expect((await tierEvents('acme', '2026-Q2')).map((e) => e.data.amount)).toEqual([25_000])
    now = new Date('2026-07-01T06:00:00Z')
    await runDueWork(services)
    expect((await tierEvents('acme', '2026-Q3'))[0]).toMatchObject({ data: { tier: 'platinum', amount: 50_000 } })
  })

  test('the vendor changes an allocation with a reason; the ledger shows it with who changed it', async () => {
    await services.commands.funds.adjust({ actor: sam, commandId: 'adjust-1' }, { partnerId: 'globex', quarter: '2026-Q3', amount: 12_500, reason: 'Extra budget for the autumn launch' })
    const ledger = await fundsQueries(services.sql).ledger('globex', '2026-Q3')
    expect(ledger).toMatchObject({ allocated: 12_500, available: 12_500 })
    expect(ledger!.movements.at(-1)).toMatchObject({
      type: 'AllocationAdjusted', actor: 'u-sam', amount: 2_500, availableChange: 2_500, note: 'EUR 10,000 → EUR 12,500: Extra budget for the autumn launch',
    })
    await expect(services.commands.funds.adjust({ actor: sam }, { partnerId: 'globex', quarter: '2026-Q3', amount: 9_000, reason: '' })).rejects.toThrow(ValidationError)
    // the scheduler leaves a changed allocation as it is
    expect(await runDueWork(services)).toBe(0)
    expect((await fundsQueries(services.sql).ledger('globex', '2026-Q3'))!.allocated).toBe(12_500)
  })
})
