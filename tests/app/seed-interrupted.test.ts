// A first start stopped while the seed waits for the read models (killed, or the wait failing) has its events in, so
// no later start seeds again: the demo people's sign-ins must already be there. SEED=minimal, PGlite.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { authenticate } from '../../app/auth.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { DEMO_PASSWORD, seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-seed-interrupted-'))
let services: AppServices | undefined
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

test('the sign-ins are set before the events, so a seed stopped after appending still lets the demo people in', { timeout: 120_000 }, async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  const wait = services.runner.waitFor
  services.runner.waitFor = () => Promise.reject(new Error('stopped while waiting for the read models'))
  await expect(seedDemo(services, 'minimal')).rejects.toThrow('stopped while waiting')
  services.runner.waitFor = wait
  expect(await seedDemo(services, 'minimal')).toBe(false)
  expect(await authenticate(services.sql, 'maria@northwind.example', DEMO_PASSWORD)).toBe('u-maria')
  expect(await authenticate(services.sql, 'vera@vendor.example', DEMO_PASSWORD)).toBe('u-vera')
})
