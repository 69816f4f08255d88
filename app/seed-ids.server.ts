// Ids of what the demo seed creates, derived from the seed command, so a second run lands in the same stream and
// is recognised by its command id.
import { createHash } from 'node:crypto'

/** the namespace of the seed's names (a fixed random UUID) */
const SEED_NAMESPACE = Buffer.from('3f0c6a1e8b5d4c2f9a7e61d0b4c8e257', 'hex')

/** A name-based UUID (version 5: SHA-1 of a namespace and the name) for `name`, e.g. seedId('seed-engagement-1'). */
export function seedId(name: string): string {
  const bytes = createHash('sha1').update(SEED_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
