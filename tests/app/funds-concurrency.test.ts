// The co-investment invariant under concurrency, through the funds command layer on PGlite and (when reachable) PostgreSQL:
// 50 partners' requests race for one allocation; what is reserved never exceeds it, and every refusal names what is available.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { allocationEventSchemas, AllocationDecider, available, streamId as allocationStream, type Allocation } from '../../domain/allocations/index.ts'
import { coInvestmentEventSchemas, CoInvestmentDecider, streamId as coinvestStream, type CoInvestment } from '../../domain/coinvestment/index.ts'
import type { Actor } from '../../domain/shared/command.ts'
import { DomainError } from '../../domain/shared/errors.ts'
import { createZodCodec } from '../../eventstore/codec.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { fundsProjections, type LedgerDoc } from '../../projections/funds.ts'
import { createProjectionRunner, migrateProjections, type ProjectionRunner } from '../../projections/runner.ts'
import { createFundsCommands, dueFundsWork, ORPHAN_GRACE_MS, type FundsServices } from '../../app/commands/funds.server.ts'
import { loadStream } from '../../app/commands/handler.server.ts'
import { createFileStore } from '../../app/files.server.ts'
import { fundsQueries } from '../../app/queries/funds.server.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl, type IsolatedSchema } from '../support/pglite.ts'

const codec = createZodCodec({ ...allocationEventSchemas, ...coInvestmentEventSchemas })
const vendor: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
const partner = (id: string): Actor => ({ userId: `u-${id}`, organisationId: id, role: 'partner_admin' })
const QUARTER = '2026-Q4'
const ALLOCATED = 10_000

type Harness = FundsServices & { setNow(iso: string): void; failNextAppendTo(prefix: string): void; close(): Promise<void> }

async function harness(driver: SqlDriver): Promise<Harness> {
  await migrate(driver)
  const inner = createPostgresEventStore({ driver, codec })
  let failPrefix: string | null = null
  // a store that can fail one append, to stand for a crash between the two streams
  const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
    appendToStream: (...args: Parameters<EventStore['appendToStream']>) => {
      if (failPrefix && args[0].startsWith(failPrefix)) {
        failPrefix = null
        return Promise.reject(new Error('connection lost'))
      }
      return inner.appendToStream(...args)
    },
  })
  await migrateProjections(driver, fundsProjections)
  const runner: ProjectionRunner = createProjectionRunner({ store: inner, driver, projections: fundsProjections })
  await runner.start()
  let now = '2026-11-10T09:00:00.000Z'
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'funds-files-'))
  return {
    store, sql: driver, runner, files: createFileStore(filesDir), clock: () => new Date(now),
    setNow: (iso) => { now = iso },
    failNextAppendTo: (prefix) => { failPrefix = prefix },
    async close() {
      await runner.stop()
      await inner.close()
      await driver.close()
      fs.rmSync(filesDir, { recursive: true, force: true })
    },
  }
}

const proposal = (amount: number) => ({
  kind: 'mdf' as const, activity: `Campaign ${amount}`, totalCost: amount * 2, partnerInvestment: amount, amountRequested: amount, currency: 'EUR', expectedPipeline: amount * 10,
})
const AVAILABLE_IN_MESSAGE = /Only ([\d,.]+) EUR of (?:your|the) 2026-Q4 allocation is available/

