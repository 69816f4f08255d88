// A fresh Ed25519 key for sealing in tests: signs like the deployment key, checks with the public key only.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto'
import type { SealSignatureCheck, SealSigner } from '../../eventstore/seal.ts'

export function keyPair(): SealSigner & { check: SealSignatureCheck } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return {
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    sign: (bytes) => sign(null, bytes, privateKey),
    check: (message, signature) => verify(null, message, publicKey, signature),
  }
}
