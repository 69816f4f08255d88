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

export type Target = {
  /** what is compared, e.g. 'sequential commands/s' */
  name: string
  partnerlog: number
  peer: number
  /** partnerlog / peer */
  ratio: number
  /** the ratio the issue asks for */
  wanted: number
  met: boolean
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
  return { name, partnerlog, peer, ratio, wanted, met: ratio >= wanted }
}
