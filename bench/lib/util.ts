// Small helpers shared by every workload: clocks, medians, percentiles, rates, the JSON line printer, a free port.
import net from 'node:net'
import { performance } from 'node:perf_hooks'

export const now = (): number => performance.now()

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** nearest-rank percentile, p in [0, 100] */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const rate = (count: number, ms: number): number => (ms > 0 ? Math.round((count * 1000) / ms) : 0)

export const ratio = (a: number, b: number): number => (b > 0 ? Math.round((a / b) * 100) / 100 : Number.NaN)

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits

/** Runs `fn` `times` times and returns every duration (ms) and the median one. */
export async function timed<T>(times: number, fn: (run: number) => Promise<T>): Promise<{ runs: number[]; medianMs: number; last: T }> {
  const runs: number[] = []
  let last: T | undefined
  for (let run = 0; run < times; run++) {
    const start = now()
    last = await fn(run)
    runs.push(round(now() - start, 1))
  }
  return { runs, medianMs: median(runs), last: last as T }
}

/** Runs `workers` async loops sharing one counter of `total` jobs; returns the elapsed ms. */
export async function inParallel(workers: number, total: number, job: (index: number, worker: number) => Promise<void>): Promise<number> {
  let next = 0
  const start = now()
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (;;) {
        const index = next++
        if (index >= total) return
        await job(index, worker)
      }
    }),
  )
  return now() - start
}

/** Splits a progress log of (count, ms) marks into the rate of the first and of the last 10% of a read. */
export class RateTracker {
  private readonly marks: { count: number; ms: number }[] = []
  private start = now()
  constructor(private readonly total: number) {}
  /** times from now on (e.g. once a runner has started) */
  restart(): void {
    this.start = now()
    this.marks.length = 0
  }
  /** call as often as convenient (e.g. per batch) with the number of events read so far */
  mark(count: number): void {
    this.marks.push({ count, ms: now() - this.start })
  }
  /** over `total` events (default: the whole read; pass the count reached when a run stopped short) */
  firstAndLastTenth(total = this.total): { first10pct: number; last10pct: number } {
    const tenth = total / 10
    const at = (target: number) => {
      // interpolate the time at which `target` events had been read
      let prev = { count: 0, ms: 0 }
      for (const mark of this.marks) {
        if (mark.count >= target) {
          if (mark.count === prev.count) return mark.ms
          return prev.ms + ((target - prev.count) / (mark.count - prev.count)) * (mark.ms - prev.ms)
        }
        prev = mark
      }
      return prev.ms
    }
    const firstMs = at(tenth)
    const lastMs = at(total) - at(total - tenth)
    return { first10pct: rate(tenth, firstMs), last10pct: rate(tenth, lastMs) }
  }
}

export type Figure = Record<string, unknown> & { workload: string; name: string }

const figures: Figure[] = []

/** Prints one JSON line per measurement and keeps it for the summary and latest.json. */
export function emit(figure: Figure): Figure {
  figures.push(figure)
  process.stdout.write(JSON.stringify(figure) + '\n')
  return figure
}

export function allFigures(): readonly Figure[] {
  return figures
}

export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

/** A projection-runner logger that stays quiet except for errors (printed to stderr, not as console.error). */
export const quietLogger = {
  info: () => {},
  warn: (message: string, details?: Record<string, unknown>) => note(`runner warning: ${message} ${JSON.stringify(details ?? {})}`),
  error: (message: string, details?: Record<string, unknown>) => note(`runner error: ${message} ${JSON.stringify(details ?? {})}`),
}

/** A TCP port on loopback that nothing listens on now, for a server a workload starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
