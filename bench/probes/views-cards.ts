// For issue #16's fresh dashboard (decision 034): each card of the partner dashboard rendered alone (renderToString, as
// the server renders the page), the code before (a snapshot, --base) and now, interleaved in one process: CPU per
// render, bytes and elements. The data is the bench's partner admin's (the first partner) on a database with kept read
// models, read as the dashboard reads it.
// Usage: npx tsx bench/probes/views-cards.ts [--base .tmp/dashboard-base] [--db postgres://…/partnerlog_bench_http_1000000]
//   [--rounds 6] [--renders 500]   (with NODE_ENV=production, as the server runs: React's production build)
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import React, { createElement, type ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { MemoryRouter } from 'react-router'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createInsightQueries } from '../../app/queries/insights.server.ts'
import { tierProgressFrom, tierProgressSets } from '../../app/queries/funds.server.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const base = path.resolve(root, arg('base', '.tmp/dashboard-base'))
const db = arg('db', 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench_http_1000000')
const rounds = Number(arg('rounds', '6'))
const renders = Number(arg('renders', '500'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')

const driver = await createPgDriver(db, { max: 2 })
const { rows: [partner] } = await driver.query<{ key: string }>(
  `select rm.key from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
    where rm.projection = 'journey' and rm.key like 'p-%' order by rm.key limit 1`,
)
const partnerId = partner!.key
const now = new Date().toISOString()
const { insight, sets } = await createInsightQueries(driver).partnerWith(partnerId, now, { journeyHistory: 'last', lifetime: false, readModels: 'probe' }, tierProgressSets(partnerId))
await driver.close()
if (!insight) throw new Error(`no insight for ${partnerId}`)
const tier = tierProgressFrom(sets, partnerId, sets.doc('journey', partnerId), now)

// a snapshot outside the project's tsconfig is compiled with the classic JSX transform
Object.assign(globalThis, { React })

type Components = {
  story: typeof import('../../app/components/partner-story.tsx')
  tier: typeof import('../../app/components/tier-progress.tsx')
  journey: typeof import('../../app/components/journey.tsx')
}
async function components(dir: string): Promise<Components> {
  const load = (file: string) => import(pathToFileURL(path.join(dir, 'app/components', file)).href)
  return { story: await load('partner-story.tsx'), tier: await load('tier-progress.tsx'), journey: await load('journey.tsx') }
}
const versions = { before: await components(base), now: await components(root) }

// the cards as the dashboard renders them (app/routes/partner/home.tsx)
const cards = (c: Components): Record<string, ReactElement> => ({
  trust: createElement(c.story.TrustCard, { trust: c.story.trustShown(insight.trust, now), dataRows: 12 }),
  scorecard: createElement(c.story.ScorecardCard, { scorecard: c.story.scorecardShown(insight.scorecard), medians: insight.groupMedians }),
  tier: createElement(c.tier.TierProgressCard, { progress: tier }),
  journey: createElement(c.journey.JourneyTrack, { phase: insight.journey.phase }),
})
const html = (card: ReactElement) => renderToString(createElement(MemoryRouter, null, card))

const figures = new Map<string, { cpu: number[]; bytes: number; elements: number }>()
console.log(`partner ${partnerId}; ${rounds} rounds of ${renders} renders per card and version, interleaved; load ${load()}`)
for (let round = 1; round <= rounds; round++) {
  const ways = Object.entries(versions).flatMap(([version, c]) => Object.entries(cards(c)).map(([card, element]) => [`${card} ${version}`, element] as const))
  for (const [name, element] of round % 2 ? ways : [...ways].reverse()) {
    for (let i = 0; i < 200; i++) html(element)
    const before = cpuMs()
    let out = ''
    for (let i = 0; i < renders; i++) out = html(element)
    const kept = figures.get(name) ?? { cpu: [], bytes: Buffer.byteLength(out), elements: out.match(/<[a-zA-Z]/g)?.length ?? 0 }
    kept.cpu.push(((cpuMs() - before) / renders) * 1000)
    figures.set(name, kept)
  }
  console.log(`round ${round} done; load ${load()}`)
}
console.log('\nmedians (CPU us per render), bytes, elements')
for (const [name, f] of [...figures].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${name.padEnd(18)} ${median(f.cpu).toFixed(1).padStart(7)} us (${f.cpu.map((x) => x.toFixed(0)).join(' ')})  ${f.bytes} bytes  ${f.elements} elements`)
}
console.log(`load ${load()}`)
