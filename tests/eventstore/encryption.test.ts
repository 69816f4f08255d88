// Personal fields encrypted per subject (eventstore/encryption.ts) through real stores: stored rows hold ciphertext only,
// every read path decodes, an erased key yields placeholders (also in a second process), clear legacy rows still read,
// and altered ciphertext fails naming the field. PGlite always, PostgreSQL when TEST_DATABASE_URL is set, memory too.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { erasureEvent, eventSchemas, personalData, placeholder, type PersonalField } from '../../domain/index.ts'
import { createZodCodec } from '../../eventstore/codec.ts'
import { createEncryptingCodec, createMemoryKeyStore, type KeyStore } from '../../eventstore/encryption.ts'
import { InvalidEvent } from '../../eventstore/errors.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createSqlKeyStore, migrateKeyStore } from '../../eventstore/postgres/key-store.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventCodec, EventStore, NewEvent, RecordedEvent } from '../../eventstore/types.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl } from '../support/pglite.ts'

const zod = () => createZodCodec(eventSchemas)
const portalCodec = (keys: KeyStore, options: { now?: () => number } = {}) =>
  createEncryptingCodec<ReturnType<typeof zod>, PersonalField>(zod(), { keys, personalData, placeholder, erasure: erasureEvent, ...options })

const metadata = () => ({
  actor: 'u-vera', tenant: 'vendor', occurredAt: '2026-05-04T09:00:00.000Z', correlationId: 'c-1', causationId: 'c-1', schemaVersion: 1,
})
const applied = (partnerId: string, person: { userId: string; name: string; email: string }): NewEvent => ({
  id: randomUUID(),
  type: 'PartnerApplied',
  data: { partnerId, company: `${partnerId} Ltd`, websiteDomain: `${partnerId}.example`, geographies: ['DE'], segments: ['smb'], partnerType: 'var', applicant: person },
  metadata: metadata(),
})
const requested = (workshopId: string, partnerId: string, attendees: string[]): NewEvent => ({
  id: randomUUID(), type: 'WorkshopRequested', data: { workshopId, partnerId, kind: 'strategy', goal: 'Grow together', attendees }, metadata: metadata(),
})
const personErased = (subject: string, partnerId: string | null): NewEvent => ({
  id: randomUUID(), type: 'PersonErased', data: { subject, partnerId, eventIds: [] }, metadata: metadata(),
})

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}
async function firstOf(store: EventStore, count: number, filter: { streamPrefixes: string[] }): Promise<RecordedEvent[]> {
  const subscription = store.subscribeToAll({ filter })
  const out: RecordedEvent[] = []
  for await (const event of subscription) {
    out.push(event)
    if (out.length === count) break
  }
  await subscription.unsubscribe()
  return out
}
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

type Harness = {
  /** a store as one process opens it: its own codec (and key cache) over the shared events and keys */
  open(codec?: EventCodec): EventStore
  keys: KeyStore
  /** the stored data of an event as the database holds it, when there is a database */
  raw?(eventId: string): Promise<string>
  tamper?(eventId: string, path: string[], value: string): Promise<void>
  close(): Promise<void>
}

