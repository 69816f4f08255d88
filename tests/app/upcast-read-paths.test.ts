// A store written before DealRegistered became version 2 (items) holds version-1 events (products). Every read path
// yields version 2 through the portal's codec; the stored row is never rewritten, and the hash chain, computed over
// the stored bytes, still verifies.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { concernsPartner, exportLine, stateAsOf } from '../../app/audit.server.ts'
import { signedExportLines, verifySignedExport } from '../../app/signed-export.server.ts'
import { DealRegisteredDataV1 } from '../../domain/deals/index.ts'
import { eventSchemas } from '../../domain/index.ts'
import { createZodCodec } from '../../eventstore/codec.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { verifyLog } from '../../eventstore/verify-log.ts'
import { dealsProjection, type DealDoc } from '../../projections/deals.ts'
import { verifyProjection } from '../../projections/time-travel.ts'
import { doc } from '../../app/queries/read-models.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

const partnerId = 'northwind'
const dealId = randomUUID()
const eventId = randomUUID()
const stream = `deal-${dealId}`
const v1Data = {
  dealId, partnerId, customerName: 'Initech', customerDomain: 'initech.example', value: 12_000, currency: 'EUR',
  expectedCloseDate: '2026-09-30', products: ['Cloud Backup', 'Edge Firewall'], conflict: null,
  reviewDueAt: '2026-03-04T09:00:00.000Z', protectionDays: 90,
}
const v1Metadata = {
  actor: 'user-li', tenant: partnerId, occurredAt: '2026-03-02T09:00:00.000Z', correlationId: eventId, causationId: eventId, schemaVersion: 1,
}
const upcastItems = [{ sku: null, name: 'Cloud Backup', quantity: 1 }, { sku: null, name: 'Edge Firewall', quantity: 1 }]

let t: TestServices
let storedBefore: { data: unknown; metadata: unknown }

const storedRow = async () =>
  (await t.services.sql.query<{ data: unknown; metadata: unknown }>('select data, metadata from events where event_id = $1', [eventId])).rows[0]!

const expectVersion2 = (event: RecordedEvent | undefined) => {
  expect(event?.metadata.schemaVersion).toBe(2)
  expect(event?.data).toMatchObject({ dealId, items: upcastItems })
  expect(event?.data).not.toHaveProperty('products')
}

beforeAll(async () => {
  t = await openTestServices('upcast', { seed: false })
  // the store as it was before this change: DealRegistered's schema was version 1 (products), written as version 1
  const before = createPostgresEventStore({ driver: t.services.sql, codec: createZodCodec({ ...eventSchemas, DealRegistered: DealRegisteredDataV1 }) })
  const { position } = await before.appendToStream(stream, [{ id: eventId, type: 'DealRegistered', data: v1Data, metadata: v1Metadata }], { expectedRevision: 'no_stream' })
  await t.services.runner.waitFor(position, 10_000)
  storedBefore = await storedRow()
}, 120_000)

afterAll(async () => {
  await t?.close()
})

