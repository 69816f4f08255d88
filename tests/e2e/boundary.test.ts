// The HTTP input boundary and the security headers through the real built server: a body that is not a form is refused
// with 415 before any route sees it, bodies are limited as they arrive (chunked too) and cut off past the limit, and every
// page carries a content security policy whose nonce is the one on its scripts, fresh for each response, also for kept pages.
import net from 'node:net'
import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { launchBrowser, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
let maria: HttpSession

beforeAll(async () => {
  server = await startServer({ SEED: 'demo' })
  browser = await launchBrowser()
  maria = await httpSession(server.url, demoEmails.partnerA)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const id = randomUUID()
/** every route with an action, ids filled with one that does not exist: the boundary answers before any route runs */
const actionPaths = [
  '/login', '/logout', '/apply', '/audit/verify', '/audit/as-of',
  '/partner/deals/new', `/partner/deals/${id}`, '/vendor/deals',
  '/partner/funds/new', `/partner/funds/${id}`, '/partner/funds/x?intent=claim', '/vendor/funds', `/vendor/funds/${id}`, '/vendor/funds/queue',
  `/partner/library/${id}`, `/partner/training/${id}`, '/vendor/enablement/assets/new', `/vendor/enablement/assets/${id}`, '/vendor/enablement/courses/new',
  '/partner/collaborate/workshops/new', `/partner/collaborate/workshops/${id}`, `/partner/collaborate/surveys/${id}`,
  '/vendor/engagement', `/vendor/engagement/workshops/${id}`, `/vendor/engagement/surveys/${id}`, `/vendor/engagement/plans/${id}`,
  '/partner/team', '/vendor/staff', '/vendor/applications', '/vendor/settings', '/vendor/what-if', '/vendor/accounts', `/vendor/people/${id}/erase`, `/vendor/partners/${id}/admin`,
  '/partner/deals/new.data', '/login.data',
]

const notForms: [name: string, headers: Record<string, string>, body: string | Uint8Array][] = [
  ['application/json', { 'Content-Type': 'application/json' }, '{"email":"maria@northwind.example"}'],
  ['text/plain', { 'Content-Type': 'text/plain' }, 'email=maria@northwind.example'],
  ['application/xml', { 'Content-Type': 'application/xml' }, '<email>maria@northwind.example</email>'],
  ['no content type', {}, new TextEncoder().encode('email=maria@northwind.example')],
  ['multipart without a boundary', { 'Content-Type': 'multipart/form-data' }, 'email=maria@northwind.example'],
]

describe('bodies that are not forms', () => {
  test.each(notForms)('%s is refused with 415 and a reason on every action, signed in or not', async (_name, headers, body) => {
    const cookie = (await maria.get('/search')).headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    for (const path of actionPaths) {
      for (const extra of [{}, { Cookie: cookie }] as Record<string, string>[]) {
        const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: body as BodyInit, redirect: 'manual' })
        const text = await response.text()
        expect({ path, status: response.status }).toEqual({ path, status: 415 })
        expect(text).toMatch(/form/i)
      }
    }
  })

  test('a form still reaches its action: a wrong password is a 401 form error, not a refusal at the door', async () => {
    const page = await fetch(`${server.url}/login`)
    const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)![1]!
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const form = new URLSearchParams({ csrf, email: 'maria@northwind.example', password: 'wrong' })
    const response = await fetch(`${server.url}/login`, { method: 'POST', body: form, headers: { Cookie: cookie }, redirect: 'manual' })
    expect(response.status).toBe(401)
  })
})

/**
 * Sends a chunked body of up to `total` bytes as fast as the server takes it and counts what was written until the
 * server answers or closes the connection.
 */
function sendChunked(path: string, contentType: string, total: number, part: (index: number) => Buffer) {
  const url = new URL(server.url)
  return new Promise<{ status: number | null; head: string; written: number }>((resolve, reject) => {
    const socket = net.connect(Number(url.port), '127.0.0.1')
    let response = ''
    let written = 0
    let done = false
    const finish = () => {
      if (done) return
      done = true
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]
      socket.destroy()
      resolve({ status: status ? Number(status) : null, head: response, written })
    }
    socket.on('data', (chunk) => {
      response += chunk.toString('latin1')
      if (response.includes('\r\n\r\n')) finish()
    })
    socket.on('close', finish)
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : reject(error)))
    socket.on('connect', async () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost:${url.port}\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`)
      for (let index = 0; written < total && !done; index++) {
        const data = part(index)
        const more = socket.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]))
        written += data.length
        if (!more) await new Promise((r) => { socket.once('drain', r); socket.once('close', r) })
      }
      if (!done) socket.write('0\r\n\r\n')
    })
  })
}

const MB = 1024 * 1024

describe('bodies are limited as they arrive', () => {
  test('a chunked 120 MB sign-in form is answered 413 with a reason and cut off after a few MB', async () => {
    const block = Buffer.alloc(64 * 1024, 'a')
    const result = await sendChunked('/login', 'application/x-www-form-urlencoded', 120 * MB, (i) => (i === 0 ? Buffer.concat([Buffer.from('email='), block]) : block))
    expect(result.status).toBe(413)
    expect(result.head).toMatch(/\r\n\r\n/)
    // the limit is 1 MB; what is in flight in the sockets' buffers adds a few MB at most
    expect(result.written).toBeLessThan(16 * MB)
  })

  test('a chunked multipart body over the upload limit is answered 413 and cut off', async () => {
    const boundary = 'x-boundary-x'
    const block = Buffer.alloc(256 * 1024, 'b')
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`)
    const result = await sendChunked('/login', `multipart/form-data; boundary=${boundary}`, 120 * MB, (i) => (i === 0 ? Buffer.concat([head, block]) : block))
    expect(result.status).toBe(413)
    expect(result.written).toBeLessThan(70 * MB)
  })

  test('a multipart body whose stated length is over the limit is refused before it is read', async () => {
    const result = await new Promise<string>((resolve) => {
      const url = new URL(server.url)
      const socket = net.connect(Number(url.port), '127.0.0.1', () => {
        socket.write(`POST /partner/team HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${60 * MB}\r\n\r\n`)
      })
      let text = ''
      socket.on('data', (c) => {
        text += c.toString()
        if (text.includes('\r\n\r\n')) {
          socket.destroy()
          resolve(text)
        }
      })
    })
    expect(result).toMatch(/^HTTP\/1\.1 413/)
  })
})

