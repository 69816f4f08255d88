// Read: raw keyset read against readAll, the journey projection folded in memory over readAll, and the real runner.
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore, Position } from '../../eventstore/types.ts'
import { journeyProjection } from '../../projections/journey.ts'
import { foldEvents } from '../../projections/projection.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { openPGlite, openPostgres, type Opened } from '../lib/db.ts'
import { generateLog } from '../lib/events.ts'
import { emit, median, note, now, quietLogger, rate, RateTracker, ratio } from '../lib/util.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

const RAW_BATCH = 1000

/** The raw baseline: readAll's index range scan, rows not decoded. */
export async function rawKeyset(driver: SqlDriver, total: number, tracker?: RateTracker): Promise<number> {
  let commit = '0'
  let prepare = '-1'
  let count = 0
  for (;;) {
    const { rows } = await driver.query<{ transaction_id: string; global_position: string }>(
      `select e.global_position::text as global_position, e.transaction_id::text as transaction_id, e.event_id, e.stream_id,
              e.stream_revision, e.type, e.data, e.metadata, e.recorded_at
         from events e where (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
         order by e.transaction_id, e.global_position limit ${RAW_BATCH}`,
      [commit, prepare],
    )
    count += rows.length
    tracker?.mark(count)
    if (rows.length < RAW_BATCH) break
    const last = rows[rows.length - 1]!
    commit = last.transaction_id
    prepare = last.global_position
  }
  if (count !== total) throw new Error(`raw keyset read ${count} rows, expected ${total}`)
  return count
}

async function readAll(store: EventStore, total: number, tracker?: RateTracker): Promise<number> {
  let count = 0
  for await (const _ of store.readAll()) {
    count++
    if (tracker && count % 500 === 0) tracker.mark(count)
  }
  tracker?.mark(count)
  if (count !== total) throw new Error(`readAll read ${count} events, expected ${total}`)
  return count
}

/** foldUntil without the position/date filters: the journey projection folded in memory over readAll. */
async function foldJourney(store: EventStore, total: number, tracker?: RateTracker): Promise<number> {
  const docs = new Map<string, unknown>()
  let count = 0
  for await (const event of store.readAll()) {
    foldEvents(journeyProjection, docs, event)
    count++
    if (tracker && count % 500 === 0) tracker.mark(count)
  }
  tracker?.mark(count)
  if (count !== total) throw new Error(`fold read ${count} events, expected ${total}`)
  return docs.size
}

export async function lastPosition(driver: SqlDriver): Promise<Position> {
  const { rows } = await driver.query<{ commit: string; prepare: string }>(
    `select transaction_id::text as commit, global_position::text as prepare from events order by transaction_id desc, global_position desc limit 1`,
  )
  return { commit: BigInt(rows[0]!.commit), prepare: BigInt(rows[0]!.prepare) }
}

/** The real runner, journey only, from an empty read model until its checkpoint reaches the end of the log. */
async function runnerRebuild(db: Opened): Promise<{ ms: number; documents: number }> {
  await db.driver.exec('drop table if exists read_models; drop table if exists projection_checkpoints')
  const target = await lastPosition(db.driver)
  const runner = createProjectionRunner({ store: db.store, driver: db.driver, projections: [journeyProjection], logger: quietLogger })
  const start = now()
  await runner.start()
  try {
    await runner.waitFor(target, 30 * 60_000)
  } finally {
    await runner.stop()
  }
  const ms = now() - start
  const { rows } = await db.driver.query<{ n: string }>(`select count(*)::text as n from read_models where projection = 'journey'`)
  return { ms, documents: Number(rows[0]!.n) }
}

type Row = Record<string, number>

