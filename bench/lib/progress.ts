// Where a runner is in the log, as a count of events: the log's positions in read order, and a sampler that turns a
// runner's position over time into (events, ms) marks for RateTracker (the rate over the first and the last tenth).
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { now, RateTracker } from './util.ts'

type PositionLike = { commit: bigint | number | string; prepare: bigint | number | string }

const CHUNK = 100_000

/** Every event's (commit, prepare) position in read order: position -> how many events are at or before it. */
export class LogIndex {
  private constructor(
    private readonly commits: Float64Array,
    private readonly prepares: Float64Array,
  ) {}

  /** Reads the positions of every event now in the log (1M events: two 8 MB arrays, a few seconds). */
  static async load(db: SqlExecutor): Promise<LogIndex> {
    let commits = new Float64Array(CHUNK)
    let prepares = new Float64Array(CHUNK)
    let size = 0
    let commit = '0'
    let prepare = '-1'
    for (;;) {
      const { rows } = await db.query<{ c: string; p: string }>(
        `select transaction_id::text as c, global_position::text as p from events
          where (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          order by transaction_id, global_position limit ${CHUNK}`,
        [commit, prepare],
      )
      if (size + rows.length > commits.length) {
        const grow = (a: Float64Array) => {
          const b = new Float64Array(Math.max(a.length * 2, size + rows.length))
          b.set(a)
          return b
        }
        commits = grow(commits)
        prepares = grow(prepares)
      }
      for (const row of rows) {
        commits[size] = Number(row.c)
        prepares[size] = Number(row.p)
        size++
      }
      if (rows.length < CHUNK) break
      commit = rows[rows.length - 1]!.c
      prepare = rows[rows.length - 1]!.p
    }
    return new LogIndex(commits.subarray(0, size), prepares.subarray(0, size))
  }

  get size(): number {
    return this.commits.length
  }

  /** the last event's position (commit and prepare as bigints), or undefined for an empty log */
  last(): { commit: bigint; prepare: bigint } | undefined {
    const n = this.size
    return n === 0 ? undefined : { commit: BigInt(this.commits[n - 1]!), prepare: BigInt(this.prepares[n - 1]!) }
  }

  /** the number of events at or before `position` (0 for START, size at or past the end) */
  ordinalOf(position: PositionLike): number {
    const c = Number(position.commit)
    const p = Number(position.prepare)
    let lo = 0
    let hi = this.size
    // first index whose position is after `position`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const mc = this.commits[mid]!
      if (mc < c || (mc === c && this.prepares[mid]! <= p)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * Polls `read` (the least advanced position of the projections, or undefined when unknown yet) every `everyMs` and
 * marks `tracker` with the events up to it. stop() takes a last sample and returns the furthest count reached.
 */
export function sampleProgress(
  index: LogIndex,
  tracker: RateTracker,
  read: () => PositionLike | undefined | Promise<PositionLike | undefined>,
  everyMs: number,
): { stop(): Promise<number>; reached(): number } {
  let reached = 0
  let stopped = false
  const sample = async () => {
    const position = await read()
    if (!position) return
    const count = index.ordinalOf(position)
    if (count >= reached) {
      reached = count
      tracker.mark(count)
    }
  }
  const loop = (async () => {
    while (!stopped) {
      const next = now() + everyMs
      await sample().catch(() => {})
      const wait = next - now()
      if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait))
    }
  })()
  return {
    reached: () => reached,
    async stop() {
      stopped = true
      await loop
      await sample().catch(() => {})
      return reached
    },
  }
}

/** the least advanced of several positions (undefined when there are none) */
export function leastPosition<P extends PositionLike>(positions: readonly P[]): P | undefined {
  let least: P | undefined
  for (const position of positions) {
    if (!least) least = position
    else {
      const c = BigInt(position.commit)
      const lc = BigInt(least.commit)
      if (c < lc || (c === lc && BigInt(position.prepare) < BigInt(least.prepare))) least = position
    }
  }
  return least
}
