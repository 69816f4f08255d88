// Peer: the same workloads through Partnerlog and Emmett on one PostgreSQL server, run alternately to share the load.
import { randomUUID } from 'node:crypto'
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett'
import { getPostgreSQLEventStore, postgreSQLEventStoreConsumer, type PostgresEventStore } from '@event-driven-io/emmett-postgresql'
import pg from 'pg'
import { executeCommand } from '../../app/commands/handler.server.ts'
import { DealDecider, type DealCommand } from '../../domain/deals/index.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { openPostgres, type Opened } from '../lib/db.ts'
import { batchStream, toNewEvent } from '../lib/events.ts'
import { emit, inParallel, median, note, now, rate } from '../lib/util.ts'
import { target, type BenchContext, type Target, type Workload, type WorkloadResult } from './types.ts'

const NOW = '2026-01-05T09:00:00.000Z'

function registerDeal(dealId: string, partnerId: string): DealCommand {
  return {
    type: 'RegisterDeal',
    data: {
      dealId,
      partnerId,
      customerName: 'Fabrikam',
      customerDomain: `fabrikam-${dealId.slice(0, 8)}.example`,
      value: 25_000,
      currency: 'EUR',
      expectedCloseDate: '2026-06-30',
      items: [{ sku: 'FW-100', name: 'firewall', quantity: 1 }],
      customerDomainFacts: { publicSuffix: false },
    },
    metadata: { commandId: randomUUID(), now: NOW, actor: { userId: `admin-${partnerId}`, organisationId: partnerId, role: 'partner_admin' } },
  }
}

function approveDeal(dealId: string): DealCommand {
  return {
    type: 'ApproveDeal',
    data: { dealId },
    metadata: { commandId: randomUUID(), now: NOW, actor: { userId: 'sam', organisationId: 'vendor', role: 'channel_manager' } },
  }
}

/** A deal's life as two commands: register (new stream), then approve (read 1 event, append 1). */
function commandsOf(dealId: string): DealCommand[] {
  const partnerId = randomUUID()
  return [registerDeal(dealId, partnerId), approveDeal(dealId)]
}

type Side = {
  name: 'partnerlog' | 'emmett'
  /** read the stream, decide, append with the expected version */
  command(streamId: string, command: DealCommand): Promise<void>
  appendBatch(streamId: string, events: ReturnType<typeof batchStream>): Promise<void>
  /** reads the whole log through the store's own API; returns the events read */
  fullRead(): Promise<number>
  count(): Promise<number>
  close(): Promise<void>
}

function partnerlogSide(db: Opened): Side {
  const store: EventStore = db.store
  return {
    name: 'partnerlog',
    async command(streamId, command) {
      // the portal's command handler (app/commands/handler.server.ts): readStream, decide, append with expectedRevision
      await executeCommand(store, DealDecider, streamId, command)
    },
    async appendBatch(streamId, events) {
      await store.appendToStream(streamId, events.map(toNewEvent), { expectedRevision: 'no_stream' })
    },
    async fullRead() {
      let count = 0
      for await (const _ of store.readAll()) count++
      return count
    },
    async count() {
      const { rows } = await db.driver.query<{ n: string }>('select count(*)::text as n from events')
      return Number(rows[0]!.n)
    },
    close: () => db.close(),
  }
}

function emmettMetadata(command: DealCommand) {
  const { actor, commandId, now: at } = command.metadata
  return { actor: actor.userId, tenant: actor.organisationId, occurredAt: at, correlationId: commandId, causationId: commandId, schemaVersion: 1, commandId }
}

async function emmettSide(url: string): Promise<Side & { store: PostgresEventStore; consumerRead(p?: { batchSize: number }): Promise<number> }> {
  // a clean database for Emmett: its tables live in public
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query('drop schema if exists public cascade; create schema public')
  await admin.end()
  const store = getPostgreSQLEventStore(url)
  await store.schema.migrate()

  const consumerRead = async (options?: { batchSize: number }) => {
    let count = 0
    const consumer = postgreSQLEventStoreConsumer({
      connectionString: url,
      stopWhen: { noMessagesLeft: true },
      ...(options ? { pulling: { batchSize: options.batchSize } } : {}),
    })
    consumer.reactor({
      processorId: `bench-full-read-${randomUUID()}`,
      startFrom: 'BEGINNING',
      eachMessage: async () => {
        count++
      },
    })
    await consumer.start()
    await consumer.close()
    return count
  }
  return {
    name: 'emmett',
    store,
    async command(streamId, command) {
      // the same loop by hand (read, evolve, decide, append with expectedStreamVersion), lighter than Emmett's CommandHandler
      const { events, currentStreamVersion, streamExists } = await store.readStream(streamId)
      let state = DealDecider.initialState()
      for (const event of events) state = DealDecider.evolve(state, event as never)
      const decided = DealDecider.decide(command, state)
      const list = Array.isArray(decided) ? decided : [decided]
      const metadata = emmettMetadata(command)
      await store.appendToStream(
        streamId,
        list.map((event) => ({ type: event.type, data: event.data, metadata })),
        { expectedStreamVersion: streamExists ? currentStreamVersion : STREAM_DOES_NOT_EXIST },
      )
    },
    async appendBatch(streamId, events) {
      await store.appendToStream(
        streamId,
        events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata })),
        { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
      )
    },
    fullRead: () => consumerRead(),
    consumerRead,
    async count() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        const { rows } = await client.query('select count(*)::int as n from emt_messages')
        return rows[0].n as number
      } finally {
        await client.end()
      }
    },
    close: () => store.close(),
  }
}

