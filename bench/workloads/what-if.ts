// What-if (issue #16): the whole log read from PostgreSQL and replayed in memory under a draft beside today's settings,
// as /vendor/what-if does on "Preview"; the issue asks for an answer within 10 s at 100,000 events.
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from '../../domain/settings/defaults.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { whatIf } from '../../projections/what-if.ts'
import { openPostgresAt, schemaUrl } from '../lib/db.ts'
import { ensureHistory, type HistoryVolume } from '../lib/history.ts'
import { emit, median, note, now, rate, round } from '../lib/util.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

/** a draft that touches every kind of rule the page compares: gold needs more, a shorter SLA, heavier won deals, other weights */
const draft = ProgramSettings.parse({
  ...DEFAULT_PROGRAM_SETTINGS,
  tiers: DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => (t.name === 'gold' ? { ...t, minimumCertifications: 4, minimumWonDeals: 7 } : t)),
  reviewSlaBusinessDays: 1,
  trustWeights: { ...DEFAULT_PROGRAM_SETTINGS.trustWeights, dealWon: 5 },
  journey: { ...DEFAULT_PROGRAM_SETTINGS.journey, devotionTrust: 60 },
  scorecard: { ...DEFAULT_PROGRAM_SETTINGS.scorecard, weights: { ...DEFAULT_PROGRAM_SETTINGS.scorecard.weights, contribution: 50 } },
})

export const whatIfWorkload: Workload = {
  name: 'what-if',
  description: 'the what-if preview: readAll of a generated program history from PostgreSQL, then the replay under a draft and under today\'s settings, in memory',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`what-if: ${ctx.pgSkipReason}`] }
    const volume: HistoryVolume = ctx.quick ? { partners: 200, events: 20_000, seed: 7 } : { partners: 1_000, events: 100_000, seed: 7 }
    const schema = `bench_what_if_${volume.events}`
    // the connection's search_path is the schema: the history is kept there between runs
    const url = schemaUrl(ctx.pgUrl, schema)
    const history = await ensureHistory(url, schema, volume, 'what-if')
    const db = await openPostgresAt(url, schema, { max: 2 })
    try {
      const runs: { totalMs: number; readMs: number; readCpuMs: number; replayMs: number; replayCpuMs: number; changed: number }[] = []
      for (let run = 0; run < 3; run++) {
        const t0 = now()
        const readCpu = process.cpuUsage()
        const events: RecordedEvent<string, any>[] = []
        for await (const event of db.store.readAll()) events.push(event as RecordedEvent<string, any>)
        const t1 = now()
        const readUsed = process.cpuUsage(readCpu)
        const cpu = process.cpuUsage()
        // the page's clock: the day after the history's last event
        const at = new Date(Date.parse(events.at(-1)!.metadata.occurredAt) + 86_400_000).toISOString()
        const result = whatIf(events, draft, at)
        const used = process.cpuUsage(cpu)
        const t2 = now()
        runs.push({ totalMs: t2 - t0, readMs: t1 - t0, readCpuMs: (readUsed.user + readUsed.system) / 1000, replayMs: t2 - t1, replayCpuMs: (used.user + used.system) / 1000, changed: result.summary.changed })
        note(`what-if: run ${run + 1}: ${events.length} events read in ${Math.round(t1 - t0)} ms (${Math.round(runs.at(-1)!.readCpuMs)} ms CPU in this process), replayed in ${Math.round(t2 - t1)} ms (${Math.round(runs.at(-1)!.replayCpuMs)} ms CPU); ${result.summary.changed} of ${result.summary.partners} partners change`)
      }
      const seconds = round(median(runs.map((r) => r.totalMs)) / 1000, 1)
      const figure = emit({
        workload: 'what-if', name: 'preview', events: history.events, partners: volume.partners,
        seconds, readSeconds: round(median(runs.map((r) => r.readMs)) / 1000, 1), replaySeconds: round(median(runs.map((r) => r.replayMs)) / 1000, 1),
        readCpuSeconds: round(median(runs.map((r) => r.readCpuMs)) / 1000, 1), replayCpuSeconds: round(median(runs.map((r) => r.replayCpuMs)) / 1000, 1), replayEventsPerSecond: rate(history.events, median(runs.map((r) => r.replayMs))),
        changedPartners: runs[0]!.changed, wantedSeconds: 10, met: seconds <= 10,
      })
      return { summary: { whatIfSeconds: figure.seconds, whatIfReplayCpuSeconds: figure.replayCpuSeconds, whatIfEvents: history.events, whatIfMet: figure.met } }
    } finally {
      await db.close()
    }
  },
}
