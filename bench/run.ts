// `npm run bench [-- --quick] [-- --only <name>[,<name>]]`: runs the registered workloads, prints one JSON object
// per measurement and a summary, and writes bench/results/latest.json. See bench/README.md.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchUrl, databaseName, ensureDatabase, redact, siblingDatabaseUrl } from './lib/db.ts'
import { allFigures, note, now } from './lib/util.ts'
import { appendWorkload } from './workloads/append.ts'
import { readWorkload } from './workloads/read.ts'
import { peerWorkload } from './workloads/peer.ts'
import { projectionLagWorkload } from './workloads/lag.ts'
import { rebuildAllWorkload } from './workloads/rebuild-all.ts'
import { httpWorkload } from './workloads/http.ts'
import { lighthouseWorkload } from './workloads/lighthouse.ts'
import { whatIfWorkload } from './workloads/what-if.ts'
import type { BenchContext, Target, Workload, WorkloadResult } from './workloads/types.ts'

/**
 * The registry: every workload `npm run bench` knows, in the order they run. To add one, write
 * bench/workloads/<name>.ts exporting a Workload and list it here; --only selects by name.
 */
export const workloads: Workload[] = [appendWorkload, readWorkload, peerWorkload, projectionLagWorkload, rebuildAllWorkload, httpWorkload, lighthouseWorkload, whatIfWorkload]

type Args = { quick: boolean; only: string[] | undefined; list: boolean }

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: undefined, list: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--quick') args.quick = true
    else if (arg === '--list') args.list = true
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (!value) throw new Error('--only needs a workload name')
      args.only = [...(args.only ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)]
    } else if (arg === '--') continue
    else throw new Error(`Unknown argument ${arg}. Usage: npm run bench -- [--quick] [--only <name>[,<name>]] [--list]`)
  }
  return args
}

/** "name: 12.3 ms (wanted < 50 ms)", with the target's note when it has one */
function describeTarget(t: Target): string {
  const unit = t.unit === 'x' ? 'x' : ` ${t.unit}`
  return `${t.name}: ${Number.isFinite(t.value) ? t.value : 'not measured'}${Number.isFinite(t.value) ? unit : ''} (wanted ${t.comparison} ${t.wanted}${unit})${t.note ? ` [${t.note}]` : ''}`
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.list) {
    for (const workload of workloads) process.stdout.write(`${workload.name}\t${workload.description}\n`)
    return
  }
  const selected = args.only ? workloads.filter((w) => args.only!.includes(w.name)) : workloads
  const unknown = (args.only ?? []).filter((name) => !workloads.some((w) => w.name === name))
  if (unknown.length > 0) throw new Error(`Unknown workload(s) ${unknown.join(', ')}; known: ${workloads.map((w) => w.name).join(', ')}`)

  const url = benchUrl()
  const emmettUrl = siblingDatabaseUrl(url, `${databaseName(url)}_emmett`)
  const reason = await ensureDatabase(url)
  const emmettReason = reason ?? (await ensureDatabase(emmettUrl))
  if (reason) {
    const skip = { skip: 'postgresql', reason, effect: 'PostgreSQL workloads and the peer comparison are skipped; PGlite ones still run' }
    process.stdout.write(JSON.stringify(skip) + '\n')
  }
  const ctx: BenchContext = {
    quick: args.quick,
    pgUrl: reason ? undefined : url,
    pgSkipReason: reason,
    emmettUrl: emmettReason ? undefined : emmettUrl,
  }
  note(`${args.quick ? 'quick' : 'full'} run of ${selected.map((w) => w.name).join(', ')} on ${ctx.pgUrl ? redact(url) : 'PGlite only'}`)

  const started = now()
  const results: Record<string, WorkloadResult & { seconds: number; error?: string }> = {}
  for (const workload of selected) {
    const t0 = now()
    const loadBefore = os.loadavg()[0]!
    try {
      const result = await workload.run(ctx)
      // the 1-minute load average before and after: this machine is shared, and a busy one lowers every figure
      const load = { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0]! * 10) / 10, cpus: os.cpus().length }
      results[workload.name] = { ...result, summary: { loadAverage1m: load, ...result.summary }, seconds: Math.round((now() - t0) / 100) / 10 }
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      process.stderr.write(`[bench] workload ${workload.name} failed: ${message}\n`)
      results[workload.name] = { summary: {}, error: String((error as Error)?.message ?? error), seconds: Math.round((now() - t0) / 100) / 10 }
    }
  }

  const targets: Target[] = Object.values(results).flatMap((r) => r.targets ?? [])
  const summary = {
    summary: true,
    mode: args.quick ? 'quick' : 'full',
    totalSeconds: Math.round((now() - started) / 100) / 10,
    postgres: ctx.pgUrl ? redact(url) : `skipped: ${reason}`,
    node: process.version,
    workloads: Object.fromEntries(
      Object.entries(results).map(([name, r]) => [name, { seconds: r.seconds, ...r.summary, ...(r.skipped?.length ? { skipped: r.skipped } : {}), ...(r.error ? { error: r.error } : {}) }]),
    ),
    targets,
    targetsMet: targets.filter((t) => t.met).length,
    targetsMissed: targets.filter((t) => !t.met).map(describeTarget),
    // each issue's targets side by side, one line each: "figure (wanted): met|missed"
    issues: Object.fromEntries(
      [...new Set(targets.flatMap((t) => (t.issue === undefined ? [] : [t.issue])))].map((issue) => [
        `#${issue}`,
        targets.filter((t) => t.issue === issue).map((t) => `${describeTarget(t)}: ${t.met ? 'met' : 'MISSED'}`),
      ]),
    ),
  }
  process.stdout.write(JSON.stringify(summary) + '\n')
  for (const [issue, lines] of Object.entries(summary.issues)) note(`issue ${issue} targets (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores):\n  ${lines.join('\n  ')}`)

  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), summary, figures: allFigures() }, null, 2) + '\n')
  note(`wrote ${path.relative(process.cwd(), path.join(dir, 'latest.json'))}`)
  if (Object.values(results).some((r) => r.error)) process.exitCode = 1
}

await main()
