// Rebuild of every projection over a generated history: the runner into SQL and an in-memory fold, against a raw read,
// at 50,000 and 1,000,000 events, with the rate over the first and the last tenth of the log (issue #16's targets).
import type { EventStore } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { applyEvent, foldEvents, keysFor, takeLogEntries, type AnyProjection } from '../../projections/projection.ts'
import { createProjectionRunner, ProjectionWaitTimeout } from '../../projections/runner.ts'
import { openPostgresAt, schemaUrl, type Opened } from '../lib/db.ts'
import { ensureHistory, resetReadModels, type HistoryVolume } from '../lib/history.ts'
import { leastPosition, LogIndex, sampleProgress } from '../lib/progress.ts'
import { emit, median, note, now, quietLogger, rate, RateTracker, ratio, round } from '../lib/util.ts'
import { rawKeyset } from './read.ts'
import { goal, type BenchContext, type Target, type Workload, type WorkloadResult } from './types.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The volumes, from BENCH_REBUILD_EVENTS (comma-separated) or the defaults; ~1,000 events per partner as at 1M / 1,000. */
function volumesOf(ctx: BenchContext): HistoryVolume[] {
  const list = process.env.BENCH_REBUILD_EVENTS ?? (ctx.quick ? '20000,100000' : '50000,1000000')
  return list
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
    .map((events) => ({ events, partners: Math.max(1, Math.round(events / 1000)), seed: 7 }))
}

type Run = { count: number; ms: number; complete: boolean; first10pct: number; last10pct: number }

/**
 * foldEvents with the log fields (Projection.logs) taken out of the documents after each event, as the runner's fold
 * does (projections/runner/work.ts); the entries are collected per 5,000 events (the runner's batch) and let go.
 */
function foldTakingLogs(entries: unknown[]) {
  return (projection: AnyProjection, docs: Map<string, unknown>, event: Parameters<typeof foldEvents>[2]): void => {
    const keys = keysFor(projection, event)
    if (keys.length === 0) return
    const logs = projection.logs
    for (const [key, next] of applyEvent(projection, docs, event, keys)) {
      const state = !logs || logs.length === 0 ? next : takeLogEntries(logs, next, (field, entry, idx) =>
        entries.push({ projection: projection.name, version: projection.version, key, field, position: event.position, idx, entry }),
      )
      docs.set(key, state)
    }
  }
}

/**
 * every projection folded in memory over one readAll, until `budgetMs`: with `takeLogs` false the documents keep their
 * log fields, as the auditor's state as of a date does (app/audit.server.ts stateAsOf, decision 035); with `takeLogs`
 * the log entries are taken out after each event, as the runner does
 */
async function foldAll(store: EventStore, total: number, budgetMs: number, takeLogs = false): Promise<Run> {
  const docs = allProjections.map(() => new Map<string, unknown>())
  const entries: unknown[] = []
  const fold = takeLogs ? foldTakingLogs(entries) : foldEvents
  const tracker = new RateTracker(total)
  const start = now()
  let count = 0
  let complete = true
  for await (const event of store.readAll()) {
    for (let i = 0; i < allProjections.length; i++) fold(allProjections[i]!, docs[i]!, event)
    count++
    if (count % 5000 === 0) entries.length = 0
    if (count % 500 === 0) {
      tracker.mark(count)
      if (count % 100_000 === 0) note(`rebuild-all: fold${takeLogs ? ' (log entries taken out)' : ''} at ${count} of ${total} events after ${Math.round((now() - start) / 1000)} s`)
      if (now() - start > budgetMs) {
        complete = false
        break
      }
    }
  }
  const ms = now() - start
  tracker.mark(count)
  if (complete && count !== total) throw new Error(`fold read ${count} events, expected ${total}`)
  return { count, ms, complete, ...tracker.firstAndLastTenth(count) }
}

