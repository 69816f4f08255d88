// For issue #16's fresh dashboard and library (decision 037): the dashboard loader's reads (partnerWith with the page's
// sets, the tier card's progress, the open surveys it has not answered) and the library search's (`?q=generated`), a
// snapshot of the code before (--base) against now, in one process, interleaved, one connection each: node CPU
// (process.cpuUsage) and the database backend's CPU per view.
// Usage: npx tsx bench/probes/views-held.ts --base .tmp/helperb-base [--db postgres://…/partnerlog_bench_http_1000000]
//   [--rounds 6] [--views 300]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createInsightQueries } from '../../app/queries/insights.server.ts'
import * as funds from '../../app/queries/funds.server.ts'
import * as engagement from '../../app/queries/engagement.server.ts'
import { dealsProtectedUntil, recentDealsOf } from '../../app/queries/index.server.ts'
import { createEnablementQueries } from '../../app/queries/enablement.server.ts'
import { cpuSeconds } from '../lib/proc.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const base = path.resolve(root, arg('base', '.tmp/helperb-base'))
const db = arg('db', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench_http_1000000')
const rounds = Number(arg('rounds', '6'))
const views = Number(arg('views', '300'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')
const from = async <T>(file: string): Promise<T> => {
  if (!fs.existsSync(path.join(base, file))) throw new Error(`no base snapshot in ${base}`)
  return (await import(pathToFileURL(path.join(base, file)).href)) as T
}

const oldInsights = await from<{ createInsightQueries: typeof createInsightQueries }>('app/queries/insights.server.ts')
const oldFunds = await from<{ tierProgressSets: (partnerId: string) => object; tierProgressFrom: typeof funds.tierProgressFrom }>('app/queries/funds.server.ts')
const oldEnablement = await from<{ createEnablementQueries: typeof createEnablementQueries }>('app/queries/enablement.server.ts')
const oldEngagement = await from<{ openSurveyRounds: object; answersToOpenRoundsOf: (partnerId: string) => object }>('app/queries/engagement.server.ts')

async function connection() {
  const driver = await createPgDriver(db, { max: 1 })
  const { rows: [backend] } = await driver.query<{ pid: number }>('select pg_backend_pid() as pid')
  return { driver, pid: backend!.pid }
}
const before = await connection()
const now = await connection()
const libraryBefore = await connection()
const libraryNow = await connection()
const { rows: [partner] } = await now.driver.query<{ key: string }>(
  `select rm.key from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
    where rm.projection = 'journey' and rm.key like 'p-%' order by rm.key limit 1`,
)
const partnerId = partner!.key
const at = new Date().toISOString()
const in14 = new Date(Date.parse(at.slice(0, 10)) + 14 * 86_400_000).toISOString().slice(0, 10)
const options = { journeyHistory: 'last' as const, lifetime: false, readModels: 'probe' }
// the sets both ask (home.tsx)
const ending = dealsProtectedUntil(partnerId, in14)
const claims = funds.claimsDueOf(partnerId)
const common = {
  recent: { ...recentDealsOf(partnerId, 5), pick: ['dealId', 'customerName', 'value', 'currency', 'status'] },
  ending: { ...ending, limit: 10, pick: ['dealId', 'customerName', 'protectedUntil'] }, endingCount: { count: ending },
  claims: { ...claims, limit: 10, pick: ['coInvestmentId', 'activity', 'claimDeadline'] }, claimCount: { count: claims },
}
const oldQueries = oldInsights.createInsightQueries(before.driver)
const newQueries = createInsightQueries(now.driver)
const ways: Record<string, { pid: number; run: () => Promise<unknown> }> = {
  'before: settings and surveys in the statement': {
    pid: before.pid,
    run: async () => {
      const { sets } = await oldQueries.partnerWith(partnerId, at, options, {
        ...common,
        openSurveys: { ...oldEngagement.openSurveyRounds, limit: 100, pick: ['surveyId'] },
        answers: { ...oldEngagement.answersToOpenRoundsOf(partnerId), limit: 100, pick: ['surveyId'] },
        ...oldFunds.tierProgressSets(partnerId),
      } as never)
      const found = sets as unknown as Parameters<typeof funds.tierProgressFrom>[0] & { openSurveys: { surveyId: string }[]; answers: { surveyId: string }[] }
      const tier = oldFunds.tierProgressFrom(found, partnerId, found.doc('journey', partnerId), at)
      const answered = new Set(found.answers.map((a) => a.surveyId))
      return [tier, found.openSurveys.filter((s) => !answered.has(s.surveyId))]
    },
  },
  'now: held fund settings and survey rounds': {
    pid: now.pid,
    run: async () => {
      const { sets } = await newQueries.partnerWith(partnerId, at, options, { ...common, ...funds.tierProgressHeldSets() })
      const tier = funds.tierProgressFrom(sets, partnerId, sets.doc('journey', partnerId), at)
      return [tier, engagement.openRoundsNotAnsweredBy(newQueries.heldDocs('survey_rounds'), partnerId)]
    },
  },
}
const oldLibrary = oldEnablement.createEnablementQueries(libraryBefore.driver)
const newLibrary = createEnablementQueries(libraryNow.driver)
// the library as its route reads it (the page shows the usage's totals and latest uses)
const shown = (found: Awaited<ReturnType<typeof newLibrary.library>>) => ({ ...found, usage: found.usage && { totals: found.usage.totals, recent: found.usage.recent } })
ways['library search before'] = { pid: libraryBefore.pid, run: async () => shown(await oldLibrary.library(partnerId, at, { q: 'generated' })) }
ways['library search now'] = { pid: libraryNow.pid, run: async () => shown(await newLibrary.library(partnerId, at, { q: 'generated' })) }
// the program figures once each, and each pair answers the same
const answers = await Promise.all(Object.values(ways).map((w) => w.run()))
for (const [a, b] of [[0, 1], [2, 3]] as const) {
  if (JSON.stringify(answers[a]) !== JSON.stringify(answers[b])) throw new Error(`the two differ:\n${JSON.stringify(answers[a])}\n${JSON.stringify(answers[b])}`)
}

const figures = new Map<string, { cpu: number[]; db: number[] }>()
console.log(`partner ${partnerId}; ${rounds} rounds of ${views} views each way, interleaved; load ${load()}`)
for (let round = 1; round <= rounds; round++) {
  const order = Object.entries(ways)
  for (const [name, { pid, run }] of round % 2 ? order : order.reverse()) {
    for (let i = 0; i < 20; i++) await run()
    const dbBefore = cpuSeconds(pid) ?? 0
    const cpuBefore = cpuMs()
    for (let i = 0; i < views; i++) await run()
    const kept = figures.get(name) ?? { cpu: [], db: [] }
    kept.cpu.push((cpuMs() - cpuBefore) / views)
    kept.db.push((((cpuSeconds(pid) ?? 0) - dbBefore) * 1000) / views)
    figures.set(name, kept)
  }
  console.log(`round ${round} done; load ${load()}`)
}
console.log('\nmedians (CPU ms per view: this process; the database backend)')
for (const [name, f] of figures) console.log(`${name.padEnd(46)} node ${median(f.cpu).toFixed(3)} ms (${f.cpu.map((x) => x.toFixed(2)).join(' ')})  database ${median(f.db).toFixed(3)} ms (${f.db.map((x) => x.toFixed(2)).join(' ')})`)
console.log(`load ${load()}`)
for (const c of [before, now, libraryBefore, libraryNow]) await c.driver.close()
