// Reads the events table as stored (jsonb's text, stored hashes) for the chain verifier.
import type { ChainReader, ChainState, StoredChainEvent } from '../chain.ts'
import type { SqlExecutor } from './driver.ts'

type StoredRow = {
  global_position: string
  event_id: string
  stream_id: string
  stream_revision: string
  type: string
  data_text: string
  metadata_text: string
  recorded_micros: string
  hash: string | null
  previous_hash: string | null
}

// the same text and microseconds the append function hashed (partnerlog_event_hash)
const STORED = `e.global_position::text as global_position, e.event_id::text as event_id, e.stream_id,
  e.stream_revision::text as stream_revision, e.type, e.data::text as data_text, e.metadata::text as metadata_text,
  ((extract(epoch from e.recorded_at) * 1000000)::bigint)::text as recorded_micros,
  encode(e.hash, 'hex') as hash, encode(e.previous_hash, 'hex') as previous_hash`

function toStored(row: StoredRow): StoredChainEvent {
  return {
    globalPosition: BigInt(row.global_position),
    id: row.event_id,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    type: row.type,
    dataText: row.data_text,
    metadataText: row.metadata_text,
    recordedAtMicros: BigInt(row.recorded_micros),
    hash: row.hash,
    previousHash: row.previous_hash,
  }
}

export function createPostgresChainReader(db: SqlExecutor, batchSize = 1000): ChainReader {
  return {
    async *storedEvents() {
      // keyset pages along the unique index on (stream_id, stream_revision)
      let after: [string, string] | null = null
      for (;;) {
        const page: { rows: StoredRow[] } = after
          ? await db.query<StoredRow>(
              `select ${STORED} from events e where (e.stream_id, e.stream_revision) > ($1::text collate "C", $2::bigint)
                 order by e.stream_id, e.stream_revision limit $3`,
              [after[0], after[1], batchSize],
            )
          : await db.query<StoredRow>(`select ${STORED} from events e order by e.stream_id, e.stream_revision limit $1`, [batchSize])
        const rows: StoredRow[] = page.rows
        for (const row of rows) yield toStored(row)
        if (rows.length < batchSize) return
        const last: StoredRow = rows[rows.length - 1]!
        after = [last.stream_id, last.stream_revision]
      }
    },

    async streamRevisions() {
      const { rows } = await db.query<{ stream_id: string; revision: string }>('select stream_id, revision::text as revision from streams')
      return new Map(rows.map((row) => [row.stream_id, BigInt(row.revision)]))
    },

    async chainState(): Promise<ChainState> {
      const { rows } = await db.query<{ migrated_through: string | null; migrated_at: Date | string | null }>(
        'select migrated_through::text as migrated_through, migrated_at from chain_state',
      )
      const row = rows[0]
      return {
        migratedThrough: row?.migrated_through ? BigInt(row.migrated_through) : null,
        migratedAt: row?.migrated_at ? new Date(row.migrated_at) : null,
      }
    },

    async storedEvent(id) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null
      const { rows } = await db.query<StoredRow>(
        `select ${STORED} from events e where e.event_id = $1::text::uuid`,
        [id],
      )
      return rows[0] ? toStored(rows[0]) : null
    },
  }
}
