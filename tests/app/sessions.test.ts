// Sessions held on the server (PGlite, seeded demo): the cookie carries only an id; signing out, signing out everywhere,
// a new password and an erasure delete the rows, and a cookie kept from before signs nobody in.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSessions, getUser, requireUser, setCredentials, type CurrentUser } from '../../app/auth.server.ts'
import { hashPassword } from '../../app/password.server.ts'
import { action as asOfAction } from '../../app/routes/audit/as-of.tsx'
import { action as loginAction } from '../../app/routes/login.tsx'
import { action as logoutAction } from '../../app/routes/logout.tsx'
import type { AppServices } from '../../app/services.server.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('sessions')
  services = opened.services
})
afterAll(() => opened?.close())

const cookieOf = (setCookie: string) => setCookie.split(';')[0]!
const page = (path: string, cookie: string) => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })

/** a stored session for the user, as sign-in leaves it: its cookie and its CSRF token */
async function signedIn(userId: string) {
  const request = new Request('http://localhost/')
  const session = services.sessions.create()
  const csrf = randomUUID()
  session.set('userId', userId)
  session.set('csrf', csrf)
  session.set('signedInAt', new Date().toISOString())
  return { cookie: cookieOf(await services.sessions.commit(request, session)), csrf }
}

function post(path: string, cookie: string, fields: Record<string, string>) {
  const body = new URLSearchParams(fields)
  return new Request(`http://localhost${path}`, { method: 'POST', body, headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } })
}

const whoIs = async (cookie: string) => (await getUser(page('/partner', cookie), services))?.userId ?? null
const rowsOf = async (userId: string) =>
  Number((await services.sql.query<{ n: number }>(`select count(*)::int as n from auth_sessions where user_id = $1`, [userId])).rows[0]!.n)

describe('sessions on the server', () => {
  test('the cookie holds an id only, and the table holds its digest, not the id', async () => {
    const { cookie } = await signedIn('u-maria')
    expect(await whoIs(cookie)).toBe('u-maria')
    const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
    expect(value).not.toMatch(/maria|userId|csrf/i)
    const token = JSON.parse(atob(value.slice(0, value.lastIndexOf('.'))))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await services.sql.query(`select 1 from auth_sessions where id = $1`, [token])).rows).toEqual([])
  })

  test('signing out deletes the session: the cookie saved before it no longer signs in, on a page or in an action', async () => {
    const { cookie, csrf } = await signedIn('u-maria')
    expect(await whoIs(cookie)).toBe('u-maria')
    const response = (await logoutAction({ request: post('/logout', cookie, { csrf }), context: { services }, params: {} } as never)) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/login')
    expect(await whoIs(cookie)).toBeNull()
    const action = post('/partner/deals/new', cookie, { csrf })
    await expect(requireUser(action, services, 'deal:register')).rejects.toMatchObject({ status: 302 })
  })

  test('signing out everywhere ends every session of the user and no one else\'s', async () => {
    const phone = await signedIn('u-maria')
    const laptop = await signedIn('u-maria')
    const li = await signedIn('u-li')
    const response = (await logoutAction({ request: post('/logout', phone.cookie, { csrf: phone.csrf, intent: 'everywhere' }), context: { services }, params: {} } as never)) as Response
    expect(response.status).toBe(302)
    expect(await whoIs(phone.cookie)).toBeNull()
    expect(await whoIs(laptop.cookie)).toBeNull()
    expect(await rowsOf('u-maria')).toBe(0)
    expect(await whoIs(li.cookie)).toBe('u-li')
    // the sign-in page says what happened
    const notice = await services.sessions.get(page('/login', cookieOf(response.headers.get('Set-Cookie')!)))
    expect(notice.get('toast')).toMatchObject({ message: expect.stringMatching(/every device/) })
  })

  test('a new password ends the sessions signed in with the old one', async () => {
    const one = await signedIn('u-li')
    const two = await signedIn('u-li')
    await setCredentials(services.sql, 'u-li', 'li@contoso.example', await hashPassword('partnerlog'))
    expect(await whoIs(one.cookie)).toBeNull()
    expect(await whoIs(two.cookie)).toBeNull()
    expect(await rowsOf('u-li')).toBe(0)
  })

  test('an erasure ends every session of the erased person', async () => {
    const vera = (await services.queries.users.byId('u-vera')) as CurrentUser
    const { userId } = await services.commands.people.invite(
      vera, 'northwind', { name: 'Ida Lund', email: 'ida@northwind.example', role: 'partner_user', password: 'ida-secret-password' }, randomUUID(),
    )
    const { cookie } = await signedIn(userId)
    expect(await whoIs(cookie)).toBe(userId)
    await services.commands.privacy.eraseUser(vera, userId)
    expect(await rowsOf(userId)).toBe(0)
    expect(await whoIs(cookie)).toBeNull()
  })

  test('an expired session is refused, and swept away', async () => {
    const { cookie } = await signedIn('u-sam')
    const live = await signedIn('u-sam')
    const token = JSON.parse(atob(decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!))
    const { createHash } = await import('node:crypto')
    await services.sql.query(`update auth_sessions set expires_at = now() - interval '1 second' where id = $1`, [createHash('sha256').update(token).digest('base64url')])
    expect(await whoIs(cookie)).toBeNull()
    await services.sessions.sweep()
    expect(await rowsOf('u-sam')).toBe(1)
    expect(await whoIs(live.cookie)).toBe('u-sam')
  })

  test('a session ended while a page was loading is not brought back when the page commits it', async () => {
    const { cookie } = await signedIn('u-alex')
    const request = page('/audit', cookie)
    const session = await services.sessions.get(request)
    session.flash('toast', { kind: 'info', message: 'changed' })
    await services.sessions.endAll('u-alex')
    const setCookie = await services.sessions.commit(request, session)
    expect(setCookie).toMatch(/Expires=Thu, 01 Jan 1970/)
    expect(await rowsOf('u-alex')).toBe(0)
  })

  test('signing in starts a new session: the id known before it is worth nothing after it', async () => {
    const anonymous = services.sessions.create()
    anonymous.set('csrf', 'before-sign-in')
    const before = cookieOf(await services.sessions.commit(new Request('http://localhost/login'), anonymous))
    const response = (await loginAction({
      request: post('/login', before, { csrf: 'before-sign-in', email: 'vera@vendor.example', password: 'partnerlog', redirectTo: '/vendor' }),
      context: { services }, params: {},
    } as never)) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/vendor')
    const after = cookieOf(response.headers.get('Set-Cookie')!)
    expect(after).not.toBe(before)
    expect(await whoIs(after)).toBe('u-vera')
    expect(await whoIs(before)).toBeNull()
    expect((await services.sessions.get(page('/', before))).get('csrf')).toBeUndefined()
  })

  test('sign-in sends only to a path on this site', async () => {
    for (const redirectTo of ['/\\evil.example', '/\t/evil.example', '//evil.example', 'https://evil.example', '/%5Cevil.example']) {
      const anonymous = services.sessions.create()
      anonymous.set('csrf', 'token')
      const cookie = cookieOf(await services.sessions.commit(new Request('http://localhost/login'), anonymous))
      const response = (await loginAction({
        request: post('/login', cookie, { csrf: 'token', email: 'vera@vendor.example', password: 'partnerlog', redirectTo }),
        context: { services }, params: {},
      } as never)) as Response
      expect(response.headers.get('Location'), redirectTo).toBe('/')
    }
  })
})

