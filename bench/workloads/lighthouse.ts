// Lighthouse performance (mobile, simulated throttling) of the pages the Lighthouse test checks, on the built server
// with the demo program, signed in as each page's role. Printed, never asserted: the score moves with the machine's load.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lighthousePages } from '../../tests/e2e/lighthouse-pages.ts'
import { emit, freePort, note, now } from '../lib/util.ts'
import type { Workload, WorkloadResult } from './types.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The built server (PARTNERLOG_BUILD_DIR, else build/, built first when its sources changed) on a fresh demo program. */
async function startDemoServer(): Promise<{ url: string; seedMs: number; stop: () => Promise<void> }> {
  const buildEnv = { ...process.env }
  await new Promise<void>((resolve, reject) => {
    const build = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--build-only'], { cwd: root, env: buildEnv, stdio: ['ignore', 'ignore', 'inherit'] })
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code})`))))
  })
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-bench-lighthouse-'))
  const started = now()
  const child = spawn(process.execPath, ['server.js'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', SEED: 'demo' },
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 300_000
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`the server did not start in 5 minutes:\n${output}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  const seedMs = Math.round(now() - started)
  return {
    url: `http://127.0.0.1:${port}`,
    seedMs,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (child.exitCode === null) child.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const lighthouseWorkload: Workload = {
  name: 'lighthouse',
  description: 'Lighthouse performance score (mobile) of the partner dashboard, library, vendor queues and audit timeline, demo program',
  async run(): Promise<WorkloadResult> {
    const server = await startDemoServer()
    note(`lighthouse: demo server up in ${(server.seedMs / 1000).toFixed(1)} s (fresh data dir, seeded)`)
    try {
      const reports = await lighthousePages(server.url, ['performance'])
      const summary: Record<string, unknown> = {}
      for (const report of reports) {
        const score = Math.round((report.scores.performance ?? 0) * 100)
        emit({ workload: 'lighthouse', name: report.name, path: report.path, performance: score, ...report.metrics })
        summary[`${report.path} performance`] = score
      }
      return { summary }
    } finally {
      await server.stop()
    }
  },
}
