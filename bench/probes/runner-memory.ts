// Diagnosis, not a workload: where a fresh runner's memory goes while it brings every projection from empty over a
// generated history (issue #16: server RSS at 1,000,000 events < 300 MB). Runs the runner alone in this process over
// a schema made by runner-split.ts, copied first so that another probe's drop of the read models does not hit this one
// (psql -c 'create schema probe_memory_1000_1000000'; pg_dump -n probe_runner_1000_1000000 | sed s/probe_runner_/probe_memory_/g
// | grep -v '^CREATE SCHEMA' | psql), for at most --seconds, and prints every --every seconds: events reached, RSS (VmRSS) and
// its peak (VmHWM), V8 heap used/total, external and array buffers, and the document caches' entries and counted bytes.
// Node's memory flags go in NODE_OPTIONS (e.g. NODE_OPTIONS=--max-old-space-size=160), so the run is what a server gets.
// Usage: npx tsx bench/probes/runner-memory.ts [--schema probe_memory_1000_1000000] [--seconds 300] [--every 10]
//        [--batch 5000] [--cache 10000] [--live: with NODE_OPTIONS=--expose-gc] [--writes N: every Nth write's events,
//        documents and JSON bytes per projection (measured with JSON.stringify: slows the run)] [--until N: stop at N events]
//        [--catch-up-bytes N: the runner's catchUpBytes] [--cache-bytes N: its cacheBytes, per projection]
//        [--catch-up-events N] [--catch-up-documents N] [--catch-up-ms N] [--read-ahead-bytes N: the runner's options of those names]
// It also reports the CPU time of PostgreSQL's backends serving the runner (same machine only: /proc), per 1,000 events.
// The caches' byte budget is member.ts's DOCUMENT_CACHE_BYTES (compare budgets by changing it in a copy of the tree).
import fs from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'
import v8 from 'node:v8'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { START } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { DOCUMENT_CACHE_BYTES } from '../../projections/runner/member.ts'
import { Supervisor } from '../../projections/runner/supervisor.ts'
import { benchUrl, codec } from '../lib/db.ts'
import { quietLogger } from '../lib/util.ts'
import { lastPosition } from '../workloads/read.ts'
import { backendCpu, withApplication } from './runner-pgcpu.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const schema = arg('schema', 'probe_memory_1000_1000000')
const seconds = Number(arg('seconds', '300'))
const every = Number(arg('every', '10'))
const batchSize = Number(arg('batch', '5000'))
const cacheSize = Number(arg('cache', '10000'))
const live = process.argv.includes('--live')
const writesEvery = Number(arg('writes', '0'))
const catchUpBytes = arg('catch-up-bytes', '') ? Number(arg('catch-up-bytes', '')) : undefined
const cacheBytes = arg('cache-bytes', '') ? Number(arg('cache-bytes', '')) : undefined
const numberArg = (name: string) => (arg(name, '') ? Number(arg(name, '')) : undefined)
const runnerOptions = Object.fromEntries(
  ([['catchUpEvents', numberArg('catch-up-events')], ['catchUpDocuments', numberArg('catch-up-documents')], ['catchUpMs', numberArg('catch-up-ms')], ['readAheadBytes', numberArg('read-ahead-bytes')]] as const).filter(([, v]) => v !== undefined),
)
// stop once this many events are reached (so runs compare over the same stretch of the log), or at --seconds
const until = Number(arg('until', '0')) || Number.POSITIVE_INFINITY

const u = new URL(benchUrl())
u.searchParams.set('options', `-c search_path=${schema}`)
const application = `runner-memory-${process.pid}`
const driver = await createPgDriver(withApplication(u.toString(), application))
const store = createPostgresEventStore({ driver, codec })
const target = await lastPosition(driver)
const first = await driver.query<{ p: string }>('select min(global_position)::text as p from events')
const firstPrepare = Number(first.rows[0]!.p)
const total = Number(target.prepare) - firstPrepare + 1
// the read models' tables from nothing, as on a fresh database (migrations 6 and 7 run again at start)
await driver.exec(`drop table if exists read_models, read_model_logs, projection_checkpoints, projection_leases, projection_failures;
  delete from schema_migrations where number in (6, 7)`)

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10
function proc(): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN)
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 }
}

