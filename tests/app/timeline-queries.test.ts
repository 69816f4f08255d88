// The timeline's queries (decision 033) answer exactly what the query shapes before them answered (decision 025's):
// every filter, paging and the search's type counts on both clocks, over a generated history whose clocks disagree with
// the log order (backdated events, recorded_at out of order), with the planner free and with the new indexes forced.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPortalCodec } from '../../app/codec.server.ts'
import { migrateAll } from '../../app/services.server.ts'
import { appendHistory, historyEvents } from '../../cli/generate-history.ts'
import { createTimelineQueries, type TimelineFilter } from '../../app/queries/timeline.server.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createSqlKeyStore } from '../../eventstore/postgres/key-store.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl, type IsolatedSchema } from '../support/pglite.ts'

/** the list as decision 025 wrote it: log order, each filter a condition on the rows */
async function listBefore(sql: SqlDriver, filter: TimelineFilter): Promise<string[]> {
  const params: unknown[] = []
  const where: string[] = []
  const add = (condition: (p: string) => string, value: unknown) => {
    params.push(value)
    where.push(condition(`$${params.length}`))
  }
  if (filter.type) add((p) => `e.type = ${p}`, filter.type)
  if (filter.actor) add((p) => `(e.metadata->>'actor') = ${p}`, filter.actor)
  if (filter.partnerId) add((p) => `(e.data->>'partnerId') = ${p}`, filter.partnerId)
  if (filter.from) add((p) => `(e.metadata->>'occurredAt') >= ${p}`, filter.from)
  if (filter.to) add((p) => `(e.metadata->>'occurredAt') <= ${p}`, filter.to)
  if (filter.recordedTo) add((p) => `e.recorded_at < ${p}::timestamptz + interval '1 millisecond'`, filter.recordedTo)
  if (filter.before) add((p) => `e.global_position < ${p}::bigint`, filter.before)
  const { rows } = await sql.query<{ id: string }>(
    `select e.event_id::text as id from events e ${where.length ? `where ${where.join(' and ')}` : ''} order by e.global_position desc limit ${filter.limit ?? 100}`,
    params,
  )
  return rows.map((row) => row.id)
}

/** the search's type counts as decision 025 wrote them */
async function typeCountsBefore(sql: SqlDriver, like: string, until: { clock: 'occurredAt' | 'recordedAt'; at: string } | null, limit: number) {
  const clock = until?.clock === 'occurredAt' ? `(e.metadata->>'occurredAt') <= $2` : `e.recorded_at < $2::timestamptz + interval '1 millisecond'`
  const { rows } = await sql.query<{ type: string; n: number | string; total: number | string }>(
    `select e.type, count(*) as n, count(*) over () as total from events e
      where e.type ilike $1${until ? ` and ${clock}` : ''} group by 1 order by 2 desc, 1 limit ${limit}`,
    until ? [like, until.at] : [like],
  )
  return rows.map((row) => ({ type: row.type, n: Number(row.n), total: Number(row.total) }))
}

type Target = { sql: SqlDriver; close(): Promise<void> }

/** a log of 1,500 generated events whose clocks disagree with its order, on the target */
async function historyOn(sql: SqlDriver): Promise<void> {
  await migrateAll(sql, { events: true })
  const store = createPostgresEventStore({ driver: sql, codec: createPortalCodec(createSqlKeyStore(sql)) })
  await appendHistory(store, historyEvents({ partners: 4, events: 1_500, seed: 5 }))
  // every 7th event backdated by up to ~2 years, every 11th recorded on an earlier or later day than its neighbours
  await sql.query(`update events set metadata = json_build_object('actor', metadata->>'actor', 'tenant', metadata->>'tenant',
      'occurredAt', to_char(((metadata->>'occurredAt')::timestamptz - (global_position % 700) * interval '1 day') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'causationId', metadata->>'causationId', 'correlationId', metadata->>'correlationId', 'schemaVersion', (metadata->>'schemaVersion')::int)
    where global_position % 7 = 3`)
  await sql.query(`update events set recorded_at = timestamptz '2026-01-01' + (global_position / 50) * interval '1 day' + (global_position % 5) * interval '1 hour'`)
  await sql.query(`update events set recorded_at = recorded_at + ((global_position % 3) - 1) * interval '20 days' where global_position % 11 = 0`)
  await sql.query('analyze events')
}