async function measureVolume(kind: 'postgres' | 'pglite', db: Opened, volume: number, runs: number): Promise<Row> {
  const out: Row = {}
  const variants: [string, (tracker?: RateTracker) => Promise<unknown>][] = [
    ['raw-keyset-1000', (t) => rawKeyset(db.driver, volume, t)],
    ['readAll', (t) => readAll(db.store, volume, t)],
    ['fold-journey-in-memory', (t) => foldJourney(db.store, volume, t)],
  ]
  for (const [name, fn] of variants) {
    const rates: number[] = []
    let tenths: { first10pct: number; last10pct: number } | undefined
    for (let run = 0; run < runs; run++) {
      const tracker = new RateTracker(volume)
      const start = now()
      await fn(tracker)
      rates.push(rate(volume, now() - start))
      if (run === runs - 1) tenths = tracker.firstAndLastTenth()
    }
    out[name] = median(rates)
    emit({ workload: 'read', name: `${kind} ${name} ${volume}`, store: kind, variant: name, events: volume, eventsPerSecRuns: rates, eventsPerSec: out[name], ...tenths })
  }
  const runnerRates: number[] = []
  let documents = 0
  for (let run = 0; run < Math.min(runs, 2); run++) {
    const result = await runnerRebuild(db)
    runnerRates.push(rate(volume, result.ms))
    documents = result.documents
  }
  out['runner-journey-sql'] = median(runnerRates)
  emit({ workload: 'read', name: `${kind} runner-journey-sql ${volume}`, store: kind, variant: 'runner-journey-sql', events: volume, documents, eventsPerSecRuns: runnerRates, eventsPerSec: out['runner-journey-sql'] })
  const ratios = {
    'readAll/raw': ratio(out.readAll!, out['raw-keyset-1000']!),
    'fold/raw': ratio(out['fold-journey-in-memory']!, out['raw-keyset-1000']!),
    'runner/raw': ratio(out['runner-journey-sql']!, out['raw-keyset-1000']!),
  }
  emit({ workload: 'read', name: `${kind} ratios ${volume}`, store: kind, events: volume, ratios })
  return { ...out, ...Object.fromEntries(Object.entries(ratios).map(([k, v]) => [`ratio ${k}`, v])) }
}

export const readWorkload: Workload = {
  name: 'read',
  description: 'raw keyset read vs readAll vs journey fold in memory vs the runner into SQL, 100k and 1M events (PGlite: 100k)',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const small = ctx.quick ? 10_000 : 100_000
    const large = ctx.quick ? 50_000 : 1_000_000
    const summary: Record<string, unknown> = {}
    const skipped: string[] = []

    note(`read: PGlite ${small} events (1M on PGlite is left out: generating and reading it there takes several minutes and GBs)`)
    const lite = await openPGlite()
    try {
      const t0 = now()
      await generateLog(lite.driver, small)
      note(`read: generated ${small} events on PGlite in ${Math.round(now() - t0)} ms`)
      summary[`pglite ${small}`] = await measureVolume('pglite', lite, small, 1)
    } finally {
      await lite.close()
    }

    if (!ctx.pgUrl) {
      skipped.push(`read on PostgreSQL: ${ctx.pgSkipReason}`)
      return { summary, skipped }
    }
    const db = await openPostgres(ctx.pgUrl, 'bench_read')
    try {
      let t0 = now()
      await generateLog(db.driver, small)
      await db.driver.exec('vacuum analyze events')
      note(`read: generated ${small} events on PostgreSQL in ${Math.round(now() - t0)} ms`)
      summary[`postgres ${small}`] = await measureVolume('postgres', db, small, 3)
      t0 = now()
      let last = 0
      await generateLog(db.driver, large - small, (done) => {
        if (done - last >= 100_000) {
          last = done
          note(`read: generated ${small + done} events`)
        }
      })
      await db.driver.exec('vacuum analyze events')
      const genMs = now() - t0
      emit({ workload: 'read', name: `postgres generate ${large - small} (unnest, 1000 rows per statement, streams included)`, store: 'postgres', events: large - small, eventsPerSec: rate(large - small, genMs) })
      summary[`postgres ${large}`] = await measureVolume('postgres', db, large, 1)
    } finally {
      await db.close()
    }
    return { summary, skipped }
  },
}
