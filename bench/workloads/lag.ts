// Projection lag: with every projection running, the time from an append returning to runner.waitFor resolving, for
// one writer at a steady rate and for 16 concurrent writers (issue #16: p99 under 50 ms with 16 writers).
import { allProjections } from '../../projections/all.ts'
import { createProjectionRunner, type ProjectionRunner } from '../../projections/runner.ts'
import { openPostgres, type Opened } from '../lib/db.ts'
import { partnerBlock, toNewEvent, type GenEvent } from '../lib/events.ts'
import { emit, median, note, now, percentile, quietLogger, round } from '../lib/util.ts'
import { goal, type BenchContext, type Workload, type WorkloadResult } from './types.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

type Lags = { lags: number[]; appends: number[]; ms: number }

/**
 * `writers` loops, each appending its own partners' events (distinct streams) one at a time at `perWriter` events/s,
 * waiting for runner.waitFor after each append as the command handler does before it redirects. A writer whose
 * append and wait take longer than its interval goes on at once (it does not append faster to catch up).
 */
async function write(db: Opened, runner: ProjectionRunner, writers: number, perWriter: number, eventsPerWriter: number, firstBlock: number): Promise<Lags> {
  const lags: number[] = []
  const appends: number[] = []
  const interval = 1000 / perWriter
  const start = now()
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const blocks = Math.ceil(eventsPerWriter / 100)
      const events: GenEvent[] = Array.from({ length: blocks }, (_, b) => partnerBlock(firstBlock + w * blocks + b)).flat().slice(0, eventsPerWriter)
      // the writers' slots are spread over one interval rather than all at once
      let next = start + (w * interval) / writers
      for (const event of events) {
        await sleep(next - now())
        next = Math.max(next + interval, now())
        const t0 = now()
        const { position } = await db.store.appendToStream(event.streamId, [toNewEvent(event)], {
          expectedRevision: event.revision === 0 ? 'no_stream' : BigInt(event.revision - 1),
        })
        const t1 = now()
        await runner.waitFor(position, 30_000)
        appends.push(t1 - t0)
        lags.push(now() - t1)
      }
    }),
  )
  return { lags, appends, ms: now() - start }
}

function figures(run: Lags) {
  return {
    lagMedianMs: round(median(run.lags), 1),
    lagP99Ms: round(percentile(run.lags, 99), 1),
    lagMaxMs: round(Math.max(...run.lags), 1),
    appendMedianMs: round(median(run.appends), 1),
    appendP99Ms: round(percentile(run.appends, 99), 1),
    eventsPerSec: Math.round((run.lags.length * 1000) / run.ms),
  }
}

export const projectionLagWorkload: Workload = {
  name: 'projection-lag',
  description: 'append one event at a time (1 writer at 50/s, then 16 concurrent writers); ms from append return to runner.waitFor (all projections), median, p99, max',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`projection-lag: ${ctx.pgSkipReason}`] }
    const single = { writers: 1, perWriter: 50, events: ctx.quick ? 100 : 600 }
    const writers = Number(process.env.BENCH_LAG_WRITERS ?? 16)
    const concurrent = {
      writers,
      perWriter: Number(process.env.BENCH_LAG_WRITER_RATE ?? 10),
      events: Number(process.env.BENCH_LAG_WRITER_EVENTS ?? (ctx.quick ? 25 : 100)),
    }
    // 16 writers' appends and waits at once, besides the runner's own connections
    const db = await openPostgres(ctx.pgUrl, 'bench_lag', { max: writers + 10 })
    const runner = createProjectionRunner({ store: db.store, driver: db.driver, projections: allProjections, logger: quietLogger })
    let one: Lags
    let many: Lags
    try {
      await runner.start()
      const deadline = now() + 30_000
      while (runner.status().some((s) => s.state !== 'live') && now() < deadline) await sleep(20)
      note(`projection-lag: 1 writer, ${single.events} events at ${single.perWriter}/s through ${allProjections.length} projections`)
      one = await write(db, runner, 1, single.perWriter, single.events, 0)
      note(`projection-lag: ${concurrent.writers} writers, ${concurrent.events} events each at ${concurrent.perWriter}/s each`)
      many = await write(db, runner, concurrent.writers, concurrent.perWriter, concurrent.events, 1000)
    } finally {
      await runner.stop()
      await db.close()
    }
    const projections = allProjections.map((p) => p.name)
    const singleFigure = { writers: 1, events: one.lags.length, ratePerSec: single.perWriter, ...figures(one) }
    const manyFigure = { writers: concurrent.writers, events: many.lags.length, ratePerSecPerWriter: concurrent.perWriter, ...figures(many) }
    emit({ workload: 'projection-lag', name: 'postgres append -> read-model visible (runner.waitFor), 1 writer', projections, ...singleFigure })
    emit({ workload: 'projection-lag', name: `postgres append -> read-model visible (runner.waitFor), ${concurrent.writers} concurrent writers`, projections, ...manyFigure })
    const targets =
      concurrent.writers === 16
        ? [goal(16, 'projection lag, 16 concurrent writers: p99 append return -> runner.waitFor', manyFigure.lagP99Ms, '<', 50, 'ms', { note: `median ${manyFigure.lagMedianMs} ms, max ${manyFigure.lagMaxMs} ms; 1 writer: p99 ${singleFigure.lagP99Ms} ms` })]
        : []
    return { summary: { singleWriter: singleFigure, concurrentWriters: manyFigure }, targets }
  },
}
