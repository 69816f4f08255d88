// For issue #16's fresh views (decision 034): what express.static(clientDir) in front of every page costs against
// answering only the build's public file names, in one process, interleaved: an express app with each in front of a
// handler that answers a short page, fetched over loopback; CPU per request (process.cpuUsage: this process and the
// thread pool, where the stat runs; the client's share is the same both ways), and that the public files still answer.
// Usage: npx tsx bench/probes/views-static.ts [--client .tmp/build-dashboard/client] [--rounds 6] [--requests 2000]
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import express from 'express'
import { publicFiles } from '../../app/server/app.server.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1]! : fallback
}
const clientDir = path.resolve(root, arg('client', '.tmp/build-dashboard/client'))
const rounds = Number(arg('rounds', '6'))
const requests = Number(arg('requests', '2000'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')

async function serve(front: express.RequestHandler) {
  const app = express()
  app.use(front)
  app.use((_req, res) => void res.type('html').send('<!doctype html><p>page</p>'))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}
const ways = {
  'express.static(clientDir)': await serve(express.static(clientDir, { maxAge: '1h' })),
  'publicFiles(clientDir)': await serve(publicFiles(clientDir)),
}
for (const [name, s] of Object.entries(ways)) {
  for (const file of ['/favicon.ico', '/favicon.svg', '/robots.txt']) {
    const r = await fetch(`${s.url}${file}`)
    if (r.status !== 200 || !r.headers.get('cache-control')?.includes('max-age=3600')) throw new Error(`${name} ${file}: ${r.status} ${r.headers.get('cache-control')}`)
    await r.arrayBuffer()
  }
}
const figures = new Map<string, number[]>()
console.log(`${rounds} rounds of ${requests} page requests each way, interleaved, one at a time; load ${load()}`)
for (let round = 1; round <= rounds; round++) {
  for (const [name, s] of round % 2 ? Object.entries(ways) : Object.entries(ways).reverse()) {
    for (let i = 0; i < 100; i++) await (await fetch(`${s.url}/partner`)).text()
    const before = cpuMs()
    for (let i = 0; i < requests; i++) await (await fetch(`${s.url}/partner`)).text()
    figures.set(name, [...(figures.get(name) ?? []), (cpuMs() - before) / requests])
  }
}
for (const [name, f] of figures) console.log(`${name.padEnd(28)} ${median(f).toFixed(3)} ms CPU per page request (${f.map((x) => x.toFixed(3)).join(' ')})`)
console.log(`load ${load()}`)
for (const s of Object.values(ways)) s.close()
