// Seals in TypeScript: the RFC 6962 Merkle tree, the seal's encoding and anchor line, and sealing and verifying a
// memory store (tampered seal rows, another key, deleted seals, anchors).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import { createMemorySealStorage } from '../../eventstore/memory-seals.ts'
import {
  anchorLine, GENESIS_SEAL_HASH, leafHash, MerkleBuilder, merkleRoot, nodeHash, parseAnchorLine, sealHash, sealMessage, sealNew,
  type SealFields,
} from '../../eventstore/seal.ts'
import { verifySeals } from '../../eventstore/verify-seals.ts'
import { keyPair } from '../support/seal-keys.ts'
import { counted, testCodec } from './contract.ts'

const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex')

/** RFC 6962, section 2.1, as written: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two < n */
function referenceRoot(leaves: string[]): string {
  if (leaves.length === 0) return sha('')
  if (leaves.length === 1) return sha(`00${leaves[0]}`)
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha(`01${referenceRoot(leaves.slice(0, k))}${referenceRoot(leaves.slice(k))}`)
}


const fields: SealFields = {
  number: 3n, from: { commit: 10n, prepare: 41n }, to: { commit: 12n, prepare: 45n }, eventCount: 5n,
  root: 'ab'.repeat(32), previousHash: GENESIS_SEAL_HASH, sealedAt: '2026-12-07T10:00:00.000Z', keyId: '0123456789abcdef',
}
const now = () => new Date('2026-12-07T10:00:00.000Z')

describe('the Merkle tree', () => {
  it('follows RFC 6962: the empty tree, one leaf, and every size up to 40 match the recursive definition', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    // the leaf hash of empty data, the RFC's 0x00 prefix
    expect(merkleRoot([null])).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
    const hashes = Array.from({ length: 40 }, (_, i) => sha(i.toString(16).padStart(2, '0')))
    for (let n = 1; n <= hashes.length; n++) expect(merkleRoot(hashes.slice(0, n)), `${n} leaves`).toBe(referenceRoot(hashes.slice(0, n)))
  })

  it('separates leaves from nodes, order matters, and a leaf is not its own hash', () => {
    const [a, b] = [sha('01'), sha('02')]
    expect(merkleRoot([a, b])).toBe(nodeHash(leafHash(a), leafHash(b)).toString('hex'))
    expect(merkleRoot([a, b])).not.toBe(merkleRoot([b, a]))
    expect(merkleRoot([a])).not.toBe(a)
    // a two-leaf tree is no leaf of the concatenation (second-preimage resistance of the prefixes)
    expect(merkleRoot([a, b])).not.toBe(merkleRoot([leafHash(a).toString('hex') + leafHash(b).toString('hex')]))
    const builder = new MerkleBuilder()
    builder.push(a)
    builder.push(null)
    expect(builder.count).toBe(2n)
    expect(builder.root()).not.toBe(merkleRoot([a, a]))
  })
})

describe('the seal encoding', () => {
  it('is domain-separated netstrings over every field: each field changes it', () => {
    expect(sealMessage(fields).toString('utf8')).toMatch(/^17:partnerlog-seal\/1,1:3,2:10,2:41,2:12,2:45,1:5,64:(ab){32},64:0{64},24:2026-12-07T10:00:00.000Z,16:0123456789abcdef,$/)
    const variants: SealFields[] = [
      { ...fields, number: 4n }, { ...fields, from: { commit: 10n, prepare: 42n } }, { ...fields, to: { commit: 13n, prepare: 45n } },
      { ...fields, eventCount: 6n }, { ...fields, root: 'ac'.repeat(32) }, { ...fields, previousHash: '1'.repeat(64) },
      { ...fields, sealedAt: '2026-12-07T10:00:00.001Z' }, { ...fields, keyId: 'fedcba9876543210' },
    ]
    const hashes = new Set([sealHash(fields), ...variants.map(sealHash)])
    expect(hashes.size).toBe(variants.length + 1)
    // moving digits between the two halves of a position is another encoding
    expect(sealHash({ ...fields, from: { commit: 104n, prepare: 1n } })).not.toBe(sealHash(fields))
  })

  it('an anchor line carries every signed field and parses back to the same seal', () => {
    const seal = { ...fields, signature: Buffer.alloc(64, 7).toString('base64') }
    const line = anchorLine(seal)
    expect(line).toMatch(/^partnerlog-seal\/1 seal=3 from=10\/41 to=12\/45 events=5 root=(ab){32} previous=0{64} sealed_at=2026-12-07T10:00:00.000Z key=0123456789abcdef signature=\S+$/)
    expect(line).not.toContain('\n')
    expect(parseAnchorLine(line)).toEqual(seal)
    expect(parseAnchorLine('# a comment')).toBeNull()
    expect(parseAnchorLine('partnerlog-seal/1 seal=x')).toBeNull()
  })
})

