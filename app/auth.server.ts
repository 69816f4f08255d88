// Sessions, sign-in, CSRF and the permission check every loader and action starts with.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createSession, redirect, type Session } from 'react-router'
import type { Role } from '../domain/shared/command.ts'
import type { SqlDriver, SqlExecutor } from '../eventstore/postgres/driver.ts'
import { runMigrations, type Migration } from '../eventstore/postgres/migrations.ts'
import { dummyHash, verifyPassword } from './password.server.ts'
import { readForm } from './form-body.server.ts'
import { can, type Permission } from './permissions.ts'
import type { AppServices } from './services.server.ts'
import { createSignInLimits, normaliseEmail, SIGN_IN_LIMITS_TABLE, type SignInLimitOptions } from './sign-in-limits.server.ts'
import { createSessionCookie } from './session-cookie.server.ts'

declare module 'react-router' {
  interface AppLoadContext {
    /** the client's address as Express sees it (req.ip: X-Forwarded-For is believed from a proxy on loopback only) */
    clientAddress?: string
  }
}

export type SessionData = { userId: string; csrf: string; signedInAt: string; /** auditor's "as of" date, YYYY-MM-DD, and its clock ('recorded' unless set) */ asOf?: string; asOfClock?: 'occurred' | 'recorded' }
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
/** a session's expiry moves forward at most once an hour: a page view otherwise only reads its row */
const EXTEND_AFTER_MS = 60 * 60 * 1000
/** expired sessions are deleted at most once a minute per process, when a new one is stored */
const SWEEP_EVERY_MS = 60 * 1000

export type AppSession = Session<SessionData, FlashData>
type Row = { data: Partial<SessionData> & Record<string, unknown>; expires_at: Date | string }

const digest = (token: string) => createHash('sha256').update(token).digest('base64url')

/**
 * Server-held sessions: the signed cookie carries a random id, auth_sessions holds the data keyed by the id's digest
 * (the table alone signs nobody in), and deleting the row ends the session everywhere. Also the sign-in limits.
 */
