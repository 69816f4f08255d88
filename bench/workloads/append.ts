// Append: raw inserts into the events table against the same volume through appendToStream, on PGlite and PostgreSQL.
import { APPEND_CALL, appendArguments } from '../../eventstore/postgres/schema.ts'
import { openPGlite, openPostgres, type Opened } from '../lib/db.ts'
import { batchStream, insertEventRaw, insertEventsRaw, insertStreamsRaw, partnerBlock, streamsOf, toNewEvent, type GenEvent } from '../lib/events.ts'
import { emit, inParallel, note, rate, ratio } from '../lib/util.ts'
import type { BenchContext, Workload, WorkloadResult } from './types.ts'

const RUNS = 3
const SLOW_RUN_MS = 12_000

type Variant = {
  name: string
  clients: number
  /** builds the events of one run (untimed) */
  prepare(): GenEvent[][]
  /** untimed setup before each run, e.g. the stream rows raw inserts need */
  setup?(db: Opened, units: GenEvent[][]): Promise<void>
  /** appends one unit (a chunk or a stream's events) */
  append(db: Opened, unit: GenEvent[]): Promise<void>
}

function blocks(events: number): GenEvent[][] {
  return Array.from({ length: Math.ceil(events / 100) }, (_, i) => partnerBlock(i))
}

function chunks(events: number, size: number): GenEvent[][] {
  const streams = Array.from({ length: Math.ceil(events / 100) }, (_, i) => batchStream(i, 100))
  const out: GenEvent[][] = []
  for (let i = 0; i < streams.length; i += size / 100) out.push(streams.slice(i, i + size / 100).flat())
  return out
}

async function createStreams(db: Opened, units: GenEvent[][]): Promise<void> {
  const all = units.flat()
  for (let i = 0; i < all.length; i += 5000) await insertStreamsRaw(db.driver, streamsOf(all.slice(i, i + 5000)))
}

function variants(single: number, batched: number, concurrent: number, withClients: boolean): Variant[] {
  const list: Variant[] = [
    {
      name: 'raw-unnest-1000',
      clients: 1,
      prepare: () => chunks(batched, 1000),
      setup: createStreams,
      append: (db, unit) => insertEventsRaw(db.driver, unit),
    },
    {
      name: 'store-batch-100',
      clients: 1,
      prepare: () => chunks(batched, 100),
      append: async (db, unit) => {
        await db.store.appendToStream(unit[0]!.streamId, unit.map(toNewEvent), { expectedRevision: 'no_stream' })
      },
    },
    {
      name: 'raw-single',
      clients: 1,
      prepare: () => blocks(single),
      setup: createStreams,
      append: async (db, unit) => {
        for (const event of unit) await insertEventRaw(db.driver, event)
      },
    },
    {
      name: 'store-single',
      clients: 1,
      prepare: () => blocks(single),
      append: async (db, unit) => {
        for (const event of unit) {
          await db.store.appendToStream(event.streamId, [toNewEvent(event)], {
            expectedRevision: event.revision === 0 ? 'no_stream' : BigInt(event.revision - 1),
          })
        }
      },
    },
  ]
  if (withClients) {
    for (const base of list.filter((v) => v.name === 'raw-single' || v.name === 'store-single')) {
      list.push({ ...base, name: base.name, clients: 16, prepare: () => blocks(concurrent) })
    }
    // Diagnosis: the append function called directly, with and without its pg_notify (a NOTIFY at commit prevents
    // group commit; bench/README.md).
    for (const channel of ['bench_append', null] as const) {
      list.push({
        name: channel ? 'fn-single-notify' : 'fn-single-no-notify',
        clients: 16,
        prepare: () => blocks(concurrent),
        append: async (db, unit) => {
          for (const event of unit) {
            await db.driver.query(`select status from ${APPEND_CALL}`, [
              event.streamId,
              event.revision === 0 ? 'no_stream' : String(event.revision - 1),
              ...appendArguments([toNewEvent(event)]),
              channel,
            ])
          }
        },
      })
    }
  }
  return list
}

async function measure(kind: 'postgres' | 'pglite', open: () => Promise<Opened>, list: Variant[]): Promise<Record<string, number>> {
  const rates: Record<string, number> = {}
  for (const variant of list) {
    const db = await open()
    try {
      const events: number[] = []
      const runs: number[] = []
      let perRun = 0
      for (let run = 0; run < RUNS; run++) {
        const units = variant.prepare()
        await variant.setup?.(db, units)
        const count = units.reduce((n, u) => n + u.length, 0)
        perRun = count
        const ms = await inParallel(variant.clients, units.length, (i) => variant.append(db, units[i]!))
        runs.push(Math.round(ms))
        events.push(rate(count, ms))
        // keep the whole bench near 15 minutes on a slow or busy machine: a long first run is not repeated
        if (run === 0 && ms > SLOW_RUN_MS) break
      }
      const sorted = [...events].sort((a, b) => a - b)
      const median = sorted[Math.floor(sorted.length / 2)]!
      const key = `${variant.name}${variant.clients > 1 ? `-x${variant.clients}` : ''}`
      rates[key] = median
      emit({
        workload: 'append',
        name: `${kind} ${key}`,
        store: kind,
        variant: variant.name,
        clients: variant.clients,
        eventsPerRun: perRun,
        runsMs: runs,
        eventsPerSecRuns: events,
        eventsPerSec: median,
      })
    } finally {
      await db.close()
    }
  }
  return rates
}

function ratios(kind: string, rates: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  const pair = (store: string, raw: string) => {
    if (rates[store] !== undefined && rates[raw] !== undefined) out[`${store}/${raw}`] = ratio(rates[store]!, rates[raw]!)
  }
  pair('store-batch-100', 'raw-unnest-1000')
  pair('store-single', 'raw-single')
  pair('store-single-x16', 'raw-single-x16')
  pair('fn-single-notify-x16', 'fn-single-no-notify-x16')
  emit({ workload: 'append', name: `${kind} ratios store/raw`, store: kind, ratios: out })
  return out
}

export const appendWorkload: Workload = {
  name: 'append',
  description: 'raw unnest / single-row inserts vs appendToStream (single events, 100-event batches), PGlite and PostgreSQL (1 and 16 clients)',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    const single = ctx.quick ? 1_000 : 5_000
    const batched = ctx.quick ? 10_000 : 50_000
    const concurrent = ctx.quick ? 2_000 : 10_000
    const summary: Record<string, unknown> = {}
    const skipped: string[] = []

    note(`append: PGlite (${single} single, ${batched} batched events per run, ${RUNS} runs)`)
    const pgliteRates = await measure('pglite', openPGlite, (variants(single, batched, concurrent, false)))
    summary.pglite = { eventsPerSec: pgliteRates, ratios: ratios('pglite', pgliteRates) }

    if (ctx.pgUrl) {
      const url = ctx.pgUrl
      note(`append: PostgreSQL (${single} sequential, ${concurrent} with 16 clients, ${batched} batched events per run)`)
      const pgRates = await measure('postgres', () => openPostgres(url, 'bench_append'), (variants(single, batched, concurrent, true)))
      summary.postgres = { eventsPerSec: pgRates, ratios: ratios('postgres', pgRates) }
    } else skipped.push(`append on PostgreSQL: ${ctx.pgSkipReason}`)
    return { summary, skipped }
  },
}
