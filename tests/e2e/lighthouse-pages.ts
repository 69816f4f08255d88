// Lighthouse 12 (its Node API) on the portal's pages as a signed-in user, in Debian's Chromium started by
// chrome-launcher: what the Lighthouse test asserts and `npm run bench` prints. No vitest here, so the bench can use it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'

/** The pages the issue names, each as the role that uses it (demo accounts, password partnerlog). */
export const LIGHTHOUSE_PAGES = [
  { name: 'partner dashboard', path: '/partner', email: 'maria@northwind.example' },
  { name: 'partner library', path: '/partner/library', email: 'maria@northwind.example' },
  { name: 'vendor deal queue', path: '/vendor/deals', email: 'sam@vendor.example' },
  { name: 'vendor funds queue', path: '/vendor/funds/queue', email: 'sam@vendor.example' },
  { name: 'audit timeline', path: '/audit', email: 'alex@vendor.example' },
] as const

export type LighthouseCategory = 'performance' | 'accessibility' | 'best-practices' | 'seo'

export type PageReport = {
  name: string
  path: string
  scores: Partial<Record<LighthouseCategory, number>>
  /** the timings behind the performance score (ms, CLS unitless) and the page's element count, when performance ran */
  metrics?: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; speedIndexMs: number; elements: number }
  /** audits that count towards a category and scored below 1: id, title and what Lighthouse says it found */
  failing: { category: LighthouseCategory; id: string; title: string; score: number | null; displayValue?: string; items: string[] }[]
}

/** Chromium's flags for a run with no network of its own (updates, sync, QUIC) and no GPU. */
const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Whether crawlers may index a page is a choice of the deployment: the portal is private and its robots.txt keeps them
 * out of every page but sign-in and the application (docs/decisions/019), so Lighthouse's "is crawlable" is not scored.
 */
const SKIPPED_AUDITS = ['is-crawlable']

/** The session cookie of `email` signed in over HTTP (the sign-in form's CSRF token first). */
export async function signedInCookie(baseUrl: string, email: string, password = 'partnerlog'): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = await fetch(`${baseUrl}/login`, { redirect: 'manual' })
  keep(form)
  const csrf = (await form.text()).match(/name="csrf" value="([^"]+)"/)?.[1]
  if (!csrf) throw new Error('No CSRF token on the sign-in page')
  const signIn = await fetch(`${baseUrl}/login`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie() }, body: new URLSearchParams({ csrf, email, password }) })
  if (signIn.status !== 302) throw new Error(`Sign-in as ${email} answered ${signIn.status}`)
  keep(signIn)
  return cookie()
}

/**
 * Runs Lighthouse (mobile, its default) on each page, one after the other, in a fresh Chromium per signed-in user:
 * cookies the portal sets during one user's runs would otherwise sign the next one's requests in as that user.
 */
export async function lighthousePages(
  baseUrl: string,
  categories: LighthouseCategory[],
  pages: readonly { name: string; path: string; email: string }[] = LIGHTHOUSE_PAGES,
): Promise<PageReport[]> {
  const reports: PageReport[] = []
  for (const email of [...new Set(pages.map((p) => p.email))]) {
    const cookie = await signedInCookie(baseUrl, email)
    await withChromium(async (port) => {
      for (const page of pages.filter((p) => p.email === email)) reports.push(await auditPage(baseUrl, page, categories, port, cookie))
    })
  }
  return pages.map((page) => reports.find((r) => r.path === page.path)!)
}

async function withChromium(run: (port: number) => Promise<void>): Promise<void> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-lighthouse-'))
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: [...CHROME_FLAGS, `--user-data-dir=${userDataDir}`],
    userDataDir: false, // the directory is given in the flags above, made fresh for this run
    logLevel: 'silent',
  })
  try {
    await run(chrome.port)
  } finally {
    chrome.kill()
    fs.rmSync(userDataDir, { recursive: true, force: true })
  }
}

async function auditPage(baseUrl: string, page: { name: string; path: string }, categories: LighthouseCategory[], port: number, cookie: string): Promise<PageReport> {
  const result = await lighthouse(`${baseUrl}${page.path}`, {
    port, output: 'json', logLevel: 'error', onlyCategories: categories, skipAudits: SKIPPED_AUDITS, extraHeaders: { Cookie: cookie },
  })
  if (!result) throw new Error(`Lighthouse gave no result for ${page.path}`)
  const { lhr } = result
  if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
  const scores: PageReport['scores'] = {}
  const failing: PageReport['failing'] = []
  for (const category of categories) {
    const c = lhr.categories[category]
    if (!c) continue
    scores[category] = c.score ?? 0
    for (const ref of c.auditRefs) {
      const audit = lhr.audits[ref.id]
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue
      const details = audit.details as { items?: Record<string, unknown>[] } | undefined
      const items = (details?.items ?? []).slice(0, 5).map((item) => describeItem(item))
      failing.push({ category, id: ref.id, title: audit.title, score: audit.score, displayValue: audit.displayValue, items })
    }
  }
  const value = (id: string) => Math.round((lhr.audits[id]?.numericValue ?? Number.NaN) * 1000) / 1000
  const metrics = categories.includes('performance')
    ? { fcpMs: Math.round(value('first-contentful-paint')), lcpMs: Math.round(value('largest-contentful-paint')), tbtMs: Math.round(value('total-blocking-time')),
        cls: value('cumulative-layout-shift'), speedIndexMs: Math.round(value('speed-index')), elements: value('dom-size') }
    : undefined
  return { name: page.name, path: page.path, scores, ...(metrics ? { metrics } : {}), failing }
}

/** An audit's finding in one line: the element's selector or snippet, or the URL, with what Lighthouse says of it. */
function describeItem(item: Record<string, unknown>): string {
  const node = item.node as { selector?: string; snippet?: string; explanation?: string } | undefined
  if (node) return [node.selector ?? node.snippet, node.explanation?.split('\n')[0]].filter(Boolean).join(': ')
  if (typeof item.url === 'string') return item.url
  return JSON.stringify(item).slice(0, 200)
}

/** The reports as lines a person reads: page, scores, and below each page its failing audits. */
export function formatReports(reports: readonly PageReport[]): string {
  return reports.map((r) => [
    `${r.name} (${r.path}): ${Object.entries(r.scores).map(([c, s]) => `${c} ${Math.round(s * 100)}`).join(', ')}`,
    ...r.failing.map((f) => `  [${f.category}] ${f.id}: ${f.title}${f.displayValue ? ` (${f.displayValue})` : ''}${f.items.map((i) => `\n      ${i}`).join('')}`),
  ].join('\n')).join('\n')
}
