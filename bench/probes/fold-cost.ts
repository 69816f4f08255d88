// Diagnosis, not a workload: the in-memory fold cost of each projection (and of all together) over a generated history,
// without any IO, in CPU time (process.cpuUsage, so other processes on a shared machine count less than in wall time).
// `--baseline <dir>` also loads <dir>/projections/all.ts (e.g. an older commit extracted with `git archive <commit>
// projections domain eventstore cli app/seed | tar -x -C <dir>`) and times both, interleaved round by round.
// Run it under `node --cpu-prof` to see where a fold spends its time (bundled with esbuild first, the profile has lines).
// Each figure also gives the last tenth of the log's rate over the first's (of the last round: one run, noisy).
// `--take-logs` adds a twin of each variant that takes the log fields (Projection.logs) out of every document after each
// event, as the runner does (takeLogEntries), instead of keeping them in the documents as time travel does (decision 035);
// `--all-only` prints only the all-together line. Under `node --expose-gc` the heap at the end is after a collection.
// `--tenths` also prints the CPU per event of each tenth of the log (of the last round), to see which fold grows along it,
// and the garbage collector's pauses per event in each tenth (v8's GCProfiler: scavenges, and mark-compacts with the rest).
// `--ends` measures instead the first tenth folded from nothing and the last tenth folded from the documents as of the
// 90% point (each round a fresh copy of them), the two interleaved for `--rounds` rounds: the rate along the log without the
// load of the machine drifting between the first tenth and the last (a single pass's tenths are minutes apart).
// Usage: node --import tsx bench/probes/fold-cost.ts [--partners 50] [--events 50000] [--rounds 3] [--only journey,pyramid] [--except journey] [--baseline .tmp/fold-base] [--take-logs] [--all-only] [--tenths] [--ends]
import path from 'node:path'
import { GCProfiler } from 'node:v8'
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
const except = arg('except', '').split(',').filter(Boolean)
const baselineDir = arg('baseline', '')
const takeLogs = process.argv.includes('--take-logs')
const allOnly = process.argv.includes('--all-only')
const perTenth = process.argv.includes('--tenths')
const ends = process.argv.includes('--ends')

type Fold = typeof foldEvents
type Variant = { label: string; projections: AnyProjection[]; fold: Fold }

const pick = (list: AnyProjection[]) => (only.length ? list.filter((p) => only.includes(p.name)) : list).filter((p) => !except.includes(p.name))
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
const tenths = new Map<string, { first: number; last: number; heapMB: number; usPerEvent: number[]; gcUsPerEvent: Pause[] }>()
/** a tenth's collector pauses in us per event, and the scavenges' count and what they kept (survived or promoted) */
type Pause = { scavenge: number; major: number; scavenges: number; keptKBPerScavenge: number; allocatedBPerEvent: number }

/** CPU ms (user + system, every thread of this process, GC included) of one fold over fresh copies of the events */
function cpuMs(fold: Fold, projections: AnyProjection[], label = ''): number {
  const docs = projections.map(() => new Map<string, unknown>())
  const tenth = Math.floor(events.length / 10)
  let first = 0
  let lastFrom: NodeJS.CpuUsage | null = null
  const marks: number[] = []
  const pauses: Pause[] = []
  let profiler: GCProfiler | null = null
  let afterLast = process.memoryUsage().heapUsed
  /** the pauses since the last call, in us per event of a tenth */
  const gcMark = () => {
    const stats = profiler?.stop()?.statistics ?? []
    if (profiler) {
      const sum = (scavenge: boolean) => stats.filter((s) => (s.gcType === 'Scavenge') === scavenge).reduce((n, s) => n + s.cost, 0)
      const scavenges = stats.filter((s) => s.gcType === 'Scavenge')
      const space = (s: (typeof stats)[number]['afterGC'], name: string) => s.heapSpaceStatistics.find((x) => x.spaceName === name)?.spaceUsedSize ?? 0
      const kept = scavenges.reduce((n, s) => n + space(s.afterGC, 'new_space') + space(s.afterGC, 'old_space') - space(s.beforeGC, 'old_space') + space(s.afterGC, 'large_object_space') - space(s.beforeGC, 'large_object_space'), 0)
      pauses.push({
        scavenge: Math.round((sum(true) * 10) / tenth) / 10, major: Math.round((sum(false) * 10) / tenth) / 10,
        scavenges: scavenges.length, keptKBPerScavenge: scavenges.length ? Math.round(kept / scavenges.length / 1000) : 0,
        // allocated between collections: the heap before each one less the heap after the one before (the last stretch of
        // the tenth, after its last collection, counts in the next tenth)
        allocatedBPerEvent: Math.round(stats.reduce((n, s) => {
          const allocated = s.beforeGC.heapStatistics.usedHeapSize - afterLast
          afterLast = s.afterGC.heapStatistics.usedHeapSize
          return n + allocated
        }, 0) / tenth),
      })
    }
    profiler = new GCProfiler()
    profiler.start()
  }
  const start = process.cpuUsage()
  for (let k = 0; k < events.length; k++) {
    if (k === tenth) first = cpuOf(process.cpuUsage(start))
    if (k === events.length - tenth) lastFrom = process.cpuUsage()
    if (perTenth && k % tenth === 0) {
      marks.push(cpuOf(process.cpuUsage(start)))
      gcMark()
    }
    // a new event object each time, dropped after its fold as a read of the log would: nothing a fold remembers per
    // event (decision 020) carries over from another run or stays reachable
    const event = { ...events[k]! }
    for (let i = 0; i < projections.length; i++) fold(projections[i]!, docs[i]!, event)
    // the runner writes its entries per batch and lets them go
    if (k % 5000 === 4999) batchEntries = []
  }
  const used = process.cpuUsage(start)
  const last = lastFrom ? cpuOf(process.cpuUsage(lastFrom)) : 0
  if (perTenth) {
    marks.push(cpuOf(used))
    gcMark()
    ;(profiler as GCProfiler | null)?.stop()
  }
  const usPerEvent = marks.slice(1, 11).map((ms, i) => Math.round(((ms - marks[i]!) * 10_000) / tenth) / 10)
  batchEntries = []
  // the heap with every document still held (the kept variant holds the log fields too); after a collection if exposed
  ;(globalThis as { gc?: () => void }).gc?.()
  if (label) tenths.set(label, { first, last, heapMB: Math.round(process.memoryUsage().heapUsed / 1e6), usPerEvent, gcUsPerEvent: pauses })
  // the documents read after the heap is taken, so that they are live when it is
  if (docs.reduce((n, d) => n + d.size, 0) < 0) throw new Error('unreachable')
  return cpuOf(used)
}
const cpuOf = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const figures = (ms: number) => ({ cpuUsPerEvent: Math.round((ms * 10_000) / events.length) / 10, eventsPerCpuSec: Math.round((events.length * 1000) / ms) })

