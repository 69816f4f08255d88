// Diagnosis, not a workload: where a 100-event batch append spends the hash chain's time (issue #13, decision 011).
// Each variant is the append function in its own schema of one PostgreSQL database, driven through appendToStream,
// taking turns round by round (A, B, C, ... then reversed): the function before the chain (from git), the current
// one, and the current one with parts of the chain removed. Prints events/s and the CPU time per event of this Node
// process and of the variant's server backend (/proc/<pid>/schedstat: the server must run on this machine); CPU time
// holds up on a shared, loaded machine where events/s does not.
// Usage: npx tsx bench/probes/append-chain-cost.ts [rounds=11] [batches per round=20]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { MIGRATION } from '../../eventstore/postgres/schema.ts'
import { benchUrl, openPostgres, type Opened } from '../lib/db.ts'
import { batchStream, toNewEvent } from '../lib/events.ts'

/** the commit before the chain (b8eb934 added it) */
const BEFORE_CHAIN = 'b8eb934^'
const rounds = Number(process.argv[2] ?? 11)
const batches = Number(process.argv[3] ?? 20)

async function appendFunctionBeforeChain(): Promise<string> {
  const source = execFileSync('git', ['show', `${BEFORE_CHAIN}:eventstore/postgres/schema.ts`], { encoding: 'utf8' })
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-probe-')), 'schema.ts')
  fs.writeFileSync(file, source)
  const old = (await import(pathToFileURL(file).href)) as { MIGRATION: readonly string[] }
  return old.MIGRATION.find((s) => s.includes('create or replace function partnerlog_append'))!
}

// The current function with its batch statement replaced: the parts of the chain removed one at a time.
const current = MIGRATION.find((s) => s.includes('create or replace function partnerlog_append'))!
const batchStart = current.indexOf('        return query\n          with x as (')
const endMarker = 'from inserted i order by i.global_position desc limit 1;'
const batchEnd = current.indexOf(endMarker, batchStart) + endMarker.length
if (batchStart < 0 || batchEnd < batchStart) throw new Error('The batch statement of partnerlog_append was not found: update this probe')
const ROWS = `rows from (jsonb_to_recordset(p_events) as (id uuid, type text, data jsonb, metadata jsonb))
                       with ordinality as x(id, type, data, metadata, ordinality)`
const withBatch = (previousHash: string, hash: string) =>
  current.slice(0, batchStart) +
  `        return query
          with inserted as (
            insert into events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, previous_hash, hash)
              select x.id, p_stream_id, v_next - v_count + x.ordinality, x.type, x.data, x.metadata, v_now, ${previousHash}, ${hash}
                from ${ROWS}
                order by x.ordinality
              returning events.transaction_id, events.global_position
          )
          select 'ok'::text, v_next, i.transaction_id::text, i.global_position
            from inserted i order by i.global_position desc limit 1;` +
  current.slice(batchEnd)

const variants: Record<string, string | null> = {
  'before the chain': await appendFunctionBeforeChain(),
  current: null,
  'no hash (columns null)': withBatch('null', 'null'),
  "jsonb's text only": withBatch('null', `textsend(left(x.data::text || x.metadata::text, 1))`),
  'SHA-256 of the texts': withBatch('null', `sha256(textsend(x.data::text || x.metadata::text))`),
  'hash per row, no window': withBatch(
    'v_first',
    `partnerlog_event_hash(null, v_first, x.id, p_stream_id, v_next - v_count + x.ordinality, x.type, x.data::text, x.metadata::text, v_micros)`,
  ),
  'window, no lag()': current.replace('coalesce(lag(x.hash) over (order by x.ordinality), v_first)', 'null'),
}

const names = Object.keys(variants)
const opened: Record<string, Opened> = {}
for (const [i, name] of names.entries()) {
  opened[name] = await openPostgres(benchUrl(), `bench_chain_cost_${i}`, { max: 1 })
  if (variants[name]) await opened[name].driver.query(variants[name]!)
}
const backendMicros = async (db: Opened): Promise<number> => {
  const { rows } = await db.driver.query<{ pid: number }>('select pg_backend_pid() as pid')
  return Number(fs.readFileSync(`/proc/${rows[0]!.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000
}

type Runs = { eventsPerSec: number[]; nodeMicros: number[]; serverMicros: number[] }
const runs: Record<string, Runs> = Object.fromEntries(names.map((n) => [n, { eventsPerSec: [], nodeMicros: [], serverMicros: [] }]))
let stream = 0
const loadBefore = os.loadavg()[0]!
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const db = opened[name]!
    const units = Array.from({ length: batches }, () => batchStream(1_000_000 + stream++, 100))
    const count = units.length * 100
    const server0 = await backendMicros(db)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (const unit of units) await db.store.appendToStream(unit[0]!.streamId, unit.map(toNewEvent), { expectedRevision: 'no_stream' })
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const server = (await backendMicros(db)) - server0
    runs[name]!.eventsPerSec.push(Math.round(count / (ms / 1000)))
    runs[name]!.nodeMicros.push((cpu.user + cpu.system) / count)
    runs[name]!.serverMicros.push(server / count)
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round1 = (n: number) => Math.round(n * 10) / 10
const base = median(runs['before the chain']!.serverMicros)
for (const name of names) {
  const r = runs[name]!
  console.log(
    JSON.stringify({
      variant: name,
      eventsPerSec: median(r.eventsPerSec),
      nodeCpuMicrosPerEvent: round1(median(r.nodeMicros)),
      serverCpuMicrosPerEvent: round1(median(r.serverMicros)),
      serverCpuVsBeforeChain: round1(median(r.serverMicros) - base),
      eventsPerSecRuns: r.eventsPerSec,
    }),
  )
}
console.log(JSON.stringify({ rounds, batchesPerRound: batches, loadAverage1m: { before: round1(loadBefore), after: round1(os.loadavg()[0]!) } }))
for (const db of Object.values(opened)) await db.close()
