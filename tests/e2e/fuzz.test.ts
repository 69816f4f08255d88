// Property-based request fuzzing (fast-check) against the real built server with the demo program: thousands of generated
// GETs and form posts across every loader and action, as each role and anonymously, with hostile values (NUL and control
// characters, lone surrogates, huge strings, 0x1F, 1e308, -0, 0.000001, repeated and missing fields, wrong content types).
// No request may answer 5xx; afterwards every stored event decodes and every read model is live.
// Deterministic: FUZZ_SEED picks the requests (printed on failure), FUZZ_RUNS how many.
import fs from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseEnv } from '../../app/env.server.ts'
import type { Position } from '../../eventstore/types.ts'
import { openServices } from '../../app/services.server.ts'
import { demoEmails } from './http.ts'
import { client, encodeLoose, formsOf, matchRoute, portalRoutes, type Body, type Client, type FormInfo, type RouteInfo } from './fuzz-support.ts'
import { startServer, type RunningServer } from './support.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 20261207)
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000)

let server: RunningServer
const routes = portalRoutes()
const clients: Record<string, Client> = {}
/** concrete paths seen in links, per route pattern (real ids of the demo program) */
const known = new Map<string, Set<string>>()
/** the forms the pages offered, with the role that saw them */
const forms: { who: string; form: FormInfo }[] = []
const notes: string[] = []

// signed-in users the fuzzer must not erase or sign out for good: posts that target them use generated ids instead
const SESSION_USERS = ['u-maria', 'u-li', 'u-sam', 'u-vera', 'u-alex']

/** each role opens every page without ids, then the first few linked pages of each kind it finds there */
async function crawl(c: Client) {
  const queue = routes.filter((r) => r.hasLoader && r.params.length === 0 && r.pattern !== '/logout').map((r) => r.pattern)
  const followed = new Map<string, number>()
  for (let i = 0; i < queue.length; i++) {
    const p = queue[i]!
    const response = await c.get(p)
    if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('text/html')) {
      await response.arrayBuffer()
      continue
    }
    const html = await response.text()
    for (const form of formsOf(html, p)) {
      if (form.action.startsWith('/logout') || (form.action.startsWith('/login') && c.who !== 'anonymous')) continue
      if (SESSION_USERS.some((u) => form.action.includes(`/${u}/`))) continue
      if (!forms.some((f) => f.who === c.who && f.form.action === form.action && Object.keys(f.form.fields).join() === Object.keys(form.fields).join())) forms.push({ who: c.who, form })
    }
    for (const m of html.matchAll(/href="(\/[^"#?]*)/g)) {
      const href = m[1]!.replaceAll('&amp;', '&')
      const route = matchRoute(routes, href)
      if (!route || route.params.length === 0 || queue.includes(href)) continue
      const set = known.get(route.pattern) ?? new Set()
      if (set.size < 6) set.add(href)
      known.set(route.pattern, set)
      // two pages of each kind per role are enough to find their forms
      if ((followed.get(route.pattern) ?? 0) < 2 && !route.pattern.endsWith('/download') && !route.pattern.includes('/cobrand/')) {
        followed.set(route.pattern, (followed.get(route.pattern) ?? 0) + 1)
        queue.push(href)
      }
    }
  }
}

beforeAll(async () => {
  server = await startServer({ SEED: 'demo' })
  clients.anonymous = client(server.url, 'anonymous', null)
  for (const [who, email] of Object.entries(demoEmails)) clients[who] = client(server.url, who, email)
  for (const c of Object.values(clients)) expect(await c.signIn(), `sign in as ${c.who}`).toBe(true)
  for (const c of Object.values(clients)) await crawl(c)
}, 600_000)
afterAll(async () => {
  await server?.stop()
})

// ---- what is generated ----------------------------------------------------------------------------------------

