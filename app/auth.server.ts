// Sessions, sign-in, CSRF and the permission check every loader and action starts with.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createCookieSessionStorage, redirect, type Session } from 'react-router'
import type { Role } from '../domain/shared/command.ts'
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import { dummyHash, verifyPassword } from './password.server.ts'
import { can, type Permission } from './permissions.ts'
import type { AppServices } from './services.server.ts'

export type SessionData = { userId: string; csrf: string; signedInAt: string; /** auditor's "as of" date, YYYY-MM-DD */ asOf?: string }
export type FlashData = { toast: { kind: 'success' | 'error' | 'info'; message: string } }

export type CurrentUser = {
  userId: string
  name: string
  email: string
  role: Role
  organisationId: string
  organisationName: string
}

const EIGHT_HOURS = 60 * 60 * 8

export function createSessions(secret: string, cookieSecure: 'auto' | 'true' | 'false') {
  const make = (secure: boolean) =>
    createCookieSessionStorage<SessionData, FlashData>({
      cookie: {
        name: secure ? '__Host-partnerlog' : 'partnerlog',
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure,
        secrets: [secret],
        maxAge: EIGHT_HOURS,
      },
    })
  const plain = make(false)
  const secure = make(true)
  const storageFor = (request: Request) => {
    if (cookieSecure === 'true') return secure
    if (cookieSecure === 'false') return plain
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '')
    return proto === 'https' ? secure : plain
  }
  // A page view's loaders (the root's and the page's) run on the same request object (future.v8_passThroughRequests)
  // and share one reading of its cookie: checking its signature (WebCrypto) cost more than the page's own reads.
  // Actions read it afresh: they may change the session between two reads. The root's loader sets the CSRF token and
  // takes the one-time toast from this shared session and commits it; a page's GET loader only reads it (asOf,
  // userId) and must not flash to it or commit it.
  const ofRequest = new WeakMap<Request, Promise<Session<SessionData, FlashData>>>()
  return {
    get(request: Request): Promise<Session<SessionData, FlashData>> {
      const read = () => storageFor(request).getSession(request.headers.get('Cookie'))
      if (request.method !== 'GET' && request.method !== 'HEAD') return read()
      let session = ofRequest.get(request)
      if (!session) ofRequest.set(request, (session = read()))
      return session
    },
    async commit(request: Request, session: Session<SessionData, FlashData>) {
      return storageFor(request).commitSession(session)
    },
    async destroy(request: Request, session: Session<SessionData, FlashData>) {
      return storageFor(request).destroySession(session)
    },
  }
}
export type Sessions = ReturnType<typeof createSessions>

export const AUTH_SQL = `
create table if not exists credentials (
  user_id text primary key,
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create table if not exists login_failures (
  email text primary key,
  failures int not null default 0,
  last_failure_at timestamptz not null default now()
);
create table if not exists app_secrets (
  name text primary key,
  value text not null
);
`

export async function migrateAuth(sql: SqlDriver) {
  await sql.exec(AUTH_SQL)
}

/** The session secret: from the environment, or generated once and kept in the database shared by every process. */
export async function sessionSecret(sql: SqlDriver, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv
  const candidate = randomBytes(32).toString('base64url')
  await sql.query(`insert into app_secrets (name, value) values ('session', $1) on conflict (name) do nothing`, [candidate])
  const { rows } = await sql.query<{ value: string }>(`select value from app_secrets where name = 'session'`)
  return rows[0]!.value
}

export async function setCredentials(sql: SqlDriver, userId: string, email: string, passwordHash: string) {
  await sql.query(
    `insert into credentials (user_id, email, password_hash) values ($1, lower($2), $3)
     on conflict (user_id) do update set email = excluded.email, password_hash = excluded.password_hash`,
    [userId, email, passwordHash],
  )
}

