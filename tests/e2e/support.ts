// Starts the real built server on a free port with a fresh data directory, and Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

export const root = path.resolve(import.meta.dirname, '../..')
export const screenshotDir = path.join(root, 'docs/screenshots')

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export type RunningServer = { url: string; dataDir: string; process: ChildProcess; output: () => string; stop(): Promise<void> }

/** Starts the built server; SEED defaults to 'minimal' (vendor, staff, two partners, a course): pass SEED: 'demo' for the full program. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const buildDir = path.resolve(root, process.env.PARTNERLOG_BUILD_DIR ?? 'build')
  if (!fs.existsSync(path.join(buildDir, 'server/index.js'))) throw new Error(`Build first: npm run build (npm test does); looked in ${buildDir}`)
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-e2e-'))
  let output = ''
  const child = spawn(process.execPath, ['server.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', SEED: 'minimal', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const url = `http://localhost:${port}`
  // the demo program is seeded before the server listens: on a busy machine that takes minutes
  const deadline = Date.now() + ((env.SEED ?? 'minimal') === 'demo' ? 300_000 : 90_000)
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`Server exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`Server did not start in time:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url, dataDir, process: child, output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export async function signIn(page: Page, baseUrl: string, email: string, password = 'partnerlog') {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true })
}

/**
 * Puts axe-core into the page from outside, as the developer tools would: the portal's content security policy lets no
 * inline script tag run, which page.addScriptTag would add.
 */
export async function injectAxe(page: Page) {
  await page.evaluate(`${fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8')}\n;undefined`)
}

/** Runs axe-core in the page and returns its violations (impact, id, what, where). */
export async function axeViolations(page: Page) {
  await injectAxe(page)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] })
    return result.violations
  })
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/**
 * A test file's real built server and Chromium: started before its tests (`ready` receives them), closed after them.
 * For files that need nothing else around them; files with more set-up start their own.
 */
export function serverAndBrowserForFile(ready: (server: RunningServer, browser: Browser) => void): void {
  let server: RunningServer | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    ready(server, browser)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
}
