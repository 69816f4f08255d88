// For the runner probes: the CPU time the PostgreSQL server spends on one application's connections (same machine
// only: read from /proc), so that a change to what the runner asks of the database is measured apart from the load.
import fs from 'node:fs'
import pg from 'pg'

const TICK_MS = 10 // USER_HZ is 100 on Linux

function cpuOfPid(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return undefined
  }
}

/** Samples every backend whose application_name is `application` every `everyMs`; total() sums the last seen CPU per backend since start(). */
export function backendCpu(url: string, application: string, everyMs = 250) {
  const seen = new Map<number, { first: number; last: number }>()
  const client = new pg.Client({ connectionString: url })
  let timer: NodeJS.Timeout | undefined
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [application])
    for (const { pid } of rows) {
      const cpu = cpuOfPid(pid)
      if (cpu === undefined) continue
      const known = seen.get(pid)
      // a backend first seen mid-run counts from its own start: its CPU before that was this run's too
      if (known) known.last = cpu
      else seen.set(pid, { first: 0, last: cpu })
    }
  }
  return {
    async start() {
      await client.connect()
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [application])
      for (const { pid } of rows) {
        const cpu = cpuOfPid(pid)
        if (cpu !== undefined) seen.set(pid, { first: cpu, last: cpu })
      }
      timer = setInterval(() => void sample().catch(() => {}), everyMs)
    },
    /** the total so far (sampled now) */
    async sofar(): Promise<number> {
      await sample().catch(() => {})
      let total = 0
      for (const { first, last } of seen.values()) total += last - first
      return total
    },
    async stop(): Promise<number> {
      clearInterval(timer)
      await sample().catch(() => {})
      await client.end()
      let total = 0
      for (const { first, last } of seen.values()) total += last - first
      return total
    },
  }
}

/** The connection string with application_name set. */
export function withApplication(url: string, application: string): string {
  const u = new URL(url)
  u.searchParams.set('application_name', application)
  return u.toString()
}