const supervisor = new Supervisor({ store, driver, projections: allProjections, logger: quietLogger, batchSize, cacheSize, ...(catchUpBytes ? { catchUpBytes } : {}), ...(cacheBytes ? { cacheBytes } : {}), ...runnerOptions })
// every write's documents, counted (cheap): how many writes, and what each covered
const writeCounts = { writes: 0, documents: 0 }
{
  const write = supervisor.write.bind(supervisor)
  supervisor.write = (work, to) => {
    writeCounts.writes++
    for (const w of work) writeCounts.documents += w.touched.size
    return write(work, to)
  }
}
if (writesEvery > 0) {
  // what one write holds: its events and the JSON of the documents it touched, per projection (the largest four)
  const write = supervisor.write.bind(supervisor)
  let writes = 0
  supervisor.write = (work, to) => {
    if (++writes % writesEvery === 0) {
      // the events it took (this tree's Work keeps a count, not the events)
      const counted = work as unknown as { eventCount?: number; events?: readonly unknown[] }[]
      const events = Math.max(...counted.map((w) => w.eventCount ?? w.events?.length ?? 0))
      const logEntries = work.reduce((sum, w) => sum + w.logEntries.length, 0)
      const logJsonMb = mb(work.reduce((sum, w) => sum + w.logEntries.reduce((s, e) => s + (JSON.stringify(e.entry)?.length ?? 0), 0), 0))
      const bytes = work.map((w) => [w.member.name, [...w.touched.values()].reduce((sum, doc) => sum + (JSON.stringify(doc.state)?.length ?? 0), 0), w.touched.size] as const)
      bytes.sort((a, b) => b[1] - a[1])
      out({ phase: 'write', write: writes, at: reached(), events, logEntries, logJsonMb, documents: bytes.reduce((s, b) => s + b[2], 0), jsonMb: mb(bytes.reduce((s, b) => s + b[1], 0)),
        largest: Object.fromEntries(bytes.slice(0, 4).map(([name, b, n]) => [name, `${mb(b)} MB / ${n}`])) })
    }
    return write(work, to)
  }
}
const reached = () => {
  let least = Number.POSITIVE_INFINITY
  for (const m of supervisor.members) least = Math.min(least, m.position === START ? firstPrepare - 1 : Number(m.position.prepare))
  return Math.max(0, least - firstPrepare + 1)
}
function caches() {
  let entries = 0
  let bytes = 0
  const largest: [string, number][] = []
  for (const m of supervisor.members) {
    const c = m.cache as unknown as { size: number; calculatedSize?: number } | undefined
    if (!c) continue
    entries += c.size
    bytes += c.calculatedSize ?? 0
    largest.push([m.name, c.calculatedSize ?? c.size])
  }
  largest.sort((a, b) => b[1] - a[1])
  return { cacheEntries: entries, cacheMb: mb(bytes), cacheLargest: Object.fromEntries(largest.slice(0, 4)) }
}
const out = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure))

out({ phase: 'start', schema, events: total, batchSize, cacheSize, catchUpBytes, ...runnerOptions, cacheBudgetMb: mb(cacheBytes ?? DOCUMENT_CACHE_BYTES), nodeOptions: process.env.NODE_OPTIONS ?? '', heapLimitMb: mb(v8.getHeapStatistics().heap_size_limit), ...proc() })
// time spent in garbage collection (pauses on the main thread), what a smaller heap costs
let gcMs = 0
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration
})
gcObserver.observe({ entryTypes: ['gc'] })
const started = performance.now()
const cpu0 = process.cpuUsage()
let peakHeap = 0
const sample = (phase: string) => {
  const before = process.memoryUsage().heapUsed
  // --live (node --expose-gc): a full collection first, so heap used is what is still reachable, not garbage not yet collected
  if (live) (globalThis as { gc?: () => void }).gc!()
  const m = process.memoryUsage()
  peakHeap = Math.max(peakHeap, m.heapUsed)
  const c = process.cpuUsage(cpu0)
  out({
    phase, ...(live ? { heapBeforeGcMb: mb(before) } : {}), s: Math.round((performance.now() - started) / 1000), events: reached(), cpuS: Math.round((c.user + c.system) / 1e5) / 10, gcS: Math.round(gcMs / 100) / 10, ...proc(),
    heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), ...caches(),
  })
}
// samples the heap in between too (cheap), so the peak heap used is not missed between printed lines
const fine = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 250)
const timer = setInterval(() => sample('running'), every * 1000)
const pgCpu = backendCpu(benchUrl(), application)
await pgCpu.start()
await supervisor.start()
const deadline = started + seconds * 1000
// from the first write on (start-up, migrations and the first read of the log left out): events, node and PostgreSQL CPU
let fromFirst: { events: number; cpu: NodeJS.CpuUsage; pgMs: number; ms: number } | undefined
while (performance.now() < deadline && reached() < Math.min(total, until)) {
  await new Promise((resolve) => setTimeout(resolve, 200))
  if (!fromFirst && reached() > 0) fromFirst = { events: reached(), cpu: process.cpuUsage(), pgMs: await pgCpu.sofar(), ms: performance.now() }
}
clearInterval(timer)
clearInterval(fine)
const ms = performance.now() - started
sample(reached() >= total ? 'caught up' : 'time limit')
const c = process.cpuUsage(cpu0)
const pgMs = await pgCpu.stop()
if (fromFirst) {
  const n = Math.max(1, (reached() - fromFirst.events) / 1000)
  const cf = process.cpuUsage(fromFirst.cpu)
  out({ phase: 'from first write', events: reached() - fromFirst.events, ms: Math.round(performance.now() - fromFirst.ms), cpuMsPerKiloEvent: Math.round((cf.user + cf.system) / 1000 / n), pgCpuMsPerKiloEvent: Math.round((pgMs - fromFirst.pgMs) / n) })
}
out({ phase: 'summary', events: reached(), of: total, ms: Math.round(ms), eventsPerSec: Math.round((reached() * 1000) / ms), cpuMsPerKiloEvent: Math.round((c.user + c.system) / 1000 / Math.max(1, reached() / 1000)), pgCpuMsPerKiloEvent: Math.round(pgMs / Math.max(1, reached() / 1000)), gcMsPerKiloEvent: Math.round(gcMs / Math.max(1, reached() / 1000)), writes: writeCounts.writes, eventsPerWrite: Math.round(reached() / Math.max(1, writeCounts.writes)), documentsPerWrite: Math.round(writeCounts.documents / Math.max(1, writeCounts.writes)), peakHeapUsedMb: mb(peakHeap), ...proc() })
gcObserver.disconnect()
await supervisor.stop()
await store.close()
await driver.close()
