// After the deployment's signing key is rotated, the Verify page still checks the seals made with the earlier key
// when its public key is listed in SEAL_PUBLIC_KEYS, and says which keys it checked with; a seal signed by a key that
// is not listed is still reported broken.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { deploymentKeyFromPem, generateSigningKeyPem } from '../../app/deployment-key.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { sealNow } from '../../app/sealer.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { checkSeals } from '../../app/verify.server.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-seal-rotation-'))
const oldKey = generateSigningKeyPem()
const newKey = generateSigningKeyPem()
let services: AppServices

beforeAll(async () => {
  const first = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none', SIGNING_KEY: oldKey }), log: () => {} })
  await seedDemo(first, 'minimal')
  expect(await sealNow(first)).toHaveLength(1)
  await first.close()
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none', SIGNING_KEY: newKey }), log: () => {} })
  let copy: unknown
  for await (const last of services.store.readAll({ maxCount: 1 })) {
    copy = { id: crypto.randomUUID(), type: last.type, data: last.data, metadata: last.metadata }
  }
  await services.store.appendToStream('rotation-check', [copy as never], { expectedRevision: 'any' })
  expect(await sealNow(services)).toHaveLength(1)
}, 120_000)
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const withEnv = (source: Record<string, string>) => ({ ...services, env: parseEnv({ DATA_DIR: dataDir, SIGNING_KEY: newKey, ...source }) })

test('with the current key only, the seal made before the rotation is reported broken', async () => {
  const result = await checkSeals(withEnv({}))
  expect(result.firstBroken).toMatchObject({ number: '1', problem: 'signature' })
  expect(result.keysChecked).toBe(1)
})

test('the earlier public key in SEAL_PUBLIC_KEYS (PEM or raw base64) verifies the earlier seal', async () => {
  const old = deploymentKeyFromPem(oldKey)
  for (const listed of [old.publicKeyPem.trim().replace(/\n/g, '\\n'), old.publicKeyRaw]) {
    const result = await checkSeals(withEnv({ SEAL_PUBLIC_KEYS: listed }))
    expect(result).toMatchObject({ sealsVerified: 2, firstBroken: null, error: null, keysChecked: 2 })
  }
})

test('a listed key that is not the one that signed does not make a seal hold', async () => {
  const other = deploymentKeyFromPem(generateSigningKeyPem())
  const result = await checkSeals(withEnv({ SEAL_PUBLIC_KEYS: other.publicKeyRaw }))
  expect(result.firstBroken).toMatchObject({ number: '1', problem: 'signature' })
})

test('SEAL_PUBLIC_KEYS that is not a public key is refused at start-up, naming the variable and the entry', () => {
  expect(() => parseEnv({ SEAL_PUBLIC_KEYS: 'not-a-key' })).toThrow(/SEAL_PUBLIC_KEYS: entry 1 is neither a PEM public key nor a raw 32-byte Ed25519 key/)
})