describe('a stored version-1 DealRegistered', () => {
  it('is stored as version 1 with products', () => {
    expect(storedBefore).toEqual({ data: v1Data, metadata: v1Metadata })
  })

  it('readStream yields version 2: each product an item, quantity 1, no SKU', async () => {
    const events: RecordedEvent[] = []
    for await (const event of t.services.store.readStream(stream)) events.push(event)
    expect(events).toHaveLength(1)
    expectVersion2(events[0])
  })

  it('readAll yields version 2', async () => {
    const events: RecordedEvent[] = []
    for await (const event of t.services.store.readAll()) if (event.id === eventId) events.push(event)
    expectVersion2(events[0])
  })

  it('subscribeToAll yields version 2, and the projection runner folded it: the deal read model lists the items', async () => {
    const subscription = t.services.store.subscribeToAll({ filter: { streamPrefixes: [stream] } })
    let first: RecordedEvent | undefined
    for await (const event of subscription) {
      first = event
      break
    }
    await subscription.unsubscribe()
    expectVersion2(first)
    const deal = await doc(t.services.sql, 'deals', dealId)
    expect(deal?.items).toEqual(upcastItems)
  })

  it("time travel (the auditor's as-of view, both clocks) folds version 2", async () => {
    for (const clock of ['occurred', 'recorded'] as const) {
      const state = await stateAsOf(t.services, { date: '2099-12-31', clock }, [dealsProjection])
      expect((state.get('deals')?.get(dealId) as DealDoc | undefined)?.items, clock).toEqual(upcastItems)
    }
  })

  it('the signed export writes the event as read (version 2), and verifies with the public key', async () => {
    const events = (async function* () {
      for await (const event of t.services.store.readAll()) if (concernsPartner(event, partnerId)) yield exportLine(event, 'jsonl')
    })()
    let text = ''
    for await (const line of signedExportLines(t.services.signingKey, { partnerId, exportedAt: '2026-12-07T10:00:00.000Z' }, events)) text += line
    const exported = text.trim().split('\n').slice(1, -1).map((line) => JSON.parse(line).event)
    const deal = exported.find((e) => e.eventId === eventId || e.id === eventId)
    expect(deal).toBeDefined()
    expect(JSON.stringify(deal)).toContain('"items"')
    expect(JSON.stringify(deal)).not.toContain('"products"')
    expect(verifySignedExport(text).ok).toBe(true)
  })

  it('verify: the hash chain over the stored version-1 bytes holds, and the deals read model rebuilt through the codec matches', async () => {
    const log = await verifyLog(t.services.store.chain!)
    expect(log.firstBroken).toBeNull()
    expect(log.eventsVerified).toBeGreaterThanOrEqual(1)
    const report = await verifyProjection(t.services.store, t.services.sql, dealsProjection)
    expect(report.differences).toEqual([])
    expect(report.documentsCompared).toBeGreaterThanOrEqual(1)
  })

  it('the chain really covers the stored bytes: the same row rewritten as version 2 breaks it', async () => {
    const copy = await openTestServices('upcast-tamper', { seed: false })
    try {
      const before = createPostgresEventStore({ driver: copy.services.sql, codec: createZodCodec({ ...eventSchemas, DealRegistered: DealRegisteredDataV1 }) })
      const id = randomUUID()
      await before.appendToStream(stream, [{ id, type: 'DealRegistered', data: v1Data, metadata: { ...v1Metadata, correlationId: id, causationId: id } }])
      expect((await verifyLog(copy.services.store.chain!)).firstBroken).toBeNull()
      // what an upcaster must never do: rewrite the stored event into its new shape
      const { products: _, ...rest } = v1Data
      await copy.services.sql.query(
        `update events set data = $2::jsonb, metadata = jsonb_set(metadata::jsonb, '{schemaVersion}', '2') where event_id = $1`,
        [id, JSON.stringify({ ...rest, items: upcastItems })],
      )
      expect((await verifyLog(copy.services.store.chain!)).firstBroken).toMatchObject({ eventId: id, problem: 'edited' })
    } finally {
      await copy.close()
    }
  }, 120_000)

  it('after every read the stored row is unchanged: version 1, products', async () => {
    expect(await storedRow()).toEqual(storedBefore)
  })

  it('a new registration is written as version 2', async () => {
    const { dealId: newDeal } = await t.services.commands.deals.register(
      { actor: { userId: 'user-li', organisationId: partnerId, role: 'partner_admin' }, commandId: randomUUID() } as never,
      { partnerId, customerName: 'Globex', customerDomain: 'globex.example', value: 5000, currency: 'EUR', expectedCloseDate: '2099-12-31', items: [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 3 }] },
    )
    const row = (await t.services.sql.query<{ data: { items: unknown }; metadata: { schemaVersion: number } }>('select data, metadata from events where stream_id = $1', [`deal-${newDeal}`])).rows[0]!
    expect(row.metadata.schemaVersion).toBe(2)
    expect(row.data.items).toEqual([{ sku: 'CB-500', name: 'Cloud Backup', quantity: 3 }])
  })
})