/** Verifies email and password; failed attempts for an email slow down its next attempts (up to 5 s). */
export async function authenticate(
  sql: SqlDriver,
  email: string,
  password: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<string | null> {
  const normalised = email.trim().toLowerCase()
  const failures = await sql.query<{ failures: number }>(
    `select failures from login_failures where email = $1 and last_failure_at > now() - interval '15 minutes'`,
    [normalised],
  )
  const count = failures.rows[0]?.failures ?? 0
  if (count > 0) await sleep(Math.min(5000, 250 * 2 ** Math.min(count - 1, 5)))
  const { rows } = await sql.query<{ user_id: string; password_hash: string }>(
    `select user_id, password_hash from credentials where email = $1`,
    [normalised],
  )
  const row = rows[0]
  const ok = await verifyPassword(password, row?.password_hash ?? dummyHash)
  if (!row || !ok) {
    await sql.query(
      `insert into login_failures (email, failures, last_failure_at) values ($1, 1, now())
       on conflict (email) do update set
         failures = case when login_failures.last_failure_at > now() - interval '15 minutes' then login_failures.failures + 1 else 1 end,
         last_failure_at = now()`,
      [normalised],
    )
    return null
  }
  await sql.query(`delete from login_failures where email = $1`, [normalised])
  return row.user_id
}

export function newCsrfToken() {
  return randomBytes(24).toString('base64url')
}

export async function getSession(request: Request, services: AppServices) {
  return services.sessions.get(request)
}

// The root loader and the page's loader run side by side for one request and both ask who is signed in: one lookup
// per GET (a POST's action may change the user before the loaders run, so it looks again each time).
type SignedIn = { user: CurrentUser | null; readModels: string | null }
const usersOfRequests = new WeakMap<Request, Promise<SignedIn>>()

async function lookUpUser(request: Request, services: AppServices): Promise<SignedIn> {
  const session = await services.sessions.get(request)
  const userId = session.get('userId')
  if (!userId) return { user: null, readModels: null }
  return services.queries.users.signedIn(userId)
}

function signedIn(request: Request, services: AppServices): Promise<SignedIn> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return lookUpUser(request, services)
  let found = usersOfRequests.get(request)
  if (!found) {
    found = lookUpUser(request, services)
    // whoever awaits it sees the error; unawaited, it must not count as an unhandled rejection
    found.catch(() => {})
    usersOfRequests.set(request, found)
  }
  return found
}

/** The signed-in user, or null. */
export function getUser(request: Request, services: AppServices): Promise<CurrentUser | null> {
  const user = signedIn(request, services).then((found) => found.user)
  // the root's loader starts the lookup before it awaits it: a failure meanwhile must not count as unhandled
  user.catch(() => {})
  return user
}

/**
 * The read models' state (READ_MODELS_STATE) as the request's user lookup found it, in the same round trip; null when
 * nobody is signed in.
 */
export async function readModelsState(request: Request, services: AppServices): Promise<string | null> {
  return (await signedIn(request, services)).readModels
}

/**
 * The path and search of the page a request is for. Loaders get the request as it came (future.v8_passThroughRequests,
 * react-router.config.ts): a client navigation asks for `/page.data?_routes=...`, which is not a page to come back to.
 */
export function pagePath(request: Request): string {
  const url = new URL(request.url)
  if (url.pathname.endsWith('.data')) url.pathname = url.pathname === '/_root.data' ? '/' : url.pathname.slice(0, -'.data'.length)
  url.searchParams.delete('_routes')
  url.searchParams.delete('index')
  return url.pathname + url.search
}

function forbidden(reason: string): never {
  throw new Response(reason, { status: 403, statusText: 'Forbidden' })
}

/** Every loader and action starts here: signed in, allowed, and (for actions) a valid CSRF token. */
export async function requireUser(request: Request, services: AppServices, permission?: Permission): Promise<CurrentUser> {
  const user = await getUser(request, services)
  if (!user) {
    throw redirect(`/login?redirectTo=${encodeURIComponent(pagePath(request))}`)
  }
  if (permission && !can(user.role, permission)) {
    forbidden(`Your role (${user.role.replace('_', ' ')}) may not do this: it needs the ${permission} permission.`)
  }
  return user
}

/** Checks the CSRF token of a submitted form against the session's. */
export async function requireCsrf(request: Request, services: AppServices, form: FormData) {
  const session = await services.sessions.get(request)
  const expected = session.get('csrf')
  const given = form.get('csrf')
  if (!expected || typeof given !== 'string' || given.length !== expected.length ||
    !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    throw new Response('The form has expired or did not come from this site. Reload the page and try again.', { status: 403 })
  }
}

/** Reads the form, checks CSRF and the permission: the start of every action. */
export async function requireAction(request: Request, services: AppServices, permission?: Permission) {
  const user = await requireUser(request, services, permission)
  const form = await request.formData()
  await requireCsrf(request, services, form)
  return { user, form }
}

/** Redirect with a short confirmation shown once on the next page. */
export async function redirectWithToast(request: Request, services: AppServices, to: string, message: string, kind: 'success' | 'error' | 'info' = 'success') {
  const session = await services.sessions.get(request)
  session.flash('toast', { kind, message })
  return redirect(to, { headers: { 'Set-Cookie': await services.sessions.commit(request, session) } })
}