/** one projection at a time in memory: which ones cost the most */
async function foldEach(store: EventStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const events = []
  for await (const event of store.readAll()) events.push(event)
  for (const projection of allProjections) {
    const docs = new Map<string, unknown>()
    const start = now()
    for (const event of events) foldEvents(projection, docs, event)
    out[projection.name] = rate(events.length, now() - start)
  }
  return out
}

/**
 * The real runner with every projection from an empty read model to the end of the log, or until `budgetMs`; its
 * position (the least advanced projection, runner.status()) is sampled every 100 ms for the rate over each tenth (the
 * runner commits a position per batch of 5,000 events by default: at 50,000 events a tenth is one batch).
 */
async function runnerRebuildAll(db: Opened, index: LogIndex, budgetMs: number): Promise<Run & { documents: number }> {
  await resetReadModels(db.driver)
  const target = index.last()!
  const runner = createProjectionRunner({ store: db.store, driver: db.driver, projections: allProjections, logger: quietLogger })
  // the tenths are timed from when start() resolves (tables migrated, leases taken), so the first tenth is folding
  const tracker = new RateTracker(index.size)
  let sampler: ReturnType<typeof sampleProgress> | undefined
  const start = now()
  let complete = true
  try {
    await runner.start()
    tracker.restart()
    sampler = sampleProgress(index, tracker, () => leastPosition(runner.status().map((s) => s.position)), 100)
    const progress = setInterval(() => note(`rebuild-all: runner at ${sampler?.reached()} of ${index.size} events after ${Math.round((now() - start) / 1000)} s`), 60_000)
    try {
      await runner.waitFor(target, budgetMs)
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeout)) throw error
      complete = false
    } finally {
      clearInterval(progress)
    }
    // waitFor skips projections it cannot wait for (rebuilding, failed): the sampled position must be at the end too
    while (complete && sampler.reached() < index.size) {
      if (now() - start > budgetMs) complete = false
      else await sleep(20)
    }
  } finally {
    await runner.stop().catch((error) => note(`rebuild-all: runner stop: ${(error as Error).message}`))
  }
  const ms = now() - start
  const count = await sampler.stop()
  const stuck = runner.status().filter((s) => s.state === 'failed' || s.state === 'halted')
  if (stuck.length > 0) note(`rebuild-all: projections stopped: ${stuck.map((s) => `${s.name} ${s.state} ${s.error ?? ''}`).join('; ')}`)
  const { rows } = await db.driver.query<{ n: string }>(`select count(*)::text as n from read_models`)
  note(`rebuild-all: runner ${complete ? 'rebuilt' : 'stopped at the time limit in'} ${allProjections.length} projections, ${count} of ${index.size} events in ${Math.round(ms)} ms`)
  return { count, ms, complete: complete && count === index.size, ...tracker.firstAndLastTenth(Math.max(count, 1)), documents: Number(rows[0]!.n) }
}

