// Sessions and sign-in over HTTP against the real built server: a cookie saved before sign-out signs nobody in, sign
// out everywhere ends every browser's session, sign-in redirects stay on the site, and guesses past the limit get 429.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startServer, type RunningServer } from './support.ts'

let server: RunningServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server?.stop())

const closeDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10)

/** One browser: its cookies, as a header, and the CSRF token of the last page it read. */
function browser() {
  const cookies = new Map<string, string>()
  let csrf = ''
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
    return response
  }
  const self = {
    get cookie() {
      return header()
    },
    get csrf() {
      return csrf
    },
    async get(path: string, cookie = header()) {
      const response = keep(await fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' }))
      if (response.status === 200) {
        const html = await response.clone().text()
        csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? csrf
      }
      return response
    },
    async post(path: string, fields: Record<string, string>, options: { cookie?: string; csrf?: string; headers?: Record<string, string> } = {}) {
      const body = new URLSearchParams({ csrf: options.csrf ?? csrf, ...fields })
      return keep(await fetch(`${server.url}${path}`, {
        method: 'POST', body, redirect: 'manual',
        headers: { ...options.headers, Cookie: options.cookie ?? header(), 'Content-Type': 'application/x-www-form-urlencoded' },
      }))
    },
    async signIn(email: string, password = 'partnerlog', redirectTo = '') {
      await self.get('/login')
      const response = await self.post('/login', { email, password, redirectTo })
      if (response.status === 302) await self.get('/search') // the session's own token
      return response
    },
  }
  return self
}

const deal = (customerName: string) => ({
  commandId: crypto.randomUUID(), customerName, customerDomain: `${customerName.toLowerCase().replaceAll(' ', '-')}.example`,
  value: '48000', currency: 'EUR', expectedCloseDate: closeDate, 'items[0].sku': 'CB-500', 'items[0].name': 'Cloud Backup', 'items[0].quantity': '1',
})

describe('signing out ends the session on the server', () => {
  test('a cookie saved before POST /logout no longer loads /partner nor registers a deal', async () => {
    const maria = browser()
    expect((await maria.signIn('maria@northwind.example')).status).toBe(302)
    expect((await maria.get('/partner')).status).toBe(200)
    const saved = { cookie: maria.cookie, csrf: maria.csrf }

    const out = await maria.post('/logout', {})
    expect(out.status).toBe(302)
    expect(out.headers.get('Location')).toBe('/login')

    const page = await maria.get('/partner', saved.cookie)
    expect(page.status).toBe(302)
    expect(page.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    const register = await maria.post('/partner/deals/new', deal('Replayed Cookie Ltd'), saved)
    expect(register.status).toBe(302)
    expect(register.headers.get('Location')).toMatch(/^\/login/)

    // nothing was registered with the old cookie
    const again = browser()
    await again.signIn('maria@northwind.example')
    const deals = await (await again.get('/partner/deals')).text()
    expect(deals).toContain('<h1')
    expect(deals).not.toContain('Replayed Cookie Ltd')
  })

  test('sign out everywhere ends the sessions of every browser the user signed in with', async () => {
    const laptop = browser()
    const phone = browser()
    const colleague = browser()
    await laptop.signIn('sam@vendor.example')
    await phone.signIn('sam@vendor.example')
    await colleague.signIn('vera@vendor.example')
    expect((await phone.get('/vendor')).status).toBe(200)

    const page = await (await laptop.get('/vendor')).text()
    expect(page).toContain('Sign out everywhere')
    const out = await laptop.post('/logout', { intent: 'everywhere' })
    expect(out.status).toBe(302)
    expect(out.headers.get('Location')).toBe('/login')
    expect(await (await laptop.get('/login')).text()).toContain('Signed out on every device')

    expect((await phone.get('/vendor')).status).toBe(302)
    expect((await phone.post('/vendor/deals', { intent: 'approve', dealId: 'x', commandId: crypto.randomUUID() })).headers.get('Location')).toMatch(/^\/login/)
    expect((await colleague.get('/vendor')).status).toBe(200)
  })
})

describe('sign-in redirects stay on this site', () => {
  test.each(['/\\evil.example', '/\t/evil.example', '//evil.example', '/%5Cevil.example', 'https://evil.example/'])('redirectTo=%j goes to /', async (redirectTo) => {
    const response = await browser().signIn('alex@vendor.example', 'partnerlog', redirectTo)
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/')
  })

  test('a path on this site with its query is kept', async () => {
    const response = await browser().signIn('alex@vendor.example', 'partnerlog', '/audit?type=DealRegistered')
    expect(response.headers.get('Location')).toBe('/audit?type=DealRegistered')
  })
})

describe('sign-in attempts are limited', () => {
  test('past the limit, parallel guesses and then the right password are answered 429 with Retry-After', async () => {
    const attacker = browser()
    await attacker.get('/login')
    const guess = (password: string) => attacker.post('/login', { email: 'li@contoso.example', password })
    for (let i = 0; i < 10; i++) expect((await guess(`wrong-${i}`)).status).toBe(401)
    const parallel = await Promise.all(Array.from({ length: 10 }, (_, i) => guess(`parallel-${i}`)))
    expect(parallel.map((r) => r.status)).toEqual(Array(10).fill(429))
    const refused = parallel[0]!
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(60)
    expect(await refused.text()).toContain('Too many sign-in attempts for this account. Try again in 15 minutes.')

    const batch = await Promise.all([...Array.from({ length: 9 }, (_, i) => guess(`batch-${i}`)), guess('partnerlog')])
    expect(batch.map((r) => r.status)).toEqual(Array(10).fill(429))
    // the real user too must wait, but does not hang: the answer is immediate
    const user = browser()
    expect((await user.signIn('li@contoso.example')).status).toBe(429)
    // other accounts are not affected
    expect((await browser().signIn('maria@northwind.example')).status).toBe(302)
  })

  test('one address guessing across many accounts is limited too (behind a proxy on loopback: X-Forwarded-For)', async () => {
    const guesser = browser()
    await guesser.get('/login')
    const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } })
    for (let i = 0; i < 50; i++) {
      expect((await guesser.post('/login', { email: `nobody-${i}@example.com`, password: 'guess' }, from('203.0.113.7'))).status).toBe(401)
    }
    const refused = await guesser.post('/login', { email: 'alex@vendor.example', password: 'partnerlog' }, from('203.0.113.7'))
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(60)
    expect(await refused.text()).toContain('Too many sign-in attempts from your network.')
    // another address is not affected
    expect((await guesser.post('/login', { email: 'alex@vendor.example', password: 'partnerlog' }, from('198.51.100.20'))).status).toBe(302)
  })
})