function suite(name: string, create: () => Promise<Harness>, skip?: string) {
  describe.skipIf(!!skip)(`personal data encryption (${name})`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await create()
    })
    afterAll(async () => {
      await h?.close()
    })
    const ann = () => ({ userId: `u-ann-${randomUUID().slice(0, 8)}`, name: 'Ann Lee', email: `ann.${randomUUID().slice(0, 8)}@acme.example` })

    it('stores personal fields as ciphertext and decodes them on every read path', async () => {
      const store = h.open()
      const person = ann()
      const partnerId = `p-${randomUUID()}`
      const event = applied(partnerId, person)
      await store.appendToStream(`partner-${partnerId}`, [event])
      if (h.raw) {
        const stored = await h.raw(event.id)
        expect(stored).not.toContain(person.email)
        expect(stored).not.toContain('Ann Lee')
        expect(stored).toContain(`enc:v1:user-${person.userId}:`)
        expect(stored).toContain(`${partnerId} Ltd`) // the rest stays in clear
      }
      const [fromStream] = await collect(store.readStream(`partner-${partnerId}`))
      expect(fromStream!.data).toMatchObject({ applicant: person, company: `${partnerId} Ltd` })
      // readAll shows a commit once no older transaction is open in the database (other test files run beside us)
      let fromAll: RecordedEvent | undefined
      for (let attempt = 0; !fromAll && attempt < 100; attempt++) {
        fromAll = (await collect(store.readAll())).find((e) => e.id === event.id)
        if (!fromAll) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(fromAll!.data).toMatchObject({ applicant: person })
      const [live] = await firstOf(store, 1, { streamPrefixes: [`partner-${partnerId}`] })
      expect(live!.data).toMatchObject({ applicant: person })
      // another process (its own codec, nothing cached) reads them with the keys from the key store
      const [elsewhere] = await collect(h.open().readStream(`partner-${partnerId}`))
      expect(elsewhere!.data).toMatchObject({ applicant: person })
    })

    it('encrypts each attendee of a list', async () => {
      const store = h.open()
      const workshopId = `w-${randomUUID()}`
      const event = requested(workshopId, 'p-1', ['Maria Jensen', 'Jonas Weber'])
      await store.appendToStream(`workshop-${workshopId}`, [event])
      if (h.raw) expect(await h.raw(event.id)).not.toMatch(/Maria|Jonas/)
      const [read] = await collect(h.open().readStream(`workshop-${workshopId}`))
      expect(read!.data).toMatchObject({ attendees: ['Maria Jensen', 'Jonas Weber'] })
    })

    it('refuses a NUL in an attendee (an encrypted field) before encryption, naming the event and the field; nothing is stored', async () => {
      const store = h.open()
      const workshopId = `w-${randomUUID()}`
      const error = await failure(store.appendToStream(`workshop-${workshopId}`, [requested(workshopId, 'p-1', ['Ann Lee', 'Maria\u0000Jensen'])]))
      expect(error).toBeInstanceOf(InvalidEvent)
      expect((error as InvalidEvent).message).toBe('Invalid WorkshopRequested: data.attendees[1]: contains a control character (U+0000)')
      expect(await failure(collect(store.readStream(`workshop-${workshopId}`)))).toMatchObject({ name: 'StreamNotFound' })
    })

    it.skipIf(name === 'memory')('an erased key reads as placeholders, in this process and in others; other people are unaffected', async () => {
      const a = h.open()
      const b = h.open()
      const erasedPerson = ann()
      const kept = ann()
      const partnerId = `p-${randomUUID()}`
      await a.appendToStream(`partner-${partnerId}`, [applied(partnerId, erasedPerson)])
      await a.appendToStream(`partner-${partnerId}-2`, [applied(`${partnerId}-2`, kept)])
      // process b holds the key in its cache
      expect((await collect(b.readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: erasedPerson })

      const subject = `user-${erasedPerson.userId}`
      await h.keys.erase(subject)
      const fresh = h.open()
      const [read] = await collect(fresh.readStream(`partner-${partnerId}`))
      expect(read!.data).toMatchObject({
        applicant: { userId: erasedPerson.userId, name: 'Erased person', email: placeholder({ kind: 'email' }, subject) },
        company: `${partnerId} Ltd`,
      })
      expect((await collect(fresh.readStream(`partner-${partnerId}-2`)))[0]!.data).toMatchObject({ applicant: kept })

      // process b learns of it when it reads the erasure event, whatever it has cached
      await a.appendToStream(`erasure-${subject}`, [personErased(subject, partnerId)])
      await collect(b.readStream(`erasure-${subject}`))
      expect((await collect(b.readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: { name: 'Erased person' } })

      // a process that knows of the erasure records nothing of the person again
      const again = await failure(b.appendToStream(`partner-${partnerId}-3`, [applied(`${partnerId}-3`, erasedPerson)]))
      expect(again).toBeInstanceOf(InvalidEvent)
      expect((again as InvalidEvent).issues.map((i) => i.path)).toEqual(['data.applicant.name', 'data.applicant.email'])
    })

    it.skipIf(name === 'memory')('a process that cached a key forgets it once it re-reads the list of erased subjects, even without the erasure event', async () => {
      let clock = 0
      const keys = h.keys
      const person = ann()
      const partnerId = `p-${randomUUID()}`
      const writer = h.open()
      await writer.appendToStream(`partner-${partnerId}`, [applied(partnerId, person)])
      const reader = h.open(portalCodec(keys, { now: () => clock }))
      expect((await collect(reader.readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: person })
      await keys.erase(`user-${person.userId}`)
      clock += 31_000
      expect((await collect(reader.readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: { name: 'Erased person' } })
    })

    it.skipIf(name === 'memory')('altered or moved ciphertext fails with an InvalidEvent naming the field', async () => {
      if (!h.tamper || !h.raw) throw new Error('a SQL harness reads and alters rows')
      const store = h.open()
      const partnerId = `p-${randomUUID()}`
      const event = applied(partnerId, ann())
      const other = applied(`${partnerId}-x`, ann())
      await store.appendToStream(`partner-${partnerId}`, [event])
      await store.appendToStream(`partner-${partnerId}-x`, [other])
      const stored = JSON.parse(await h.raw(event.id)) as { applicant: { email: string; name: string } }
      const flipped = stored.applicant.email.slice(0, -6) + (stored.applicant.email.at(-6) === 'A' ? 'B' : 'A') + stored.applicant.email.slice(-5)
      await h.tamper(event.id, ['applicant', 'email'], flipped)
      const error = await failure(collect(h.open().readStream(`partner-${partnerId}`)))
      expect(error).toBeInstanceOf(InvalidEvent)
      expect((error as InvalidEvent).issues[0]).toMatchObject({ path: 'data.applicant.email', message: expect.stringMatching(/cannot be decrypted/i) })
      // a valid ciphertext copied from another event (or field) does not decrypt there either
      const otherStored = JSON.parse(await h.raw(other.id)) as { applicant: { name: string } }
      await h.tamper(event.id, ['applicant', 'email'], stored.applicant.email)
      await h.tamper(event.id, ['applicant', 'name'], otherStored.applicant.name)
      const moved = await failure(collect(h.open().readStream(`partner-${partnerId}`)))
      expect((moved as InvalidEvent).issues[0]).toMatchObject({ path: 'data.applicant.name' })
    })

    it.skipIf(name === 'memory')('events stored in clear before encryption still read, until their subject is erased', async () => {
      if (!h.raw) throw new Error('a SQL harness reads rows')
      const legacy = h.open(zod()) // the codec before this change: validation only
      const person = ann()
      const partnerId = `p-${randomUUID()}`
      const event = applied(partnerId, person)
      await legacy.appendToStream(`partner-${partnerId}`, [event])
      expect(await h.raw(event.id)).toContain(person.email)
      expect((await collect(h.open().readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: person })
      await h.keys.erase(`user-${person.userId}`)
      expect((await collect(h.open().readStream(`partner-${partnerId}`)))[0]!.data).toMatchObject({ applicant: { name: 'Erased person' } })
    })
  })
}

suite('postgres on PGlite', async () => {
  const driver = await freshPGliteDriver()
  await migrateKeyStore(driver)
  return sqlHarness(driver, async () => driver.close())
})

const baseUrl = testDatabaseUrl()
suite('postgres on PostgreSQL server', async () => {
  const schema = await isolatedPostgresSchema(baseUrl!, 'encryption')
  const driver = await createPgDriver(schema.url)
  await migrate(driver)
  await migrateKeyStore(driver)
  await migrateKeyStore(driver) // idempotent
  return sqlHarness(driver, async () => {
    await driver.close()
    await schema.drop()
  })
}, baseUrl ? undefined : 'TEST_DATABASE_URL is not set')

// the memory adapter keeps its log in the store object, so it has one process: the tests above that need two skip it
suite('memory', async () => {
  const keys = createMemoryKeyStore()
  const shared = createMemoryEventStore({ codec: portalCodec(keys) })
  return { open: () => shared, keys, close: () => shared.close() }
})

describe('personal data encryption (memory, one process)', () => {
  it('forgetting a subject turns its fields into placeholders at once; the key store keeps one key per subject', async () => {
    const keys = createMemoryKeyStore()
    const codec = portalCodec(keys)
    const store = createMemoryEventStore({ codec })
    const person = { userId: 'u-ann', name: 'Ann Lee', email: 'ann@acme.example' }
    await store.appendToStream('partner-acme', [applied('acme', person)])
    await store.appendToStream('partner-beta', [applied('beta', { ...person, userId: 'u-bob', name: 'Bob', email: 'bob@beta.example' })])
    expect(keys.size).toBe(2)
    await keys.erase('user-u-ann')
    codec.forget('user-u-ann')
    expect((await collect(store.readStream('partner-acme')))[0]!.data).toMatchObject({ applicant: { name: 'Erased person', email: placeholder({ kind: 'email' }, 'user-u-ann') } })
    expect((await collect(store.readStream('partner-beta')))[0]!.data).toMatchObject({ applicant: { name: 'Bob' } })
    expect(await keys.erased()).toEqual(['user-u-ann'])
  })

  it('encode needs its keys prepared, so an adapter that forgets prepareAppend fails loudly', () => {
    const codec = portalCodec(createMemoryKeyStore())
    expect(() => codec.encode(applied('acme', { userId: 'u-x', name: 'X', email: 'x@acme.example' }))).toThrow(/prepareAppend/)
  })
})

function sqlHarness(driver: SqlDriver, close: () => Promise<void>): Harness {
  const keys = createSqlKeyStore(driver)
  const stores: EventStore[] = []
  return {
    keys,
    open(codec = portalCodec(keys)) {
      const store = createPostgresEventStore({ driver, codec })
      stores.push(store)
      return store
    },
    async raw(eventId) {
      const { rows } = await driver.query<{ data: string }>('select data::text as data from events where event_id = $1', [eventId])
      return rows[0]!.data
    },
    async tamper(eventId, path, value) {
      await driver.query('update events set data = jsonb_set(data::jsonb, $2::text[], to_jsonb($3::text)) where event_id = $1', [eventId, path, value])
    },
    async close() {
      for (const store of stores) await store.close()
      await close()
    },
  }
}