const nasty = [
  '', ' ', '\u0000', 'a\u0000b', 'Maria\u0000Jensen', '\u0007', '\u001b[31m', 'line\nbreak', 'tab\there', '\u007f', '\u0085', '\u2028',
  '\uD800', 'a\uDFFFb', '\uFFFF', '\uFEFF', '😀', '‮evil', 'Zürich', '𝕏'.repeat(50), '<script>alert(1)</script>', "'; drop table events; --",
  '../../etc/passwd', '%00', '%', '{}', '[]', 'null', 'undefined', 'true', '2026-02-30', '2026-Q5', '9999-12-31', '0000-00-00',
  'x'.repeat(1_000), 'y'.repeat(100_005), 'northwind', 'contoso', 'u-maria', '/\\evil.example', '//evil.example', 'javascript:alert(1)',
]
const numbers = ['0x1F', '1e308', '-1e308', '-0', '0', '0.000001', '1e-7', 'NaN', 'Infinity', '-1', '00012', '1,000', '12.345', '１２', '0b101', ' 42 ', '4.2e1', '9'.repeat(400), '1.005', '99999999999999999999']

const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nasty) },
  { weight: 3, arbitrary: fc.constantFrom(...numbers) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
)

const searchNames = ['page', 'q', 'before', 'from', 'to', 'type', 'actor', 'partner', 'job', 'format', 'quarter', 'sort', 'dir', 'audience', 'product', 'language', 'requests', 'claims', 'payments', 'workshops', 'rounds', 'intent', 'redirectTo', 'index', '_routes']
const whoArb = () => fc.constantFrom(...Object.keys(clients))

type Generated =
  | { kind: 'get'; who: string; path: string }
  | { kind: 'post'; who: string; path: string; body: Body; csrf: 'good' | 'missing' | 'wrong' }

function fill(pattern: string, values: string[]): string {
  let i = 0
  return pattern.replace(/:(\w+)/g, () => encodeURIComponentLoose(values[i++] ?? ''))
}
// an empty id would drop its segment and hit another route: a space stands in for it
const encodeURIComponentLoose = (s: string) => (s === '' ? '%20' : encodeLoose(s))

/** a path of the route: a real one seen in links, or the pattern with generated ids */
function pathArb(route: RouteInfo): fc.Arbitrary<string> {
  const real = [...(known.get(route.pattern) ?? [])]
  const generated = fc.array(text, { minLength: route.params.length, maxLength: route.params.length }).map((v) => fill(route.pattern, v))
  if (route.params.length === 0) return fc.constant(route.pattern)
  return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 2, arbitrary: generated }) : generated
}

const searchArb = fc.array(fc.tuple(fc.constantFrom(...searchNames), text), { maxLength: 3 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeLoose(v)}`).join('&')}` : ''))

function getArb(): fc.Arbitrary<Generated> {
  const loaders = routes.filter((r) => r.hasLoader)
  return fc.constantFrom(...loaders).chain((route) =>
    fc.record({ kind: fc.constant('get' as const), who: whoArb(), path: fc.tuple(pathArb(route), searchArb).map(([p, s]) => p + s) }))
}

/** a form's fields, each kept, changed to a generated value, dropped or sent twice */
function fieldsArb(form: FormInfo): fc.Arbitrary<[string, string][]> {
  const names = Object.keys(form.fields).filter((n) => n !== 'csrf')
  const perField = names.map((name) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant([[name, form.fields[name]!]] as [string, string][]) },
      { weight: 4, arbitrary: text.map((v) => [[name, v]] as [string, string][]) },
      { weight: 1, arbitrary: fc.constant([] as [string, string][]) },
      { weight: 1, arbitrary: fc.tuple(text, text).map(([a, b]) => [[name, a], [name, b]] as [string, string][]) },
      { weight: 1, arbitrary: fc.uuid().map((u) => [[name, name === 'commandId' ? u : form.fields[name]!]] as [string, string][]) },
    ))
  const intent = form.intents.length ? fc.option(fc.constantFrom(...form.intents), { nil: undefined }) : fc.constant(undefined)
  return fc.tuple(fc.tuple(...perField), fc.uuid(), intent, fc.option(fc.tuple(text, text), { nil: undefined })).map(([fields, commandId, chosen, extra]) => {
    const all = fields.flat().map(([k, v]) => [k, k === 'commandId' && v === form.fields.commandId ? commandId : v] as [string, string])
    if (chosen !== undefined) all.push(['intent', chosen])
    if (extra) all.push(extra)
    return all
  })
}

