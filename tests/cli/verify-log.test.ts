// `npm run verify` checks the log's hash chain before the read models, on a seeded PGlite data directory: clean when
// untouched and after a person's key was erased; exit 1 naming the first broken event when a deal's value was changed
// in SQL, also after the read models were rebuilt from the altered log (where they agree with it).
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { CurrentUser } from '../../app/auth.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { verifyLog } from '../../eventstore/verify-log.ts'
import { allProjections } from '../../projections/all.ts'
import { verifyProjection } from '../../projections/time-travel.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-verify-log-'))
const open = () => openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
let services: AppServices | undefined

const run = () =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/verify.ts'], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' }, timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  )

beforeAll(async () => {
  services = await open()
  await seedDemo(services, 'demo')
}, 120_000)
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

test('a seeded store verifies clean, also after a person was erased (personal fields are hashed as ciphertext)', { timeout: 120_000 }, async () => {
  const s = services!
  expect(await verifyLog(s.store.chain!)).toMatchObject({ firstBroken: null, migratedThrough: null })
  const vera = (await s.queries.users.byId('u-vera')) as CurrentUser
  await s.commands.privacy.eraseUser(vera, 'u-maria')
  const after = await verifyLog(s.store.chain!)
  expect(after.firstBroken).toBeNull()
  expect(after.eventsVerified).toBeGreaterThan(10)
})

test('npm run verify: ok, then exit 1 naming the edited event, also after the read models were rebuilt from it', { timeout: 300_000 }, async () => {
  await services!.close()
  services = undefined
  const clean = await run()
  expect(clean.code, clean.stdout + clean.stderr).toBe(0)
  expect(clean.stdout).toMatch(/ok {3}log: \d+ events in \d+ streams, every hash and link holds; the chain holds from position 0/)

  services = await open()
  const { rows } = await services.sql.query<{ p: string; id: string; stream_id: string }>(
    `select global_position::text as p, event_id::text as id, stream_id from events where type = 'DealRegistered' order by global_position limit 1`,
  )
  const deal = rows[0]!
  await services.sql.query(`update events set data = jsonb_set(data::jsonb, '{value}', '999999') where event_id = $1::uuid`, [deal.id])
  // rebuild every read model from the altered log: they agree with it, so only the chain can tell
  await services.runner.stop()
  await services.sql.query('delete from read_models')
  await services.sql.query('delete from read_model_logs')
  await services.sql.query('delete from projection_checkpoints')
  await services.close()
  services = await open()
  let last = null
  for await (const event of services.store.readAll()) last = event.position
  await services.runner.waitFor(last!, 60_000)
  for (const projection of allProjections) expect((await verifyProjection(services.store, services.sql, projection)).differences).toEqual([])
  await services.close()
  services = undefined

  const broken = await run()
  expect(broken.code).toBe(1)
  expect(broken.stdout).toContain(`first broken event: position ${deal.p}, event ${deal.id}, stream ${deal.stream_id} revision 0: edited`)
  expect(broken.stdout).not.toMatch(/^ok {2}/m)
})
