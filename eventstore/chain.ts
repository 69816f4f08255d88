// The per-stream hash chain (docs/decisions/011): one canonical encoding of an event as stored, hashed with SHA-256.
// The PostgreSQL append function computes the same bytes in SQL (partnerlog_event_hash in postgres/schema.ts).
import { createHash } from 'node:crypto'

/** the previous hash of a stream's first event (revision 0) */
export const GENESIS_HASH = '0'.repeat(64)

/** An event's hashed fields as stored: data and metadata as the adapter's canonical JSON text (jsonb's text in SQL). */
export type ChainFields = {
  previousHash: string
  id: string
  streamId: string
  streamRevision: bigint
  type: string
  dataText: string
  metadataText: string
  /** recorded time in microseconds since the Unix epoch (PostgreSQL's precision) */
  recordedAtMicros: bigint
}

const TAG = 'partnerlog-event-v1'

/** `<byte length>:<text>,` per field (a netstring): no two field lists encode to the same bytes. */
function field(text: string): string {
  return `${Buffer.byteLength(text, 'utf8')}:${text},`
}

/** The bytes that are hashed, as text (UTF-8 encoded before hashing). */
export function chainInput(f: ChainFields): string {
  return (
    field(TAG) +
    field(f.previousHash) +
    field(f.id) +
    field(f.streamId) +
    field(f.streamRevision.toString()) +
    field(f.type) +
    field(f.dataText) +
    field(f.metadataText) +
    field(f.recordedAtMicros.toString())
  )
}

/** lower-case hex SHA-256 of the event's canonical encoding */
export function eventHash(f: ChainFields): string {
  return createHash('sha256').update(chainInput(f), 'utf8').digest('hex')
}

/** JSON with object keys sorted (by UTF-16 code units) and no spaces: the canonical text of data held outside SQL. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
  return `{${entries.join(',')}}`
}

export const microsOf = (date: Date): bigint => BigInt(date.getTime()) * 1000n

/** One event as stored, for verification: its hashed fields plus the hashes stored with it. */
export type StoredChainEvent = Omit<ChainFields, 'previousHash'> & {
  globalPosition: bigint
  /** null: stored without a hash */
  hash: string | null
  previousHash: string | null
}

/** What the chain rests on in a store. */
export type ChainState = {
  /** events up to this global position were chained by the migration (at migratedAt), not as they were appended */
  migratedThrough: bigint | null
  migratedAt: Date | null
}

/** Read access to a log as stored (ciphertext, stored hashes), which the verifier needs and the port does not give. */
export interface ChainReader {
  /** every stored event, ordered by stream id then revision */
  storedEvents(): AsyncIterable<StoredChainEvent>
  /** each stream's recorded last revision, where the adapter keeps one apart from the events */
  streamRevisions?(): Promise<Map<string, bigint>>
  chainState(): Promise<ChainState>
  /** one stored event by id (the auditor's event page) */
  storedEvent(id: string): Promise<StoredChainEvent | null>
}