function timelineSuite(name: string, open: () => Promise<Target>) {
  describe(`${name}: the timeline's queries answer as before`, () => {
    let target: Target
    let filters: TimelineFilter[] = []
    let dates: string[] = []
    beforeAll(async () => {
      target = await open()
      await historyOn(target.sql)
      const { rows } = await target.sql.query<{ occurred: string; recorded: string; position: string; partner: string | null; actor: string; type: string }>(
        `select metadata->>'occurredAt' as occurred, recorded_at::text as recorded, global_position::text as position, data->>'partnerId' as partner,
                metadata->>'actor' as actor, type from events where global_position % 61 = 0 order by global_position`,
      )
      dates = rows.map((row) => row.occurred)
      const recorded = rows.map((row) => new Date(row.recorded).toISOString())
      filters = [{}]
      for (const [i, row] of rows.entries()) {
        const day = row.occurred.slice(0, 10)
        filters.push(
          { to: `${day}T23:59:59.999Z` }, { from: `${day}T00:00:00.000Z` }, { from: `${day}T00:00:00.000Z`, to: `${day}T23:59:59.999Z` },
          { recordedTo: recorded[i]! }, { recordedTo: recorded[i]!, to: dates[(i * 5) % dates.length]! },
          { to: `${day}T23:59:59.999Z`, before: row.position }, { recordedTo: recorded[i]!, before: row.position }, { before: row.position },
          { type: row.type, to: `${day}T23:59:59.999Z` }, { actor: row.actor, recordedTo: recorded[i]! },
          ...(row.partner ? [{ partnerId: row.partner, to: `${day}T23:59:59.999Z` }, { partnerId: row.partner, recordedTo: recorded[i]!, limit: 12 }] : []),
        )
      }
      filters = filters.flatMap((filter) => [filter, { ...filter, limit: 7 }])
    }, 120_000)
    afterAll(() => target?.close())

    test('the date questions use migration 011\'s indexes when the planner is told to avoid scanning the rows', async () => {
      const { sql } = target
      const sent: { text: string; params: readonly unknown[] }[] = []
      const timeline = createTimelineQueries({
        query: (text, params, options) => {
          sent.push({ text, params: params ?? [] })
          return sql.query(text, params, options)
        },
      } as SqlDriver)
      const plan = async (ask: () => Promise<unknown>) => {
        await ask()
        const { text, params } = sent.filter((query) => /from events e/.test(query.text)).at(-1)!
        const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`explain ${text}`, params)
        return rows.map((row) => row['QUERY PLAN']).join('\n')
      }
      await sql.exec('set enable_seqscan = off; set enable_bitmapscan = off')
      try {
        expect(await plan(() => timeline.list({ to: `${dates[3]!.slice(0, 10)}T23:59:59.999Z`, limit: 51 }))).toMatch(/Index Scan using events_newest_clocks[^\n]*\n\s+Index Cond: \(\(metadata ->> 'occurredAt'/)
        expect(await plan(() => timeline.list({ recordedTo: '2026-01-10T00:00:00.000Z', before: '900', limit: 51 }))).toMatch(/Index Scan using events_newest_clocks/)
        expect(await plan(() => timeline.typeCounts('%deal%', { clock: 'recordedAt', at: '2026-01-10T00:00:00.000Z' }, 10))).toMatch(/Index Only Scan using events_type_position_recorded[^\n]*\n\s+Index Cond: \(type = \w+\.type\)/)
      } finally {
        await sql.exec('reset enable_seqscan; reset enable_bitmapscan')
      }
    })

    for (const planner of ['free', 'indexes forced'] as const) {
      test(`every filter, with paging, lists the same events in the same order (planner ${planner})`, async () => {
        const { sql } = target
        const timeline = createTimelineQueries(sql)
        if (planner === 'indexes forced') await sql.exec('set enable_seqscan = off; set enable_bitmapscan = off')
        try {
          let nonEmpty = 0
          for (const filter of filters) {
            const now = (await timeline.list(filter)).map((entry) => entry.eventId)
            expect(now, JSON.stringify(filter)).toEqual(await listBefore(sql, filter))
            if (now.length > 0) nonEmpty++
          }
          expect(nonEmpty).toBeGreaterThan(filters.length / 2)
        } finally {
          await sql.exec('reset enable_seqscan; reset enable_bitmapscan')
        }
      }, 120_000)

      test(`the search's type counts are the same on both clocks and without a date (planner ${planner})`, async () => {
        const { sql } = target
        const timeline = createTimelineQueries(sql)
        if (planner === 'indexes forced') await sql.exec('set enable_seqscan = off; set enable_bitmapscan = off')
        try {
          const untils = [null, ...dates.flatMap((at) => [{ clock: 'occurredAt' as const, at }, { clock: 'recordedAt' as const, at }])]
          for (const like of ['%%', '%deal%', '%Fund%', '%nothing-like-this%', '%D%']) {
            for (const until of untils) {
              for (const limit of [3, 100]) {
                const now = (await timeline.typeCounts(like, until, limit)).map((row) => ({ type: row.type, n: Number(row.n), total: Number(row.total) }))
                expect(now, JSON.stringify({ like, until, limit })).toEqual(await typeCountsBefore(sql, like, until, limit))
              }
            }
          }
        } finally {
          await sql.exec('reset enable_seqscan; reset enable_bitmapscan')
        }
      }, 120_000)
    }
  })
}

timelineSuite('PGlite', async () => {
  const sql = await freshPGliteDriver()
  return { sql, close: () => sql.close() }
})

const baseUrl = testDatabaseUrl()
describe.runIf(baseUrl)('PostgreSQL', () => {
  timelineSuite('PostgreSQL', async () => {
    const schema: IsolatedSchema = await isolatedPostgresSchema(baseUrl!, 'timeline')
    // one connection, so that the planner settings reach every query
    const sql = await createPgDriver(schema.url, { max: 1 })
    return {
      sql,
      async close() {
        await sql.close()
        await schema.drop()
      },
    }
  })
})
