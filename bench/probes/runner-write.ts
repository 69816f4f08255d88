// Diagnosis, not a workload: ways to write a batch of read-model documents into PostgreSQL, side by side. Takes the
// documents a runner-split run left in probe_runner_<partners>_<events>.read_models and writes them again in batches
// into a copy of the table (schema probe_runner_write), each way in turn, interleaved, and prints the time per way.
// Usage: npx tsx bench/probes/runner-write.ts [--partners 50] [--events 50000] [--batch 5000] [--rounds 3] [--ways a,b]
import pg from 'pg'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { benchUrl, freshSchema } from '../lib/db.ts'
import { median, now } from '../lib/util.ts'
import { backendCpu, withApplication } from './runner-pgcpu.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const source = `probe_runner_${arg('partners', '50')}_${arg('events', '50000')}`
const batch = Number(arg('batch', '5000'))
const rounds = Number(arg('rounds', '3'))

type Doc = { projection: string; version: number; key: string; state: unknown; commit: string; prepare: string }

const reader = new pg.Client({ connectionString: benchUrl() })
await reader.connect()
const { rows: docs } = await reader.query<Doc>(
  `select projection, version, key, state, position_commit::text as commit, position_prepare::text as prepare
     from ${source}.read_models order by position_commit, position_prepare`,
)
await reader.end()

const url = await freshSchema(benchUrl(), 'probe_runner_write')
const APP = `runner-write-${process.pid}`
const driver = await createPgDriver(withApplication(url, APP), { max: 2 })

const TABLE = (name: string) => `create table ${name} (
  projection text not null, version integer not null, key text not null, state jsonb not null,
  position_commit numeric(20, 0) not null, position_prepare bigint not null, updated_at timestamptz not null default now(),
  primary key (projection, version, key))`

const UPSERT = `on conflict (projection, version, key) do update
  set state = excluded.state, position_commit = excluded.position_commit,
      position_prepare = excluded.position_prepare, updated_at = excluded.updated_at`

type Way = (tx: SqlExecutor, table: string, docs: Doc[]) => Promise<void>