const fileArb = fc.record({
  bytes: fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => [...b]), fc.constant<number[]>([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), fc.constant<number[]>([0x25, 0x50, 0x44, 0x46])),
  type: fc.constantFrom<string>('image/png', 'application/pdf', 'text/html', 'application/octet-stream', ''),
  name: fc.oneof(fc.constantFrom('logo.png', 'evidence.pdf', '../../x.pdf', 'a\u0000b.png', '😀.png'), fc.string({ maxLength: 20 })),
})

function bodyArb(form: FormInfo): fc.Arbitrary<Body> {
  return fieldsArb(form).chain((fields) =>
    fc.oneof(
      { weight: 7, arbitrary: fc.constant<Body>({ kind: 'urlencoded', fields }) },
      { weight: 2, arbitrary: fc.array(fc.tuple(form.files.length ? fc.constantFrom(...form.files) : fc.constant('file'), fileArb), { maxLength: 2 }).map<Body>((files) => ({ kind: 'multipart', fields, files })) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/xml', null, 'application/x-www-form-urlencoded; charset=utf-16', 'multipart/form-data').map<Body>((contentType) => ({
          kind: 'raw', contentType, text: contentType === 'application/json' ? JSON.stringify(Object.fromEntries(fields)) : fields.map(([k, v]) => `${k}=${v}`).join('&'),
        })),
      },
    ))
}

function postArb(): fc.Arbitrary<Generated> {
  const templated = fc.constantFrom(...forms).chain(({ who, form }) =>
    fc.record({
      kind: fc.constant('post' as const),
      // mostly the role that saw the form; sometimes another one, who may not
      who: fc.oneof({ weight: 3, arbitrary: fc.constant(who) }, { weight: 1, arbitrary: whoArb() }),
      path: fc.oneof({ weight: 4, arbitrary: fc.constant(form.action) }, { weight: 1, arbitrary: searchArb.map((s) => form.action.split('?')[0] + s) }),
      body: bodyArb(form),
      csrf: fc.constantFrom('good', 'good', 'good', 'good', 'good', 'missing', 'wrong'),
    }))
  // every action, also those whose page the crawl did not reach, with generated ids and fields
  const actions = routes.filter((r) => r.hasAction && r.pattern !== '/logout')
  const blind = fc.constantFrom(...actions).chain((route) =>
    fc.record({
      kind: fc.constant('post' as const),
      who: whoArb(),
      path: pathArb(route).filter((p) => !SESSION_USERS.some((u) => p.includes(`/${u}/`))),
      body: fc.array(fc.tuple(fc.constantFrom('commandId', 'intent', 'name', 'email', 'amount', 'value', 'quarter', 'notes', 'partnerId', 'date'), text), { maxLength: 6 }).map<Body>((fields) => ({ kind: 'urlencoded', fields })),
      csrf: fc.constant('good' as const),
    }))
  return fc.oneof({ weight: 5, arbitrary: templated }, { weight: 1, arbitrary: blind })
}

// ---- running them --------------------------------------------------------------------------------------------

const dead = new Set<string>()

async function send(request: Generated): Promise<Response> {
  const c = clients[dead.has(request.who) ? 'anonymous' : request.who]!
  if (request.kind === 'get') return c.get(request.path)
  let body = request.body
  if (body.kind !== 'raw') {
    const token = request.csrf === 'good' ? c.csrf : request.csrf === 'wrong' ? 'not-the-token' : null
    const fields: [string, string][] = [...(token === null ? [] : [['csrf', token] as [string, string]]), ...body.fields.filter(([k]) => k !== 'csrf')]
    body = { ...body, fields }
  }
  return c.post(request.path, body)
}

