// Diagnosis, not a workload: what a 100-event batch append costs per event with the hash chain, by the type of
// events.data/metadata and the shape of the batch (issue #13, decisions 011, 013 and 015). Each variant is a store,
// codec and append function in its own schema of one PostgreSQL database, driven through appendToStream, taking turns
// round by round (A, B, C ... then reversed):
// - jsonb, before the chain: JSONB_CHAIN's store and codec, the append function of b8eb934^, jsonb columns;
// - jsonb, chain: JSONB_CHAIN as it is (the batch one jsonb parameter; jsonb's text hashed);
// - json, chain, json_to_recordset: JSONB_CHAIN's store sending its batch as json, its function turned to json, json
//   columns (the stored text is the text sent, hashed as it is);
// - json arrays, window aggregate: decision 015's first version (bench/probes/json-event-columns.patch, applied to
//   JSONB_CHAIN): json columns, the batch as ids, types, and data and metadata as two json arrays, chained by the
//   window aggregate as before, run by this tree's store;
// - json arrays, loop: this tree's eventstore/ (decision 015 as adopted: the same, chained by a PL/pgSQL loop);
// - json arrays, no hash: the first with the hash and link columns left null.
// Every tree has JSONB_CHAIN's domain/ and codec, so the variants differ in eventstore/ only. Prints events/s and the
// CPU time per event of this Node process and of the variant's server backend (/proc/<pid>/schedstat: the server must
// run on this machine); CPU time holds up on a shared, loaded machine where events/s does not. The chain-hash-v2
// comparison of decision 013 is this file as of 9b8496a.
// Usage: npx tsx bench/probes/append-chain-cost.ts [rounds=11] [batches per round=20]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { KeyStore } from '../../eventstore/encryption.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { migrateKeyStore } from '../../eventstore/postgres/key-store.ts'
import { verifyLog } from '../../eventstore/verify-log.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import type { EventCodec, EventStore } from '../../eventstore/types.ts'
import { benchUrl, freshSchema } from '../lib/db.ts'
import { batchStream, toNewEvent } from '../lib/events.ts'

/** the commit before the chain (b8eb934 added it) */
const BEFORE_CHAIN = 'b8eb934^'
/** the chain as built over jsonb columns (decision 011), before decision 015 */
const JSONB_CHAIN = 'c95d2b7'
const rounds = Number(process.argv[2] ?? 11)
const batches = Number(process.argv[3] ?? 20)

