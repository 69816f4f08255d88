// The auditor's Verify page checks the event log's hash chain beside its read-model job and names the first broken
// event; the event page shows the event's hash and the hash it links to. PGlite with the minimal program.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVerification } from '../../app/audit.server.ts'
import { LogResult } from '../../app/components/log-check.tsx'
import { parseEnv } from '../../app/env.server.ts'
import { loader as eventLoader } from '../../app/routes/audit/event.tsx'
import { loader as verifyLoader } from '../../app/routes/audit/verify.tsx'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { logCheckOf, startLogCheck, type LogCheck } from '../../app/verify.server.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-verify-page-'))
let services: AppServices

beforeAll(async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'minimal')
}, 120_000)
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function signedIn(userId: string, pathname: string): Promise<Request> {
  const request = new Request(`http://localhost${pathname}`)
  const session = services.sessions.create()
  session.set('userId', userId)
  session.set('csrf', 'csrf')
  session.set('signedInAt', new Date().toISOString())
  const cookie = (await services.sessions.commit(request, session)).split(';')[0]!
  return new Request(`http://localhost${pathname}`, { headers: { Cookie: cookie } })
}

async function checked(): Promise<LogCheck> {
  const job = startVerification(services, 'u-alex')
  startLogCheck(services, job.id)
  for (let i = 0; i < 600 && !logCheckOf(job.id)?.finishedAt; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const signed = await signedIn('u-alex', `/audit/verify?job=${job.id}`)
  const data = await verifyLoader({ request: signed, url: new URL(signed.url), params: {}, context: { services } } as never)
  return data.log!
}

test('the Verify page shows events verified, where the chain holds from, and the first broken event', { timeout: 120_000 }, async () => {
  const clean = await checked()
  expect(clean).toMatchObject({ error: null, firstBroken: null, holdsFrom: '0', brokenCount: 0 })
  expect(clean.eventsVerified).toBeGreaterThan(5)
  const html = renderToStaticMarkup(createElement(LogResult, { log: clean }))
  expect(html).toContain('Every hash and link holds')
  expect(html).toContain('position 0')

  const { rows } = await services.sql.query<{ p: string; id: string; stream_id: string }>(
    'select global_position::text as p, event_id::text as id, stream_id from events order by global_position desc limit 1',
  )
  const last = rows[0]!
  await services.sql.query(`update events set metadata = jsonb_set(metadata::jsonb, '{correlationId}', '"forged"') where event_id = $1::uuid`, [last.id])
  const broken = await checked()
  expect(broken.firstBroken).toMatchObject({ position: last.p, eventId: last.id, streamId: last.stream_id, problem: 'edited' })
  const shown = renderToStaticMarkup(createElement(LogResult, { log: broken }))
  expect(shown).toContain('Chain broken')
  expect(shown).toContain(last.id)
})

test('the event page shows the hash and the link of the event', async () => {
  const { rows } = await services.sql.query<{ id: string; hash: string; previous: string }>(
    `select event_id::text as id, encode(hash, 'hex') as hash, encode(previous_hash, 'hex') as previous from events where stream_revision = 1 order by global_position limit 1`,
  )
  const stored = rows[0]!
  const signed = await signedIn('u-alex', `/audit/events/${stored.id}`)
  const data = await eventLoader({ request: signed, url: new URL(signed.url), params: { eventId: stored.id }, context: { services } } as never)
  expect(data.chain).toEqual({ hash: stored.hash, previousHash: stored.previous })
})
