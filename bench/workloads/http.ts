// HTTP: the built server over a generated program, a partner admin signed in, and autocannon on the bare route, the
// dashboard and the collateral search, each cached and fresh (bench/README.md describes the run).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { historyEvents } from '../../cli/generate-history.ts'
import { allProjections } from '../../projections/all.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { ensureDatabase, siblingDatabaseUrl, databaseName } from '../lib/db.ts'
import { loadHistory } from '../lib/history.ts'
import { emit, freePort, note, now, rate, ratio, round } from '../lib/util.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PASSWORD = 'partnerlog-bench'
const SEED = 7

type Volume = { partners: number; events: number; seed: number }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function volumeOf(ctx: BenchContext): Volume {
  const partners = Number(process.env.BENCH_HTTP_PARTNERS ?? 1000)
  // 1M is the goal, but catching the projections up takes long (bench/README.md): BENCH_HTTP_EVENTS=1000000 for it
  const events = Number(process.env.BENCH_HTTP_EVENTS ?? (ctx.quick ? 20_000 : 100_000))
  return { partners, events, seed: SEED }
}

/** the server to run: PARTNERLOG_BUILD_DIR's build, else a snapshot of HEAD built once */
function serverDir(): { cwd: string; buildDir: string; source: string } {
  if (process.env.PARTNERLOG_BUILD_DIR) {
    const buildDir = path.resolve(root, process.env.PARTNERLOG_BUILD_DIR)
    if (!fs.existsSync(path.join(buildDir, 'server/index.js'))) {
      note(`http: building the working tree into ${buildDir}`)
      execFileSync('npx', ['react-router', 'build'], { cwd: root, env: { ...process.env, PARTNERLOG_BUILD_DIR: buildDir }, stdio: ['ignore', 'ignore', 'inherit'] })
    }
    return { cwd: root, buildDir, source: `working tree, build ${path.relative(root, buildDir)}` }
  }
  // other sessions edit app/ while the bench runs: measure the committed code, built once per commit
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim()
  const cwd = path.join(root, '.tmp/bench-http', commit)
  const buildDir = path.join(cwd, 'build')
  if (!fs.existsSync(path.join(buildDir, 'server/index.js'))) {
    note(`http: building a snapshot of HEAD (${commit}) in ${path.relative(root, cwd)}`)
    fs.rmSync(cwd, { recursive: true, force: true })
    fs.mkdirSync(cwd, { recursive: true })
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C ${JSON.stringify(cwd)}`], { cwd: root })
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(cwd, 'node_modules'))
    execFileSync('npx', ['react-router', 'build'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  return { cwd, buildDir, source: `HEAD ${commit}` }
}

/** Generates the history into the database unless its marker says it already holds exactly this one. */
async function ensureHistory(url: string, volume: Volume): Promise<{ reused: boolean; events: number; ms: number }> {
  const driver = await createPgDriver(url, { max: 2 })
  try {
    await driver.exec(`create table if not exists bench_history_marker (id int primary key, partners int not null, events int not null, seed int not null, loaded int not null, at timestamptz not null default now())`)
    const { rows } = await driver.query<{ partners: number; events: number; seed: number; loaded: number }>(`select partners, events, seed, loaded from bench_history_marker where id = 1`)
    const marker = rows[0]
    if (marker && marker.partners === volume.partners && marker.events === volume.events && marker.seed === volume.seed) {
      // the server's scheduler may have appended events since: kept, and counted
      const { rows: count } = await driver.query<{ n: string }>(`select count(*)::text as n from events`).catch(() => ({ rows: [{ n: '-1' }] }))
      const present = Number(count[0]!.n)
      if (present >= marker.loaded) {
        if (present > marker.loaded) note(`http: reusing the history; ${present - marker.loaded} events were appended by the server since it was loaded`)
        return { reused: true, events: present, ms: 0 }
      }
    }
    note(`http: generating ${volume.events} events for ${volume.partners} partners (seed ${volume.seed}) into ${databaseName(url)}`)
    await driver.exec(`drop schema public cascade; create schema public;
      create table bench_history_marker (id int primary key, partners int not null, events int not null, seed int not null, loaded int not null, at timestamptz not null default now())`)
    await migrate(driver)
    const start = now()
    const loaded = await loadHistory(driver, historyEvents({ ...volume, validate: true }), (n) => note(`http: ${n} events loaded (${rate(n, now() - start)}/s)`))
    await driver.exec('vacuum analyze')
    const ms = now() - start
    await driver.query(`insert into bench_history_marker (id, partners, events, seed, loaded) values (1, $1, $2, $3, $4)`, [volume.partners, volume.events, volume.seed, loaded])
    return { reused: false, events: loaded, ms }
  } finally {
    await driver.close()
  }
}

/** One generated partner admin whose organisation the projections know, with a password set. */
async function benchUser(url: string): Promise<{ userId: string; email: string; organisationId: string }> {
  const driver = await createPgDriver(url, { max: 1 })
  try {
    const { rows } = await driver.query<{ state: { userId: string; email: string; organisationId: string } }>(
      `select rm.state from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
        where rm.projection = 'users' and rm.state->>'role' = 'partner_admin' and (rm.state->>'active')::boolean
        order by rm.key limit 1`,
    )
    const user = rows[0]?.state
    if (!user) throw new Error('No active generated partner admin in the users read model')
    const { migrateAuth, setCredentials } = await import('../../app/auth.server.ts')
    const { hashPassword } = await import('../../app/password.server.ts')
    await migrateAuth(driver)
    await setCredentials(driver, user.userId, user.email, await hashPassword(PASSWORD))
    // a fresh start for the bench's sign-ins, whatever earlier runs left in the limits
    await driver.exec('delete from sign_in_limits')
    return user
  } finally {
    await driver.close()
  }
}

/** Signs in like a browser without JS: the login form's CSRF token, then the POST; returns the Cookie header. */
async function signIn(baseUrl: string, email: string): Promise<string> {
  const cookies = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair!.indexOf('=')
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1))
    }
  }
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const page = await fetch(`${baseUrl}/login`, { redirect: 'manual' })
  keep(page)
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)?.[1]
  if (!csrf) throw new Error('No CSRF token on /login')
  const body = new FormData()
  body.set('csrf', csrf)
  body.set('email', email)
  body.set('password', PASSWORD)
  const login = await fetch(`${baseUrl}/login`, { method: 'POST', body, headers: { Cookie: header() }, redirect: 'manual' })
  keep(login)
  if (login.status !== 302) throw new Error(`Sign-in as ${email} answered ${login.status}`)
  return header()
}

type Server = { url: string; child: ChildProcess; output: () => string; stop(): Promise<void> }

async function startServer(cwd: string, buildDir: string, databaseUrl: string): Promise<Server> {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-bench-http-'))
  let output = ''
  const child = spawn(process.execPath, ['server.js'], {
    cwd,
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED: 'none',
      DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString('base64url'), PARTNERLOG_BUILD_DIR: buildDir, COOKIE_SECURE: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk: Buffer) => {
    output += chunk
    if (output.length > 200_000) output = output.slice(-100_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const deadline = now() + 120_000
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`Server exited (${child.exitCode}):\n${output}`)
    if (now() > deadline) throw new Error(`Server did not start in time:\n${output}`)
    await sleep(100)
  }
  return {
    url: `http://127.0.0.1:${port}`, child, output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, sleep(10_000)])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Waits until every projection's active checkpoint is at the end of the log (read in SQL); returns the ms it took. */
async function catchUp(databaseUrl: string, expected: readonly string[], timeoutMs: number): Promise<{ ms: number; caughtUp: boolean; behind: string[]; remaining: number }> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    // events after the least advanced checkpoint
    const { rows: left } = await client
      .query<{ n: string }>(
        `select count(*)::text as n from events e where (e.transaction_id, e.global_position) > coalesce(
           (select (greatest(position_commit, 0)::text::xid8, position_prepare) from projection_checkpoints where status = 'active'
              and (select count(*) from projection_checkpoints where status = 'active') >= $1
            order by position_commit, position_prepare limit 1), ('0'::xid8, -1::bigint))`,
        [expected.length],
      )
      .catch(() => client.query<{ n: string }>(`select count(*)::text as n from events`))
    const remaining = Number(left[0]!.n)
    const { rows } = await client.query<{ commit: string; prepare: string }>(`select transaction_id::text as commit, global_position::text as prepare from events order by transaction_id desc, global_position desc limit 1`)
    const last = rows[0]!
    const start = now()
    let behind: string[] = [...expected]
    let lastNote = start
    while (now() - start < timeoutMs) {
      const { rows: checkpoints } = await client
        .query<{ projection: string; status: string; at_end: boolean }>(
          `select projection, status, (position_commit, position_prepare) >= ($1::bigint, $2::bigint) as at_end from projection_checkpoints where status in ('active', 'building')`,
          [last.commit, last.prepare],
        )
        .catch(() => ({ rows: [] as { projection: string; status: string; at_end: boolean }[] }))
      const done = new Set(checkpoints.filter((c) => c.status === 'active' && c.at_end).map((c) => c.projection))
      const building = checkpoints.filter((c) => c.status === 'building').map((c) => c.projection)
      const known = new Set([...expected, ...checkpoints.map((c) => c.projection)])
      behind = [...known].filter((name) => !done.has(name) || building.includes(name))
      if (behind.length === 0) return { ms: now() - start, caughtUp: true, behind, remaining }
      if (now() - lastNote > 30_000) {
        lastNote = now()
        note(`http: projections still catching up after ${Math.round((now() - start) / 1000)} s: ${behind.length} behind (${behind.slice(0, 6).join(', ')}...)`)
      }
      await sleep(500)
    }
    return { ms: now() - start, caughtUp: false, behind, remaining }
  } finally {
    await client.end()
  }
}

