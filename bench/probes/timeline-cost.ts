// Decision 025: what the timeline costs the runner and the log's appends. In one process, interleaved, over a generated
// history in its own schema: the runner into SQL with the portal's projections (the timeline read from the events
// table) and with the timeline projection added back (one document per event, as before); then appends of the same
// events into fresh schemas, without indexes for the timeline, with migration 009's and with 009's and 011's (decision 033).
// Usage: npx tsx bench/probes/timeline-cost.ts [--partners 50] [--events 50000] [--rounds 2] [--appends 10000] [--appends-only]
//        (wrap it in `flock /tmp/partnerlog-bench.lock` on a shared machine)
import { historyEvents } from '../../cli/generate-history.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { allProjections } from '../../projections/all.ts'
import type { AnyProjection } from '../../projections/projection.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { TIMELINE_CLOCKS_MIGRATION, TIMELINE_FROM_EVENTS_MIGRATION } from '../../projections/store-schema.ts'
import { timelineProjection } from '../../projections/timeline.ts'
import { benchUrl, codec, freshSchema, schemaUrl } from '../lib/db.ts'
import { ensureHistory, loadHistory, resetReadModels } from '../lib/history.ts'
import { note, now, quietLogger, rate } from '../lib/util.ts'
import { lastPosition } from '../workloads/read.ts'
import { backendCpu, withApplication } from './runner-pgcpu.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const events = Number(arg('events', '50000'))
const rounds = Number(arg('rounds', '2'))
const appends = Number(arg('appends', '10000'))
const schema = `probe_timeline_${partners}_${events}`
const base = benchUrl()
const url = schemaUrl(base, schema)
const cpu = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
const out = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure))

const APP = `timeline-probe-${process.pid}`
/** wall, this process's CPU and the database's CPU on the connections named `application` */
async function measured(at: string, application: string, fn: () => Promise<void>) {
  const db = backendCpu(at, application)
  await db.start()
  const start = now()
  const c0 = cpu()
  await fn()
  return { ms: Math.round(now() - start), cpuMs: Math.round(cpu() - c0), dbCpuMs: await db.stop() }
}

if (!process.argv.includes('--appends-only')) {
  await ensureHistory(url, schema, { partners, events, seed: 7 }, schema)
  const driver = await createPgDriver(withApplication(url, APP))
  const store = createPostgresEventStore({ driver, codec })
  const target = await lastPosition(driver)

  async function runner(label: string, projections: AnyProjection[]) {
    await resetReadModels(driver)
    const run = createProjectionRunner({ store, driver, projections, logger: quietLogger })
    const figures = await measured(url, APP, async () => {
      await run.start()
      await run.waitFor(target, 60 * 60_000)
    })
    await run.stop()
    const docs = await driver.query<{ n: number; mb: number }>('select count(*)::int as n, (sum(pg_column_size(state)) / 1e6)::float8 as mb from read_models')
    out({ phase: `runner ${label}`, events, ...figures, eventsPerSec: rate(events, figures.ms), documents: docs.rows[0]!.n, stateMb: Math.round(docs.rows[0]!.mb) })
  }

  for (let round = 0; round < rounds; round++) {
    await runner('timeline documents (before)', [...allProjections, timelineProjection])
    await runner('timeline from events (after)', allProjections)
  }
  await store.close()
  await driver.close()
}

// appends: the same generated events into a fresh schema, without the timeline's indexes, with 009's, with 009's and 011's
const indexes = /create index if not exists [^;]+;/g
const ddl = TIMELINE_FROM_EVENTS_MIGRATION.statements.join('\n').match(indexes)!.join('\n')
const variants = { without: [], 'with 009 indexes': [ddl], 'with 009 + 011 indexes': [ddl, ...TIMELINE_CLOCKS_MIGRATION.statements] } as const
for (let round = 0; round < rounds; round++) {
  for (const [variant, statements] of Object.entries(variants)) {
    const appendSchema = `probe_timeline_appends`
    const appendUrl = withApplication(await freshSchema(base, appendSchema), `${APP}-a`)
    const db = await createPgDriver(appendUrl, { max: 2 })
    await migrate(db)
    for (const statement of statements) await db.exec(statement)
    const figures = await measured(appendUrl, `${APP}-a`, () => loadHistory(db, historyEvents({ partners, events: appends, seed: 11 })).then(() => {}))
    await db.close()
    out({ phase: `appends ${variant}`, events: appends, ...figures, eventsPerSec: rate(appends, figures.ms) })
  }
}
note('done')

