// The SQL side of projections: checkpoints, the reads the app uses, and the writes the runner makes (tables: store-schema.ts).
import type { SqlDriver, SqlExecutor } from '../eventstore/postgres/driver.ts'
import type { Position } from '../eventstore/types.ts'
import { START } from '../eventstore/types.ts'

export type CheckpointStatus = 'active' | 'building' | 'retired'

export type Checkpoint = {
  projection: string
  version: number
  position: Position
  status: CheckpointStatus
  updatedAt: Date
}

/** Thrown when a batch finds checkpoints moved under it: another runner owns those projections now. */
export class CheckpointMoved extends Error {
  override readonly name = 'CheckpointMoved'
  constructor(readonly moved: readonly { projection: string; version: number }[]) {
    super(`Checkpoint of projection ${moved.map((m) => `${m.projection} v${m.version}`).join(', ')} moved under this runner (another runner took over?)`)
  }
}


type CheckpointRow = { projection: string; version: number; commit: string; prepare: string; status: CheckpointStatus; updated_at: Date | string }

const CHECKPOINT_COLUMNS = `projection, version, position_commit::text as commit, position_prepare::text as prepare, status, updated_at`

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    projection: row.projection,
    version: Number(row.version),
    position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
    status: row.status,
    updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(row.updated_at),
  }
}

/** Every checkpoint of these projections (all versions), by projection then newest version first: one round trip. */
export async function readCheckpointsOf(db: SqlExecutor, projections: readonly string[]): Promise<Checkpoint[]> {
  const { rows } = await db.query<CheckpointRow>(
    `select ${CHECKPOINT_COLUMNS} from projection_checkpoints where projection = any($1::text[]) order by projection, version desc`,
    [[...projections]],
  )
  return rows.map(toCheckpoint)
}

/** Every checkpoint of a projection (all versions), newest version first. */
export async function readCheckpoints(db: SqlExecutor, projection: string): Promise<Checkpoint[]> {
  const { rows } = await db.query<CheckpointRow>(
    `select ${CHECKPOINT_COLUMNS} from projection_checkpoints where projection = $1 order by version desc`,
    [projection],
  )
  return rows.map(toCheckpoint)
}

export async function readCheckpoint(db: SqlExecutor, projection: string, version: number): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<CheckpointRow>(
    `select ${CHECKPOINT_COLUMNS} from projection_checkpoints where projection = $1 and version = $2`,
    [projection, version],
  )
  return rows[0] ? toCheckpoint(rows[0]) : undefined
}

/** The version readers see, or undefined before the projection first ran. */
export async function activeVersion(db: SqlExecutor, projection: string): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>(
    `select version from projection_checkpoints where projection = $1 and status = 'active'`,
    [projection],
  )
  return rows[0] ? Number(rows[0].version) : undefined
}

/** One document of the active version; undefined when the projection never touched that key. */
export async function readDocument<S = unknown>(db: SqlExecutor, projection: string, key: string): Promise<S | undefined> {
  // joined in one statement so that a concurrent swap cannot make us read a half-retired version
  const { rows } = await db.query<{ state: S }>(
    `select r.state from read_models r
       join projection_checkpoints c on c.projection = r.projection and c.version = r.version and c.status = 'active'
      where r.projection = $1 and r.key = $2`,
    [projection, key],
  )
  return rows[0]?.state
}

/** Documents of the active version by key (all of them, or those among `keys`), ordered by key. */
export async function readDocuments<S = unknown>(
  db: SqlExecutor,
  projection: string,
  options: { keys?: readonly string[] } = {},
): Promise<Map<string, S>> {
  const params: unknown[] = [projection]
  let filter = ''
  if (options.keys) {
    params.push([...options.keys])
    filter = ' and r.key = any($2::text[])'
  }
  const { rows } = await db.query<{ key: string; state: S }>(
    `select r.key, r.state from read_models r
       join projection_checkpoints c on c.projection = r.projection and c.version = r.version and c.status = 'active'
      where r.projection = $1${filter} order by r.key`,
    params,
  )
  return new Map(rows.map((row) => [row.key, row.state]))
}

/** Documents of one version (any status) by key; the runner's and verifyProjection's read. */
export async function loadDocuments(db: SqlExecutor, projection: string, version: number, keys?: readonly string[]): Promise<Map<string, unknown>> {
  if (keys && keys.length === 0) return new Map()
  const params: unknown[] = [projection, version]
  let filter = ''
  if (keys) {
    params.push([...keys])
    filter = ' and key = any($3::text[])'
  }
  const { rows } = await db.query<{ key: string; state: unknown }>(
    `select key, state from read_models where projection = $1 and version = $2${filter}`,
    params,
  )
  return new Map(rows.map((row) => [row.key, row.state]))
}

/** Whether a version (any status) has any document. */
export async function hasDocuments(db: SqlExecutor, projection: string, version: number): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `select exists (select 1 from read_models where projection = $1 and version = $2) as found`,
    [projection, version],
  )
  return rows[0]?.found === true
}