/** CPU seconds the process has used so far (Linux /proc), or null where that cannot be read. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/** Waits until the server is quiet (the scheduler's first run may append work), so the pages are measured, not a catch-up. */
async function settle(pid: number, timeoutMs: number): Promise<{ ms: number; quiet: boolean }> {
  const start = now()
  let before = cpuSeconds(pid)
  if (before === null) return { ms: 0, quiet: false }
  while (now() - start < timeoutMs) {
    await sleep(3000)
    const after = cpuSeconds(pid)
    if (after === null) break
    const share = (after - before) / 3
    before = after
    if (share < 0.05) return { ms: now() - start, quiet: true }
  }
  return { ms: now() - start, quiet: false }
}

type RouteFigure = { requestsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number; requests: number; serverCpuMsPerRequest?: number }

async function cannon(url: string, headers: Record<string, string>, seconds: number, serverPid?: number): Promise<RouteFigure> {
  const before = serverPid ? cpuSeconds(serverPid) : null
  const result = await autocannon({ url, connections: 10, duration: seconds, headers, timeout: 30 })
  const after = serverPid ? cpuSeconds(serverPid) : null
  return {
    requestsPerSec: round(result.requests.average, 1), p50Ms: result.latency.p50, p99Ms: result.latency.p99,
    non2xx: result.non2xx, errors: result.errors + result.timeouts, requests: result.requests.total,
    // the server's CPU time per request (/proc): the page's cost, whatever else shares the machine
    ...(before !== null && after !== null && result.requests.total > 0 ? { serverCpuMsPerRequest: round(((after - before) * 1000) / result.requests.total, 2) } : {}),
  }
}