async function measure(ctx: BenchContext, volume: HistoryVolume, budgetMs: number, perProjection: boolean): Promise<{ summary: Record<string, unknown>; targets: Target[] }> {
  const schema = `bench_rebuild_all_${volume.events}`
  const url = schemaUrl(ctx.pgUrl!, schema)
  const t0 = now()
  const history = await ensureHistory(url, schema, volume, `rebuild-all ${volume.events}`)
  const db = await openPostgresAt(url, schema)
  try {
    const index = await LogIndex.load(db.driver)
    const loaded = index.size
    note(`rebuild-all: ${history.reused ? 'reused' : 'loaded'} ${loaded} generated events (${volume.partners} partners) in ${Math.round(now() - t0)} ms`)
    const base = { workload: 'rebuild-all', store: 'postgres', events: loaded, partners: volume.partners, projections: allProjections.length }
    // 3 interleaved runs where cheap, 1 at 1M (a fold of every projection takes minutes there today)
    const runs = loaded <= 100_000 ? 3 : 1
    const raws: number[] = []
    const folds: Run[] = []
    const takenFolds: Run[] = []
    let rawTenths = { first10pct: 0, last10pct: 0 }
    for (let run = 0; run < runs; run++) {
      const tracker = new RateTracker(loaded)
      const start = now()
      await rawKeyset(db.driver, loaded, tracker)
      raws.push(rate(loaded, now() - start))
      rawTenths = tracker.firstAndLastTenth()
      // both in-memory folds in every run, in turns, so that neither always runs on a colder JIT or a fuller heap
      const kept = async () => folds.push(await foldAll(db.store, loaded, budgetMs))
      const taken = async () => takenFolds.push(await foldAll(db.store, loaded, budgetMs, true))
      for (const fold of run % 2 === 0 ? [kept, taken] : [taken, kept]) await fold()
      if (!folds.at(-1)!.complete || !takenFolds.at(-1)!.complete) break
    }
    const raw = median(raws)
    emit({ ...base, name: `postgres raw-keyset-1000 ${loaded}`, variant: 'raw-keyset-1000', eventsPerSecRuns: raws, eventsPerSec: raw, ...rawTenths })
    const foldRates = folds.map((f) => rate(f.count, f.ms))
    const fold = median(foldRates)
    const foldLast = folds.at(-1)!
    const foldComplete = folds.every((f) => f.complete)
    emit({
      ...base, name: `postgres fold-all-in-memory ${loaded}`, variant: 'fold-all-in-memory', eventsPerSecRuns: foldRates, eventsPerSec: fold,
      first10pct: foldLast.first10pct, last10pct: foldLast.last10pct, complete: foldComplete, ...(foldComplete ? {} : { eventsFolded: foldLast.count, limitSeconds: budgetMs / 1000 }),
    })
    // beside it, not a goal: the fold without the memory its log fields hold (decision 035)
    const takenRates = takenFolds.map((f) => rate(f.count, f.ms))
    const taken = median(takenRates)
    const takenLast = takenFolds.at(-1)!
    const takenComplete = takenFolds.every((f) => f.complete)
    emit({
      ...base, name: `postgres fold-all-in-memory-logs-taken ${loaded}`, variant: 'fold-all-in-memory (log entries taken out, as the runner)', eventsPerSecRuns: takenRates, eventsPerSec: taken,
      first10pct: takenLast.first10pct, last10pct: takenLast.last10pct, complete: takenComplete, ...(takenComplete ? {} : { eventsFolded: takenLast.count, limitSeconds: budgetMs / 1000 }),
    })
    const runnerRun = await runnerRebuildAll(db, index, budgetMs)
    const runner = rate(runnerRun.count, runnerRun.ms)
    emit({
      ...base, name: `postgres runner-all-sql ${loaded}`, variant: 'runner-all-sql', documents: runnerRun.documents, eventsPerSec: runner, ms: Math.round(runnerRun.ms),
      first10pct: runnerRun.first10pct, last10pct: runnerRun.last10pct, complete: runnerRun.complete,
      ...(runnerRun.complete ? {} : { eventsProjected: runnerRun.count, limitSeconds: budgetMs / 1000 }),
    })
    const ratios = {
      'fold/raw': ratio(fold, raw),
      'runner/raw': ratio(runner, raw),
      'runner/fold': ratio(runner, fold),
      'fold last/first tenth': ratio(foldLast.last10pct, foldLast.first10pct),
      'fold logs taken/raw': ratio(taken, raw),
      'fold logs taken last/first tenth': ratio(takenLast.last10pct, takenLast.first10pct),
      'runner last/first tenth': ratio(runnerRun.last10pct, runnerRun.first10pct),
    }
    emit({ ...base, name: `postgres rebuild-all ratios ${loaded}`, ratios })
    let slowest: string[] = []
    if (perProjection) {
      const each = await foldEach(db.store)
      emit({ ...base, name: `in-memory fold per projection ${loaded} (events/s, in-memory events, no read)`, perProjection: each })
      slowest = Object.entries(each).sort((a, b) => a[1] - b[1]).slice(0, 3).map(([name, r]) => `${name} ${r}/s`)
    }
    // issue #16: at 50,000 and at 1,000,000 events; a smaller volume (--quick) is said so
    const volumeNote = loaded < 50_000 || (loaded > 50_000 && loaded < 1_000_000) ? `${loaded} events; the issue's volumes are 50,000 and 1,000,000` : undefined
    const limitNote = (what: string, count: number) => `${what} stopped at the ${budgetMs / 1000} s limit after ${count} of ${loaded} events (BENCH_REBUILD_SECONDS)`
    const foldNote = [foldComplete ? undefined : limitNote('fold', foldLast.count), volumeNote].filter(Boolean).join('; ') || undefined
    const runnerNote = [runnerRun.complete ? undefined : limitNote('runner', runnerRun.count), volumeNote].filter(Boolean).join('; ') || undefined
    const name = (what: string) => `rebuild-all ${loaded.toLocaleString('en')} events: ${what}`
    const targets = [
      goal(16, name('fold every projection in memory / raw keyset read'), ratios['fold/raw'], '>=', 0.7, 'x', { note: foldNote, valid: foldComplete }),
      goal(16, name('runner into SQL / raw keyset read'), ratios['runner/raw'], '>=', 0.5, 'x', { note: runnerNote, valid: runnerRun.complete }),
      goal(16, name('runner, last tenth of the log / first tenth'), ratios['runner last/first tenth'], '>=', 0.9, 'x', { note: runnerNote, valid: runnerRun.complete }),
      goal(16, name('fold, last tenth of the log / first tenth'), ratios['fold last/first tenth'], '>=', 0.9, 'x', { note: foldNote, valid: foldComplete }),
    ]
    return {
      summary: {
        events: loaded, partners: volume.partners, historyReused: history.reused, 'raw-keyset-1000': raw, 'fold-all-in-memory': fold, 'fold-all-in-memory-logs-taken': taken, 'runner-all-sql': runner,
        foldTenths: { first: foldLast.first10pct, last: foldLast.last10pct }, foldLogsTakenTenths: { first: takenLast.first10pct, last: takenLast.last10pct }, runnerTenths: { first: runnerRun.first10pct, last: runnerRun.last10pct },
        runnerSeconds: round(runnerRun.ms / 1000, 1), ...(runnerRun.complete ? {} : { runnerStoppedAt: runnerRun.count }), ...(foldComplete ? {} : { foldStoppedAt: foldLast.count }), ...(takenComplete ? {} : { foldLogsTakenStoppedAt: takenLast.count }),
        documents: runnerRun.documents, ...Object.fromEntries(Object.entries(ratios).map(([k, v]) => [`ratio ${k}`, v])), ...(slowest.length ? { slowestFolds: slowest } : {}),
      },
      targets,
    }
  } finally {
    await db.close()
  }
}

export const rebuildAllWorkload: Workload = {
  name: 'rebuild-all',
  description: `every projection (${allProjections.length}) rebuilt together over a generated program history at 50,000 and 1,000,000 events: runner into SQL and in-memory fold vs raw keyset read, first and last tenth`,
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`rebuild-all: ${ctx.pgSkipReason}`] }
    const volumes = volumesOf(ctx)
    // per fold run and per runner rebuild: a slow one misses its targets with the rate it reached instead of hanging
    const budgetMs = Number(process.env.BENCH_REBUILD_SECONDS ?? (ctx.quick ? 300 : 900)) * 1000
    const summary: Record<string, unknown> = {}
    const targets: Target[] = []
    const smallest = Math.min(...volumes.map((v) => v.events))
    for (const volume of volumes) {
      const result = await measure(ctx, volume, budgetMs, volume.events === smallest && volume.events <= 100_000)
      summary[String(volume.events)] = result.summary
      targets.push(...result.targets)
    }
    return { summary, targets }
  },
}
