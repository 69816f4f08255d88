// For issue #16's fresh views (decision 032): two parts of a fresh view's cost, old and new side by side in one
// process, interleaved, in CPU time (process.cpuUsage counts the thread pool's work too), and the database backend's CPU:
// - the session cookie read and written once per view: React Router's createCookie (WebCrypto) against session-cookie.server.ts;
// - the dashboard's partner read (partnerWith) over a database with kept read models: the journey, trust and organisation
//   documents and the settings in the statement (a snapshot of the code before, --base) against from the held documents.
// Usage: npx tsx bench/probes/views-parts.ts [--base .tmp/views-base] [--db postgres://…/partnerlog_bench_http_1000000]
//   [--rounds 6] [--views 300]
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createCookie } from 'react-router'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createSessionCookie } from '../../app/session-cookie.server.ts'
import { createInsightQueries } from '../../app/queries/insights.server.ts'
import { tierProgressSets } from '../../app/queries/funds.server.ts'
import { cpuSeconds } from '../lib/proc.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const base = path.resolve(root, arg('base', '.tmp/views-base'))
const db = arg('db', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench_http_1000000')
const rounds = Number(arg('rounds', '6'))
const views = Number(arg('views', '300'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')

// --- the cookie: one parse and one serialize per view, as the root loader does
const secret = randomBytes(32).toString('base64url')
const theirs = createCookie('partnerlog', { httpOnly: true, sameSite: 'lax', path: '/', secure: false, secrets: [secret], maxAge: 28_800 })
const ours = createSessionCookie('partnerlog', { secret, maxAge: 28_800, secure: false })
const id = randomBytes(32).toString('base64url')
const header = `partnerlog=${(await theirs.serialize(id)).split(';')[0]!.split('=').slice(1).join('=')}`
const cookieWays: Record<string, () => Promise<unknown>> = {
  'cookie: createCookie (WebCrypto)': async () => theirs.serialize(await theirs.parse(header)),
  'cookie: session-cookie (node:crypto)': async () => ours.serialize(ours.parse(header)!),
}

// --- the dashboard's partner read
const driver = await createPgDriver(db, { max: 2 })
const { createInsightQueries: createBase } = (await import(pathToFileURL(path.join(base, 'app/queries/insights.server.ts')).href)) as { createInsightQueries: typeof createInsightQueries }
if (!fs.existsSync(path.join(base, 'app/queries/insights.server.ts'))) throw new Error(`no base snapshot in ${base}`)
const { rows: [partner] } = await driver.query<{ key: string }>(
  `select rm.key from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
    where rm.projection = 'journey' and rm.key like 'p-%' order by rm.key limit 1`,
)
const partnerId = partner!.key
const { rows: [backend] } = await driver.query<{ pid: number }>('select pg_backend_pid() as pid')
// one connection, so that its backend's CPU is the reads'
const single = await createPgDriver(db, { max: 1 })
const { rows: [singleBackend] } = await single.query<{ pid: number }>('select pg_backend_pid() as pid')
void backend
const old = createBase(single)
const now = createInsightQueries(single)
const at = new Date().toISOString()
const readModels = 'probe-state'
const alongside = tierProgressSets(partnerId)
const partnerWays: Record<string, () => Promise<unknown>> = {
  'dashboard partner read: documents in the statement (before)': () => old.partnerWith(partnerId, at, { journeyHistory: 'last', lifetime: false, readModels }, alongside),
  'dashboard partner read: held documents (now)': () => now.partnerWith(partnerId, at, { journeyHistory: 'last', lifetime: false, readModels }, alongside),
}
// the program figures once each, before timing
for (const way of Object.values(partnerWays)) await way()

const figures = new Map<string, { cpu: number[]; db: number[] }>()
console.log(`partner ${partnerId}; ${rounds} rounds of ${views} views each way, interleaved; load ${load()}`)
for (let round = 1; round <= rounds; round++) {
  const ways = Object.entries({ ...cookieWays, ...partnerWays })
  for (const [name, run] of round % 2 ? ways : ways.reverse()) {
    for (let i = 0; i < 20; i++) await run()
    const dbBefore = cpuSeconds(singleBackend!.pid) ?? 0
    const before = cpuMs()
    for (let i = 0; i < views; i++) await run()
    const cpu = (cpuMs() - before) / views
    const dbCpu = (((cpuSeconds(singleBackend!.pid) ?? 0) - dbBefore) * 1000) / views
    const kept = figures.get(name) ?? { cpu: [], db: [] }
    kept.cpu.push(cpu)
    kept.db.push(dbCpu)
    figures.set(name, kept)
  }
  console.log(`round ${round} done; load ${load()}`)
}
console.log('\nmedians (CPU ms per view: this process; the database backend)')
for (const [name, f] of figures) {
  console.log(`${name.padEnd(62)} node ${median(f.cpu).toFixed(3)} ms (${f.cpu.map((x) => x.toFixed(3)).join(' ')})  database ${median(f.db).toFixed(3)} ms`)
}
console.log(`load ${load()}`)
await single.close()
await driver.close()
