// Event store port over PostgreSQL or PGlite. readAll and subscribeToAll read only transactions older than every running
// one (pg_snapshot_xmin), so an event that commits late is never skipped.
import { encodeForAppend } from '../codec.ts'
import { DuplicateEventId, StreamNotFound, WrongExpectedVersion } from '../errors.ts'
import { assertDistinctIds } from '../memory.ts'
import { createPollingSubscription, type RawEvent } from '../subscription.ts'
import {
  START,
  type AppendOptions,
  type AppendResult,
  type EventCodec,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '../types.ts'
import { createPostgresChainReader } from './chain-reader.ts'
import { listenerApplicationName, type SqlDriver, type SqlExecutor } from './driver.ts'
import { APPEND_CALL, APPEND_FUNCTION, appendArguments, type AppendStatus } from './schema.ts'

export const DEFAULT_NOTIFY_CHANNEL = 'partnerlog_events'

export type PostgresEventStoreOptions = {
  /** a driver whose schema was migrated (see migrate); the store does not close it */
  driver: SqlDriver
  codec: EventCodec
  /** LISTEN/NOTIFY channel that wakes subscribers on commit; lower case letters, digits and _ */
  notifyChannel?: string
  /** rows per query when reading and catching up */
  batchSize?: number
  /** idle re-read interval of subscribers in case a notification is lost (ms) */
  safetyPollMs?: number
}

/** an events row as EVENT_COLUMNS selects it */
export type EventRow = {
  global_position: string
  transaction_id: string
  event_id: string
  stream_id: string
  stream_revision: string
  type: string
  data: unknown
  metadata: unknown
  recorded_at: Date | string
  hash: string | null
  previous_hash: string | null
}

type RawRow = RawEvent & { row: EventRow }

// Output names equal column names: qualify columns with "e." in ORDER BY / WHERE, or they bind to the text output.
export const EVENT_COLUMNS = `e.global_position::text as global_position, e.transaction_id::text as transaction_id,
  e.event_id::text as event_id, e.stream_id, e.stream_revision::text as stream_revision, e.type, e.data, e.metadata,
  e.recorded_at, encode(e.hash, 'hex') as hash, encode(e.previous_hash, 'hex') as previous_hash`

const MAX_BIGINT = 9223372036854775807n

/** how long an answer to "does anybody else listen?" is trusted */
const LISTENERS_TTL_MS = 500

// Only rows of transactions that ended before every still-running transaction began: nothing can commit before them.
export const READ_ALL_SQL = `select ${EVENT_COLUMNS} from events e
  where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
    and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  order by e.transaction_id, e.global_position
  limit $3`

function positionOf(row: EventRow): Position {
  return { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) }
}

/** an events row as a recorded event, not decoded */
export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata as EventMetadata,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: BigInt(row.global_position),
    position: positionOf(row),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
    ...(row.hash ? { hash: row.hash } : {}),
    ...(row.previous_hash ? { previousHash: row.previous_hash } : {}),
  }
}

/** a unique violation on events.event_id: one of the ids is already stored */
function isEventIdViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '23505') return false
  return String((error as { constraint?: unknown }).constraint ?? (error as Error).message).includes('event_id')
}

/** rows of `events` after `after` in global order, limited to committed transactions older than any running one */
export async function readAllRows(db: SqlExecutor, after: Position, limit: number): Promise<EventRow[]> {
  const commit = after.commit < 0n ? '0' : after.commit.toString()
  const prepare = after.commit < 0n ? '-1' : after.prepare.toString()
  const { rows } = await db.query<EventRow>(READ_ALL_SQL, [commit, prepare, limit], { prepareAs: 'partnerlog_read_all' })
  return rows
}

