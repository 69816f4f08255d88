// Signed seals over the global order (docs/decisions/011): a Merkle root over the hashes of each new range of events,
// chained to the seal before it and signed with the deployment's Ed25519 key; the storage is an adapter's (SealStorage).
import { createHash } from 'node:crypto'
import { START, comparePositions, type Position } from './types.ts'

export const SEAL_FORMAT = 'partnerlog-seal/1'

/** the previous hash of seal #1 */
export const GENESIS_SEAL_HASH = '0'.repeat(64)

/** What a seal says: events `from`..`to` (inclusive, in global order, after the previous seal's `to`). */
export type SealFields = {
  number: bigint
  /** the first and last sealed event's place in the global order */
  from: Position
  to: Position
  eventCount: bigint
  /** hex RFC 6962 Merkle tree hash over the events' hashes in global order */
  root: string
  /** hex SHA-256 of the previous seal's encoding (GENESIS_SEAL_HASH for seal #1) */
  previousHash: string
  /** ISO-8601 */
  sealedAt: string
  /** the signing key's id (first 16 hex digits of the SHA-256 of the raw public key) */
  keyId: string
}

export type Seal = SealFields & {
  /** base64 Ed25519 signature of sealMessage(fields) */
  signature: string
}

/** One event as sealed: its place in the global order and its stored hash (null: stored without one). */
export type SealLeaf = { position: Position; hash: string | null }

export type SealSigner = { keyId: string; sign(bytes: Uint8Array): Uint8Array }
/** whether `signature` is the deployment key's signature of `message` (only the public key is needed) */
export type SealSignatureCheck = (message: Uint8Array, signature: Uint8Array) => boolean

/** Adds seals: everything it reads and writes happens while no other sealer (thread or process) adds one. */
export interface SealWriter {
  last(): Promise<Seal | null>
  /** events after `after` in global order that no later commit can precede (PostgreSQL: below the snapshot's xmin) */
  safeLeavesAfter(after: Position, limit: number): Promise<SealLeaf[]>
  insert(seal: Seal): Promise<void>
}

/** Where a store keeps its seals, and read access to the events' stored hashes in global order. */
export interface SealStorage {
  /** runs fn as the only sealer: an advisory lock on PostgreSQL, a queue in memory */
  exclusive<T>(fn: (writer: SealWriter) => Promise<T>): Promise<T>
  /** every seal, by number */
  seals(): AsyncIterable<Seal>
  /** every stored event after `after` up to and including `through` (global order), at most `limit` */
  leaves(after: Position, through: Position | null, limit: number): Promise<SealLeaf[]>
}

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}
const LEAF = Buffer.from([0])
const NODE = Buffer.from([1])

/** RFC 6962 leaf hash of an event's stored hash (an event without one is an empty leaf, unlike any 32-byte hash). */
export function leafHash(eventHash: string | null): Buffer {
  return sha256(LEAF, eventHash === null ? Buffer.alloc(0) : Buffer.from(eventHash, 'hex'))
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE, left, right)
}

/**
 * The RFC 6962 Merkle tree hash, built leaf by leaf in O(log n) memory: full subtrees are merged as they complete,
 * the remaining ones right to left at the end (the left subtree of n leaves holds the largest power of two below n).
 */
export class MerkleBuilder {
  #stack: { size: number; hash: Buffer }[] = []
  count = 0n

