// Lighthouse 12 (mobile) on the pages partners, channel managers and auditors use most, signed in as each: accessibility,
// best practices and SEO at least 0.95. Performance is measured by `npm run bench` (bench/workloads/lighthouse.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { formatReports, LIGHTHOUSE_PAGES, lighthousePages, type PageReport } from './lighthouse-pages.ts'
import { startServer, type RunningServer } from './support.ts'

const WANTED = 0.95
let server: RunningServer
let reports: PageReport[]

beforeAll(async () => {
  server = await startServer()
  reports = await lighthousePages(server.url, ['accessibility', 'best-practices', 'seo'])
  // the figures in the test's output, whether it passes or not
  process.stdout.write(`${formatReports(reports)}\n`)
}, 300_000)
afterAll(async () => {
  await server?.stop()
})

describe('Lighthouse, mobile, signed in', () => {
  test.each(LIGHTHOUSE_PAGES.map((p) => [p.name, p.path] as const))('%s (%s): accessibility, best practices and SEO at least 0.95', (_name, path) => {
    const report = reports.find((r) => r.path === path)!
    const low = Object.entries(report.scores).filter(([, score]) => score < WANTED)
    // the message lists every audit that cost points, with the elements Lighthouse names
    expect(low, `${path} scored below ${WANTED}:\n${formatReports([report])}`).toEqual([])
    expect(Object.keys(report.scores).sort()).toEqual(['accessibility', 'best-practices', 'seo'])
  })
})