/** Creates the checkpoint row if missing (at START). Returns the row as stored. */
export async function ensureCheckpoint(db: SqlExecutor, projection: string, version: number, status: CheckpointStatus): Promise<Checkpoint> {
  await db.query(
    `insert into projection_checkpoints (projection, version, position_commit, position_prepare, status)
     values ($1, $2, $3::numeric, $4::bigint, $5) on conflict (projection, version) do nothing`,
    [projection, version, START.commit.toString(), START.prepare.toString(), status],
  )
  const row = await readCheckpoint(db, projection, version)
  if (!row) throw new Error(`Checkpoint of ${projection} v${version} vanished`)
  return row
}

/** Starts (or restarts, if it was retired) building `version` from START; keeps a build in progress as it is. `guard` runs first in the transaction (the lease fence). */
export async function beginBuild(driver: SqlDriver, projection: string, version: number, guard?: (tx: SqlExecutor) => Promise<void>): Promise<Checkpoint> {
  return driver.transaction(async (tx) => {
    await guard?.(tx)
    const existing = await readCheckpoint(tx, projection, version)
    if (existing && existing.status !== 'retired') return existing
    await tx.query(`delete from read_models where projection = $1 and version = $2`, [projection, version])
    await tx.query(`delete from read_model_logs where projection = $1 and version = $2`, [projection, version])
    await tx.query(`delete from projection_checkpoints where projection = $1 and version = $2`, [projection, version])
    return ensureCheckpoint(tx, projection, version, 'building')
  })
}

/** Makes `version` the active one: older active versions are retired and their rows deleted, in one transaction; `guard` runs first (the lease fence). */
export async function swapIn(driver: SqlDriver, projection: string, version: number, guard?: (tx: SqlExecutor) => Promise<void>): Promise<void> {
  await driver.transaction(async (tx) => {
    await guard?.(tx)
    await tx.query(
      `update projection_checkpoints set status = 'retired', updated_at = now() where projection = $1 and version <> $2 and status <> 'retired'`,
      [projection, version],
    )
    await tx.query(`delete from read_models where projection = $1 and version <> $2`, [projection, version])
    await tx.query(`delete from read_model_logs where projection = $1 and version <> $2`, [projection, version])
    const { rows } = await tx.query(
      `update projection_checkpoints set status = 'active', updated_at = now() where projection = $1 and version = $2 returning 1 as ok`,
      [projection, version],
    )
    if (rows.length === 0) throw new Error(`Cannot swap in ${projection} v${version}: no checkpoint`)
  })
}

export type DocumentWrite = { key: string; state: unknown; position: Position }

// ---- the runner's batch writes: every projection of a batch in one transaction ------------------------------------

export type DocumentRef = { projection: string; version: number; key: string }

/** Stored documents among `refs` (any version status), in one round trip; absent ones are not in the answer. */
export async function loadDocumentsOf(db: SqlExecutor, refs: readonly DocumentRef[]): Promise<(DocumentRef & { state: unknown })[]> {
  if (refs.length === 0) return []
  const { rows } = await db.query<{ projection: string; version: number; key: string; state: unknown }>(
    `select r.projection, r.version, r.key, r.state
       from unnest($1::text[], $2::int[], $3::text[]) as x(projection, version, key)
       join read_models r on r.projection = x.projection and r.version = x.version and r.key = x.key`,
    [refs.map((r) => r.projection), refs.map((r) => r.version), refs.map((r) => r.key)],
  )
  return rows.map((row) => ({ ...row, version: Number(row.version) }))
}

type CheckpointMove = { projection: string; version: number; from: Position }

/**
 * Moves every listed checkpoint from its `from` to `to` in one statement and returns the projections it moved: one
 * missing from the answer was not at `from` any more (another runner owns it now), and the caller must not commit.
 */
export async function moveCheckpoints(tx: SqlExecutor, moves: readonly CheckpointMove[], to: Position): Promise<Set<string>> {
  if (moves.length === 0) return new Set()
  const { rows } = await tx.query<{ projection: string }>(
    `update projection_checkpoints c
        set position_commit = $5::numeric, position_prepare = $6::bigint, updated_at = now()
       from unnest($1::text[], $2::int[], $3::numeric[], $4::bigint[]) as x(projection, version, from_commit, from_prepare)
      where c.projection = x.projection and c.version = x.version and c.position_commit = x.from_commit and c.position_prepare = x.from_prepare
      returning c.projection`,
    [
      moves.map((m) => m.projection), moves.map((m) => m.version), moves.map((m) => m.from.commit.toString()), moves.map((m) => m.from.prepare.toString()),
      to.commit.toString(), to.prepare.toString(),
    ],
  )
  return new Set(rows.map((row) => row.projection))
}

export type VersionedDocumentWrite = DocumentWrite & { projection: string; version: number }

/** Most JSON characters of states per statement: a batch of big documents is sent in parts, so its text stays small. */
const WRITE_CHUNK_CHARS = 4_000_000