const nonceOf = (csp: string | null) => /script-src [^;]*'nonce-([^']+)'/.exec(csp ?? '')?.[1]

function scriptNonces(html: string) {
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
  return scripts.map((tag) => /\snonce="([^"]*)"/.exec(tag)?.[1] ?? null)
}

describe('security headers', () => {
  test('a page has a content security policy, and every script carries its nonce', async () => {
    const response = await fetch(`${server.url}/login`)
    const csp = response.headers.get('content-security-policy')
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    const nonce = nonceOf(csp)
    expect(nonce).toMatch(/^[\w-]{20,}$/)
    const nonces = scriptNonces(await response.text())
    expect(nonces.length).toBeGreaterThan(0)
    expect(new Set(nonces)).toEqual(new Set([nonce]))
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toBe('same-origin')
  })

  test('a kept page is sent with the nonce of its own response, never one of another', async () => {
    const seen: { nonce: string; cache: string | null }[] = []
    for (let i = 0; i < 4; i++) {
      const response = await maria.get('/partner')
      expect(response.status).toBe(200)
      const nonce = nonceOf(response.headers.get('content-security-policy'))!
      expect(new Set(scriptNonces(await response.text()))).toEqual(new Set([nonce]))
      seen.push({ nonce, cache: response.headers.get('x-cache') })
    }
    expect(seen.some((s) => s.cache === 'hit')).toBe(true)
    expect(new Set(seen.map((s) => s.nonce)).size).toBe(seen.length)
  })

  test('a response with a policy of its own keeps it alone: co-branded HTML, a downloaded file', async () => {
    const library = await (await maria.get('/partner/library')).text()
    const assets = [...new Set([...library.matchAll(/href="(\/partner\/library\/[\w-]+)"/g)].map((m) => m[1]!))]
    expect(assets.length).toBeGreaterThan(0)
    const own: string[] = []
    for (const asset of assets) {
      const page = await (await maria.get(asset)).text()
      for (const [, href] of page.matchAll(/href="(\/partner\/library\/[\w-]+\/(?:cobrand\/html|download))"/g)) {
        const response = await maria.get(href!)
        if (response.status !== 200) continue
        own.push(href!)
        const csp = response.headers.get('content-security-policy')!
        // one policy, the response's own: no page nonce added to it
        expect(csp).toMatch(/^sandbox; default-src 'none'/)
        expect(csp).not.toContain('nonce-')
        await response.arrayBuffer()
      }
      if (own.some((h) => h.endsWith('/cobrand/html')) && own.some((h) => h.endsWith('/download'))) break
    }
    expect(own.some((h) => h.endsWith('/cobrand/html'))).toBe(true)
    expect(own.some((h) => h.endsWith('/download'))).toBe(true)
  })

  test('the main pages load in Chromium without a single policy violation, and their scripts run', async () => {
    const visits: [email: string, paths: string[]][] = [
      [demoEmails.partnerA, ['/partner', '/partner/library', '/partner/deals', '/partner/funds', '/partner/team', '/partner/collaborate', '/partner/training']],
      [demoEmails.channelManager, ['/vendor', '/vendor/deals', '/vendor/funds/queue', '/vendor/partners', '/vendor/enablement', '/vendor/engagement']],
      [demoEmails.auditor, ['/audit', '/audit/verify', '/audit/partners']],
    ]
    const violations: string[] = []
    for (const [email, paths] of visits) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.warn(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`))
      })
      page.on('console', (message) => {
        if (/Content Security Policy|CSP violation/i.test(message.text())) violations.push(`${email} ${page.url()}: ${message.text()}`)
      })
      await signIn(page, server.url, email)
      for (const path of paths) {
        await page.goto(`${server.url}${path}`)
        await page.waitForLoadState('networkidle')
        // the client router is up: React Router's inline context script and module scripts ran
        expect(await page.evaluate(() => typeof (window as unknown as { __reactRouterRouteModules?: object }).__reactRouterRouteModules)).toBe('object')
      }
      // a page whose co-brand preview and logo are inline styles and images
      if (email === demoEmails.partnerA) {
        await page.goto(`${server.url}/partner/library`)
        const asset = page.locator('a[href^="/partner/library/"]').first()
        if (await asset.count()) {
          await asset.click()
          await page.waitForLoadState('networkidle')
        }
      }
      await context.close()
    }
    expect(violations).toEqual([])
  })
})
