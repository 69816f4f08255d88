// The deployment's Ed25519 signing key: from SIGNING_KEY, or generated once and kept in the shared SQL database.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import type { SqlExecutor } from '../eventstore/postgres/driver.ts'

export type DeploymentKey = {
  /** first 16 hex digits of the SHA-256 of the raw public key: names the key in what it signs */
  keyId: string
  /** the public key as SPKI PEM (what an auditor downloads and pins) */
  publicKeyPem: string
  /** the raw 32-byte public key, base64 */
  publicKeyRaw: string
  /** an Ed25519 signature (64 bytes) of `bytes` */
  sign(bytes: Uint8Array): Buffer
}

/** the name of the generated key's row in app_secrets */
const SECRET_NAME = 'signing-key'

/** Parses an Ed25519 private key in PKCS#8 PEM; throws a readable error for anything else. */
export function parseSigningKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    throw new Error('is not a private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`)
  return key
}

/** The raw 32-byte Ed25519 public key of a KeyObject (public or private). */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' })
  return Buffer.from(jwk.x!, 'base64url')
}

/** The key id of a raw public key: first 16 hex digits of its SHA-256. */
export function keyIdOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16)
}

/** A public key from SPKI PEM or raw base64 (32 bytes), for verifying. */
export function publicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim()
  if (trimmed.startsWith('-----BEGIN')) {
    const key = createPublicKey({ key: trimmed, format: 'pem' })
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`)
    return key
  }
  const raw = Buffer.from(trimmed, 'base64')
  if (raw.length !== 32) throw new Error('is neither a PEM public key nor a raw 32-byte Ed25519 key in base64')
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
}

/** Whether `signature` is an Ed25519 signature of `bytes` by `key`. */
export function verifySignature(key: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, bytes, key, signature)
  } catch {
    return false
  }
}

export function deploymentKeyFromPem(pem: string): DeploymentKey {
  const privateKey = parseSigningKey(pem)
  const publicKey = createPublicKey(privateKey)
  const raw = rawPublicKey(publicKey)
  return {
    keyId: keyIdOf(raw),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRaw: raw.toString('base64'),
    sign: (bytes) => sign(null, bytes, privateKey),
  }
}

/** A new Ed25519 private key as PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
}

/** SIGNING_KEY when set, else the one in app_secrets; the first insert wins, so processes starting together agree. */
export async function deploymentKey(sql: SqlExecutor, fromEnv: string | undefined): Promise<DeploymentKey> {
  if (fromEnv) return deploymentKeyFromPem(fromEnv)
  await sql.query(`insert into app_secrets (name, value) values ($1, $2) on conflict (name) do nothing`, [SECRET_NAME, generateSigningKeyPem()])
  const { rows } = await sql.query<{ value: string }>(`select value from app_secrets where name = $1`, [SECRET_NAME])
  return deploymentKeyFromPem(rows[0]!.value)
}