  push(eventHash: string | null): void {
    let node = { size: 1, hash: leafHash(eventHash) }
    while (this.#stack.length > 0 && this.#stack[this.#stack.length - 1]!.size === node.size) {
      const left = this.#stack.pop()!
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) }
    }
    this.#stack.push(node)
    this.count++
  }

  /** hex root; the empty tree's is SHA-256 of nothing */
  root(): string {
    if (this.#stack.length === 0) return sha256().toString('hex')
    let hash = this.#stack[this.#stack.length - 1]!.hash
    for (let i = this.#stack.length - 2; i >= 0; i--) hash = nodeHash(this.#stack[i]!.hash, hash)
    return hash.toString('hex')
  }
}

export function merkleRoot(eventHashes: readonly (string | null)[]): string {
  const builder = new MerkleBuilder()
  for (const hash of eventHashes) builder.push(hash)
  return builder.root()
}

/** `<byte length>:<text>,` (a netstring), as in the event chain */
function field(text: string): string {
  return `${Buffer.byteLength(text, 'utf8')}:${text},`
}

/** The bytes that are signed and hashed: netstrings of the format tag and every field, positions as decimal. */
export function sealMessage(s: SealFields): Buffer {
  return Buffer.from(
    field(SEAL_FORMAT) + field(s.number.toString()) +
      field(s.from.commit.toString()) + field(s.from.prepare.toString()) +
      field(s.to.commit.toString()) + field(s.to.prepare.toString()) +
      field(s.eventCount.toString()) + field(s.root) + field(s.previousHash) + field(s.sealedAt) + field(s.keyId),
    'utf8',
  )
}

/** hex SHA-256 of the seal's encoding: what the next seal links to */
export function sealHash(s: SealFields): string {
  return sha256(sealMessage(s)).toString('hex')
}

export function signSeal(fields: SealFields, signer: SealSigner): Seal {
  return { ...fields, signature: Buffer.from(signer.sign(sealMessage(fields))).toString('base64') }
}

export type SealOptions = {
  /** most events one seal covers (a bigger backlog gets several seals) */
  maxEvents?: number
}

/**
 * Seals the safe events since the last seal: one seal per `maxEvents`, none when nothing new is safe. Two sealers at
 * once wait for each other (SealStorage.exclusive), so seal numbers never fork.
 */
export async function sealNew(storage: SealStorage, signer: SealSigner, now: () => Date, options: SealOptions = {}): Promise<Seal[]> {
  const maxEvents = options.maxEvents ?? 50_000
  const made: Seal[] = []
  for (;;) {
    const seal = await storage.exclusive(async (writer) => {
      const last = await writer.last()
      const leaves = await writer.safeLeavesAfter(last?.to ?? START, maxEvents)
      if (leaves.length === 0) return null
      const tree = new MerkleBuilder()
      for (const leaf of leaves) tree.push(leaf.hash)
      const seal = signSeal({
        number: (last?.number ?? 0n) + 1n,
        from: leaves[0]!.position,
        to: leaves[leaves.length - 1]!.position,
        eventCount: tree.count,
        root: tree.root(),
        previousHash: last ? sealHash(last) : GENESIS_SEAL_HASH,
        sealedAt: now().toISOString(),
        keyId: signer.keyId,
      }, signer)
      await writer.insert(seal)
      return { seal, full: leaves.length === maxEvents }
    })
    if (!seal) return made
    made.push(seal.seal)
    if (!seal.full) return made
  }
}

/** Reads leaves after `after` through `through` page by page. */
export async function* leavesBetween(storage: SealStorage, after: Position, through: Position | null, pageSize = 5000): AsyncGenerator<SealLeaf> {
  let from = after
  for (;;) {
    const page = await storage.leaves(from, through, pageSize)
    yield* page
    if (page.length < pageSize) return
    from = page[page.length - 1]!.position
  }
}

const positionText = (p: Position) => `${p.commit}/${p.prepare}`

/**
 * The seal as one line to append to a write-once place outside the database (the anchor): every signed field, so that
 * the line alone can be checked with the public key and compared with the seal verify finds in the database.
 */
export function anchorLine(seal: Seal): string {
  return [
    SEAL_FORMAT, `seal=${seal.number}`, `from=${positionText(seal.from)}`, `to=${positionText(seal.to)}`, `events=${seal.eventCount}`,
    `root=${seal.root}`, `previous=${seal.previousHash}`, `sealed_at=${seal.sealedAt}`, `key=${seal.keyId}`, `signature=${seal.signature}`,
  ].join(' ')
}

/** Parses an anchor line back into the seal it states; null for a line that is not one (comments, blanks). */
export function parseAnchorLine(line: string): Seal | null {
  const parts = line.trim().split(/\s+/)
  if (parts[0] !== SEAL_FORMAT) return null
  const values = new Map(parts.slice(1).map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]))
  const position = (text: string | undefined): Position | null => {
    const match = /^(\d+)\/(\d+)$/.exec(text ?? '')
    return match ? { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) } : null
  }
  const from = position(values.get('from'))
  const to = position(values.get('to'))
  const number = values.get('seal') ?? ''
  const events = values.get('events') ?? ''
  if (!from || !to || !/^\d+$/.test(number) || !/^\d+$/.test(events)) return null
  const [root, previousHash, sealedAt, keyId, signature] = ['root', 'previous', 'sealed_at', 'key', 'signature'].map((k) => values.get(k))
  if (!root || !previousHash || !sealedAt || !keyId || !signature) return null
  return { number: BigInt(number), from, to, eventCount: BigInt(events), root, previousHash, sealedAt, keyId, signature }
}

export const samePosition = (a: Position, b: Position) => comparePositions(a, b) === 0
