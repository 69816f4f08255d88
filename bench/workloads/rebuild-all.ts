// Rebuild of every projection over a generated history: the runner into SQL and an in-memory fold, against a raw read.
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { historyEvents } from '../../cli/generate-history.ts'
import { allProjections } from '../../projections/all.ts'
import { foldEvents } from '../../projections/projection.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { openPostgres, type Opened } from '../lib/db.ts'
import { loadHistory } from '../lib/history.ts'
import { emit, median, note, now, quietLogger, rate, ratio } from '../lib/util.ts'
import { lastPosition, rawKeyset } from './read.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

/** every projection folded in memory over one readAll (what an in-process rebuild or foldUntil of all would do) */
async function foldAll(store: EventStore, total: number): Promise<number> {
  const docs = allProjections.map(() => new Map<string, unknown>())
  let count = 0
  for await (const event of store.readAll()) {
    for (let i = 0; i < allProjections.length; i++) foldEvents(allProjections[i]!, docs[i]!, event)
    count++
  }
  if (count !== total) throw new Error(`fold read ${count} events, expected ${total}`)
  return docs.reduce((n, d) => n + d.size, 0)
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

async function runnerRebuildAll(db: Opened, driver: SqlDriver, total: number): Promise<{ ms: number; documents: number }> {
  await driver.exec('drop table if exists read_models; drop table if exists projection_checkpoints')
  const target = await lastPosition(driver)
  const runner = createProjectionRunner({ store: db.store, driver, projections: allProjections, logger: quietLogger })
  const start = now()
  await runner.start()
  try {
    await runner.waitFor(target, 60 * 60_000)
  } finally {
    await runner.stop()
  }
  const ms = now() - start
  const { rows } = await driver.query<{ n: string }>(`select count(*)::text as n from read_models`)
  note(`rebuild-all: runner rebuilt ${allProjections.length} projections over ${total} events in ${Math.round(ms)} ms`)
  return { ms, documents: Number(rows[0]!.n) }
}

export const rebuildAllWorkload: Workload = {
  name: 'rebuild-all',
  description: `every projection (${allProjections.length}) rebuilt together over a generated program history: runner into SQL and in-memory fold vs raw keyset read`,
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`rebuild-all: ${ctx.pgSkipReason}`] }
    const volume = ctx.quick ? 20_000 : 50_000
    const partners = ctx.quick ? 20 : 50
    const db = await openPostgres(ctx.pgUrl, 'bench_rebuild_all')
    try {
      const t0 = now()
      const loaded = await loadHistory(db.driver, historyEvents({ partners, events: volume, seed: 7 }))
      await db.driver.exec('vacuum analyze events')
      note(`rebuild-all: loaded ${loaded} generated events (${partners} partners) in ${Math.round(now() - t0)} ms`)
      const raws: number[] = []
      const folds: number[] = []
      for (let run = 0; run < 3; run++) {
        let start = now()
        await rawKeyset(db.driver, loaded)
        raws.push(rate(loaded, now() - start))
        start = now()
        await foldAll(db.store, loaded)
        folds.push(rate(loaded, now() - start))
      }
      const runners: number[] = []
      let documents = 0
      for (let run = 0; run < 1; run++) {
        const result = await runnerRebuildAll(db, db.driver, loaded)
        runners.push(rate(loaded, result.ms))
        documents = result.documents
      }
      const raw = median(raws)
      const fold = median(folds)
      const runner = median(runners)
      const base = { workload: 'rebuild-all', store: 'postgres', events: loaded, partners, projections: allProjections.length }
      emit({ ...base, name: `postgres raw-keyset-1000 ${loaded}`, variant: 'raw-keyset-1000', eventsPerSecRuns: raws, eventsPerSec: raw })
      emit({ ...base, name: `postgres fold-all-in-memory ${loaded}`, variant: 'fold-all-in-memory', eventsPerSecRuns: folds, eventsPerSec: fold })
      emit({ ...base, name: `postgres runner-all-sql ${loaded}`, variant: 'runner-all-sql', documents, eventsPerSecRuns: runners, eventsPerSec: runner })
      const perProjection = await foldEach(db.store)
      emit({ ...base, name: `in-memory fold per projection ${loaded} (events/s, in-memory events, no read)`, perProjection })
      const ratios = { 'fold/raw': ratio(fold, raw), 'runner/raw': ratio(runner, raw), 'runner/fold': ratio(runner, fold) }
      emit({ ...base, name: `postgres rebuild-all ratios ${loaded}`, ratios })
      const slowest = Object.entries(perProjection).sort((a, b) => a[1] - b[1]).slice(0, 3).map(([name, r]) => `${name} ${r}/s`)
      return {
        summary: {
          events: loaded, projections: allProjections.length, 'raw-keyset-1000': raw, 'fold-all-in-memory': fold, 'runner-all-sql': runner,
          documents, ...Object.fromEntries(Object.entries(ratios).map(([k, v]) => [`ratio ${k}`, v])), slowestFolds: slowest,
        },
      }
    } finally {
      await db.close()
    }
  },
}