describe('sealing and verifying a memory store', () => {
  const opened = async () => {
    const store = createMemoryEventStore({ codec: testCodec })
    const storage = createMemorySealStorage(store)
    return { store, storage }
  }

  it('seals nothing on an empty store, then each new range once, chained and signed; verify says where it is sealed through', async () => {
    const { store, storage } = await opened()
    const key = keyPair()
    expect(await sealNew(storage, key, now)).toEqual([])
    await store.appendToStream('deal-a', [counted(1), counted(2)])
    await store.appendToStream('deal-b', [counted(3)])
    const [first] = await sealNew(storage, key, now)
    expect(first).toMatchObject({ number: 1n, from: { prepare: 1n }, to: { prepare: 3n }, eventCount: 3n, previousHash: GENESIS_SEAL_HASH, keyId: key.keyId })
    expect(await sealNew(storage, key, now)).toEqual([])
    await store.appendToStream('deal-a', [counted(4)])
    const [second] = await sealNew(storage, key, now)
    expect(second).toMatchObject({ number: 2n, from: { prepare: 4n }, to: { prepare: 4n }, eventCount: 1n, previousHash: sealHash(first!) })
    await store.appendToStream('deal-c', [counted(5)])
    const result = await verifySeals(storage, key.check)
    expect(result).toMatchObject({ sealsVerified: 2, eventsSealed: 4n, unsealedEvents: 1, firstBroken: null, lastSeal: { number: 2n, through: { prepare: 4n } } })
  })

  it('a big backlog is sealed in several seals of at most maxEvents', async () => {
    const { store, storage } = await opened()
    const key = keyPair()
    for (let i = 0; i < 7; i++) await store.appendToStream(`deal-${i}`, [counted(i)])
    const seals = await sealNew(storage, key, now, { maxEvents: 3 })
    expect(seals.map((s) => s.eventCount)).toEqual([3n, 3n, 1n])
    expect(await verifySeals(storage, key.check)).toMatchObject({ sealsVerified: 3, firstBroken: null, unsealedEvents: 0 })
  })

  it('names an edited seal row, a seal signed by another key, a deleted seal and one re-sealed after it was anchored', async () => {
    const { store, storage } = await opened()
    const key = keyPair()
    for (let i = 0; i < 3; i++) {
      await store.appendToStream(`deal-${i}`, [counted(i)])
      await sealNew(storage, key, now)
    }
    const anchors = storage.rows.map((seal) => parseAnchorLine(anchorLine(seal))!)
    const original = structuredClone(storage.rows)

    storage.rows[1]!.eventCount = 0n
    expect((await verifySeals(storage, key.check)).firstBroken).toMatchObject({ number: 2n, problem: 'signature' })

    storage.rows.splice(0, 3, ...structuredClone(original))
    expect((await verifySeals(storage, keyPair().check)).firstBroken).toMatchObject({ number: 1n, problem: 'signature' })

    storage.rows.splice(1, 1)
    expect((await verifySeals(storage, key.check)).firstBroken).toMatchObject({ number: 2n, problem: 'missing', fromPosition: null })

    // the last seal deleted: the store alone cannot tell, its anchor can
    storage.rows.splice(0, 3, ...structuredClone(original).slice(0, 2))
    const truncated = await verifySeals(storage, key.check)
    expect(truncated).toMatchObject({ firstBroken: null, sealsVerified: 2, unsealedEvents: 1 })
    expect((await verifySeals(storage, key.check, { anchors })).firstBroken).toMatchObject({ number: 3n, problem: 'missing' })

    // re-sealed by a holder of the key (another time): valid in the store, not the anchored one
    await sealNew(storage, key, () => new Date('2027-01-01T00:00:00.000Z'))
    expect((await verifySeals(storage, key.check)).firstBroken).toBeNull()
    expect((await verifySeals(storage, key.check, { anchors })).firstBroken).toMatchObject({ number: 3n, problem: 'anchor' })
    expect((await verifySeals(storage, key.check, { anchors: anchors.slice(0, 2) })).anchorsCompared).toBe(2)
  })

  it('two sealers at once in one process give one sequence', async () => {
    const { store, storage } = await opened()
    const key = keyPair()
    const sealers = Array.from({ length: 5 }, async (_, i) => {
      await store.appendToStream(`deal-${i}`, [counted(i)])
      return sealNew(storage, key, now)
    })
    await Promise.all(sealers)
    expect(storage.rows.map((s) => s.number)).toEqual(storage.rows.map((_, i) => BigInt(i + 1)))
    expect(await verifySeals(storage, key.check)).toMatchObject({ firstBroken: null, eventsSealed: 5n })
  })
})