export const httpWorkload: Workload = {
  name: 'http',
  description: 'generated program in PostgreSQL, the built server on loopback, autocannon (10 connections) on /status, /partner and /partner/library?q=',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl) return { summary: {}, skipped: [`http: ${ctx.pgSkipReason}`] }
    const volume = volumeOf(ctx)
    const databaseUrl = process.env.BENCH_HTTP_DATABASE_URL ?? siblingDatabaseUrl(ctx.pgUrl, `${databaseName(ctx.pgUrl)}_http`)
    const reason = await ensureDatabase(databaseUrl)
    if (reason) return { summary: {}, skipped: [`http: ${reason}`] }
    const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? (ctx.quick ? 5 : 15))
    const warmup = ctx.quick ? 2 : 3
    const summary: Record<string, unknown> = {}

    const history = await ensureHistory(databaseUrl, volume)
    emit({ workload: 'http', name: history.reused ? 'history reused (marker matches)' : 'history generated (multi-row inserts, generator order)', ...volume, eventsLoaded: history.events, ...(history.reused ? {} : { ms: Math.round(history.ms), eventsPerSec: rate(history.events, history.ms) }) })
    summary.volume = { ...volume, eventsLoaded: history.events, reused: history.reused }

    const { cwd, buildDir, source } = serverDir()
    const server = await startServer(cwd, buildDir, databaseUrl)
    try {
      const catchUpBudget = Number(process.env.BENCH_HTTP_CATCHUP_SECONDS ?? 1800) * 1000
      const caught = await catchUp(databaseUrl, allProjections.map((p) => p.name), catchUpBudget)
      emit({ workload: 'http', name: 'projections catch-up in the server (all at the end of the log)', events: history.events, ms: Math.round(caught.ms), caughtUp: caught.caughtUp, behind: caught.behind, eventsToProject: caught.remaining, eventsPerSec: rate(caught.remaining, caught.ms) })
      summary.catchUpSeconds = round(caught.ms / 1000, 1)
      if (!caught.caughtUp) throw new Error(`projections did not catch up within ${catchUpBudget / 1000} s: ${caught.behind.join(', ')}`)

      const user = await benchUser(databaseUrl)
      const cookie = await signIn(server.url, user.email)
      // a word of the generated library (asset titles, descriptions and tags): 'generated'
      const word = process.env.BENCH_HTTP_QUERY ?? 'generated'
      const search = `/partner/library?q=${encodeURIComponent(word)}`
      // each page cached (decision 008) and fresh (Cache-Control: no-cache), each compared with the bare route run the same way
      const fresh = { 'cache-control': 'no-cache' }
      const routes: [string, string, Record<string, string>][] = [
        ['bare /status', '/status', {}],
        ['dashboard /partner', '/partner', {}],
        [`search /partner/library?q=${word}`, search, {}],
        ['bare /status, no cache', '/status', fresh],
        ['dashboard /partner, no cache', '/partner', fresh],
        [`search /partner/library?q=${word}, no cache`, search, fresh],
      ]
      for (const [, route] of routes) {
        const response = await fetch(`${server.url}${route}`, { headers: { cookie }, redirect: 'manual' })
        const body = await response.text()
        if (response.status !== 200) throw new Error(`${route} answered ${response.status} for ${user.email}`)
        if (route.startsWith('/partner/library') && !/Asset \d+/.test(body)) throw new Error(`${route} found no asset`)
      }
      // the scheduler's first run (2 s after start) and what the projections make of it, then quiet
      await sleep(3000)
      const quiet = await settle(server.child.pid!, Number(process.env.BENCH_HTTP_SETTLE_SECONDS ?? 600) * 1000)
      const after = await catchUp(databaseUrl, allProjections.map((p) => p.name), catchUpBudget)
      emit({ workload: 'http', name: 'server settled before measuring (under 5% of a core for 3 s)', ms: Math.round(quiet.ms), quiet: quiet.quiet, caughtUp: after.caughtUp, eventsProjectedMeanwhile: after.remaining })
      if (!quiet.quiet) note(`http: the server was still busy after ${Math.round(quiet.ms / 1000)} s: what follows is not a steady state, and no target counts as met`)
      // the routes take turns, so a slow minute of a shared machine does not fall on one route only
      const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? (ctx.quick ? 1 : 3))
      note(`http: server from ${source}; signed in as ${user.email} (${user.organisationId}); ${rounds} round(s) of ${seconds} s per route after ${warmup} s warm-up, 10 connections`)
      const runs = new Map<string, RouteFigure[]>()
      for (let round = 1; round <= rounds; round++) {
        for (const [name, route, extra] of routes) {
          const headers = { cookie, ...extra }
          await cannon(`${server.url}${route}`, headers, warmup)
          const figure = await cannon(`${server.url}${route}`, headers, seconds, server.child.pid)
          runs.set(name, [...(runs.get(name) ?? []), figure])
          emit({ workload: 'http', name: `${name}`, round, route, ...(extra['cache-control'] ? { cacheControl: extra['cache-control'] } : {}), connections: 10, seconds, ...figure })
        }
      }
      // each route's median round by requests/s
      const figures: Record<string, RouteFigure> = {}
      for (const [name, list] of runs) figures[name] = [...list].sort((a, b) => a.requestsPerSec - b.requestsPerSec)[Math.floor(list.length / 2)]!
      const [bare, dashboard, found, bareFresh, dashboardFresh, foundFresh] = routes.map(([name]) => figures[name]!) as RouteFigure[] as [RouteFigure, RouteFigure, RouteFigure, RouteFigure, RouteFigure, RouteFigure]
      // each page against the bare route measured the same way (kept with kept, fresh with fresh)
      const ratiosOf = (bareRoute: RouteFigure, dashboardRoute: RouteFigure, searchRoute: RouteFigure) => ({
        'dashboard/bare requests/s': ratio(dashboardRoute.requestsPerSec, bareRoute.requestsPerSec),
        'search/bare requests/s': ratio(searchRoute.requestsPerSec, bareRoute.requestsPerSec),
        'dashboard/bare p99': ratio(dashboardRoute.p99Ms, bareRoute.p99Ms),
        'search/bare p99': ratio(searchRoute.p99Ms, bareRoute.p99Ms),
      })
      const ratios = ratiosOf(bare, dashboard, found)
      const ratiosWithoutCache = ratiosOf(bareFresh, dashboardFresh, foundFresh)
      const met = (r: typeof ratios, page: 'dashboard' | 'search') => quiet.quiet && r[`${page}/bare requests/s`] >= 0.7 && r[`${page}/bare p99`] <= 2
      const targets = { dashboard: met(ratios, 'dashboard'), search: met(ratios, 'search') }
      const targetsWithoutCache = { dashboard: met(ratiosWithoutCache, 'dashboard'), search: met(ratiosWithoutCache, 'search') }
      emit({ workload: 'http', name: 'ratios to the bare route (target: >= 0.7x requests/s and p99 <= 2x)', ratios, targetsMet: targets })
      emit({ workload: 'http', name: 'the same, every view computed and rendered, the bare route too (no cache: the first view after a change)', ratios: ratiosWithoutCache, targetsMet: targetsWithoutCache })
      Object.assign(summary, { server: source, user: user.email, settleSeconds: round(quiet.ms / 1000, 1), routes: figures, requestsPerSecByRound: Object.fromEntries([...runs].map(([name, list]) => [name, list.map((f) => f.requestsPerSec)])), ratios, targetsMet: targets, ratiosWithoutCache, targetsMetWithoutCache: targetsWithoutCache })
      return { summary }
    } catch (error) {
      note(`http: server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`)
      throw error
    } finally {
      await server.stop()
    }
  },
}
