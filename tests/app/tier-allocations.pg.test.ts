// Two portal processes' schedulers on one PostgreSQL database at the same moment: one tier allocation per partner.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { executeCommand } from '../../app/commands/handler.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { runDueWork } from '../../app/scheduler.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { PartnerDecider, streamId as partnerStream } from '../../domain/partners/index.ts'
import type { Actor } from '../../domain/shared/command.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const SUITE = 'tier allocations by two processes on PostgreSQL'
const baseUrl = postgresOrSkip(SUITE)
const now = new Date('2026-04-01T00:03:00Z')
const sam: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
let database: TestDatabase | undefined
const opened: { services: AppServices; dir: string }[] = []

afterAll(async () => {
  for (const { services, dir } of opened) {
    await services.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  await database?.drop()
})

async function open(url: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-tier-pg-'))
  const services = await openServices({ env: parseEnv({ DATA_DIR: dir, DATABASE_URL: url, SEED: 'none' }), log: () => {}, clock: () => now })
  opened.push({ services, dir })
  return services
}

describe.runIf(baseUrl)(SUITE, () => {
  test('two schedulers running at once append one FundsAllocatedByTier per partner', async () => {
    database = await createTestDatabase(baseUrl!, 'tiers')
    const a = await open(database.url)
    const b = await open(database.url)
    let n = 0
    for (const [partnerId, tier] of [['p-one', 'gold'], ['p-two', 'silver'], ['p-three', 'registered']] as const) {
      const run = (type: string, data: Record<string, unknown>) =>
        executeCommand(a.store, PartnerDecider as never, partnerStream(partnerId), { type, data: { partnerId, ...data }, metadata: { commandId: `c-${++n}`, now: '2026-02-01T10:00:00Z', actor: sam } } as never)
      await run('ApplyToProgram', { company: partnerId, websiteDomain: `${partnerId}.example`, geographies: ['DE'], segments: [], partnerType: 'var', applicant: { userId: `u-${partnerId}`, name: 'A. Person', email: `a@${partnerId}.example` } })
      const approved = await run('ApprovePartner', { tier })
      await a.runner.waitFor(approved.position!, 10_000)
    }
    // the second process reads the read models the first one's runner writes
    await expect.poll(async () => (await import('../../app/queries/funds.server.ts')).fundsQueries(b.sql).partnersInProgram('2026-Q2').then((p) => p.length), { timeout: 15_000 }).toBe(3)
    const counts = await Promise.all([runDueWork(a), runDueWork(b), runDueWork(a), runDueWork(b)])
    expect(counts.reduce((x, y) => x + y, 0)).toBe(3)
    const rows = await database.query<{ stream_id: string; n: number }>(`select stream_id, count(*)::int as n from events where type = 'FundsAllocatedByTier' group by stream_id order by stream_id`)
    expect(rows).toEqual([
      { stream_id: 'allocation-p-one-2026-Q2', n: 1 }, { stream_id: 'allocation-p-three-2026-Q2', n: 1 }, { stream_id: 'allocation-p-two-2026-Q2', n: 1 },
    ])
  }, 120_000)
})