function suite(name: string, open: () => Promise<Harness>) {
  describe(`co-investment invariant (${name})`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await open()
    })
    afterAll(async () => {
      await h?.close()
    })

    test('50 concurrent requests and approvals against one allocation never reserve more than it holds', async () => {
      await createFundsCommands(h).allocate({ actor: vendor }, { partnerId: 'p-1', quarter: QUARTER, amount: ALLOCATED, currency: 'EUR' })
      const flows = Array.from({ length: 50 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, amount: 300 + (i % 9) * 50 }))
      const outcomes = await Promise.all(
        flows.map(async ({ id, amount }) => {
          try {
            await createFundsCommands(h).request({ actor: partner('p-1') }, { coInvestmentId: id, partnerId: 'p-1', quarter: QUARTER, ...proposal(amount) })
            await createFundsCommands(h).approve({ actor: vendor }, { coInvestmentId: id, approvedAmount: amount, maxReimbursementPct: 50, claimDeadline: '2026-12-31' })
            return { id, amount, ok: true as const }
          } catch (error) {
            return { id, amount, ok: false as const, error }
          }
        }),
      )
      const approved = outcomes.filter((o) => o.ok)
      const refused = outcomes.filter((o) => !o.ok)
      expect(approved.length).toBeGreaterThan(10)
      expect(refused.length).toBeGreaterThan(0)
      for (const refusal of refused) {
        expect(refusal.error).toBeInstanceOf(DomainError)
        const match = String((refusal.error as Error).message).match(AVAILABLE_IN_MESSAGE)
        expect(match, (refusal.error as Error).message).not.toBeNull()
        expect(Number(match![1]!.replaceAll(',', ''))).toBeLessThan(refusal.amount)
      }

      const alloc = await loadStream<Allocation, never>(h.store, allocationStream('p-1', QUARTER), AllocationDecider as never)
      if (alloc.state.status === 'Initial') throw new Error('no allocation')
      const reserved = Object.values(alloc.state.commitments).reduce((sum, c) => sum + c.amount, 0)
      expect(reserved).toBeLessThanOrEqual(ALLOCATED)
      expect(available(alloc.state)).toBeGreaterThanOrEqual(0)
      // every reservation belongs to an approval and every approval has its reservation: nothing lost, nothing twice
      expect(reserved).toBe(approved.reduce((sum, o) => sum + o.amount, 0))
      for (const o of outcomes) {
        const ci = await loadStream<CoInvestment, never>(h.store, coinvestStream(o.id), CoInvestmentDecider as never)
        expect(ci.state.status === 'Approved').toBe(o.ok)
        expect(alloc.state.commitments[o.id]?.amount ?? 0).toBe(o.ok ? o.amount : 0)
      }
      // the ledger read model agrees with the stream
      const ledger = (await fundsQueries(h.sql).ledger('p-1', QUARTER)) as LedgerDoc
      expect(ledger.approved).toBe(reserved)
      expect(ledger.available).toBe(ALLOCATED - reserved)
      expect(ledger.movements.filter((m) => m.type === 'FundsReserved')).toHaveLength(approved.length)
    })

    test('a retried approval reserves once; a crash between the streams is completed by the retry', async () => {
      await createFundsCommands(h).allocate({ actor: vendor }, { partnerId: 'p-2', quarter: QUARTER, amount: 5_000, currency: 'EUR' })
      const id = 'aaaaaaaa-0000-4000-8000-000000000001'
      await createFundsCommands(h).request({ actor: partner('p-2') }, { coInvestmentId: id, partnerId: 'p-2', quarter: QUARTER, ...proposal(2_000) })
      const approval = { coInvestmentId: id, approvedAmount: 1_500, maxReimbursementPct: 50, claimDeadline: '2026-12-31' }
      h.failNextAppendTo('coinvest-')
      await expect(createFundsCommands(h).approve({ actor: vendor, commandId: 'approve-1' }, approval)).rejects.toThrow('connection lost')
      let alloc = await loadStream<Allocation, never>(h.store, allocationStream('p-2', QUARTER), AllocationDecider as never)
      expect(alloc.state.status !== 'Initial' && alloc.state.commitments[id]?.amount).toBe(1_500)
      await createFundsCommands(h).approve({ actor: vendor, commandId: 'approve-1' }, approval)
      const again = await createFundsCommands(h).approve({ actor: vendor, commandId: 'approve-1' }, approval)
      expect(again.replayed).toBe(true)
      alloc = await loadStream<Allocation, never>(h.store, allocationStream('p-2', QUARTER), AllocationDecider as never)
      expect(alloc.events.filter((e) => e.type === 'FundsReserved')).toHaveLength(1)
      expect(available(alloc.state)).toBe(3_500)
    })

    test('a reservation whose approval never came is released by dueFundsWork after the grace period', async () => {
      const id = 'aaaaaaaa-0000-4000-8000-000000000002'
      await createFundsCommands(h).request({ actor: partner('p-2') }, { coInvestmentId: id, partnerId: 'p-2', quarter: QUARTER, ...proposal(1_000) })
      h.failNextAppendTo('coinvest-')
      await expect(createFundsCommands(h).approve({ actor: vendor }, { coInvestmentId: id, approvedAmount: 1_000, maxReimbursementPct: 50, claimDeadline: '2026-12-31' })).rejects.toThrow()
      const before = await loadStream<Allocation, never>(h.store, allocationStream('p-2', QUARTER), AllocationDecider as never)
      expect(available(before.state)).toBe(2_500)
      // the scheduler works from the read model: let it see the reservation
      for (let i = 0; i < 100 && !((await fundsQueries(h.sql).request(id))?.committed); i++) await new Promise((r) => setTimeout(r, 20))
      expect(await dueFundsWork(h)).toBe(0) // still within the grace period: the approval may be in flight
      h.setNow(new Date(Date.parse('2026-11-10T09:00:00.000Z') + ORPHAN_GRACE_MS + 60_000).toISOString())
      expect(await dueFundsWork(h)).toBe(1)
      expect(await dueFundsWork(h)).toBe(0)
      const after = await loadStream<Allocation, never>(h.store, allocationStream('p-2', QUARTER), AllocationDecider as never)
      expect(available(after.state)).toBe(3_500)
    })

    test('an approval nobody claims closes after its deadline, its money goes back, then the quarter lapses', async () => {
      const id = 'aaaaaaaa-0000-4000-8000-000000000003'
      await createFundsCommands(h).allocate({ actor: vendor, commandId: 'alloc-p-3' }, { partnerId: 'p-3', quarter: QUARTER, amount: 2_000, currency: 'EUR' })
      await createFundsCommands(h).request({ actor: partner('p-3') }, { coInvestmentId: id, partnerId: 'p-3', quarter: QUARTER, ...proposal(1_500) })
      await createFundsCommands(h).approve({ actor: vendor }, { coInvestmentId: id, approvedAmount: 1_500, maxReimbursementPct: 50, claimDeadline: '2026-12-31' })
      for (let i = 0; i < 100 && (await fundsQueries(h.sql).request(id))?.status !== 'Approved'; i++) await new Promise((r) => setTimeout(r, 20))
      h.setNow('2026-12-31T18:00:00.000Z') // the deadline's own day: nothing is due for this request
      await dueFundsWork(h)
      expect((await loadStream<CoInvestment, never>(h.store, coinvestStream(id), CoInvestmentDecider as never)).state.status).toBe('Approved')
      h.setNow('2027-01-01T09:00:00.000Z')
      // the window closes, the money held for it is released in the same run, and then every 2026-Q4 allocation lapses
      expect(await dueFundsWork(h)).toBeGreaterThanOrEqual(3)
      expect((await loadStream<CoInvestment, never>(h.store, coinvestStream(id), CoInvestmentDecider as never)).state.status).toBe('ClaimWindowClosed')
      const types: string[] = []
      for await (const event of h.store.readStream(allocationStream('p-3', QUARTER))) types.push(event.type)
      expect(types).toEqual(['FundsAllocated', 'FundsReserved', 'FundsReleased', 'AllocationExpired'])
      const expired = await loadStream<Allocation, never>(h.store, allocationStream('p-3', QUARTER), AllocationDecider as never)
      expect(expired.state.status).toBe('Expired')
      // the read models catch up; a later run finds nothing due (the work list is what is due, not every request)
      for (let i = 0; i < 100 && (await fundsQueries(h.sql).ledgersToExpire('2027-Q1')).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await fundsQueries(h.sql).ledgersToExpire('2027-Q1')).toEqual([])
      expect(await fundsQueries(h.sql).claimDeadlinesPassed('2027-01-01')).toEqual([])
      expect(await dueFundsWork(h)).toBe(0)
    })
  })
}

suite('PGlite', async () => harness(await freshPGliteDriver()))

// skipped without a PostgreSQL server to run against: TEST_DATABASE_URL names it (.ci/run sets it)
const url = testDatabaseUrl()
describe.skipIf(!url)('PostgreSQL server', () => {
  let schema: IsolatedSchema
  beforeAll(async () => {
    schema = await isolatedPostgresSchema(url!, 'funds')
  })
  afterAll(async () => {
    await schema?.drop()
  })
  suite('PostgreSQL', async () => harness(await createPgDriver(schema.url, { max: 20 })))
})
