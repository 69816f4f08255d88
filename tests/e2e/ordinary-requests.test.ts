// Requests every browser and crawler makes (the icon, robots.txt, a mistyped address) answer cleanly through the
// real built server and write nothing to its error log.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let stderr = ''

beforeAll(async () => {
  server = await startServer()
  server.process.stderr!.on('data', (chunk) => (stderr += chunk))
})
afterAll(async () => {
  await server?.stop()
})

describe('ordinary requests', () => {
  test('/favicon.ico is the brand icon', async () => {
    const response = await fetch(`${server.url}/favicon.ico`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]) // the ICO header
  })

  test('/robots.txt keeps crawlers out of everything but the sign-in and application pages', async () => {
    const response = await fetch(`${server.url}/robots.txt`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const lines = (await response.text()).split('\n').filter((l) => l && !l.startsWith('#'))
    expect(lines).toEqual(['User-agent: *', 'Allow: /login$', 'Allow: /apply$', 'Disallow: /'])
  })

  test('an unknown page is a 404 page that says so, without a stack trace', async () => {
    const response = await fetch(`${server.url}/no-such-page`)
    expect(response.status).toBe(404)
    const html = await response.text()
    expect(html).toContain('Page not found')
    expect(html).toContain('There is no page at this address')
    expect(html).not.toMatch(/at \S+ \(file:/)
  })

  test('in the browser too, after the page has hydrated', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.goto(`${server.url}/no-such-page`, { waitUntil: 'networkidle' })
      const text = await page.textContent('main')
      expect(text).toContain('There is no page at this address')
      expect(text).not.toContain('No route matches')
    } finally {
      await browser.close()
    }
  })

  test('the sign-in page lists a demo account for every role, each with what to try first', async () => {
    const html = await (await fetch(`${server.url}/login`)).text()
    for (const [role, email, first] of [
      ['Partner admin, Northwind IT', 'maria@northwind.example', 'Register a deal'],
      ['Partner admin, Contoso MSP', 'li@contoso.example', 'Request co-investment'],
      ['Channel manager', 'sam@vendor.example', 'waiting in Queues'],
      ['Vendor admin', 'vera@vendor.example', 'in Settings'],
      ['Auditor', 'alex@vendor.example', 'run Verify'],
    ]) expect(html).toMatch(new RegExp(`${role}</div><code>${email}</code><p[^>]*>[^<]*${first}`))
  })

  test('nothing of the above reached the error log', async () => {
    for (const path of ['/favicon.ico', '/robots.txt', '/no-such-page', '/no/such/page.php']) await (await fetch(`${server.url}${path}`)).arrayBuffer()
    await new Promise((r) => setTimeout(r, 200))
    expect(stderr).toBe('')
  })
})
