// The deployment's Ed25519 key: one per database whoever asks first, or SIGNING_KEY, refused at start-up when not Ed25519 PKCS#8 PEM.
import { generateKeyPairSync, verify } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { migrateAuth } from '../../app/auth.server.ts'
import { deploymentKey, generateSigningKeyPem, keyIdOf, publicKeyFrom } from '../../app/deployment-key.server.ts'
import { EnvError, parseEnv } from '../../app/env.server.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { freshPGliteDriver } from '../support/pglite.ts'

let driver: SqlDriver | undefined
afterEach(async () => {
  await driver?.close()
  driver = undefined
})

describe('deployment key', () => {
  test('generated once and kept in the database: callers racing get the same key', async () => {
    driver = await freshPGliteDriver()
    await migrateAuth(driver)
    const keys = await Promise.all([deploymentKey(driver, undefined), deploymentKey(driver, undefined), deploymentKey(driver, undefined)])
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1)
    expect((await deploymentKey(driver, undefined)).publicKeyPem).toBe(keys[0]!.publicKeyPem)
    const { rows } = await driver.query<{ value: string }>(`select value from app_secrets where name = 'signing-key'`)
    expect(rows[0]!.value).toContain('-----BEGIN PRIVATE KEY-----')
  })

  test('signs with Ed25519; the PEM, the raw key and the key id describe the same public key', async () => {
    driver = await freshPGliteDriver()
    await migrateAuth(driver)
    const key = await deploymentKey(driver, undefined)
    const message = Buffer.from('a seal over positions 1..100')
    const signature = key.sign(message)
    expect(signature).toHaveLength(64)
    expect(verify(null, message, publicKeyFrom(key.publicKeyPem), signature)).toBe(true)
    expect(verify(null, message, publicKeyFrom(key.publicKeyRaw), signature)).toBe(true)
    expect(verify(null, Buffer.from('another message'), publicKeyFrom(key.publicKeyPem), signature)).toBe(false)
    expect(key.keyId).toBe(keyIdOf(Buffer.from(key.publicKeyRaw, 'base64')))
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/)
  })

  test('SIGNING_KEY is used instead of the database', async () => {
    const pem = generateSigningKeyPem()
    const fromEnv = await deploymentKey({ query: () => { throw new Error('not read') } }, parseEnv({ SIGNING_KEY: pem }).SIGNING_KEY)
    const again = await deploymentKey({ query: () => { throw new Error('not read') } }, pem)
    expect(fromEnv.keyId).toBe(again.keyId)
    // a PEM written on one line with \n escapes, as many secret stores keep it
    expect(parseEnv({ SIGNING_KEY: pem.trim().replace(/\n/g, '\\n') }).SIGNING_KEY).toBe(pem.trim())
  })

  test('SIGNING_KEY that is not an Ed25519 private key in PKCS#8 PEM is refused at start-up, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const ed = generateKeyPairSync('ed25519')
    for (const [bad, reason] of [
      ['not a key', /SIGNING_KEY: .*PKCS#8 PEM/],
      [rsa, /SIGNING_KEY: is a rsa key, not Ed25519/],
      [ed.publicKey.export({ format: 'pem', type: 'spki' }).toString(), /SIGNING_KEY: .*PKCS#8 PEM/],
    ] as const) {
      expect(() => parseEnv({ SIGNING_KEY: bad })).toThrow(EnvError)
      expect(() => parseEnv({ SIGNING_KEY: bad })).toThrow(reason)
    }
    expect(parseEnv({ SIGNING_KEY: ' ' }).SIGNING_KEY).toBeUndefined()
  })
})
