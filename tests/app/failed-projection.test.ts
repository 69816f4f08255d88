// A read model that stopped on an event is never silent (decision 010): on the seeded portal (PGlite), another runner
// (as another process would) stops `partners` on an event; /healthz's report, the auditor's Verify page and its job,
// and `npm run verify` (exit 1) name the projection, the event and the error, and waiting for projections skips it.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { failedReadModels, startVerification, verifyJob } from '../../app/audit.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { healthReport } from '../../app/health.server.ts'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { ReadModelsBehind } from '../../app/components/read-models-behind.tsx'
import { loader as rootLoader } from '../../app/root.tsx'
import { loader as verifyLoader } from '../../app/routes/audit/verify.tsx'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import type { Position, RecordedEvent } from '../../eventstore/types.ts'
import { keysFor, type AnyProjection } from '../../projections/projection.ts'
import { createProjectionRunner, type ProjectionRunner } from '../../projections/runner.ts'
import { partnersProjection } from '../../projections/partners.ts'
import { collectingLogger, eventually } from '../projections/runner-fixtures.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-failed-projection-'))
let services: AppServices
let other: ProjectionRunner | undefined
let poison: RecordedEvent
let head: Position
/** a projection of no portal page, stopped on the same event: the portal's own runner never retries it */
const probeName = 'failed_event_probe'

/** `projection`, except that its evolve throws on the poison event */
function throwingOn(projection: AnyProjection, name = projection.name): AnyProjection {
  return {
    ...projection,
    name,
    evolve(state: unknown, event: RecordedEvent, shared: Readonly<Record<string, unknown>>) {
      if (event.id === poison.id) throw new Error('cannot place this event among the partners')
      return projection.evolve(state, event, shared)
    },
  }
}

beforeAll(async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'minimal')
  // the portal's runner steps aside (as if another process held the partners), and a copy of an event the partners
  // read model folds is appended after its checkpoint (the timeline is no projection any more: decision 025)
  await services.runner.stop()
  let last: RecordedEvent | undefined
  for await (const event of services.store.readAll()) if (keysFor(partnersProjection, event).length > 0) last = event
  const copy = { id: crypto.randomUUID(), type: last!.type, data: last!.data, metadata: last!.metadata }
  const appended = await services.store.appendToStream(last!.streamId, [copy as never], { expectedRevision: 'any' })
  head = appended.position
  for await (const event of services.store.readAll({ fromPosition: head })) if (event.id === copy.id) poison = event
  poison ??= { ...last!, id: copy.id, position: head }
  other = createProjectionRunner({
    store: services.store, driver: services.sql, logger: collectingLogger(), lockRetryMs: 100,
    projections: [throwingOn(partnersProjection), throwingOn(partnersProjection, probeName)],
  })
  await other.start()
  await eventually(() => other!.status().every((s) => s.state === 'halted'), 30_000, 'the other runner stops on the event')
  await services.runner.start()
}, 120_000)

afterAll(async () => {
  await other?.stop()
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** a GET of `path` with the cookie of a stored session for the user */
async function signedIn(userId: string, path: string): Promise<Request> {
  const request = new Request(`http://localhost${path}`)
  const session = services.sessions.create()
  session.set('userId', userId)
  session.set('csrf', 'csrf')
  session.set('signedInAt', new Date().toISOString())
  const cookie = (await services.sessions.commit(request, session)).split(';')[0]!
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
}

describe('a read model stopped on an event', () => {
  test('/healthz says not ok and names the projection, the event and the error', async () => {
    const partners = await eventually(() => services.runner.status().find((s) => s.name === 'partners' && s.failure), 10_000, 'the record seen')
    expect(partners.failure).toMatchObject({ eventId: poison.id })
    const report = healthReport(services.runner.status())
    expect(report.ok).toBe(false)
    expect(report.failures).toEqual([
      expect.objectContaining({
        projection: 'partners', state: 'halted', error: expect.stringContaining('cannot place this event among the partners'),
        event: { position: `${poison.position.commit}/${poison.position.prepare}`, id: poison.id, type: poison.type, stream: poison.streamId },
      }),
    ])
    // JSON as the handler sends it
    expect(JSON.parse(JSON.stringify(report)).failures[0].event.id).toBe(poison.id)
  })

  test('waiting for the projections does not wait for it', async () => {
    // it would wait for the whole timeout (and reject) if it waited for the stopped partners
    await services.runner.waitFor(head, 60_000)
  }, 90_000)

  test('every page of a signed-in user says which read model is behind', async () => {
    const signed = await signedIn('u-maria', '/partner')
    const answer = (await rootLoader({ request: signed, url: new URL(signed.url), params: {}, context: { services } } as never)) as unknown as { data: { behind: string[] } }
    expect(answer.data.behind).toEqual(['partners'])
    const html = renderToStaticMarkup(createElement(ReadModelsBehind, { names: answer.data.behind }))
    expect(html).toContain('behind the record')
    expect(html).toContain('partners')
    expect(renderToStaticMarkup(createElement(ReadModelsBehind, { names: [] }))).toBe('')
  })

  test("the auditor's Verify page and its verification job name it", async () => {
    const signed = await signedIn('u-alex', '/audit/verify')
    const data = await verifyLoader({ request: signed, url: new URL(signed.url), params: {}, context: { services } } as never)
    const named = expect.objectContaining({
      projection: 'partners', error: expect.stringContaining('cannot place this event'),
      event: expect.objectContaining({ id: poison.id, type: poison.type, stream: poison.streamId }),
    })
    expect(data.failed).toEqual(expect.arrayContaining([named]))

    const job = startVerification(services, 'u-alex')
    await eventually(() => verifyJob(job.id)?.finishedAt, 120_000, 'the verification')
    expect(verifyJob(job.id)!.failures).toEqual(expect.arrayContaining([named]))
    expect((await failedReadModels(services)).map((f) => f.projection).sort()).toEqual([probeName, 'partners'])
  }, 150_000)

  test('npm run verify exits 1 and names it', { timeout: 180_000 }, async () => {
    await services.runner.stop()
    await other?.stop()
    other = undefined
    await services.close() // PGlite lets one process in at a time
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/verify.ts'], {
      cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '', SEED: 'none' }, timeout: 150_000,
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    )
    expect(result.code, result.stdout).toBe(1)
    const line = result.stdout.split('\n').find((l) => l.startsWith(`FAILED ${probeName}`))
    expect(line).toContain(poison.id)
    expect(line).toContain(poison.type)
    expect(line).toContain(poison.streamId)
    expect(line).toContain(`${poison.position.commit}/${poison.position.prepare}`)
    expect(line).toContain('cannot place this event among the partners')
    services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  })
})
