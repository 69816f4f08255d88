// Seals in the `seals` table (seal-schema.ts) and the events' stored hashes in global order, for sealing and verifying.
import { type Seal, type SealLeaf, type SealStorage, type SealWriter } from '../seal.ts'
import type { Position } from '../types.ts'
import type { SqlDriver, SqlExecutor } from './driver.ts'

/** 'plogseal': the transaction-level advisory lock one sealer at a time holds */
export const SEAL_LOCK = 0x706c6f677365616cn

type SealRow = {
  seal_number: string
  from_transaction: string
  from_position: string
  to_transaction: string
  to_position: string
  event_count: string
  merkle_root: string
  previous_hash: string
  sealed_at: Date | string
  key_id: string
  signature: string
}
type LeafRow = { commit: string; position: string; hash: string | null }

// Output names equal column names: ORDER BY and WHERE qualify columns with "s." (a bare name binds to the text output).
const SEAL_COLUMNS = `s.seal_number::text as seal_number, s.from_transaction::text as from_transaction, s.from_position::text as from_position,
  s.to_transaction::text as to_transaction, s.to_position::text as to_position, s.event_count::text as event_count,
  encode(s.merkle_root, 'hex') as merkle_root, encode(s.previous_hash, 'hex') as previous_hash, s.sealed_at, s.key_id,
  encode(s.signature, 'base64') as signature`

function toSeal(row: SealRow): Seal {
  return {
    number: BigInt(row.seal_number),
    from: { commit: BigInt(row.from_transaction), prepare: BigInt(row.from_position) },
    to: { commit: BigInt(row.to_transaction), prepare: BigInt(row.to_position) },
    eventCount: BigInt(row.event_count),
    root: row.merkle_root,
    previousHash: row.previous_hash,
    sealedAt: new Date(row.sealed_at).toISOString(),
    keyId: row.key_id,
    // PostgreSQL's base64 breaks lines every 76 characters
    signature: row.signature.replace(/\s/g, ''),
  }
}

const toLeaf = (row: LeafRow): SealLeaf => ({ position: { commit: BigInt(row.commit), prepare: BigInt(row.position) }, hash: row.hash })

// START (-1/-1) reads from the first event, as readAll does
const afterParams = (after: Position) => (after.commit < 0n ? ['0', '-1'] : [after.commit.toString(), after.prepare.toString()])

const LEAF_COLUMNS = `e.transaction_id::text as commit, e.global_position::text as position, encode(e.hash, 'hex') as hash`

/** Events a sealer may seal: those of transactions older than every running one, as readAll reads (store.ts). */
async function safeLeavesAfter(db: SqlExecutor, after: Position, limit: number): Promise<SealLeaf[]> {
  const { rows } = await db.query<LeafRow>(
    `select ${LEAF_COLUMNS} from events e
      where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
        and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.transaction_id, e.global_position limit $3`,
    [...afterParams(after), limit],
  )
  return rows.map(toLeaf)
}

export function createPostgresSealStorage(driver: SqlDriver): SealStorage {
  return {
    exclusive(fn) {
      return driver.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1::bigint)', [SEAL_LOCK.toString()])
        const writer: SealWriter = {
          async last() {
            const { rows } = await tx.query<SealRow>(`select ${SEAL_COLUMNS} from seals s order by s.seal_number desc limit 1`)
            return rows[0] ? toSeal(rows[0]) : null
          },
          safeLeavesAfter: (after, limit) => safeLeavesAfter(tx, after, limit),
          async insert(seal) {
            await tx.query(
              `insert into seals (seal_number, from_transaction, from_position, to_transaction, to_position, event_count, merkle_root,
                                  previous_hash, sealed_at, key_id, signature)
               values ($1::bigint, $2::text::xid8, $3::bigint, $4::text::xid8, $5::bigint, $6::bigint, decode($7, 'hex'), decode($8, 'hex'),
                       $9::timestamptz, $10, decode($11, 'base64'))`,
              [seal.number.toString(), seal.from.commit.toString(), seal.from.prepare.toString(), seal.to.commit.toString(),
                seal.to.prepare.toString(), seal.eventCount.toString(), seal.root, seal.previousHash, seal.sealedAt, seal.keyId, seal.signature],
            )
          },
        }
        return fn(writer)
      })
    },

    async *seals() {
      let after = 0n
      for (;;) {
        const { rows } = await driver.query<SealRow>(
          `select ${SEAL_COLUMNS} from seals s where s.seal_number > $1::bigint order by s.seal_number limit 500`, [after.toString()],
        )
        for (const row of rows) yield toSeal(row)
        if (rows.length < 500) return
        after = BigInt(rows[rows.length - 1]!.seal_number)
      }
    },

    async leaves(after, through, limit) {
      const params: unknown[] = [...afterParams(after), limit]
      if (through) params.push(through.commit.toString(), through.prepare.toString())
      const { rows } = await driver.query<LeafRow>(
        `select ${LEAF_COLUMNS} from events e
          where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
            ${through ? 'and (e.transaction_id, e.global_position) <= ($4::text::xid8, $5::bigint)' : ''}
          order by e.transaction_id, e.global_position limit $3`,
        params,
      )
      return rows.map(toLeaf)
    },
  }
}
