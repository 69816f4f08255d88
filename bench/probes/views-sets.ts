// For issue #16's fresh dashboard (decision 034): what each group of the dashboard's questions adds to its one
// statement (partnerWith with the page's sets, app/routes/partner/home.tsx), in node CPU and the database backend's CPU
// per view, the variants interleaved in one process on a database with kept read models.
// Usage: npx tsx bench/probes/views-sets.ts [--db postgres://…/partnerlog_bench_http_1000000] [--rounds 6] [--views 200]
import os from 'node:os'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createInsightQueries } from '../../app/queries/insights.server.ts'
import { claimsDueOf, tierProgressSets } from '../../app/queries/funds.server.ts'
import { dealsProtectedUntil, recentDealsOf } from '../../app/queries/index.server.ts'
import { answersToOpenRoundsOf, openSurveyRounds } from '../../app/queries/engagement.server.ts'
import { cpuSeconds } from '../lib/proc.ts'

const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const db = arg('db', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench_http_1000000')
const rounds = Number(arg('rounds', '6'))
const views = Number(arg('views', '200'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')

const driver = await createPgDriver(db, { max: 1 })
const { rows: [partner] } = await driver.query<{ key: string }>(
  `select rm.key from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
    where rm.projection = 'journey' and rm.key like 'p-%' order by rm.key limit 1`,
)
const partnerId = partner!.key
const { rows: [backend] } = await driver.query<{ pid: number }>('select pg_backend_pid() as pid')
const insights = createInsightQueries(driver)
const at = new Date().toISOString()
const in14 = new Date(Date.parse(at.slice(0, 10)) + 14 * 86_400_000).toISOString().slice(0, 10)
const ending = dealsProtectedUntil(partnerId, in14)
const claims = claimsDueOf(partnerId)
// the dashboard's sets (home.tsx), in groups
const groups = {
  recent: { recent: { ...recentDealsOf(partnerId, 5), pick: ['dealId', 'customerName', 'value', 'currency', 'status'] } },
  needs: {
    ending: { ...ending, limit: 10, pick: ['dealId', 'customerName', 'protectedUntil'] }, endingCount: { count: ending },
    claims: { ...claims, limit: 10, pick: ['coInvestmentId', 'activity', 'claimDeadline'] }, claimCount: { count: claims },
  },
  surveys: { openSurveys: { ...openSurveyRounds, limit: 100, pick: ['surveyId'] }, answers: { ...answersToOpenRoundsOf(partnerId), limit: 100, pick: ['surveyId'] } },
  tier: tierProgressSets(partnerId),
}
const all = Object.assign({}, ...Object.values(groups))
const without = (name: keyof typeof groups) => Object.assign({}, ...Object.entries(groups).filter(([g]) => g !== name).map(([, s]) => s))
const variants: Record<string, object> = {
  'the dashboard (all sets)': all,
  'partner only (no sets)': {},
  ...Object.fromEntries(Object.keys(groups).map((g) => [`without ${g}`, without(g as keyof typeof groups)])),
  // the lists without the counts of what they leave out
  'without the two counts': Object.fromEntries(Object.entries(all).filter(([k]) => k !== 'endingCount' && k !== 'claimCount')),
}
const options = { journeyHistory: 'last' as const, lifetime: false, readModels: 'probe' }
for (const sets of Object.values(variants)) await insights.partnerWith(partnerId, at, options, sets as never)

const figures = new Map<string, { cpu: number[]; db: number[] }>()
console.log(`partner ${partnerId}; ${rounds} rounds of ${views} views per variant, interleaved; load ${load()}`)
for (let round = 1; round <= rounds; round++) {
  const order = Object.entries(variants)
  for (const [name, sets] of round % 2 ? order : order.reverse()) {
    for (let i = 0; i < 20; i++) await insights.partnerWith(partnerId, at, options, sets as never)
    const dbBefore = cpuSeconds(backend!.pid) ?? 0
    const before = cpuMs()
    for (let i = 0; i < views; i++) await insights.partnerWith(partnerId, at, options, sets as never)
    const kept = figures.get(name) ?? { cpu: [], db: [] }
    kept.cpu.push((cpuMs() - before) / views)
    kept.db.push((((cpuSeconds(backend!.pid) ?? 0) - dbBefore) * 1000) / views)
    figures.set(name, kept)
  }
  console.log(`round ${round} done; load ${load()}`)
}
console.log('\nmedians (CPU ms per view: this process; the database backend)')
for (const [name, f] of figures) console.log(`${name.padEnd(28)} node ${median(f.cpu).toFixed(3)} ms (${f.cpu.map((x) => x.toFixed(2)).join(' ')})  database ${median(f.db).toFixed(3)} ms (${f.db.map((x) => x.toFixed(2)).join(' ')})`)
console.log(`load ${load()}`)
await driver.close()