test("the auditor's as-of form sends back only to a page on this site", async () => {
  const { cookie, csrf } = await signedIn('u-alex')
  const back = async (referer: string) => {
    const request = post('/audit/as-of', cookie, { csrf, date: '' })
    request.headers.set('Referer', referer)
    return ((await asOfAction({ request, context: { services }, params: {} } as never)) as Response).headers.get('Location')
  }
  expect(await back('http://localhost/audit/partners?page=2')).toBe('/audit/partners?page=2')
  expect(await back('http://localhost//evil.example/audit')).toBe('/audit')
  expect(await back('http://localhost/%5Cevil.example')).toBe('/audit')
  expect(await back('https://evil.example/audit')).toBe('/audit')
  expect(await back('not a url')).toBe('/audit')
})

describe('a request reads its session once', () => {
  test('the root and the page share one lookup, and an unchanged session is not written back', async () => {
    const statements: string[] = []
    const counting: SqlDriver = Object.create(services.sql, {
      query: { value: (text: string, params?: readonly unknown[], options?: object) => (statements.push(text.trim().split(/\s+/)[0]!), services.sql.query(text, params, options)) },
    })
    const sessions = createSessions(counting, 'a-test-secret', 'false')
    const start = sessions.create()
    start.set('userId', 'u-maria')
    start.set('csrf', 'x')
    const cookie = cookieOf(await sessions.commit(new Request('http://localhost/'), start))
    statements.length = 0

    const view = page('/partner', cookie)
    const [root, own] = await Promise.all([sessions.get(view), sessions.get(view)])
    expect(root).toBe(own)
    await sessions.commit(view, root)
    expect(statements).toEqual(['select'])

    // a toast taken by the page is written back once
    const withToast = await sessions.get(page('/partner', cookie))
    withToast.flash('toast', { kind: 'success', message: 'Saved' })
    await sessions.commit(page('/partner', cookie), withToast)
    statements.length = 0
    const next = page('/partner', cookie)
    const session = await sessions.get(next)
    expect(session.get('toast')).toMatchObject({ message: 'Saved' })
    await sessions.commit(next, session)
    expect(statements).toEqual(['select', 'update'])
    expect((await sessions.get(page('/partner', cookie))).get('toast')).toBeUndefined()

    // an action's steps share the row, each with a session of its own, and read again after the action stored it
    statements.length = 0
    const action = post('/audit/as-of', cookie, {})
    const [user, csrf] = await Promise.all([sessions.get(action), sessions.get(action)])
    expect(user).not.toBe(csrf)
    user.set('asOf', '2026-01-01')
    expect(csrf.get('asOf')).toBeUndefined()
    await sessions.commit(action, user)
    expect((await sessions.get(action)).get('asOf')).toBe('2026-01-01')
    expect(statements).toEqual(['select', 'update', 'select'])
  })
})
