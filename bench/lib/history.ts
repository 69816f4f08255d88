// Loads a generated history into the events table with multi-row inserts of the rows the append function writes,
// in generator order: far faster than appendHistory for a large bench database (bench/README.md). ensureHistory keeps
// a loaded history between runs (a marker table says which one it is); resetReadModels empties the projections' tables.
import pg from 'pg'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { historyEvents, type GeneratedEvent } from '../../cli/generate-history.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { note, now, rate } from './util.ts'

const CHUNK = 1000

/** Inserts the history (streams upserted at their running revision). Returns the number of events. */
export async function loadHistory(db: SqlExecutor, events: Iterable<GeneratedEvent>, onProgress?: (loaded: number) => void): Promise<number> {
  const revisions = new Map<string, number>()
  let chunk: GeneratedEvent[] = []
  let loaded = 0
  let reported = 0
  const flush = async () => {
    if (chunk.length === 0) return
    const ids: string[] = [], streams: string[] = [], revs: string[] = [], types: string[] = [], datas: string[] = [], metas: string[] = []
    const touched = new Map<string, number>()
    for (const { streamId, event } of chunk) {
      const revision = (revisions.get(streamId) ?? -1) + 1
      revisions.set(streamId, revision)
      touched.set(streamId, revision)
      ids.push(event.id)
      streams.push(streamId)
      revs.push(String(revision))
      types.push(event.type)
      datas.push(JSON.stringify(event.data))
      metas.push(JSON.stringify(event.metadata))
    }
    await db.query(
      `with s as (insert into streams (stream_id, revision) select s, r::bigint from unnest($7::text[], $8::text[]) as t(s, r)
                  on conflict (stream_id) do update set revision = excluded.revision)
       insert into events (event_id, stream_id, stream_revision, type, data, metadata)
       select id::uuid, stream_id, revision::bigint, type, data::jsonb, metadata::jsonb
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) with ordinality
           as t(id, stream_id, revision, type, data, metadata, n)
        order by n`,
      [ids, streams, revs, types, datas, metas, [...touched.keys()], [...touched.values()].map(String)],
    )
    loaded += chunk.length
    chunk = []
    if (onProgress && loaded - reported >= 50_000) {
      reported = loaded
      onProgress(loaded)
    }
  }
  for (const item of events) {
    chunk.push(item)
    if (chunk.length >= CHUNK) await flush()
  }
  await flush()
  return loaded
}

/** Which generated history (cli/generate-history.ts historyEvents) a database holds. */
export type HistoryVolume = { partners: number; events: number; seed: number }

const MARKER = `create table if not exists bench_history_marker (id int primary key, partners int not null, events int not null,
  seed int not null, loaded int not null, at timestamptz not null default now())`

/**
 * Makes `schema` (reached through `connectionString`, whose search_path is that schema or public) hold the generated
 * history `volume`: kept when its `bench_history_marker` row says it holds exactly this one (events appended since,
 * e.g. by a server's scheduler, are kept and counted), else the schema is dropped, recreated, migrated and loaded.
 * Returns the events present now.
 */
export async function ensureHistory(connectionString: string, schema: string, volume: HistoryVolume, label: string): Promise<{ reused: boolean; events: number; ms: number }> {
  const driver = await createPgDriver(connectionString, { max: 2 })
  try {
    await driver.exec(`create schema if not exists ${pg.escapeIdentifier(schema)}; ${MARKER}`)
    const { rows } = await driver.query<{ partners: number; events: number; seed: number; loaded: number }>(`select partners, events, seed, loaded from bench_history_marker where id = 1`)
    const marker = rows[0]
    if (marker && marker.partners === volume.partners && marker.events === volume.events && marker.seed === volume.seed) {
      const { rows: count } = await driver.query<{ n: string }>(`select count(*)::text as n from events`).catch(() => ({ rows: [{ n: '-1' }] }))
      const present = Number(count[0]!.n)
      if (present >= marker.loaded) {
        if (present > marker.loaded) note(`${label}: reusing the history; ${present - marker.loaded} events were appended since it was loaded`)
        return { reused: true, events: present, ms: 0 }
      }
    }
    note(`${label}: generating ${volume.events} events for ${volume.partners} partners (seed ${volume.seed}) into schema ${schema}`)
    await driver.exec(`drop schema ${pg.escapeIdentifier(schema)} cascade; create schema ${pg.escapeIdentifier(schema)}; ${MARKER}`)
    await migrate(driver)
    const start = now()
    const loaded = await loadHistory(driver, historyEvents({ ...volume, validate: true }), (n) => note(`${label}: ${n} events loaded (${rate(n, now() - start)}/s)`))
    await driver.exec('vacuum analyze events, streams')
    const ms = now() - start
    await driver.query(`insert into bench_history_marker (id, partners, events, seed, loaded) values (1, $1, $2, $3, $4)`, [volume.partners, volume.events, volume.seed, loaded])
    return { reused: false, events: loaded, ms }
  } finally {
    await driver.close()
  }
}

/**
 * Empties the projections' tables (documents, logs, checkpoints, leases, failures), so the next runner builds every
 * read model from the first event. Truncated, not dropped: the migrations that created them stay recorded.
 */
export async function resetReadModels(db: SqlExecutor): Promise<void> {
  await db.query(`do $$ begin
    if to_regclass('read_models') is not null then
      truncate read_models, read_model_logs, projection_checkpoints, projection_leases, projection_failures;
    end if;
  end $$`)
}