export function createPostgresEventStore(options: PostgresEventStoreOptions): EventStore {
  const { driver, codec } = options
  const channel = options.notifyChannel ?? DEFAULT_NOTIFY_CHANNEL
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Invalid notify channel "${channel}"`)
  const batchSize = options.batchSize ?? 500
  const subscriptions = new Set<Subscription>()
  const wakers = new Set<() => void>()
  let stopListening: Promise<() => Promise<void>> | undefined
  let closed = false

  const assertOpen = () => {
    if (closed) throw new Error('The event store is closed')
  }
  const decode = (row: EventRow) => codec.decode(toRecorded(row))

  // Whether anybody else listens on the channel (by listenerApplicationName), looked up in the background at most
  // every LISTENERS_TTL_MS; assumed yes until answered or when the lookup fails.
  let ownListeners = 0
  let othersListen = true
  let listenersCheckedAt = Number.NEGATIVE_INFINITY
  let checkingListeners = false
  const refreshListeners = () => {
    if (checkingListeners || performance.now() - listenersCheckedAt < LISTENERS_TTL_MS) return
    checkingListeners = true
    driver
      .query<{ n: number }>('select count(*)::int as n from pg_stat_activity where application_name = $1', [listenerApplicationName(channel)])
      .then(
        ({ rows }) => {
          othersListen = (rows[0]?.n ?? 1) > ownListeners
        },
        () => {
          othersListen = true
        },
      )
      .finally(() => {
        listenersCheckedAt = performance.now()
        checkingListeners = false
      })
  }

  // Wakes subscribers after the append committed; other processes by a NOTIFY outside the append's transaction (inside
  // it serialises commits), one in flight at a time and none when nobody else listens.
  let notifying: Promise<void> | null = null
  let notifyAgain = false
  const announce = () => {
    for (const wake of [...wakers]) wake()
    if (driver.kind === 'pglite') return // one process only: nobody else to tell
    refreshListeners()
    if (!othersListen) return
    if (notifying) {
      notifyAgain = true
      return
    }
    // The notifying transaction commits without waiting for its WAL flush (a NOTIFY takes a transaction id, so it
    // would otherwise cost a second fsync per append); the events it announces are already durable.
    notifying = driver
      .query(`select set_config('synchronous_commit', 'off', true), pg_notify($1, '')`, [channel])
      .then(
        () => undefined,
        () => undefined, // subscribers elsewhere still poll; the append itself succeeded
      )
      .finally(() => {
        notifying = null
        if (notifyAgain && !closed) {
          notifyAgain = false
          announce()
        }
      })
  }

  const ensureListening = async () => {
    stopListening ??= driver
      .listen(channel, () => {
        for (const wake of [...wakers]) wake()
      })
      .then((stop) => {
        ownListeners = 1
        return async () => {
          ownListeners = 0
          await stop()
        }
      })
    try {
      await stopListening
    } catch (error) {
      stopListening = undefined
      throw error
    }
  }

  return {
    chain: createPostgresChainReader(driver, batchSize),

    async appendToStream(streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions = {}): Promise<AppendResult> {
      assertOpen()
      const expected = appendOptions.expectedRevision ?? 'any'
      const encoded = await encodeForAppend(codec, streamId, events)
      assertDistinctIds(streamId, encoded)
      const batch = appendArguments(encoded)
      type AppendRow = { status: AppendStatus; revision: string | null; commit_position: string | null; prepare_position: string | null }
      const call = async (mode: string): Promise<AppendRow | undefined> => {
        const { rows } = await driver.query<AppendRow>(
          `select status, revision::text as revision, commit_position, prepare_position::text as prepare_position
             from ${APPEND_CALL}`,
          [streamId, mode, ...batch, null],
          { prepareAs: 'partnerlog_append' },
        )
        return rows[0]
      }
      const mode = typeof expected === 'bigint' ? expected.toString() : expected
      let result: AppendRow | undefined
      for (let attempt = 1; ; attempt++) {
        try {
          result = await call(mode)
          break
        } catch (error) {
          if (!isEventIdViolation(error)) throw error
        }
        // An id is already stored: ask whether this is a retry (a no-op), a partial duplicate or another stream's ids.
        // 'wrong_expected_version' here means the clashing row was rolled back since: append again.
        result = await call('classify')
        if (result?.status !== 'wrong_expected_version' || attempt >= 3) break
      }
      if (!result) throw new Error(`${APPEND_FUNCTION} returned no row for stream ${streamId}`)
      const actual = result.revision === null ? 'no_stream' : BigInt(result.revision)
      switch (result.status) {
        case 'ok':
        case 'idempotent': {
          if (result.status === 'ok' && encoded.length > 0) announce()
          const commit = BigInt(result.commit_position!)
          return {
            nextExpectedRevision: BigInt(result.revision!),
            position: commit < 0n ? START : { commit, prepare: BigInt(result.prepare_position!) },
            ...(result.status === 'idempotent' ? { alreadyAppended: true } : {}),
          }
        }
        case 'wrong_expected_version':
          throw new WrongExpectedVersion(streamId, expected, actual)
        case 'partial_duplicate':
          throw new DuplicateEventId(streamId, encoded.map((e) => e.id), 'some but not all of the events are already in the stream')
        case 'duplicate_elsewhere':
          throw new DuplicateEventId(streamId, encoded.map((e) => e.id), 'the event ids already belong to another stream')
        default:
          throw new Error(`${APPEND_FUNCTION} returned an unknown status ${String(result.status)}`)
      }
    },

    async *readStream(streamId: string, readOptions: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      const backwards = readOptions.direction === 'backwards'
      let remaining = readOptions.maxCount ?? Number.POSITIVE_INFINITY
      const from = readOptions.fromRevision ?? (backwards ? 'end' : 'start')
      if (!backwards && from === 'end') {
        const { rows } = await driver.query('select 1 from streams where stream_id = $1', [streamId])
        if (rows.length === 0) throw new StreamNotFound(streamId)
        return
      }
      let cursor = from === 'start' ? (backwards ? -1n : 0n) : from === 'end' ? MAX_BIGINT : from
      let first = true
      while (remaining > 0) {
        const limit = Math.min(batchSize, remaining)
        const { rows } = await driver.query<EventRow>(
          backwards
            ? `select ${EVENT_COLUMNS} from events e where e.stream_id = $1 and e.stream_revision <= $2
                 order by e.stream_revision desc limit $3`
            : `select ${EVENT_COLUMNS} from events e where e.stream_id = $1 and e.stream_revision >= $2
                 order by e.stream_revision limit $3`,
          [streamId, cursor.toString(), limit],
        )
        // a stream row exists only with events: an empty read from its start (or end, backwards) means no stream
        if (first && rows.length === 0 && (from === 'start' || from === 'end')) throw new StreamNotFound(streamId)
        if (first && rows.length === 0) {
          const exists = await driver.query('select 1 from streams where stream_id = $1', [streamId])
          if (exists.rows.length === 0) throw new StreamNotFound(streamId)
        }
        first = false
        await codec.prepareRead?.(rows)
        for (const row of rows) yield decode(row)
        if (rows.length < limit) return
        remaining -= rows.length
        const last = BigInt(rows[rows.length - 1]!.stream_revision)
        cursor = backwards ? last - 1n : last + 1n
      }
    },

    async *readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      let remaining = readOptions.maxCount ?? Number.POSITIVE_INFINITY
      let cursor = readOptions.fromPosition ?? START
      while (remaining > 0) {
        const limit = Math.min(batchSize, remaining)
        const rows = await readAllRows(driver, cursor, limit)
        await codec.prepareRead?.(rows)
        for (const row of rows) yield decode(row)
        if (rows.length < limit) return
        remaining -= rows.length
        cursor = positionOf(rows[rows.length - 1]!)
      }
    },

    subscribeToAll(subscribeOptions: SubscribeToAllOptions = {}): Subscription {
      assertOpen()
      const subscription = createPollingSubscription<RawRow, RecordedEvent>({
        fromPosition: subscribeOptions.fromPosition ?? START,
        filter: subscribeOptions.filter,
        async fetch(after, limit) {
          const rows = await readAllRows(driver, after, limit)
          await codec.prepareRead?.(rows)
          return rows.map((row) => ({ position: positionOf(row), type: row.type, streamId: row.stream_id, row }))
        },
        decode: (raw) => decode(raw.row),
        async committedBeyond(after) {
          const { rows } = await driver.query<{ waiting: boolean }>(
            `select exists (select 1 from events e where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)) as waiting`,
            [after.commit < 0n ? '0' : after.commit.toString(), after.commit < 0n ? '-1' : after.prepare.toString()],
          )
          return rows[0]?.waiting === true
        },
        async onWake(listener) {
          wakers.add(listener)
          try {
            await ensureListening()
          } catch (error) {
            wakers.delete(listener)
            throw error
          }
          return () => {
            wakers.delete(listener)
          }
        },
        batchSize,
        safetyPollMs: options.safetyPollMs ?? 1000,
        onClose: () => subscriptions.delete(subscription),
      })
      subscriptions.add(subscription)
      return subscription
    },

    async close() {
      if (closed) return
      closed = true
      await notifying
      await Promise.all([...subscriptions].map((subscription) => subscription.unsubscribe()))
      const stop = stopListening
      stopListening = undefined
      if (stop) await (await stop.catch(() => async () => {}))()
    },
  }
}
