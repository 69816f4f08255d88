// The command handler: decisions against what this process knows of a stream never go through against a stale picture,
// retries are idempotent, and two processes (two store objects over one database) stay correct.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eventIdFor, executeCommand } from '../../app/commands/handler.server.ts'
import { createPortalCodec } from '../../app/codec.server.ts'
import { DealDecider, type DealCommand } from '../../domain/deals/index.ts'
import { IllegalStateError } from '../../domain/shared/errors.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createSqlKeyStore, migrateKeyStore } from '../../eventstore/postgres/key-store.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { freshPGliteDriver } from '../support/pglite.ts'

let driver: SqlDriver
let processA: EventStore
let processB: EventStore

beforeAll(async () => {
  driver = await freshPGliteDriver()
  await migrateKeyStore(driver)
  const codec = createPortalCodec(createSqlKeyStore(driver))
  processA = createPostgresEventStore({ driver, codec })
  processB = createPostgresEventStore({ driver, codec })
})
afterAll(async () => {
  await processA?.close()
  await processB?.close()
  await driver?.close()
})

const now = '2026-05-04T09:00:00.000Z'
const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const sam = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' as const }
const register = (dealId: string, commandId: string): DealCommand => ({
  type: 'RegisterDeal',
  data: { dealId, partnerId: 'northwind', customerName: 'Initech', customerDomain: `${dealId}.example`, value: 1000, currency: 'EUR', expectedCloseDate: '2026-12-31', items: [], customerDomainFacts: { publicSuffix: false } },
  metadata: { commandId, now, actor: maria },
})
const approve = (dealId: string, commandId: string): DealCommand => ({ type: 'ApproveDeal', data: { dealId }, metadata: { commandId, now, actor: sam } })
const withdraw = (dealId: string, commandId: string): DealCommand => ({ type: 'WithdrawDeal', data: { dealId }, metadata: { commandId, now, actor: maria } })

async function types(dealId: string) {
  const out: string[] = []
  for await (const event of processA.readStream(`deal-${dealId}`)) out.push(event.type)
  return out
}

describe('command handler', () => {
  test('a retried command, in this process or another, appends once and reports a replay', async () => {
    const first = await executeCommand(processA, DealDecider, 'deal-d1', register('d1', 'c1'))
    expect(first.replayed).toBe(false)
    expect((await executeCommand(processA, DealDecider, 'deal-d1', register('d1', 'c1'))).replayed).toBe(true)
    expect((await executeCommand(processB, DealDecider, 'deal-d1', register('d1', 'c1'))).replayed).toBe(true)
    expect(await types('d1')).toEqual(['DealRegistered'])
  })

  test('a retry at another time (other event ids) is found by its command id: nothing is appended again', async () => {
    await executeCommand(processA, DealDecider, 'deal-d5', register('d5', 'c-retry'))
    const later = register('d5', 'c-retry')
    later.metadata.now = '2026-05-04T09:05:00.000Z'
    expect(eventIdFor('c-retry', 0, later.metadata.now)).not.toBe(eventIdFor('c-retry', 0, now))
    expect((await executeCommand(processB, DealDecider, 'deal-d5', later)).replayed).toBe(true)
    expect((await executeCommand(processA, DealDecider, 'deal-d5', later)).replayed).toBe(true)
    expect(await types('d5')).toEqual(['DealRegistered'])
  })

  test("event ids are UUIDs version 7 in the order of their commands' times, the same for the same command and time", () => {
    const first = eventIdFor('c-a', 0, '2026-05-04T09:00:00.000Z')
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(first.replaceAll('-', '').slice(0, 12)).toBe(Date.parse('2026-05-04T09:00:00.000Z').toString(16).padStart(12, '0'))
    expect(eventIdFor('c-a', 0, '2026-05-04T09:00:00.000Z')).toBe(first)
    expect(eventIdFor('c-a', 1, '2026-05-04T09:00:00.000Z')).not.toBe(first)
    const times = ['2026-05-04T09:00:00.001Z', '2026-05-04T10:00:00.000Z', '2027-01-01T00:00:00.000Z']
    const later = times.map((at, i) => eventIdFor(`c-${i}`, 0, at))
    expect([first, ...later]).toEqual([first, ...later].sort())
  })

  test('a process whose picture of the stream is stale decides again on the real state', async () => {
    await executeCommand(processA, DealDecider, 'deal-d2', register('d2', 'c2'))
    // another process approves it; process A still remembers it as submitted
    await executeCommand(processB, DealDecider, 'deal-d2', approve('d2', 'c3'))
    await expect(executeCommand(processA, DealDecider, 'deal-d2', withdraw('d2', 'c4'))).rejects.toBeInstanceOf(IllegalStateError)
    expect(await types('d2')).toEqual(['DealRegistered', 'DealApproved'])
  })

  test('concurrent commands on one stream: exactly one approval', async () => {
    await executeCommand(processA, DealDecider, 'deal-d3', register('d3', 'c5'))
    const results = await Promise.allSettled([
      executeCommand(processA, DealDecider, 'deal-d3', approve('d3', 'c6')),
      executeCommand(processB, DealDecider, 'deal-d3', approve('d3', 'c7')),
      executeCommand(processA, DealDecider, 'deal-d3', approve('d3', 'c8')),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await types('d3')).toEqual(['DealRegistered', 'DealApproved'])
  })
})