function describeRequest(r: Generated): string {
  const short = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…(${s.length})` : s)
  if (r.kind === 'get') return `${r.who} GET ${short(r.path)}`
  const b = r.body
  const fields = b.kind === 'raw' ? `${b.contentType ?? 'no content type'} ${short(b.text)}` : `${b.kind} csrf=${r.csrf} ${b.fields.map(([k, v]) => `${k}=${short(v)}`).join(' ')}${b.kind === 'multipart' ? ` files=${b.files.length}` : ''}`
  return `${r.who} POST ${short(r.path)} ${fields}`
}

/** Sends the generated requests once per server and keeps what came back: both tests below read it, whichever runs first. */
async function fuzz() {
  const requests = fc.sample(fc.oneof({ weight: 1, arbitrary: getArb() }, { weight: 2, arbitrary: postArb() }), { seed: SEED, numRuns: RUNS })
  const failures: { request: Generated; status: number; answer: string }[] = []
  const statuses = new Map<number, number>()
  for (const request of requests) {
    const logged = server.output().length
    let response: Response
    try {
      response = await send(request).catch(async () => {
        // a connection the server dropped after refusing the previous request (431 for a URL past Node's header
        // limit while the body was still being sent) fails the next request on it: one retry on a new connection
        await new Promise((r) => setTimeout(r, 50))
        return send(request)
      })
    } catch (error) {
      // past Node's 16 kB header limit the server answers 431 and closes the socket, which fetch may report as a failure
      if (request.path.length > 16_000) continue
      failures.push({ request, status: 0, answer: `no answer: ${String(error)}` })
      continue
    }
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    const answer = response.status >= 500 ? (await response.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200) : ''
    if (response.status < 500) await response.arrayBuffer()
    // what the server logged while answering (its error), after the page's own words
    if (response.status >= 500) failures.push({ request, status: response.status, answer: `${answer.slice(0, 80)} | server: ${server.output().slice(logged).replace(/\s+/g, ' ').slice(0, 300)}` })
    // a session that ended (sign-out, erasure, a password change) signs in again, or its requests go out anonymously
    const location = response.headers.get('location') ?? ''
    if (request.who !== 'anonymous' && !dead.has(request.who) && response.status === 302 && location.startsWith('/login')) {
      if (!(await clients[request.who]!.signIn())) {
        dead.add(request.who)
        notes.push(`${request.who} could not sign in again after: ${describeRequest(request)}`)
      }
    }
  }
  const seen = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')
  if (notes.length) console.log(`fuzz notes (seed ${SEED}):\n${notes.join('\n')}`)
  // grouped by method, route and body kind, so one cause shows once with how often it struck
  const groups = new Map<string, { count: number; first: (typeof failures)[number] }>()
  for (const f of failures) {
    const route = matchRoute(routes, f.request.path.split('?')[0]!)?.pattern ?? f.request.path.slice(0, 40)
    const key = `${f.request.kind} ${route} ${f.request.kind === 'post' ? f.request.body.kind : ''} ${f.status}`
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { count: 1, first: f })
  }
  const report = [...groups.values()].map((g) => `  ${g.count}× ${g.first.status}: ${describeRequest(g.first.request)}\n      → ${g.first.answer}`).join('\n')
  if (failures.length && process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, `${failures.map((f) => `${f.status} ${describeRequest(f.request)}\n   → ${f.answer}`).join('\n')}\n`)
  return { failures, requests, seen, report }
}
let fuzzing: ReturnType<typeof fuzz> | undefined
const fuzzed = () => (fuzzing ??= fuzz())

describe('fuzzed requests', () => {
  test(`${RUNS} generated requests across every loader and action answer below 500 (FUZZ_SEED=${SEED})`, async () => {
    expect(forms.length, 'the crawl found forms to post').toBeGreaterThan(20)
    const { failures, requests, seen, report } = await fuzzed()
    expect(failures.length, `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}: ${failures.length} of ${requests.length} requests answered 5xx (statuses ${seen}):\n${report}`).toBe(0)
  }, 900_000)

  test('afterwards the server is healthy, every stored event decodes and every read model is live', async () => {
    // after the generated requests (sent now when this test runs first or alone)
    await fuzzed()
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean; projections: { name: string; state: string }[] }
    expect(health.projections.filter((p) => p.state === 'failed'), 'failed projections in /healthz').toEqual([])
    expect(health.ok).toBe(true)
    // the server lets go of its data directory; then the log is read back through the store, which decodes every event
    const exited = new Promise((resolve) => server.process.once('exit', resolve))
    server.process.kill('SIGTERM')
    await exited
    const services = await openServices({ env: parseEnv({ DATA_DIR: server.dataDir, SEED: 'none' }), log: () => {} })
    try {
      let count = 0
      let last: Position | undefined
      for await (const event of services.store.readAll()) {
        count++
        last = event.position
      }
      expect(count).toBeGreaterThan(0)
      if (last) await services.runner.waitFor(last, 60_000)
      expect(services.runner.status().filter((p) => p.state === 'failed')).toEqual([])
    } finally {
      await services.close()
    }
  }, 1_200_000)
})