const ways: Record<string, Way> = {
  // what projections/store.ts writeDocumentsOf does today
  recordset: async (tx, table, docs) => {
    const payload = JSON.stringify(docs.map((d) => ({ projection: d.projection, version: d.version, key: d.key, state: d.state ?? null, commit: d.commit, prepare: d.prepare })))
    await tx.query(
      `insert into ${table} (projection, version, key, state, position_commit, position_prepare, updated_at)
       select x.projection, x.version, x.key, coalesce(x.state, 'null'::jsonb), x.commit, x.prepare, now()
         from jsonb_to_recordset($1::jsonb) as x(projection text, version int, key text, state jsonb, commit numeric, prepare bigint) ${UPSERT}`,
      [payload],
    )
  },
  // one text[] of JSON per column; states each stringified once
  unnest: async (tx, table, docs) => {
    await tx.query(
      `insert into ${table} (projection, version, key, state, position_commit, position_prepare, updated_at)
       select x.projection, x.version, x.key, x.state::jsonb, x.commit, x.prepare, now()
         from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::bigint[]) as x(projection, version, key, state, commit, prepare) ${UPSERT}`,
      [docs.map((d) => d.projection), docs.map((d) => d.version), docs.map((d) => d.key), docs.map((d) => JSON.stringify(d.state ?? null)), docs.map((d) => d.commit), docs.map((d) => d.prepare)],
    )
  },
  // a JSON array of the states only, beside arrays of the small columns: one JSON parse, no array-literal escaping of the states
  'json-array': async (tx, table, docs) => {
    await tx.query(
      `insert into ${table} (projection, version, key, state, position_commit, position_prepare, updated_at)
       select x.projection, x.version, x.key, s.state, x.commit, x.prepare, now()
         from unnest($1::text[], $2::int[], $3::text[], $5::numeric[], $6::bigint[]) with ordinality as x(projection, version, key, commit, prepare, n)
         join jsonb_array_elements($4::jsonb) with ordinality as s(state, n) on s.n = x.n ${UPSERT}`,
      [docs.map((d) => d.projection), docs.map((d) => d.version), docs.map((d) => d.key), JSON.stringify(docs.map((d) => d.state ?? null)), docs.map((d) => d.commit), docs.map((d) => d.prepare)],
    )
  },
  // the same with the states as json (not jsonb): the payload is only checked, each state parsed once into jsonb
  'json-elements': async (tx, table, docs) => {
    await tx.query(
      `insert into ${table} (projection, version, key, state, position_commit, position_prepare, updated_at)
       select x.projection, x.version, x.key, s.state::jsonb, x.commit, x.prepare, now()
         from unnest($1::text[], $2::int[], $3::text[], $5::numeric[], $6::bigint[]) with ordinality as x(projection, version, key, commit, prepare, n)
         join json_array_elements($4::json) with ordinality as s(state, n) on s.n = x.n ${UPSERT}`,
      [docs.map((d) => d.projection), docs.map((d) => d.version), docs.map((d) => d.key), JSON.stringify(docs.map((d) => d.state ?? null)), docs.map((d) => d.commit), docs.map((d) => d.prepare)],
    )
  },
  // multi-row VALUES with one parameter per cell, states as text cast to jsonb
  values: async (tx, table, docs) => {
    for (let i = 0; i < docs.length; i += 1000) {
      const chunk = docs.slice(i, i + 1000)
      const params: unknown[] = []
      const tuples = chunk.map((d) => {
        const n = params.push(d.projection, d.version, d.key, JSON.stringify(d.state ?? null), d.commit, d.prepare)
        return `($${n - 5}, $${n - 4}::int, $${n - 3}, $${n - 2}::jsonb, $${n - 1}::numeric, $${n}::bigint, now())`
      })
      await tx.query(`insert into ${table} (projection, version, key, state, position_commit, position_prepare, updated_at) values ${tuples.join(',')} ${UPSERT}`, params)
    }
  },
}

const only = arg('ways', Object.keys(ways).join(',')).split(',')
const withIndex = [false, true]
const results: Record<string, number[]> = {}
const cpuOf: Record<string, number[]> = {}
const dbOf: Record<string, number[]> = {}
for (let round = 0; round < rounds; round++) {
  for (const indexed of withIndex) {
    for (const name of only) {
      const table = `rm_${name.replace(/\W/g, '_')}_${indexed ? 'ix' : 'plain'}`
      await driver.exec(`drop table if exists ${table}; ${TABLE(table)}`)
      if (indexed) await driver.exec(`create index on ${table} (projection, version, (state->>'partnerId'))`)
      const label = `${name}${indexed ? ' +partner index' : ''}`
      const db = backendCpu(url, APP)
      await db.start()
      const c0 = process.cpuUsage()
      const start = now()
      for (let i = 0; i < docs.length; i += batch) {
        const chunk = docs.slice(i, i + batch)
        await driver.transaction((tx) => ways[name]!(tx, table, chunk))
      }
      const ms = now() - start
      const c = process.cpuUsage(c0)
      ;(dbOf[label] ??= []).push(await db.stop())
      ;(results[label] ??= []).push(Math.round(ms))
      ;(cpuOf[label] ??= []).push(Math.round((c.user + c.system) / 1000))
    }
  }
}
for (const label of Object.keys(results)) {
  console.log(JSON.stringify({ way: label, docs: docs.length, batch, msRuns: results[label], ms: median(results[label]!), nodeCpuMs: median(cpuOf[label]!), dbCpuMsRuns: dbOf[label], dbCpuMs: median(dbOf[label]!), docsPerSec: Math.round((docs.length * 1000) / median(results[label]!)) }))
}
await driver.close()
