// Diagnosis, not a workload: the in-memory fold cost of each projection (and of all together) over a generated history,
// without any IO, in CPU time (process.cpuUsage, so other processes on a shared machine count less than in wall time).
// `--baseline <dir>` also loads <dir>/projections/all.ts (e.g. an older commit extracted with `git archive <commit>
// projections domain eventstore cli app/seed | tar -x -C <dir>`) and times both, interleaved round by round.
// Run it under `node --cpu-prof` to see where a fold spends its time (bundled with esbuild first, the profile has lines).
// Each figure also gives the last tenth of the log's rate over the first's (of the last round: one run, noisy).
// `--take-logs` adds a twin of each variant that takes the log fields (Projection.logs) out of every document after each
// event, as the runner does (takeLogEntries), instead of keeping them in the documents as time travel does (decision 035);
// `--all-only` prints only the all-together line. Under `node --expose-gc` the heap at the end is after a collection.
// Usage: node --import tsx bench/probes/fold-cost.ts [--partners 50] [--events 50000] [--rounds 3] [--only journey,pyramid] [--baseline .tmp/fold-base] [--take-logs] [--all-only]
import path from 'node:path'
import { historyEvents } from '../../cli/generate-history.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { allProjections } from '../../projections/all.ts'
import { applyEvent, foldEvents, keysFor, takeLogEntries, type AnyProjection } from '../../projections/projection.ts'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const partners = Number(arg('partners', '50'))
const count = Number(arg('events', '50000'))
const rounds = Number(arg('rounds', '3'))
const only = arg('only', '').split(',').filter(Boolean)
const baselineDir = arg('baseline', '')
const takeLogs = process.argv.includes('--take-logs')
const allOnly = process.argv.includes('--all-only')

type Fold = typeof foldEvents
type Variant = { label: string; projections: AnyProjection[]; fold: Fold }

const pick = (list: AnyProjection[]) => (only.length ? list.filter((p) => only.includes(p.name)) : list)
const variants: Variant[] = [{ label: 'current', projections: pick(allProjections), fold: foldEvents }]
if (baselineDir) {
  const dir = path.resolve(baselineDir)
  const all = (await import(path.join(dir, 'projections/all.ts'))) as { allProjections: AnyProjection[] }
  const projection = (await import(path.join(dir, 'projections/projection.ts'))) as { foldEvents: Fold }
  variants.unshift({ label: 'baseline', projections: pick(all.allProjections), fold: projection.foldEvents })
}

/** the runner's entries of one batch (5,000 events), as projections/runner/work.ts collects them before the write */
let batchEntries: unknown[] = []
/** foldEvents with the log fields taken out after each event, as the runner's foldEvent (projections/runner/work.ts) */
const foldTakingLogs: Fold = (projection, docs, event) => {
  const keys = keysFor(projection, event)
  if (keys.length === 0) return
  const logs = projection.logs
  for (const [key, next] of applyEvent(projection, docs, event, keys)) {
    const state = !logs || logs.length === 0 ? next : takeLogEntries(logs, next, (field, entry, idx) =>
      batchEntries.push({ projection: projection.name, version: projection.version, key, field, position: event.position, idx, entry }),
    )
    docs.set(key, state)
  }
}
if (takeLogs) for (const v of [...variants]) variants.push({ label: `${v.label}, logs taken`, projections: v.projections, fold: foldTakingLogs })

const events: RecordedEvent[] = []
let n = 0n
for (const { streamId, event } of historyEvents({ partners, events: count, seed: 7, validate: false })) {
  n++
  events.push({ ...event, streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt) })
}

/** CPU of the first and the last tenth of the events in the latest run of each variant (the fold's slowdown over the log) */
const tenths = new Map<string, { first: number; last: number; heapMB: number }>()

/** CPU ms (user + system, every thread of this process, GC included) of one fold over fresh copies of the events */
function cpuMs(fold: Fold, projections: AnyProjection[], label = ''): number {
  const docs = projections.map(() => new Map<string, unknown>())
  const tenth = Math.floor(events.length / 10)
  let first = 0
  let lastFrom: NodeJS.CpuUsage | null = null
  const start = process.cpuUsage()
  for (let k = 0; k < events.length; k++) {
    if (k === tenth) first = cpuOf(process.cpuUsage(start))
    if (k === events.length - tenth) lastFrom = process.cpuUsage()
    // a new event object each time, dropped after its fold as a read of the log would: nothing a fold remembers per
    // event (decision 020) carries over from another run or stays reachable
    const event = { ...events[k]! }
    for (let i = 0; i < projections.length; i++) fold(projections[i]!, docs[i]!, event)
    // the runner writes its entries per batch and lets them go
    if (k % 5000 === 4999) batchEntries = []
  }
  const used = process.cpuUsage(start)
  batchEntries = []
  // the heap with every document still held (the kept variant holds the log fields too); after a collection if exposed
  ;(globalThis as { gc?: () => void }).gc?.()
  if (label) tenths.set(label, { first, last: lastFrom ? cpuOf(process.cpuUsage(lastFrom)) : 0, heapMB: Math.round(process.memoryUsage().heapUsed / 1e6) })
  // the documents read after the heap is taken, so that they are live when it is
  if (docs.reduce((n, d) => n + d.size, 0) < 0) throw new Error('unreachable')
  return cpuOf(used)
}
const cpuOf = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const figures = (ms: number) => ({ cpuUsPerEvent: Math.round((ms * 10_000) / events.length) / 10, eventsPerCpuSec: Math.round((events.length * 1000) / ms) })

/** each variant's median over the rounds, the variants interleaved within every round */
function measure(projectionsOf: (v: Variant) => AnyProjection[]): Record<string, ReturnType<typeof figures> & { lastOverFirstTenth?: number; heapMBAtEnd?: number }> {
  const runs = variants.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    // alternate which goes first, so that neither always runs on a colder JIT or a fuller heap
    const order = round % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i)
    for (const i of order) runs[i]!.push(cpuMs(variants[i]!.fold, projectionsOf(variants[i]!), variants[i]!.label))
  }
  // rate of the last tenth over the first (CPU of the first over the last), as the bench's `fold, last tenth / first tenth`
  const ratioOf = (label: string) => {
    const t = tenths.get(label)
    return t && t.last > 0 ? Math.round((t.first / t.last) * 100) / 100 : undefined
  }
  return Object.fromEntries(variants.map((v, i) => [v.label, { ...figures(median(runs[i]!)), lastOverFirstTenth: ratioOf(v.label), heapMBAtEnd: tenths.get(v.label)?.heapMB }]))
}

// the heap the generated events alone hold (after a collection under --expose-gc): subtract it from heapMBAtEnd
;(globalThis as { gc?: () => void }).gc?.()
const heapMBEvents = Math.round(process.memoryUsage().heapUsed / 1e6)
console.log(JSON.stringify({ events: events.length, partners, rounds, variants: variants.map((v) => v.label), heapMBEvents }))
if (!allOnly) for (const name of variants.at(-1)!.projections.map((p) => p.name)) {
  console.log(JSON.stringify({ projection: name, ...measure((v) => v.projections.filter((p) => p.name === name)) }))
}
console.log(JSON.stringify({ projection: `all ${variants.at(-1)!.projections.length} together, event by event`, ...measure((v) => v.projections) }))