const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()
/** `folders` of `commit` extracted under .tmp here (so that imports find node_modules), `patch`'s eventstore/ part applied, `own` copied from the working tree */
function tree(name: string, commit: string, folders: string[], patch?: string, own: string[] = []): string {
  const dir = path.join(repo, '.tmp', `probe-chain-cost-${name}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  execFileSync('sh', ['-c', `git archive ${commit} ${folders.join(' ')} | tar -x -C "${dir}"`], { cwd: repo })
  if (patch) {
    const parts = fs.readFileSync(path.join(repo, patch), 'utf8').split(/^(?=diff --git )/m).filter((part) => part.startsWith('diff --git a/eventstore/'))
    execFileSync('patch', ['-p1', '-s', '-d', dir], { input: parts.join('') })
  }
  for (const folder of own) fs.cpSync(path.join(repo, folder), path.join(dir, folder), { recursive: true })
  return dir
}
const importFrom = async <T>(dir: string, file: string) => (await import(pathToFileURL(path.join(dir, file)).href)) as T

type StoreFactory = (o: { driver: SqlDriver; codec: EventCodec; notifyChannel?: string }) => EventStore
async function treeAt(dir: string) {
  return {
    store: (await importFrom<{ createPostgresEventStore: StoreFactory }>(dir, 'eventstore/postgres/store.ts')).createPostgresEventStore,
    schema: await importFrom<{ MIGRATION: readonly string[]; migrate: (driver: SqlDriver) => Promise<void> }>(dir, 'eventstore/postgres/schema.ts'),
    codec: (await importFrom<{ createPortalCodec: (k: KeyStore) => EventCodec }>(dir, 'app/codec.server.ts')).createPortalCodec,
    keyStore: (await importFrom<{ createSqlKeyStore: (d: SqlDriver) => KeyStore }>(dir, 'eventstore/postgres/key-store.ts')).createSqlKeyStore,
  }
}
const appendFunctionOf = (migration: readonly string[]) => migration.find((s) => s.includes('create or replace function partnerlog_append'))!

const shared = ['domain', 'app/codec.server.ts']
const jsonbTree = await treeAt(tree('jsonb', JSONB_CHAIN, ['eventstore', ...shared]))
const windowSchema = await importFrom<{ MIGRATION: readonly string[] }>(
  tree('json-window', JSONB_CHAIN, ['eventstore'], 'bench/probes/json-event-columns.patch'),
  'eventstore/postgres/schema.ts',
)
const jsonTree = await treeAt(tree('json', JSONB_CHAIN, shared, undefined, ['eventstore']))
const beforeChain = appendFunctionOf((await importFrom<{ MIGRATION: readonly string[] }>(tree('before', BEFORE_CHAIN, ['eventstore/postgres/schema.ts']), 'eventstore/postgres/schema.ts')).MIGRATION)
const jsonbChain = appendFunctionOf(jsonbTree.schema.MIGRATION)
const jsonWindow = appendFunctionOf(windowSchema.MIGRATION)
const jsonLoop = appendFunctionOf(jsonTree.schema.MIGRATION)
if (!jsonLoop.includes('p_data json')) throw new Error(`This tree's append function does not take json arrays: update this probe`)
/** the window aggregate of the chain as built, which the json arrays' first version uses (this tree drops it) */
const chainAggregate = windowSchema.MIGRATION.find((s) => s.includes('create or replace aggregate partnerlog_chain'))!

/** the jsonb function with its batch as json: json_to_recordset's json columns are the text sent, stored as is */
const asJson = (fn: string) => {
  const out = fn
    .replace('p_events jsonb', 'p_events json')
    .replace('jsonb_array_length(p_events)', 'json_array_length(p_events)')
    .replaceAll('jsonb_to_recordset(p_events)', 'json_to_recordset(p_events)')
    .replaceAll('data jsonb, metadata jsonb', 'data json, metadata json')
    .replace('jsonb_array_elements(p_events)', 'json_array_elements(p_events)')
  if (out.includes('jsonb')) throw new Error('The append function changed: update asJson in this probe')
  return out
}
/** batches only (the probe appends 100 at a time): no window aggregate, no link */
const noHash = (fn: string) => {
  const out = fn
    .replace(/partnerlog_chain\(v_first,[\s\S]*?over \(order by x\.ordinality\) as hash/, 'null::bytea as hash')
    .replace('coalesce(lag(x.hash) over (order by x.ordinality), v_first)', 'null')
  if (out.includes('partnerlog_chain(') || out.includes('lag(')) throw new Error('The append function changed: update noHash in this probe')
  return out
}

/** the driver with the old store's append call casting its one-parameter batch to json */
function batchAsJson(driver: SqlDriver): SqlDriver {
  return new Proxy(driver, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver)
      return (sql: string, ...rest: unknown[]) => (target.query as (...a: unknown[]) => unknown)(sql.replace('$3::jsonb', '$3::json'), ...rest)
    },
  })
}