const RUNS = 3

export const peerWorkload: Workload = {
  name: 'peer',
  description: 'Partnerlog vs Emmett 0.42 on the same server: sequential and 16-worker read-decide-append commands, 100-event batches, full read',
  async run(ctx: BenchContext): Promise<WorkloadResult> {
    if (!ctx.pgUrl || !ctx.emmettUrl) return { summary: {}, skipped: [`peer: ${ctx.pgSkipReason ?? 'no database for Emmett'}`] }
    const deals = ctx.quick ? 100 : 500
    const concurrentDeals = ctx.quick ? 200 : 1000
    const batches = ctx.quick ? 30 : 300
    const partnerlog = partnerlogSide(await openPostgres(ctx.pgUrl, 'bench_peer'))
    const emmett = await emmettSide(ctx.emmettUrl)
    const sides: Side[] = [partnerlog, emmett]
    const summary: Record<string, unknown> = {}
    const targets: Target[] = []
    try {
      const compare = async (
        name: string,
        unit: string,
        runOnce: (side: Side) => Promise<{ count: number; ms: number }>,
        runs = RUNS,
      ): Promise<void> => {
        const rates: Record<string, number[]> = { partnerlog: [], emmett: [] }
        let slowest = 0
        for (let run = 0; run < runs; run++) {
          // alternate which side goes first so that neither always meets a warmer or busier server
          for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
            const { count, ms } = await runOnce(side)
            rates[side.name]!.push(rate(count, ms))
            slowest = Math.max(slowest, ms)
          }
          // keep the whole bench near 15 minutes on a slow or busy machine
          if (slowest > 20_000) break
        }
        const p = median(rates.partnerlog!)
        const e = median(rates.emmett!)
        const t = target(`${name} (${unit})`, p, e)
        targets.push(t)
        summary[name] = { unit, partnerlog: p, emmett: e, ratio: t.ratio }
        emit({ workload: 'peer', name, unit, partnerlogRuns: rates.partnerlog, emmettRuns: rates.emmett, partnerlog: p, emmett: e, ratio: t.ratio, wanted: t.wanted, met: t.met })
      }

      note(`peer: sequential commands (${deals * 2} per run: register + approve ${deals} deals)`)
      await compare('sequential commands', 'commands/s', async (side) => {
        const ids = Array.from({ length: deals }, () => randomUUID())
        const start = now()
        for (const dealId of ids) for (const command of commandsOf(dealId)) await side.command(`deal-${dealId}`, command)
        return { count: deals * 2, ms: now() - start }
      })

      note(`peer: 16 concurrent workers on distinct streams (${concurrentDeals * 2} commands per run)`)
      await compare('16 workers commands', 'commands/s', async (side) => {
        const ids = Array.from({ length: concurrentDeals }, () => randomUUID())
        const ms = await inParallel(16, ids.length, async (i) => {
          const dealId = ids[i]!
          for (const command of commandsOf(dealId)) await side.command(`deal-${dealId}`, command)
        })
        return { count: concurrentDeals * 2, ms }
      })

      note(`peer: 100-event batch appends (${batches * 100} events per run)`)
      await compare('100-event batches', 'events/s', async (side) => {
        const streams = Array.from({ length: batches }, (_, i) => batchStream(i, 100))
        const start = now()
        for (const events of streams) await side.appendBatch(events[0]!.streamId, events)
        return { count: batches * 100, ms: now() - start }
      })

      const sizes = { partnerlog: await partnerlog.count(), emmett: await emmett.count() }
      note(`peer: full read of the log (${sizes.partnerlog} events each; Emmett through its consumer + reactor, default pulling)`)
      await compare(
        'full read of the log',
        'events/s',
        async (side) => {
          const start = now()
          const count = await side.fullRead()
          const ms = now() - start
          if (side.name === 'partnerlog' && count !== sizes.partnerlog) throw new Error(`partnerlog full read saw ${count} events, expected ${sizes.partnerlog}`)
          // Emmett's consumer may see its own internal messages too; fewer is a finding about the peer, not a failure
          if (side.name === 'emmett' && count < sizes.emmett) {
            summary['emmett consumer missed events'] = sizes.emmett - count
            note(`peer: Emmett's consumer delivered ${count} of the ${sizes.emmett} events in emt_messages (${sizes.emmett - count} missed)`)
            emit({ workload: 'peer', name: 'emmett consumer missed events (no target)', unit: 'events', emmett: sizes.emmett - count, events: sizes.emmett })
          }
          return { count, ms }
        },
        1,
      )
      // extra, no target: Emmett's consumer with a larger pull than its default
      const t0 = now()
      const tunedCount = await emmett.consumerRead({ batchSize: 1000 })
      const tuned = rate(tunedCount, now() - t0)
      summary['emmett consumer, batchSize 1000'] = tuned
      emit({ workload: 'peer', name: 'emmett consumer full read, pulling.batchSize 1000 (no target)', unit: 'events/s', emmett: tuned, events: tunedCount })
    } finally {
      for (const side of sides) await side.close().catch((error: unknown) => note(`closing ${side.name}: ${String(error)}`))
    }
    return { summary, targets }
  },
}