export function createSessions(sql: SqlDriver, secret: string, cookieSecure: 'auto' | 'true' | 'false', limits?: SignInLimitOptions) {
  // httpOnly, sameSite lax, path /, signed with the secret (session-cookie.server.ts: as React Router's createCookie)
  const make = (secure: boolean) => createSessionCookie(secure ? '__Host-partnerlog' : 'partnerlog', { secret, maxAge: EIGHT_HOURS, secure })
  const plain = make(false)
  const secure = make(true)
  const cookieFor = (request: Request) => {
    if (cookieSecure === 'true') return secure
    if (cookieSecure === 'false') return plain
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '')
    return proto === 'https' ? secure : plain
  }
  const cleared = (request: Request) => cookieFor(request).cleared()

  // the id a session has in its cookie (read, or given when first stored), and the data and expiry its row had
  const tokens = new WeakMap<AppSession, string>()
  const stored = new WeakMap<AppSession, { json: string; expiresAt: number }>()
  const remember = (session: AppSession, token: string, json: string, expiresAt: Date | string) => {
    tokens.set(session, token)
    stored.set(session, { json, expiresAt: new Date(expiresAt).getTime() })
  }

  let sweptAt = 0
  async function sweep() {
    sweptAt = Date.now()
    await sql.query(`delete from auth_sessions where expires_at <= now()`)
  }

  type Found = { token: string; row: Row } | null
  async function lookUp(request: Request): Promise<Found> {
    const token = cookieFor(request).parse(request.headers.get('Cookie'))
    if (!token) return null
    const { rows } = await sql.query<Row>(
      `select data, expires_at from auth_sessions where id = $1 and expires_at > now()`,
      [digest(token)],
      { prepareAs: 'partnerlog_session' },
    )
    return rows[0] ? { token, row: rows[0] } : null
  }
  /** unknown, ended or expired: a new session, with a new id when it is stored */
  function sessionOf(found: Found): AppSession {
    if (!found) return createSession<SessionData, FlashData>()
    const session = createSession<SessionData, FlashData>(structuredClone(found.row.data) as SessionData, found.token)
    remember(session, found.token, JSON.stringify(session.data), found.row.expires_at)
    return session
  }
  const read = (request: Request) => lookUp(request).then(sessionOf)

  // A page view's loaders share one reading of the request's session (one cookie check, one lookup); only the root's
  // loader commits it (CSRF token, toast). An action's steps share the row read until the action stores or ends it.
  const ofRequest = new WeakMap<Request, Promise<AppSession>>()
  const ofAction = new WeakMap<Request, Promise<Found>>()
  const isRead = (request: Request) => request.method === 'GET' || request.method === 'HEAD'
  return {
    get(request: Request): Promise<AppSession> {
      if (!isRead(request)) {
        let found = ofAction.get(request)
        if (!found) ofAction.set(request, (found = lookUp(request)))
        return found.then(sessionOf)
      }
      let session = ofRequest.get(request)
      if (!session) ofRequest.set(request, (session = read(request)))
      return session
    },

    /** A new, empty session (stored when committed): sign-in starts one, so an id known before it is worth nothing. */
    create(): AppSession {
      return createSession<SessionData, FlashData>()
    },

    /** Stores the session's changes (nothing when there are none and its expiry is recent) and answers its cookie. */
    async commit(request: Request, session: AppSession): Promise<string> {
      if (!isRead(request)) ofAction.delete(request)
      const json = JSON.stringify(session.data)
      const userId = session.get('userId') ?? null
      const token = tokens.get(session)
      const before = stored.get(session)
      if (token && before) {
        if (json === before.json && before.expiresAt - Date.now() > EIGHT_HOURS * 1000 - EXTEND_AFTER_MS) {
          return cookieFor(request).serialize(token)
        }
        const { rows } = await sql.query<{ expires_at: Date | string }>(
          `update auth_sessions set data = $2, user_id = $3, expires_at = now() + make_interval(secs => $4)
            where id = $1 and expires_at > now() returning expires_at`,
          [digest(token), json, userId, EIGHT_HOURS],
        )
        // ended meanwhile (signed out, elsewhere too): never brought back
        if (!rows[0]) return cleared(request)
        remember(session, token, json, rows[0].expires_at)
        return cookieFor(request).serialize(token)
      }
      if (Date.now() - sweptAt > SWEEP_EVERY_MS) await sweep()
      const fresh = randomBytes(32).toString('base64url')
      const { rows } = await sql.query<{ expires_at: Date | string }>(
        `insert into auth_sessions (id, user_id, data, expires_at) values ($1, $2, $3, now() + make_interval(secs => $4)) returning expires_at`,
        [digest(fresh), userId, json, EIGHT_HOURS],
      )
      remember(session, fresh, json, rows[0]!.expires_at)
      return cookieFor(request).serialize(fresh)
    },

    /** Ends this session: its row goes, and its cookie is cleared. */
    async destroy(request: Request, session: AppSession): Promise<string> {
      if (!isRead(request)) ofAction.delete(request)
      const token = tokens.get(session)
      if (token) await sql.query(`delete from auth_sessions where id = $1`, [digest(token)])
      tokens.delete(session)
      stored.delete(session)
      return cleared(request)
    },

    /** Ends every session of the user (sign out everywhere). */
    endAll: (userId: string) => endSessionsOf(sql, userId),

    /** Deletes the sessions that have expired (also done when new sessions are stored). */
    sweep,

    /** Sign-in attempts, limited per account and per address. */
    limits: createSignInLimits(sql, limits),
  }
}
export type Sessions = ReturnType<typeof createSessions>