type Variant = { tree: typeof jsonbTree; columns: 'json' | 'jsonb'; fn: string; sql?: string[]; driver?: (d: SqlDriver) => SqlDriver }
const variants: Record<string, Variant> = {
  'jsonb, before the chain': { tree: jsonbTree, columns: 'jsonb', fn: beforeChain },
  'jsonb, chain': { tree: jsonbTree, columns: 'jsonb', fn: jsonbChain },
  'json, chain, json_to_recordset': { tree: jsonbTree, columns: 'json', fn: asJson(jsonbChain), driver: batchAsJson },
  'json arrays, chain, window aggregate': { tree: jsonTree, columns: 'json', fn: jsonWindow, sql: [chainAggregate] },
  'json arrays, chain, loop': { tree: jsonTree, columns: 'json', fn: jsonLoop },
  'json arrays, no hash': { tree: jsonTree, columns: 'json', fn: noHash(jsonWindow) },
}

const names = Object.keys(variants)
const drivers: Record<string, SqlDriver> = {}
const stores: Record<string, EventStore> = {}
for (const [i, name] of names.entries()) {
  const { tree: t, columns, fn, sql = [], driver: wrap } = variants[name]!
  const schema = `bench_chain_cost_${i}`
  const driver = await createPgDriver(await freshSchema(benchUrl(), schema), { max: 1 })
  await t.schema.migrate(driver)
  await migrateKeyStore(driver)
  // the variant's columns and function in place of the tree's (no guard: the probe's own schema)
  await driver.query(`alter table events alter column data type ${columns} using data::${columns}, alter column metadata type ${columns} using metadata::${columns}`)
  await driver.query(`drop function if exists partnerlog_append(text, text, jsonb, text)`)
  await driver.query(`drop function if exists partnerlog_append(text, text, uuid[], text[], json, json, text)`)
  for (const statement of [...sql, fn]) await driver.query(statement)
  drivers[name] = driver
  stores[name] = t.store({ driver: wrap ? wrap(driver) : driver, codec: t.codec(t.keyStore(driver)), notifyChannel: schema })
}
const backendMicros = async (driver: SqlDriver): Promise<number> => {
  const { rows } = await driver.query<{ pid: number }>('select pg_backend_pid() as pid')
  return Number(fs.readFileSync(`/proc/${rows[0]!.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000
}

type Runs = { eventsPerSec: number[]; nodeMicros: number[]; serverMicros: number[] }
const runs: Record<string, Runs> = Object.fromEntries(names.map((n) => [n, { eventsPerSec: [], nodeMicros: [], serverMicros: [] }]))
let stream = 0
const loadBefore = os.loadavg()[0]!
// round -1 warms up the JIT and each backend's caches and is not counted
for (let round = -1; round < rounds; round++) {
  for (const name of round % 2 !== 0 ? names : [...names].reverse()) {
    const driver = drivers[name]!
    const units = Array.from({ length: batches }, () => batchStream(1_000_000 + stream++, 100))
    const count = units.length * 100
    const server0 = await backendMicros(driver)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (const unit of units) await stores[name]!.appendToStream(unit[0]!.streamId, unit.map(toNewEvent), { expectedRevision: 'no_stream' })
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const server = (await backendMicros(driver)) - server0
    if (round < 0) continue
    runs[name]!.eventsPerSec.push(Math.round(count / (ms / 1000)))
    runs[name]!.nodeMicros.push((cpu.user + cpu.system) / count)
    runs[name]!.serverMicros.push(server / count)
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round1 = (n: number) => Math.round(n * 10) / 10
const base = runs['jsonb, before the chain']!
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
    }),
  )
}
// each chained variant's log verifies (a variant that hashed the wrong text would be measured for nothing)
for (const name of names.filter((n) => n.includes('chain') && !n.includes('before'))) {
  const { firstBroken, eventsVerified } = await verifyLog(stores[name]!.chain!)
  if (firstBroken) throw new Error(`${name}: the log does not verify: ${JSON.stringify(firstBroken, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`)
  console.log(JSON.stringify({ variant: name, verified: eventsVerified }))
}
for (const name of names) {
  await stores[name]!.close()
  await drivers[name]!.close()
}
console.log(JSON.stringify({ rounds, batchesPerRound: batches, loadAverage1m: { before: round1(loadBefore), after: round1(os.loadavg()[0]!) } }))
