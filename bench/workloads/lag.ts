// Projection lag: with every projection running, the time from an append returning to runner.waitFor resolving.
import { allProjections } from '../../projections/all.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { openPostgres } from '../lib/db.ts'
import { partnerBlock, toNewEvent } from '../lib/events.ts'
import { emit, median, note, now, percentile, quietLogger, round } from '../lib/util.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

export const projectionLagWorkload: Workload = {
  name: 'projection-lag',
  description: 'append one event at a time at a steady rate; ms from append return to runner.waitFor (all projections), median and p99',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`projection-lag: ${ctx.pgSkipReason}`] }
    const count = ctx.quick ? 100 : 600
    const perSecond = 50
    const db = await openPostgres(ctx.pgUrl, 'bench_lag')
    const runner = createProjectionRunner({ store: db.store, driver: db.driver, projections: allProjections, logger: quietLogger })
    const lags: number[] = []
    const appends: number[] = []
    try {
      await runner.start()
      const deadline = now() + 30_000
      while (runner.status().some((s) => s.state !== 'live') && now() < deadline) await sleep(20)
      note(`projection-lag: ${count} events at ${perSecond}/s through ${allProjections.length} projections`)
      const events = Array.from({ length: Math.ceil(count / 100) }, (_, i) => partnerBlock(i)).flat().slice(0, count)
      const interval = 1000 / perSecond
      const start = now()
      for (let i = 0; i < events.length; i++) {
        await sleep(start + i * interval - now())
        const event = events[i]!
        const t0 = now()
        const { position } = await db.store.appendToStream(event.streamId, [toNewEvent(event)], {
          expectedRevision: event.revision === 0 ? 'no_stream' : BigInt(event.revision - 1),
        })
        const t1 = now()
        await runner.waitFor(position, 30_000)
        appends.push(t1 - t0)
        lags.push(now() - t1)
      }
    } finally {
      await runner.stop()
      await db.close()
    }
    const figure = {
      events: count,
      ratePerSec: perSecond,
      projections: allProjections.map((p) => p.name),
      lagMedianMs: round(median(lags), 1),
      lagP99Ms: round(percentile(lags, 99), 1),
      lagMaxMs: round(Math.max(...lags), 1),
      appendMedianMs: round(median(appends), 1),
      appendP99Ms: round(percentile(appends, 99), 1),
    }
    emit({ workload: 'projection-lag', name: 'postgres append -> read-model visible (runner.waitFor)', ...figure })
    return { summary: figure }
  },
}
