// Diagnosis, not a workload: where the runner's time goes besides the folds. Over a generated history in its own
// PostgreSQL schema (loaded once, reused while the volume matches) it times, in one process: the raw keyset read,
// readAll (decoded), subscribeToAll, and the real runner with every projection from 0 into SQL, with the time spent in
// keysOf/evolve summed (fold) and each SQL statement's wait summed by kind; `--fold replay` replaces every evolve by a
// lookup of the state the real fold produced (same documents, almost no fold) to show the runner's own cost.
// Usage: npx tsx bench/probes/runner-split.ts [--partners 50] [--events 50000] [--batch 5000] [--cache 10000]
//        [--fold real|replay|both] [--skip-reads] [--load-only] [--profile <path prefix>: a .cpuprofile of each runner run, see runner-prof.ts] (wrap it in `flock /tmp/partnerlog-bench.lock` on a shared machine)
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import pg from 'pg'
import { historyEvents } from '../../cli/generate-history.ts'
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { type AnyProjection, applyEvent, keysFor, takeLogEntries } from '../../projections/projection.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { benchUrl, codec, freshSchema } from '../lib/db.ts'
import { loadHistory } from '../lib/history.ts'
import { note, now, quietLogger, rate, RateTracker } from '../lib/util.ts'
import { lastPosition, rawKeyset } from '../workloads/read.ts'
import { backendCpu, withApplication } from './runner-pgcpu.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const events = Number(arg('events', '50000'))
const batchSize = Number(arg('batch', '5000'))
const cacheSize = Number(arg('cache', '10000'))
const foldMode = arg('fold', 'real')
const skipReads = process.argv.includes('--skip-reads')
const profileTo = arg('profile', '')
const schema = `probe_runner_${partners}_${events}`

