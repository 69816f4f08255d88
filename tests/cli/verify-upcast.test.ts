// `npm run verify` on a store that holds a version-1 DealRegistered: the chain is checked over the stored v1 bytes and
// the read models, rebuilt through the codec (which upcasts), match the live ones.
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { parseEnv } from '../../app/env.server.ts'
import { openServices } from '../../app/services.server.ts'
import { DealRegisteredDataV1 } from '../../domain/deals/index.ts'
import { eventSchemas } from '../../domain/index.ts'
import { createZodCodec } from '../../eventstore/codec.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-verify-upcast-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

const verify = () =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/verify.ts'], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '', SEED: 'none' }, timeout: 150_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
  )

test('npm run verify passes with a stored version-1 event, and fails once that row is rewritten', { timeout: 240_000 }, async () => {
  const services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  const id = randomUUID()
  const dealId = randomUUID()
  try {
    const before = createPostgresEventStore({ driver: services.sql, codec: createZodCodec({ ...eventSchemas, DealRegistered: DealRegisteredDataV1 }) })
    const { position } = await before.appendToStream(`deal-${dealId}`, [{
      id, type: 'DealRegistered',
      data: {
        dealId, partnerId: 'northwind', customerName: 'Initech', customerDomain: 'initech.example', value: 12_000, currency: 'EUR',
        expectedCloseDate: '2026-09-30', products: ['Cloud Backup'], conflict: null, reviewDueAt: '2026-03-04T09:00:00.000Z', protectionDays: 90,
      },
      metadata: { actor: 'user-li', tenant: 'northwind', occurredAt: '2026-03-02T09:00:00.000Z', correlationId: id, causationId: id, schemaVersion: 1 },
    }])
    await services.runner.waitFor(position, 10_000)
  } finally {
    await services.close() // PGlite lets one process in at a time
  }

  const ok = await verify()
  expect(ok.code, ok.stdout).toBe(0)
  expect(ok.stdout).toMatch(/^ok\s+log: \d+ events/m)
  expect(ok.stdout).toMatch(/^ok\s+deals v\d+: 1 documents, 0 different/m)

  // the bytes the chain covers are the stored v1 ones: the row rewritten in the new shape is an edit
  const again = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  try {
    await again.sql.query(`update events set data = (data::jsonb - 'products') || '{"items":[{"sku":null,"name":"Cloud Backup","quantity":1}]}'::jsonb, metadata = jsonb_set(metadata::jsonb, '{schemaVersion}', '2') where event_id = $1`, [id])
  } finally {
    await again.close()
  }
  const broken = await verify()
  expect(broken.code, broken.stdout).toBe(1)
  expect(broken.stdout).toContain(`event ${id}`)
  expect(broken.stdout).toContain('edited')
})