const UPSERT_DOCUMENTS = `insert into read_models (projection, version, key, state, position_commit, position_prepare, updated_at)
     select x.projection, x.version, x.key, x.state, x.commit, x.prepare, now()
       from rows from (unnest($1::text[]), unnest($2::int[]), unnest($3::text[]), jsonb_array_elements($4::jsonb), unnest($5::numeric[]), unnest($6::bigint[]))
         as x(projection, version, key, state, commit, prepare)
     on conflict (projection, version, key) do update
       set state = excluded.state, position_commit = excluded.position_commit,
           position_prepare = excluded.position_prepare, updated_at = excluded.updated_at`

/**
 * Upserts documents of several projections (a null state is stored as JSON null): each state is serialised once, and
 * the states go as one JSON array beside arrays of the other columns, zipped by ROWS FROM, so the database parses
 * each state once; one statement per WRITE_CHUNK_CHARS of states.
 */
export async function writeDocumentsOf(tx: SqlExecutor, docs: readonly VersionedDocumentWrite[]): Promise<void> {
  let projections: string[] = [], versions: number[] = [], keys: string[] = [], commits: string[] = [], prepares: string[] = [], states: string[] = []
  let chars = 0
  const flush = async () => {
    if (states.length === 0) return
    await tx.query(UPSERT_DOCUMENTS, [projections, versions, keys, `[${states.join(',')}]`, commits, prepares], { prepareAs: 'partnerlog_write_documents' })
    projections = []
    versions = []
    keys = []
    commits = []
    prepares = []
    states = []
    chars = 0
  }
  for (const doc of docs) {
    // undefined (or a function) serialises to nothing: stored as null, as JSON.stringify of an array would
    const json = JSON.stringify(doc.state ?? null) ?? 'null'
    if (chars > 0 && chars + json.length > WRITE_CHUNK_CHARS) await flush()
    projections.push(doc.projection)
    versions.push(doc.version)
    keys.push(doc.key)
    commits.push(doc.position.commit.toString())
    prepares.push(doc.position.prepare.toString())
    states.push(json)
    chars += json.length
  }
  await flush()
}

export type LogEntryWrite = { projection: string; version: number; key: string; field: string; position: Position; idx: number; entry: unknown }

/** Appends log entries (Projection.logs) of several projections in one statement (entries as one JSON array, as writeDocumentsOf). */
export async function appendLogEntries(tx: SqlExecutor, entries: readonly LogEntryWrite[]): Promise<void> {
  if (entries.length === 0) return
  await tx.query(
    `insert into read_model_logs (projection, version, key, field, position_commit, position_prepare, idx, entry)
     select x.projection, x.version, x.key, x.field, x.commit, x.prepare, x.idx, x.entry
       from rows from (unnest($1::text[]), unnest($2::int[]), unnest($3::text[]), unnest($4::text[]), unnest($5::numeric[]), unnest($6::bigint[]),
                       unnest($7::int[]), jsonb_array_elements($8::jsonb))
         as x(projection, version, key, field, commit, prepare, idx, entry)`,
    [
      entries.map((e) => e.projection), entries.map((e) => e.version), entries.map((e) => e.key), entries.map((e) => e.field),
      entries.map((e) => e.position.commit.toString()), entries.map((e) => e.position.prepare.toString()), entries.map((e) => e.idx),
      JSON.stringify(entries.map((e) => e.entry ?? null)),
    ],
    { prepareAs: 'partnerlog_append_log_entries' },
  )
}

/** Every log entry of one version (any status), by key and field, in fold order: verifyProjection's read. */
export async function loadLogs(db: SqlExecutor, projection: string, version: number): Promise<Map<string, Map<string, unknown[]>>> {
  const { rows } = await db.query<{ key: string; field: string; entry: unknown }>(
    `select key, field, entry from read_model_logs where projection = $1 and version = $2
      order by key, field, position_commit, position_prepare, idx`,
    [projection, version],
  )
  const out = new Map<string, Map<string, unknown[]>>()
  for (const row of rows) {
    let fields = out.get(row.key)
    if (!fields) out.set(row.key, (fields = new Map()))
    let list = fields.get(row.field)
    if (!list) fields.set(row.field, (list = []))
    list.push(row.entry)
  }
  return out
}

/** The newest entries of a document's log field in the active version, oldest first (at most `limit`; all when omitted). */
export async function readLog<T = unknown>(db: SqlExecutor, projection: string, key: string, field: string, options: { limit?: number } = {}): Promise<T[]> {
  const limit = options.limit === undefined ? '' : ` limit ${Math.max(0, Math.floor(options.limit))}`
  const { rows } = await db.query<{ entry: T }>(
    `select entry from (
       select l.entry, l.position_commit, l.position_prepare, l.idx from read_model_logs l
         join projection_checkpoints c on c.projection = l.projection and c.version = l.version and c.status = 'active'
        where l.projection = $1 and l.key = $2 and l.field = $3
        order by l.position_commit desc, l.position_prepare desc, l.idx desc${limit}) newest
      order by position_commit, position_prepare, idx`,
    [projection, key, field],
  )
  return rows.map((row) => row.entry)
}

export * from './store-schema.ts'
export * from './store-failures.ts'
export * from './store-leases.ts'
