// What a workload is: a name for --only, a description, and a run that prints its figures and returns summary entries.

export type BenchContext = {
  quick: boolean
  /** the bench database on the PostgreSQL server, or undefined when the server cannot be reached */
  pgUrl: string | undefined
  /** why pgUrl is undefined */
  pgSkipReason?: string
  /** a second database on the same server for the peer (Emmett), or undefined */
  emmettUrl: string | undefined
}

/**
 * A figure with the threshold an issue asks for, met or missed. Peer comparisons (`target`) are ratios Partnerlog /
 * peer >= wanted; issue targets (`goal`) can also be upper bounds (p99 < 50 ms, RSS < 300 MB, catch-up < 120 s).
 */
export type Target = {
  /** what is compared, e.g. 'sequential commands/s' */
  name: string
  /** the measured figure (NaN when it could not be measured: then `met` is false and `note` says why) */
  value: number
  /** 'x' for ratios, else 'ms', 's', 'MB' */
  unit: string
  /** how `value` must compare with `wanted` */
  comparison: '>=' | '<=' | '<'
  /** the threshold the issue asks for */
  wanted: number
  met: boolean
  /** the issue that asks for it (the summary groups targets by issue) */
  issue?: number
  /** why it was not measured, or what qualifies it (not a steady state, a smaller volume than the issue's) */
  note?: string
  /** for a peer comparison: the two figures and their ratio (= value) */
  partnerlog?: number
  peer?: number
  ratio?: number
}

export type WorkloadResult = {
  /** the headline figures of the workload (events/s, ratios), copied into the summary */
  summary: Record<string, unknown>
  /** Partnerlog-vs-peer comparisons with a wanted ratio */
  targets?: Target[]
  /** why (part of) the workload did not run */
  skipped?: string[]
}

export type Workload = {
  name: string
  description: string
  run(ctx: BenchContext): Promise<WorkloadResult>
}

export function target(name: string, partnerlog: number, peer: number, wanted = 2): Target {
  const ratio = peer > 0 ? Math.round((partnerlog / peer) * 100) / 100 : Number.NaN
  return { name, value: ratio, unit: 'x', comparison: '>=', wanted, met: ratio >= wanted, partnerlog, peer, ratio }
}

/**
 * An issue's target: `value` against `wanted` (`comparison`). A NaN value (not measured) or a `valid: false` run (not
 * a steady state, a time limit hit) is never met; `note` says why.
 */
export function goal(
  issue: number,
  name: string,
  value: number,
  comparison: Target['comparison'],
  wanted: number,
  unit: string,
  options: { note?: string; valid?: boolean } = {},
): Target {
  const rounded = Number.isFinite(value) ? Math.round(value * 100) / 100 : Number.NaN
  const passes = comparison === '>=' ? rounded >= wanted : comparison === '<=' ? rounded <= wanted : rounded < wanted
  return { issue, name, value: rounded, unit, comparison, wanted, met: Number.isFinite(rounded) && passes && options.valid !== false, ...(options.note ? { note: options.note } : {}) }
}
