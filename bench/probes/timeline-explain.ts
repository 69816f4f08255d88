// Decision 033: the timeline's questions before (decision 025's query shapes over migration 009's indexes) and after
// (the queries of app/queries/timeline.server.ts over 009 + 011), EXPLAIN ANALYZE, interleaved, on a database that holds
// both index sets (each side drops the other's indexes inside a transaction it rolls back: on a copy, never on a live log).
// Usage: npx tsx bench/probes/timeline-explain.ts --url postgres://…/partnerlog_audit_1000000 [--rounds 3]
import { createTimelineQueries, type TimelineFilter } from '../../app/queries/timeline.server.ts'
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const url = arg('url', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_audit_1000000')
const rounds = Number(arg('rounds', '3'))
const ONLY_009 = ['events_newest_clocks', 'events_type_position_recorded']
const ONLY_011 = ['events_type_position']

const driver: SqlDriver = await createPgDriver(url, { max: 1 })
const present = await driver.query<{ name: string }>(`select indexname as name from pg_indexes where tablename = 'events'`)
const missing = [...ONLY_009, ...ONLY_011].filter((name) => !present.rows.some((row) => row.name === name))
if (missing.length) throw new Error(`${url} lacks ${missing.join(', ')}: create 009's and 011's indexes there first`)

/** the SQL a question of the timeline queries sends (the one on events) */
async function sqlOf(ask: (q: ReturnType<typeof createTimelineQueries>) => Promise<unknown>) {
  const sent: { text: string; params: readonly unknown[] }[] = []
  const executor: SqlExecutor = { query: (text, params, options) => (sent.push({ text, params: params ?? [] }), driver.query(text, params, options)) }
  await ask(createTimelineQueries(executor))
  return sent.filter((query) => /from events e/.test(query.text)).at(-1)!
}

function listBefore(filter: TimelineFilter) {
  const params: unknown[] = []
  const where: string[] = []
  const add = (condition: (p: string) => string, value: unknown) => (params.push(value), where.push(condition(`$${params.length}`)))
  if (filter.type) add((p) => `e.type = ${p}`, filter.type)
  if (filter.partnerId) add((p) => `(e.data->>'partnerId') = ${p}`, filter.partnerId)
  if (filter.from) add((p) => `(e.metadata->>'occurredAt') >= ${p}`, filter.from)
  if (filter.to) add((p) => `(e.metadata->>'occurredAt') <= ${p}`, filter.to)
  if (filter.recordedTo) add((p) => `e.recorded_at < ${p}::timestamptz + interval '1 millisecond'`, filter.recordedTo)
  if (filter.before) add((p) => `e.global_position < ${p}::bigint`, filter.before)
  return { text: `select e.* from events e ${where.length ? `where ${where.join(' and ')}` : ''} order by e.global_position desc limit ${filter.limit ?? 51}`, params }
}
function countsBefore(like: string, until: { clock: 'occurredAt' | 'recordedAt'; at: string } | null) {
  const clock = until?.clock === 'occurredAt' ? `(e.metadata->>'occurredAt') <= $2` : `e.recorded_at < $2::timestamptz + interval '1 millisecond'`
  return {
    text: `select e.type, count(*) as n, count(*) over () as total from events e where e.type ilike $1${until ? ` and ${clock}` : ''} group by 1 order by 2 desc, 1 limit 10`,
    params: until ? [like, until.at] : [like],
  }
}

/** EXPLAIN ANALYZE with the other side's indexes dropped in a transaction that is rolled back (thrown out of) */
class Measured extends Error {
  constructor(readonly figure: { ms: number; scans: string }) {
    super('rolled back')
  }
}
async function explained(query: { text: string; params: readonly unknown[] }, drop: string[]) {
  const error = await driver.transaction(async (tx) => {
    for (const name of drop) await tx.query(`drop index ${name}`)
    const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.text}`, query.params)
    const plan = rows.map((row) => row['QUERY PLAN'])
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1)!)?.[1])
    const scans = [...new Set(plan.filter((line) => /Scan/.test(line)).map((line) => line.trim().replace(/\s+\(.*$/, '').replace(/^->\s+/, '')))].join('; ')
    throw new Measured({ ms, scans })
  }).catch((e: unknown) => e)
  if (!(error instanceof Measured)) throw error
  return error.figure
}

const { rows: [head] } = await driver.query<{ partner: string }>(`select data->>'partnerId' as partner from events where type = 'PartnerApproved' order by global_position limit 1 offset 400`)
const questions: { name: string; filter?: TimelineFilter; like?: string; until?: { clock: 'occurredAt' | 'recordedAt'; at: string } | null }[] = [
  { name: 'happened up to 2024-07-03 (757k later events)', filter: { to: '2024-07-03T23:59:59.999Z', limit: 51 } },
  { name: 'happened up to 2026-06-18 (250k later)', filter: { to: '2026-06-18T23:59:59.999Z', limit: 51 } },
  { name: 'happened up to 2024-07-03, a page deep', filter: { to: '2024-07-03T23:59:59.999Z', before: '200000', limit: 51 } },
  { name: 'happened from 2027-05-01 (few events)', filter: { from: '2027-05-01T00:00:00.000Z', limit: 51 } },
  { name: 'one day (from and to)', filter: { from: '2024-07-03T00:00:00.000Z', to: '2024-07-03T23:59:59.999Z', limit: 51 } },
  { name: 'recorded up to 17:00 (as of, recorded clock)', filter: { recordedTo: '2026-12-07T17:00:00.000Z', limit: 51 } },
  { name: 'no filter', filter: { limit: 51 } },
  { name: 'a partner as of 2024-07-03 (partner story)', filter: { partnerId: head!.partner, to: '2024-07-03T23:59:59.999Z', limit: 12 } },
  { name: 'a type (DealWon)', filter: { type: 'DealWon', limit: 51 } },
  { name: 'search counts %deal%', like: '%deal%', until: null },
  { name: 'search counts %% (every type)', like: '%%', until: null },
  { name: 'search counts %deal% up to 2024-07-03, occurred clock', like: '%deal%', until: { clock: 'occurredAt', at: '2024-07-03T23:59:59.999Z' } },
  { name: 'search counts %deal% up to 2026-06-18, occurred clock', like: '%deal%', until: { clock: 'occurredAt', at: '2026-06-18T23:59:59.999Z' } },
  { name: 'search counts %deal% up to 17:00, recorded clock', like: '%deal%', until: { clock: 'recordedAt', at: '2026-12-07T17:00:00.000Z' } },
]

const sent = []
for (const question of questions) sent.push(await sqlOf((q) => (question.filter ? q.list(question.filter) : q.typeCounts(question.like!, question.until!, 10))))
for (let round = 0; round < rounds; round++) {
  for (const [i, question] of questions.entries()) {
    const before = question.filter ? listBefore(question.filter) : countsBefore(question.like!, question.until!)
    const after = sent[i]!
    const old = await explained(before, ONLY_009)
    const now = await explained(after, ONLY_011)
    console.log(JSON.stringify({ round, question: question.name, beforeMs: old.ms, afterMs: now.ms, before: old.scans, after: now.scans }))
  }
}
await driver.close()
