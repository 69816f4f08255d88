// For issue #16's fresh views: the server CPU per fresh (`Cache-Control: no-cache`) request of the bare route, the
// partner dashboard and the library search, for several builds of the portal on one database with its read models
// kept, the builds taking turns round by round (a shared machine's slow minute then falls on all of them alike).
// Usage: npx tsx bench/probes/views-cpu.ts --build base=.tmp/views-base/build --build new=.tmp/views-new/build
//   [--db postgres://…/partnerlog_bench_http_1000000] [--rounds 4] [--requests 150] [--concurrency 2]
//   [--routes bare,dashboard,library] [--save dir] [--prof new] [--flags new=--max-semi-space-size=64] (that server runs under node --cpu-prof; its profile lands in .tmp/views-prof, read it with runner-prof.ts)
// The server's CPU with no request, measured for 2 s before each route, is taken off. Asks for no compression, as autocannon in the http bench. Refuses to go on when a server starts rebuilding a projection (its build has another version than the database's):
// the kept read models are shared with other sessions.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MEMORY_FLAGS } from '../../scripts/start.mjs'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { cpuSeconds } from '../lib/proc.ts'
import { freePort } from '../lib/util.ts'
import { benchUser, signIn } from '../workloads/http.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const builds = args.flatMap((a, i) => (a === '--build' ? [args[i + 1]!] : [])).map((b) => {
  const [name, dir] = b.split('=') as [string, string]
  return { name, dir: path.resolve(root, dir) }
})
if (builds.length === 0) throw new Error('--build name=dir, at least once')
const db = arg('db', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench_http_1000000')
const rounds = Number(arg('rounds', '4'))
const requests = Number(arg('requests', '150'))
const concurrency = Number(arg('concurrency', '2'))
const profiled = arg('prof', '')
// node flags added for one build, e.g. --flags big=--max-semi-space-size=64 (several: comma-separated)
const extraFlags = new Map(args.flatMap((a, i) => (a === '--flags' ? [args[i + 1]!] : [])).map((f) => {
  const at = f.indexOf('=')
  return [f.slice(0, at), f.slice(at + 1).split(',')] as const
}))
// a folder to keep each route's last page in (to compare builds' pages)
const save = arg('save', '')
const only = arg('routes', 'bare,dashboard,library').split(',')
const routes = ([
  ['bare', '/status'],
  ['dashboard', '/partner'],
  ['library', '/partner/library?q=generated'],
] as const).filter(([label]) => only.includes(label))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')

/** checkpoints as (projection, version, status): a server that starts a rebuild adds a row */
async function checkpointsOf(): Promise<string> {
  const driver = await createPgDriver(db, { max: 1 })
  try {
    const { rows } = await driver.query<{ p: string }>(`select projection || ':' || version || ':' || status as p from projection_checkpoints order by 1`)
    return rows.map((r) => r.p).join(',')
  } finally {
    await driver.close()
  }
}


type Server = { name: string; url: string; child: ChildProcess; cookie: string }

async function start(name: string, buildDir: string): Promise<Omit<Server, 'cookie'>> {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-views-'))
  const prof = name === profiled ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, '.tmp/views-prof')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []
  // server.js beside the build when there is one (a snapshot), else the working tree's
  const cwd = fs.existsSync(path.join(buildDir, '../server.js')) ? path.dirname(buildDir) : root
  const child = spawn(process.execPath, [...MEMORY_FLAGS, ...(extraFlags.get(name) ?? []), ...prof, 'server.js'], {
    cwd,
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED: 'none',
      DATABASE_URL: db, SESSION_SECRET: randomBytes(32).toString('base64url'), PARTNERLOG_BUILD_DIR: buildDir, COOKIE_SECURE: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (c) => (output += c))
  child.stderr!.on('data', (c) => (output += c))
  const deadline = Date.now() + 120_000
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${output}`)
    await sleep(100)
  }
  return { name, url: `http://127.0.0.1:${port}`, child }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await Promise.race([exited, sleep(20_000)])
  if (child.exitCode === null) child.kill('SIGKILL')
}

/** the local ports of a process's TCP connections to PostgreSQL (port 5432), from /proc */
function pgPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>()
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = fs.readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)
      if (m) inodes.add(m[1]!)
    } catch {}
  }
  const ports = new Set<number>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || !inodes.has(f[9]!)) continue
      if (parseInt(f[2]!.split(':')[1]!, 16) === 5432) ports.add(parseInt(f[1]!.split(':')[1]!, 16))
    }
  }
  return ports
}

/** the CPU seconds so far of the database backends serving a process's connections, by backend pid */
async function backendCpu(pid: number, driver: Awaited<ReturnType<typeof createPgDriver>>): Promise<Map<number, number>> {
  const ports = [...pgPortsOf(pid)]
  const { rows } = await driver.query<{ pid: number }>(`select pid from pg_stat_activity where client_port = any($1::int[])`, [ports])
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid) ?? 0]))
}

