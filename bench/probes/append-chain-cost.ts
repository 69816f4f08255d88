// Diagnosis, not a workload: what a 100-event batch append costs per event with the hash chain (issue #13, decisions
// 011 and 013). Each variant is an append function in its own schema of one PostgreSQL database, driven through
// appendToStream, taking turns round by round (A, B, C ... then reversed):
// - before the chain: the function of b8eb934^ (from git), called by the store and codec of V1_NODE;
// - chain v1: the function, store and codec of V1_NODE (jsonb payload, jsonb's text hashed);
// - chain v2: hash version 2 as prototyped for decision 013 (bench/probes/chain-hash-v2.patch applied to V2_BASE: the
//   store sends canonical text with the byte slices of data and metadata, which the function hashes as sent);
// - v2, no hash: the same with the hash and link columns left null (what the new payload costs by itself).
// Prints events/s and the CPU time per event of this Node process and of the variant's server backend
// (/proc/<pid>/schedstat: the server must run on this machine); CPU time holds up on a shared, loaded machine where
// events/s does not. Then the Node side alone per event (encodeForAppend and the payload text), old against new.
// Usage: npx tsx bench/probes/append-chain-cost.ts [rounds=11] [batches per round=20]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { encodeForAppend } from '../../eventstore/codec.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventCodec, EventStore, NewEvent } from '../../eventstore/types.ts'
import type { KeyStore } from '../../eventstore/encryption.ts'
import { benchUrl, openPostgres, type Opened } from '../lib/db.ts'
import { batchStream, toNewEvent } from '../lib/events.ts'

/** the commit before the chain (b8eb934 added it) */
const BEFORE_CHAIN = 'b8eb934^'
/** chain v1, and the append path's codec as it was before decision 013 */
const V1_NODE = 'e777288^'
/** the cheaper assertStorable and id check (decision 013), where bench/probes/chain-hash-v2.patch applies */
const V2_BASE = 'e777288'
const rounds = Number(process.argv[2] ?? 11)
const batches = Number(process.argv[3] ?? 20)

