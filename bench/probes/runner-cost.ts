// Diagnosis, not a workload: the real runner with every projection from position 0 over a generated history in its
// own PostgreSQL schema (loaded once, reused while the volume matches), to run under `node --cpu-prof`.
// Usage: npx tsx bench/probes/runner-cost.ts [--partners 50] [--events 50000] [--batch 5000]
// (wrap it in `flock /tmp/partnerlog-bench.lock` like every benchmark on a shared machine)
import pg from 'pg'
import { historyEvents } from '../../cli/generate-history.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { allProjections } from '../../projections/all.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { benchUrl, codec, freshSchema } from '../lib/db.ts'
import { loadHistory } from '../lib/history.ts'
import { lastPosition } from '../workloads/read.ts'
import { note, now, quietLogger, rate } from '../lib/util.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const events = Number(arg('events', '50000'))
const batchSize = Number(arg('batch', '5000'))
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
const driver = await createPgDriver(url)
await driver.exec('drop table if exists read_models; drop table if exists read_model_logs; drop table if exists projection_checkpoints')
const store = createPostgresEventStore({ driver, codec })
const target = await lastPosition(driver)
const runner = createProjectionRunner({ store, driver, projections: allProjections, logger: quietLogger, batchSize })
const start = now()
await runner.start()
await runner.waitFor(target, 60 * 60_000)
const ms = now() - start
await runner.stop()
console.log(JSON.stringify({ events: loaded, partners, batchSize, ms: Math.round(ms), eventsPerSec: rate(loaded, ms) }))
await store.close()
await driver.close()