/** n fresh requests, `concurrency` at a time: the server's CPU ms per request, the wall ms per request, bytes */
async function measure(server: Server, route: string, n: number) {
  let next = 0
  let bytes = 0
  const latencies: number[] = []
  const one = async () => {
    while (next < n) {
      next++
      const t = performance.now()
      const response = await fetch(`${server.url}${route}`, { headers: { cookie: server.cookie, 'cache-control': 'no-cache', 'accept-encoding': 'identity' }, redirect: 'manual' })
      const body = await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`${server.name} ${route} answered ${response.status}`)
      bytes = body.byteLength
      if (save) fs.writeFileSync(path.join(save, `${server.name}-${route.replace(/[^a-z]+/g, '_')}.html`), Buffer.from(body))
      latencies.push(performance.now() - t)
    }
  }
  const dbBefore = await backendCpu(server.child.pid!, probeDb)
  const before = cpuSeconds(server.child.pid!)!
  const t = performance.now()
  await Promise.all(Array.from({ length: concurrency }, one))
  const wall = performance.now() - t
  const cpu = (cpuSeconds(server.child.pid!)! - before) * 1000
  // backends that came meanwhile count from nothing
  let db = 0
  for (const [backend, after] of await backendCpu(server.child.pid!, probeDb)) db += (after - (dbBefore.get(backend) ?? 0)) * 1000
  return { cpuMs: cpu / n, dbMs: db / n, wallMs: wall / n, bytes, p50: median(latencies) }
}

const user = await benchUser(db)
const probeDb = await createPgDriver(db, { max: 1 })
const before = await checkpointsOf()
const servers: Server[] = []
try {
  for (const b of builds) {
    const s = await start(b.name, path.join(b.dir))
    servers.push({ ...s, cookie: '' })
  }
  await sleep(5000)
  if ((await checkpointsOf()) !== before) throw new Error('a server changed the checkpoints (a rebuild?): stopped')
  for (const s of servers) s.cookie = await signIn(s.url, user.email)
  console.log(`signed in as ${user.email}; ${rounds} rounds of ${requests} requests, ${concurrency} at a time; load ${load()}`)
  const figures = new Map<string, { cpuMs: number[]; dbMs: number[]; wallMs: number[]; bytes: number }>()
  for (let round = 1; round <= rounds; round++) {
    // the builds take turns, in alternating order
    const order = round % 2 ? servers : [...servers].reverse()
    for (const s of order) {
      for (const [label, route] of routes) {
        await measure(s, route, 50)
        // what the server spends with no request (scheduler, projections, the other server's appends): taken off below
        const idleBefore = cpuSeconds(s.child.pid!)!
        await sleep(2000)
        const idlePerMs = (cpuSeconds(s.child.pid!)! - idleBefore) / 2
        const f = await measure(s, route, requests)
        f.cpuMs = Math.max(0, f.cpuMs - idlePerMs * f.wallMs)
        const key = `${s.name} ${label}`
        const kept = figures.get(key) ?? { cpuMs: [], dbMs: [], wallMs: [], bytes: 0 }
        kept.cpuMs.push(f.cpuMs)
        kept.dbMs.push(f.dbMs)
        kept.wallMs.push(f.wallMs)
        kept.bytes = f.bytes
        figures.set(key, kept)
        console.log(`round ${round} ${key}: ${f.cpuMs.toFixed(2)} ms CPU/request, database ${f.dbMs.toFixed(2)} ms, ${f.wallMs.toFixed(2)} ms wall/request, p50 ${f.p50.toFixed(1)} ms, ${f.bytes} bytes; load ${load()}`)
      }
    }
    if ((await checkpointsOf()) !== before) throw new Error('a server changed the checkpoints (a rebuild?): stopped')
  }
  console.log('\nmedians over the rounds (server and database CPU ms per fresh request; wall ms per request at this concurrency):')
  // on 2 cores the server and the database share the CPU: requests/s follow their sum
  const both = (f: { cpuMs: number[]; dbMs: number[] }) => median(f.cpuMs.map((c, i) => c + f.dbMs[i]!))
  for (const s of servers) {
    const bare = figures.get(`${s.name} bare`)
    for (const [label] of routes) {
      const f = figures.get(`${s.name} ${label}`)!
      const sum = both(f)
      console.log(`${s.name.padEnd(8)} ${label.padEnd(10)} server ${median(f.cpuMs).toFixed(2)} ms (${f.cpuMs.map((x) => x.toFixed(1)).join(' ')})  database ${median(f.dbMs).toFixed(2)} ms  both ${sum.toFixed(2)} ms  wall ${median(f.wallMs).toFixed(2)} ms  ${(f.bytes / 1024).toFixed(1)} KB${bare ? `  bare/page: server ${(median(bare.cpuMs) / median(f.cpuMs)).toFixed(2)}, both ${(both(bare) / sum).toFixed(2)}` : ''}`)
    }
  }
  console.log(`load ${load()}`)
} finally {
  for (const s of servers) await stop(s.child)
  await probeDb.close()
}