/** The accounts' and sessions' tables: migration 4 of the runner (app/migrations.server.ts). */
export const AUTH_MIGRATION: Migration = {
  number: 4,
  name: 'auth',
  statements: [
    `create table if not exists credentials (
  user_id text primary key,
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
)`,
    // no longer written (sign-in limits are in sign_in_limits); kept so that databases and tools that know it still work
    `create table if not exists login_failures (
  email text primary key,
  failures int not null default 0,
  last_failure_at timestamptz not null default now()
)`,
    `create table if not exists app_secrets (
  name text primary key,
  value text not null
)`,
    // id: the sha-256 digest of the session id in the cookie
    `create table if not exists auth_sessions (
  id text primary key,
  user_id text,
  data jsonb not null,
  expires_at timestamptz not null
)`,
    `create index if not exists auth_sessions_user_id on auth_sessions (user_id)`,
    `create index if not exists auth_sessions_expires_at on auth_sessions (expires_at)`,
    SIGN_IN_LIMITS_TABLE,
  ],
}

/** Creates the auth tables alone (the portal runs every migration at start: app/migrations.server.ts). */
export async function migrateAuth(sql: SqlDriver) {
  await runMigrations(sql, [AUTH_MIGRATION])
}

/** The session secret: from the environment, or generated once and kept in the database shared by every process. */
export async function sessionSecret(sql: SqlDriver, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv
  const candidate = randomBytes(32).toString('base64url')
  await sql.query(`insert into app_secrets (name, value) values ('session', $1) on conflict (name) do nothing`, [candidate])
  const { rows } = await sql.query<{ value: string }>(`select value from app_secrets where name = 'session'`)
  return rows[0]!.value
}

/** Ends every session of a user at once: on sign-out everywhere, a new password, an erasure. */
export async function endSessionsOf(sql: SqlExecutor, userId: string) {
  await sql.query(`delete from auth_sessions where user_id = $1`, [userId])
}

/** Sets a user's email and password; a new password ends the sessions signed in with the old one. */
export async function setCredentials(sql: SqlDriver, userId: string, email: string, passwordHash: string) {
  await sql.transaction(async (tx) => {
    await tx.query(
      `insert into credentials (user_id, email, password_hash) values ($1, lower($2), $3)
       on conflict (user_id) do update set email = excluded.email, password_hash = excluded.password_hash`,
      [userId, email, passwordHash],
    )
    await endSessionsOf(tx, userId)
  })
}

/** Whether the email and password match an account: its user id, or null. Callers go through the sign-in limits. */
export async function authenticate(sql: SqlExecutor, email: string, password: string): Promise<string | null> {
  const { rows } = await sql.query<{ user_id: string; password_hash: string }>(
    `select user_id, password_hash from credentials where email = $1`,
    [normaliseEmail(email)],
  )
  const row = rows[0]
  // an unknown email costs the same time as a wrong password, so timing does not reveal which emails exist
  const ok = await verifyPassword(password, row?.password_hash ?? dummyHash)
  return row && ok ? row.user_id : null
}

export function newCsrfToken() {
  return randomBytes(24).toString('base64url')
}

export async function getSession(request: Request, services: AppServices): Promise<AppSession> {
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

/** The read models' state from the request's user lookup (same round trip); null when nobody is signed in. */
export async function readModelsState(request: Request, services: AppServices): Promise<string | null> {
  return (await signedIn(request, services)).readModels
}

/** The path and search of the page a request is for, not the `/page.data?_routes=...` a client navigation asks for. */
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
  const form = await readForm(request)
  await requireCsrf(request, services, form)
  return { user, form }
}

/** Redirect with a short confirmation shown once on the next page. */
export async function redirectWithToast(request: Request, services: AppServices, to: string, message: string, kind: 'success' | 'error' | 'info' = 'success') {
  const session = await services.sessions.get(request)
  session.flash('toast', { kind, message })
  return redirect(to, { headers: { 'Set-Cookie': await services.sessions.commit(request, session) } })
}
