// Probe: appendHistory sequential vs concurrent on PostgreSQL (npx tsx bench/probes/append-history.ts [events] [concurrency...]).
import { appendHistory, historyEvents } from '../../cli/generate-history.ts'
import { benchUrl, openPostgres } from '../lib/db.ts'
import { now, rate } from '../lib/util.ts'

const events = Number(process.argv[2] ?? 30_000)
const levels = process.argv.slice(3).map(Number)
for (const concurrency of levels.length ? levels : [1, 8]) {
  const db = await openPostgres(benchUrl(), 'bench_probe_history', { max: Math.max(4, concurrency + 2), settings: process.env.SYNC_OFF ? { synchronous_commit: 'off' } : {} })
  const t0 = now()
  const n = await appendHistory(db.store, historyEvents({ partners: Math.max(10, events / 1000), events, validate: false }), undefined, { concurrency })
  console.log(JSON.stringify({ concurrency, events: n, eventsPerSec: rate(n, now() - t0) }))
  await db.close()
}