const base = benchUrl()
const probe = new pg.Client({ connectionString: base })
await probe.connect()
const { rows } = await probe.query(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'events'`, [schema])
let loaded = 0
if (rows[0].n === 1) loaded = (await probe.query(`select count(*)::int as n from ${schema}.events`)).rows[0].n
await probe.end()
let url: string
if (loaded !== events) {
  url = await freshSchema(base, schema)
  const driver = await createPgDriver(url, { max: 2 })
  await migrate(driver)
  loaded = await loadHistory(driver, historyEvents({ partners, events, seed: 7 }))
  await driver.exec('vacuum analyze events')
  await driver.close()
  note(`loaded ${loaded} events into ${schema}`)
} else {
  const u = new URL(base)
  u.searchParams.set('options', `-c search_path=${schema}`)
  url = u.toString()
}

const cpu = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
const out = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure))

if (process.argv.includes('--load-only')) process.exit(0)
const APP = `runner-probe-${process.pid}`
const driver = await createPgDriver(withApplication(url, APP))
const store = createPostgresEventStore({ driver, codec })
const target = await lastPosition(driver)

/** wall time, this process's CPU and the database's CPU on this process's connections */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number; dbCpuMs: number }> {
  const db = backendCpu(url, APP)
  await db.start()
  const start = now()
  const c0 = cpu()
  const value = await fn()
  const ms = now() - start
  const cpuMs = cpu() - c0
  return { value, ms: Math.round(ms), cpuMs: Math.round(cpuMs), dbCpuMs: await db.stop() }
}

if (!skipReads) {
  const raw = await measured(() => rawKeyset(driver, loaded))
  out({ phase: 'raw-keyset-1000', ms: raw.ms, cpuMs: raw.cpuMs, dbCpuMs: raw.dbCpuMs, eventsPerSec: rate(loaded, raw.ms) })
  const all = await measured(async () => {
    let count = 0
    for await (const _ of store.readAll()) count++
    return count
  })
  out({ phase: 'readAll', count: all.value, ms: all.ms, cpuMs: all.cpuMs, dbCpuMs: all.dbCpuMs, eventsPerSec: rate(all.value, all.ms) })
  const sub = await measured(async () => {
    let count = 0
    const subscription = store.subscribeToAll()
    for await (const _ of subscription) if (++count === loaded) break
    await subscription.unsubscribe()
    return count
  })
  out({ phase: 'subscribeToAll', count: sub.value, ms: sub.ms, cpuMs: sub.cpuMs, dbCpuMs: sub.dbCpuMs, eventsPerSec: rate(sub.value, sub.ms) })
}

/** every SQL statement's wait, summed by its first words */
function timedDriver(inner: SqlDriver, waits: Map<string, { n: number; ms: number; mb: number }>): SqlDriver {
  const kind = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 48)
  const add = (sql: string, ms: number, params?: readonly unknown[]) => {
    const k = kind(sql)
    const w = waits.get(k) ?? { n: 0, ms: 0, mb: 0 }
    w.n++
    w.ms += ms
    for (const p of params ?? []) w.mb += (typeof p === 'string' ? p.length : Array.isArray(p) ? p.reduce((n: number, x) => n + String(x).length, 0) : 0) / 1e6
    waits.set(k, w)
  }
  const wrap = (ex: SqlExecutor): SqlExecutor => ({
    async query(sql, params, options) {
      const start = now()
      try {
        return await ex.query(sql, params, options)
      } finally {
        add(sql, now() - start, params)
      }
    },
  })
  return {
    kind: inner.kind,
    query: wrap(inner).query,
    transaction: async (fn) => {
      const start = now()
      try {
        return await inner.transaction((tx) => fn(wrap(tx)))
      } finally {
        add('(whole transaction)', now() - start)
      }
    },
    exec: (sql) => inner.exec(sql),
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    close: () => inner.close(),
  }
}

/** The real fold with the time in keysOf/evolve summed. */
function timedProjections(projections: readonly AnyProjection[], fold: { ms: number }): AnyProjection[] {
  return projections.map((p) => ({
    ...p,
    keysOf(event: RecordedEvent) {
      const t = performance.now()
      try {
        return p.keysOf(event)
      } finally {
        fold.ms += performance.now() - t
      }
    },
    evolve(state: unknown, event: RecordedEvent, shared: Readonly<Record<string, unknown>>) {
      const t = performance.now()
      try {
        return p.evolve(state, event, shared)
      } finally {
        fold.ms += performance.now() - t
      }
    },
  }))
}

/**
 * Every evolve replaced by the state the real fold gave for (event, key), folded as the runner folds (log fields
 * emptied after each event): the same documents and log rows with next to no fold.
 */
async function replayProjections(projections: readonly AnyProjection[]): Promise<AnyProjection[]> {
  const all: RecordedEvent[] = []
  for await (const event of store.readAll()) all.push(event)
  return projections.map((p) => {
    const byEvent = new Map<string, unknown[]>()
    const docs = new Map<string, unknown>()
    for (const event of all) {
      const keys = keysFor(p, event)
      if (keys.length === 0) continue
      const states: unknown[] = []
      for (const [key, next] of applyEvent(p, docs, event, keys)) {
        states.push(next)
        docs.set(key, takeLogEntries(p.logs ?? [], next, () => {}))
      }
      byEvent.set(event.id, states)
    }
    // applyEvent evolves the keys in keysFor's order, one event at a time
    let last: string | undefined
    let index = 0
    return {
      ...p,
      evolve(_state: unknown, event: RecordedEvent) {
        if (event.id !== last) {
          last = event.id
          index = 0
        }
        return byEvent.get(event.id)![index++]
      },
    }
  })
}

async function runOnce(label: string, projections: AnyProjection[]): Promise<void> {
  // the read models' tables from nothing, as on a fresh database (migrations 6 and 7 run again at start)
  await driver.exec(`drop table if exists read_models, read_model_logs, projection_checkpoints, projection_leases, projection_failures;
    delete from schema_migrations where number in (6, 7)`)
  const waits = new Map<string, { n: number; ms: number; mb: number }>()
  const fold = { ms: 0 }
  const timed = label === 'replay' ? projections : timedProjections(projections, fold)
  const runner = createProjectionRunner({ store, driver: timedDriver(driver, waits), projections: timed, logger: quietLogger, batchSize, cacheSize })
  const tracker = new RateTracker(loaded)
  const first = Number(target.prepare) - loaded
  const poll = setInterval(() => {
    const min = runner.status().reduce((m, s) => (s.position.prepare < m ? s.position.prepare : m), target.prepare)
    tracker.mark(Math.max(0, Number(min) - first))
  }, 20)
  const rss0 = process.memoryUsage().rss
  let rssMax = rss0
  const rssPoll = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 200)
  const session = profileTo ? new Session() : undefined
  if (session) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const run = await measured(async () => {
    await runner.start()
    await runner.waitFor(target, 60 * 60_000)
  })
  if (session) {
    const { profile } = await session.post('Profiler.stop')
    fs.writeFileSync(`${profileTo}.${label}.cpuprofile`, JSON.stringify(profile))
    session.disconnect()
  }
  const { ms, cpuMs, dbCpuMs } = run
  clearInterval(poll)
  clearInterval(rssPoll)
  tracker.mark(loaded)
  await runner.stop()
  const docs = await driver.query<{ n: number }>('select count(*)::int as n from read_models')
  const logs = await driver.query<{ n: number }>('select count(*)::int as n from read_model_logs')
  const size = await driver.query<{ mb: number }>(`select (sum(pg_column_size(state)) / 1e6)::float8 as mb from read_models`)
  out({
    phase: `runner ${label}`, batchSize, cacheSize, events: loaded, ms, cpuMs, dbCpuMs, foldMs: Math.round(fold.ms),
    eventsPerSec: rate(loaded, ms), ...tracker.firstAndLastTenth(), documents: docs.rows[0]!.n, logRows: logs.rows[0]!.n,
    stateMb: Math.round(size.rows[0]!.mb), rssMb: Math.round(rssMax / 1e6),
  })
  const sorted = [...waits.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)
  for (const [sql, w] of sorted) out({ sql, n: w.n, ms: Math.round(w.ms), paramsMb: Math.round(w.mb) })
}

if (foldMode === 'real' || foldMode === 'both') await runOnce('real', allProjections)
if (foldMode === 'replay' || foldMode === 'both') {
  await runOnce('replay', await replayProjections(allProjections))
}
await store.close()
await driver.close()