const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()
/** `folders` of `commit`, extracted under .tmp in this repository (so that its imports find node_modules) */
function checkout(commit: string, folders: string[], name = commit): string {
  const dir = path.join(repo, '.tmp', `probe-${name.replace(/\W/g, '_')}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  execFileSync('sh', ['-c', `git archive ${commit} ${folders.join(' ')} | tar -x -C "${dir}"`], { cwd: repo })
  return dir
}
/** V2_BASE with the eventstore/ part of the version 2 patch applied (its tests are left out) */
function checkoutV2(folders: string[]): string {
  const dir = checkout(V2_BASE, folders, `${V2_BASE}-v2`)
  const patch = fs.readFileSync(path.join(repo, 'bench/probes/chain-hash-v2.patch'), 'utf8')
  const parts = patch.split(/^(?=diff --git )/m).filter((part) => part.startsWith('diff --git a/eventstore/'))
  execFileSync('patch', ['-p1', '-s', '-d', dir], { input: parts.join('') })
  return dir
}
const importFrom = async <T>(dir: string, file: string) => (await import(pathToFileURL(path.join(dir, file)).href)) as T

type StoreFactory = (o: { driver: SqlDriver; codec: EventCodec; notifyChannel?: string }) => EventStore
type Migrate = (driver: SqlDriver) => Promise<void>
/** a store, its migration and the portal's codec as of one tree */
async function treeAt(dir: string) {
  return {
    store: (await importFrom<{ createPostgresEventStore: StoreFactory }>(dir, 'eventstore/postgres/store.ts')).createPostgresEventStore,
    schema: await importFrom<{ MIGRATION: readonly string[]; migrate: Migrate }>(dir, 'eventstore/postgres/schema.ts'),
    codec: (await importFrom<{ createPortalCodec: (k: KeyStore) => EventCodec }>(dir, 'app/codec.server.ts')).createPortalCodec,
    keyStore: (await importFrom<{ createSqlKeyStore: (d: SqlDriver) => KeyStore }>(dir, 'eventstore/postgres/key-store.ts')).createSqlKeyStore,
    memoryKeys: (await importFrom<{ createMemoryKeyStore: () => KeyStore }>(dir, 'eventstore/encryption.ts')).createMemoryKeyStore,
    encodeForAppend: (await importFrom<{ encodeForAppend: typeof encodeForAppend }>(dir, 'eventstore/codec.ts')).encodeForAppend,
  }
}
const folders = ['eventstore', 'domain', 'app/codec.server.ts']
const v1 = await treeAt(checkout(V1_NODE, folders))
const v2Dir = checkoutV2(folders)
const v2 = await treeAt(v2Dir)
const { appendPayload } = await importFrom<{ appendPayload: (events: readonly NewEvent[]) => unknown }>(v2Dir, 'eventstore/postgres/store.ts')
const beforeDir = checkout(BEFORE_CHAIN, ['eventstore/postgres/schema.ts'])
const beforeChain = (await importFrom<{ MIGRATION: readonly string[] }>(beforeDir, 'eventstore/postgres/schema.ts')).MIGRATION.find((s) =>
  s.includes('create or replace function partnerlog_append'),
)!

const current = v2.schema.MIGRATION.find((s) => s.includes('create or replace function partnerlog_append'))!
// batches only (the probe appends 100 at a time): no window aggregate, no link
const noHash = current
  .replace(/partnerlog_chain_v2\(v_first,[\s\S]*?over \(order by x\.ordinality\) as hash/, 'null::bytea as hash')
  .replace('coalesce(lag(x.hash) over (order by x.ordinality), v_first)', 'null')
if (noHash.includes('partnerlog_chain_v2(') || noHash.includes('lag(')) throw new Error('The v2 append function changed: update this probe')

type Variant = { tree: typeof v1; sql: readonly string[] }
const variants: Record<string, Variant> = {
  'before the chain': { tree: v1, sql: [beforeChain] },
  'chain v1': { tree: v1, sql: [] },
  'chain v2': { tree: v2, sql: [] },
  'v2, no hash': { tree: v2, sql: [noHash] },
}

const names = Object.keys(variants)
const opened: Record<string, Opened> = {}
const stores: Record<string, EventStore> = {}
for (const [i, name] of names.entries()) {
  // this tree's store is opened (and migrated) first, then the variant's migration replaces its functions
  const db = await openPostgres(benchUrl(), `bench_chain_cost_${i}`, { max: 1 })
  const { tree, sql } = variants[name]!
  await tree.schema.migrate(db.driver)
  for (const statement of sql) await db.driver.query(statement)
  opened[name] = db
  stores[name] = tree.store({ driver: db.driver, codec: tree.codec(tree.keyStore(db.driver)), notifyChannel: `bench_chain_cost_${i}` })
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
    for (const unit of units) await stores[name]!.appendToStream(unit[0]!.streamId, unit.map(toNewEvent), { expectedRevision: 'no_stream' })
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const server = (await backendMicros(db)) - server0
    runs[name]!.eventsPerSec.push(Math.round(count / (ms / 1000)))
    runs[name]!.nodeMicros.push((cpu.user + cpu.system) / count)
    runs[name]!.serverMicros.push(server / count)
  }
}
const loadAfterStores = os.loadavg()[0]!
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round1 = (n: number) => Math.round(n * 10) / 10
const base = runs['before the chain']!
const baseTotal = median(base.serverMicros) + median(base.nodeMicros)
for (const name of names) {
  const r = runs[name]!
  const total = median(r.serverMicros) + median(r.nodeMicros)
  console.log(
    JSON.stringify({
      variant: name,
      eventsPerSec: median(r.eventsPerSec),
      nodeCpuMicrosPerEvent: round1(median(r.nodeMicros)),
      serverCpuMicrosPerEvent: round1(median(r.serverMicros)),
      totalCpuMicrosPerEvent: round1(total),
      totalVsBeforeChainPercent: round1(((total - baseTotal) / baseTotal) * 100),
      eventsPerSecRuns: r.eventsPerSec,
    }),
  )
}
for (const db of Object.values(opened)) await db.close()

// The Node side alone, per event of batches of 100 (keys ready, so encryption is included but no key lookup).
const oldCodec = v1.codec(v1.memoryKeys())
const newCodec = v2.codec(v2.memoryKeys())
const sample = Array.from({ length: 200 }, (_, i) => batchStream(5_000_000 + i, 100).map(toNewEvent))
for (const batch of sample) {
  await oldCodec.prepareAppend?.(batch)
  await newCodec.prepareAppend?.(batch)
}
const payloadV1 = (encoded: NewEvent[]) => JSON.stringify(encoded.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })))
const encodedSample = await Promise.all(sample.map((batch) => v2.encodeForAppend(newCodec, 's', batch)))
const node: Record<string, () => Promise<unknown> | unknown> = {
  'encodeForAppend, v1': () => Promise.all(sample.map((batch) => v1.encodeForAppend(oldCodec, 's', batch))),
  'encodeForAppend, v2': () => Promise.all(sample.map((batch) => v2.encodeForAppend(newCodec, 's', batch))),
  'payload, v1 (JSON.stringify)': () => encodedSample.map(payloadV1),
  'payload, v2 (canonical text and byte slices)': () => encodedSample.map(appendPayload),
}
const nodeRuns: Record<string, number[]> = Object.fromEntries(Object.keys(node).map((n) => [n, []]))
for (let round = 0; round < 15; round++) {
  for (const [name, fn] of Object.entries(node)) {
    const cpu0 = process.cpuUsage()
    await fn()
    const cpu = process.cpuUsage(cpu0)
    nodeRuns[name]!.push((cpu.user + cpu.system) / (sample.length * 100))
  }
}
for (const [name, values] of Object.entries(nodeRuns)) console.log(JSON.stringify({ node: name, cpuMicrosPerEvent: Math.round(median(values) * 100) / 100 }))
console.log(
  JSON.stringify({ rounds, batchesPerRound: batches, loadAverage1m: { before: round1(loadBefore), afterStores: round1(loadAfterStores), after: round1(os.loadavg()[0]!) } }),
)