/** each variant's median over the rounds, the variants interleaved within every round */
function measure(projectionsOf: (v: Variant) => AnyProjection[]): Record<string, ReturnType<typeof figures> & { lastOverFirstTenth?: number; heapMBAtEnd?: number; tenthsUsPerEvent?: number[]; tenthsGcUsPerEvent?: Pause[] }> {
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
  return Object.fromEntries(variants.map((v, i) => [v.label, { ...figures(median(runs[i]!)), lastOverFirstTenth: ratioOf(v.label), heapMBAtEnd: tenths.get(v.label)?.heapMB, ...(perTenth ? { tenthsUsPerEvent: tenths.get(v.label)?.usPerEvent, tenthsGcUsPerEvent: tenths.get(v.label)?.gcUsPerEvent } : {}) }]))
}

/** CPU ms of folding events [from, to) into the given documents, each event a fresh object */
function foldSpan(fold: Fold, projections: AnyProjection[], docs: Map<string, unknown>[], from: number, to: number): number {
  const start = process.cpuUsage()
  for (let k = from; k < to; k++) {
    const event = { ...events[k]! }
    for (let i = 0; i < projections.length; i++) fold(projections[i]!, docs[i]!, event)
    if (k % 5000 === 4999) batchEntries = []
  }
  return cpuOf(process.cpuUsage(start))
}

/** us CPU per event of the first tenth (from nothing) and of the last (from the documents at 90%), interleaved per round */
function measureEnds(projectionsOf: (v: Variant) => AnyProjection[]) {
  const tenth = Math.floor(events.length / 10)
  const at90 = variants.map((v) => {
    const docs = projectionsOf(v).map(() => new Map<string, unknown>())
    foldSpan(v.fold, projectionsOf(v), docs, 0, events.length - tenth)
    return docs
  })
  const firsts = variants.map(() => [] as number[])
  const lasts = variants.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i)
    for (const i of order) {
      const v = variants[i]!
      const ps = projectionsOf(v)
      // which end goes first alternates too; documents are immutable states, so a copy of the Maps is a fresh start
      const runFirst = () => firsts[i]!.push(foldSpan(v.fold, ps, ps.map(() => new Map()), 0, tenth))
      const runLast = () => lasts[i]!.push(foldSpan(v.fold, ps, at90[i]!.map((d) => new Map(d)), events.length - tenth, events.length))
      if (round % 2 === 0) { runFirst(); runLast() } else { runLast(); runFirst() }
    }
  }
  const us = (ms: number) => Math.round((ms * 10_000) / tenth) / 10
  return Object.fromEntries(variants.map((v, i) => {
    const first = median(firsts[i]!)
    const last = median(lasts[i]!)
    return [v.label, { firstTenthUs: us(first), lastTenthUs: us(last), lastOverFirst: Math.round((first / last) * 100) / 100 }]
  }))
}

// the heap the generated events alone hold (after a collection under --expose-gc): subtract it from heapMBAtEnd
;(globalThis as { gc?: () => void }).gc?.()
const heapMBEvents = Math.round(process.memoryUsage().heapUsed / 1e6)
console.log(JSON.stringify({ events: events.length, partners, rounds, variants: variants.map((v) => v.label), heapMBEvents }))
const run = ends ? measureEnds : measure
if (!allOnly) for (const name of variants.at(-1)!.projections.map((p) => p.name)) {
  console.log(JSON.stringify({ projection: name, ...run((v) => v.projections.filter((p) => p.name === name)) }))
}
console.log(JSON.stringify({ projection: `all ${variants.at(-1)!.projections.length} together, event by event`, ...run((v) => v.projections) }))
