// The one migration runner with the portal's migrations, on any SQL driver: a fresh database gets every table, one made
// before the runner is adopted without changes, an up-to-date start runs no DDL, an edited migration is refused.
import { describe, expect, test } from 'vitest'
import { portalMigrations } from '../../app/migrations.server.ts'
import { AUTH_MIGRATION } from '../../app/auth.server.ts'
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { MigrationChanged, runMigrations, type Migration } from '../../eventstore/postgres/migrations.ts'
import { EVENT_STORE_MIGRATIONS, MIGRATION } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { allProjections } from '../../projections/all.ts'
import { readModelIndexesMigration, REMOVED_PROJECTIONS_MIGRATION } from '../../projections/store.ts'
import { timelineProjection } from '../../projections/timeline.ts'
import { counted, testCodec } from '../eventstore/contract.ts'
import { migrateBeforeTheRunner } from '../support/before-the-runner.ts'

/** An empty schema of its own (the driver's search_path) on the target. */
export type MigrationDatabase = { driver: SqlDriver; schema: string; close(): Promise<void> }

export const everything = () => portalMigrations({ events: true, projections: allProjections })

const EVERY_TABLE = [
  'app_secrets', 'application_attempts', 'auth_sessions', 'chain_state', 'credentials', 'events', 'login_failures',
  'pending_credentials', 'projection_checkpoints', 'projection_failures', 'projection_leases', 'read_model_logs',
  'read_models', 'schema_migrations', 'seals', 'sign_in_limits', 'streams', 'subject_keys',
]

/** The driver, and every statement sent through it (in transactions too). */
export function statementLog(driver: SqlDriver): { driver: SqlDriver; statements: string[] } {
  const statements: string[] = []
  const logged = (executor: SqlExecutor): SqlExecutor => ({
    query: (sql, params, options) => {
      statements.push(sql)
      return executor.query(sql, params, options)
    },
  })
  return {
    statements,
    driver: {
      kind: driver.kind,
      query: logged(driver).query,
      transaction: (fn) => driver.transaction((tx) => fn(logged(tx))),
      exec: async (sql) => {
        statements.push(sql)
        await driver.exec(sql)
      },
      listen: (channel, onNotify) => driver.listen(channel, onNotify),
      close: () => driver.close(),
    },
  }
}

/** Every table's columns, indexes, constraints and functions of the driver's schema, without its name. */
export async function catalog(db: SqlExecutor, schema: string, leaveOut: readonly string[] = ['schema_migrations', 'event_store_schema']) {
  const { rows } = await db.query<{ kind: string; name: string; def: string; of: string }>(
    `select 'column' as kind, table_name || '.' || column_name as name,
            concat_ws(' ', data_type, collation_name, is_nullable, column_default) as def, table_name as of
       from information_schema.columns where table_schema = current_schema()
     union all
     select 'index', indexname, indexdef, tablename from pg_indexes where schemaname = current_schema()
     union all
     select 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid), conrelid::regclass::text
       from pg_constraint where connamespace = current_schema()::regnamespace
     union all
     select 'function', p.oid::regprocedure::text, md5(p.prosrc) || ' ' || coalesce(array_to_string(p.proconfig, ','), ''), ''
       from pg_proc p where p.pronamespace = current_schema()::regnamespace
     order by 1, 2`,
  )
  return rows
    .filter((row) => !leaveOut.includes(row.of))
    .map((row) => `${row.kind} ${row.name}: ${row.def}`.replaceAll(schema, '<schema>'))
}

async function tables(db: SqlExecutor): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = current_schema() order by 1`)
  return rows.map((row) => row.name)
}

/** a catalog line of events.data/metadata as before migration 008 (jsonb) */
const asJsonb = (line: string) => line.replace(/^(column events\.(data|metadata)): json /, '$1: jsonb ')
/** the catalog without the indexes of migrations 009 and 011 on events (the timeline's filters, decisions 025 and 033) */
const before009 = (lines: string[]) =>
  lines.filter((line) => !/^index events_(type_position|partner_position|actor_position|occurred_at|newest_clocks|type_position_recorded): /.test(line))

/** two events in stream old-1 as a store before migration 008 wrote them (the append function refuses jsonb columns) */
async function oldEvents(driver: SqlDriver) {
  await driver.query(`insert into streams (stream_id, revision) values ('old-1', 1)`)
  for (const [revision, event] of [counted(1), counted(2)].entries()) {
    await driver.query('insert into events (event_id, stream_id, stream_revision, type, data, metadata) values ($1, $2, $3, $4, $5::jsonb, $6::jsonb)', [
      event.id, 'old-1', revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata),
    ])
  }
}

const READ_MODEL_TABLES = ['read_models', 'read_model_logs', 'projection_checkpoints', 'projection_failures', 'projection_leases'] as const

/** a row in every read-model table for each projection, as a runner leaves them (two versions' checkpoints, a log row) */
async function projectionRows(driver: SqlDriver, projections: readonly string[]) {
  for (const projection of projections) {
    await driver.query(`insert into read_models (projection, version, key, state, position_commit, position_prepare) values ($1, 1, 'p1', '{"partnerId":"p1","stage":"enhanced"}', 5, 5)`, [projection])
    await driver.query(`insert into read_model_logs (projection, version, key, field, position_commit, position_prepare, idx, entry) values ($1, 1, 'p1', 'history', 5, 5, 0, '{}')`, [projection])
    await driver.query(`insert into projection_checkpoints (projection, version, position_commit, position_prepare, status) values ($1, 1, 5, 5, 'active'), ($1, 0, 3, 3, 'retired')`, [projection])
    await driver.query(`insert into projection_failures (projection, version, position_commit, position_prepare, event_id, event_type, stream_id, error) values ($1, 1, 6, 6, 'e6', 'DealWon', 'deal-1', 'boom')`, [projection])
    await driver.query(`insert into projection_leases (projection, holder, epoch, expires_at) values ($1, 'process-1', 1, now())`, [projection])
  }
}

/** the projections each read-model table holds rows of, with how many */
async function rowsPerProjection(driver: SqlDriver) {
  const tally: Record<string, string[]> = {}
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await driver.query<{ projection: string; n: number }>(`select projection, count(*)::int as n from ${table} group by 1 order by 1`)
    tally[table] = rows.map((row) => `${row.projection} ${row.n}`)
  }
  return tally
}

const hasIndex = async (driver: SqlDriver, name: string) =>
  (await driver.query(`select 1 from pg_indexes where schemaname = current_schema() and indexname = $1`, [name])).rows.length === 1

const edited = (migration: Migration, statement: string): Migration => ({ ...migration, statements: [...migration.statements, statement] })

export function migrationSuite(name: string, open: () => Promise<MigrationDatabase>) {
  const withDatabase = async (fn: (db: MigrationDatabase) => Promise<void>) => {
    const db = await open()
    try {
      await fn(db)
    } finally {
      await db.close()
    }
  }

  describe(`${name}: the portal's migrations`, () => {
    test('a fresh database gets every table, each migration once, the same schema the code before the runner made', async () => {
      await withDatabase(async ({ driver, schema }) => {
        expect(await runMigrations(driver, everything())).toEqual([
          { migration: '001-event-store-functions', outcome: 'applied' },
          { migration: '002-event-store', outcome: 'applied' },
          { migration: '003-keys', outcome: 'applied' },
          { migration: '004-auth', outcome: 'applied' },
          { migration: '005-people', outcome: 'applied' },
          { migration: '006-read-models', outcome: 'applied' },
          { migration: '007-read-model-indexes', outcome: 'applied' },
          { migration: '008-event-json-columns', outcome: 'applied' },
          { migration: '009-timeline-from-events', outcome: 'applied' },
          { migration: '010-removed-projections', outcome: 'applied' },
          { migration: '011-timeline-clocks', outcome: 'applied' },
        ])
        expect(await tables(driver)).toEqual(EVERY_TABLE)
        const { rows } = await driver.query<{ number: number; name: string }>('select number, name from schema_migrations order by number')
        expect(rows.map((row) => `${row.number} ${row.name}`)).toEqual([
          '1 event-store-functions', '2 event-store', '3 keys', '4 auth', '5 people', '6 read-models', '7 read-model-indexes', '8 event-json-columns',
          '9 timeline-from-events', '10 removed-projections', '11 timeline-clocks',
        ])
        const made = await catalog(driver, schema)
        expect(made).toEqual(expect.arrayContaining([
          expect.stringMatching(/^column events\.stream_id: text C NO/),
          expect.stringMatching(/^index events_transaction_position: /),
          expect.stringMatching(/^index deals_status: /),
          expect.stringMatching(/^constraint subject_keys\.subject_keys_erased_has_no_key: /),
          expect.stringMatching(/^function partnerlog_append\(text,text,uuid\[\],text\[\],json,json,text\): [0-9a-f]{32} search_path=<schema>/),
          'column events.data: json NO', 'column events.metadata: json NO',
          expect.stringMatching(/^index events_partner_position: /),
          expect.stringMatching(/^index events_newest_clocks: .* btree \(\(\(- global_position\)\), \(\(metadata ->> 'occurredAt'::text\)\), recorded_at\)$/),
          expect.stringMatching(/^index events_type_position_recorded: .* \(type, global_position\) INCLUDE \(recorded_at\)$/),
        ]))
        expect(made.filter((line) => line.startsWith('index events_type_position:'))).toEqual([])
        await withDatabase(async (before) => {
          await migrateBeforeTheRunner(before.driver, allProjections)
          // the same but for migration 008's two column types and 009's indexes
          expect(before009(made).map(asJsonb)).toEqual(await catalog(before.driver, before.schema))
        })
        expect(await runMigrations(driver, everything())).toEqual([])
      })
    })

    test('a database made before the runner is adopted without changes: its tables, functions and rows stay as they were', async () => {
      await withDatabase(async ({ driver, schema }) => {
        await migrateBeforeTheRunner(driver, allProjections)
        const store = createPostgresEventStore({ driver, codec: testCodec })
        await oldEvents(driver)
        await driver.query(`insert into credentials (user_id, email, password_hash) values ('u1', 'a@example.com', 'h')`)
        const before = await catalog(driver, schema)
        const log = statementLog(driver)
        // the event store ran this very MIGRATION (its digest): adopted without a statement
        expect(await runMigrations(log.driver, everything())).toEqual([
          { migration: '001-event-store-functions', outcome: 'adopted' },
          { migration: '002-event-store', outcome: 'adopted' },
          { migration: '003-keys', outcome: 'applied' },
          { migration: '004-auth', outcome: 'applied' },
          { migration: '005-people', outcome: 'applied' },
          { migration: '006-read-models', outcome: 'applied' },
          { migration: '007-read-model-indexes', outcome: 'applied' },
          { migration: '008-event-json-columns', outcome: 'applied' },
          { migration: '009-timeline-from-events', outcome: 'applied' },
          { migration: '010-removed-projections', outcome: 'applied' },
          { migration: '011-timeline-clocks', outcome: 'applied' },
        ])
        expect(log.statements.filter((sql) => MIGRATION.includes(sql))).toEqual([])
        expect(before009(await catalog(driver, schema)).map(asJsonb)).toEqual(before)
        expect((await driver.query<{ n: number }>('select count(*)::int as n from events')).rows[0]!.n).toBe(2)
        expect((await driver.query<{ email: string }>('select email from credentials')).rows).toEqual([{ email: 'a@example.com' }])
        await store.appendToStream('old-1', [counted(3)], { expectedRevision: 1n })
        expect(await runMigrations(driver, everything())).toEqual([])
        await store.close()
      })
    })

    test('a database whose event store ran an older MIGRATION, and never created the people tables, is brought up to date', async () => {
      await withDatabase(async ({ driver, schema }) => {
        await migrateBeforeTheRunner(driver, allProjections, { people: false })
        await driver.query(`update event_store_schema set migration = 'an older digest'`)
        const before = await catalog(driver, schema)
        const outcomes = await runMigrations(driver, everything())
        expect(outcomes.slice(0, 2)).toEqual([
          { migration: '001-event-store-functions', outcome: 'applied' },
          { migration: '002-event-store', outcome: 'applied' },
        ])
        expect(await tables(driver)).toEqual(EVERY_TABLE.concat('event_store_schema').sort())
        // nothing changed but the people tables (and migration 008's column types)
        expect(before009(await catalog(driver, schema)).filter((line) => !/pending_credentials|application_attempts/.test(line)).map(asJsonb)).toEqual(before)
      })
    })

    test('migration 010 deletes what the removed projections left (and the timeline\'s, the log being here), keeps the live ones\' rows, and can run again', async () => {
      await withDatabase(async ({ driver }) => {
        await runMigrations(driver, everything().filter((migration) => migration.number < REMOVED_PROJECTIONS_MIGRATION.number))
        // a database the portal ran before decisions 025 and 026: their rows beside two live projections'
        await projectionRows(driver, ['journey', 'scorecard', 'pyramid', 'lifetime_value', 'timeline', 'trust'])
        await driver.exec(`create index if not exists pyramid_stage on read_models ((state->>'stage')) where projection = 'pyramid'`)
        const live = Object.fromEntries(READ_MODEL_TABLES.map((table) => [table, ['journey 1', 'trust 1']]))
        live.projection_checkpoints = ['journey 2', 'trust 2']
        expect((await runMigrations(driver, everything())).map((outcome) => outcome.migration)).toEqual(['010-removed-projections', '011-timeline-clocks'])
        expect(await rowsPerProjection(driver)).toEqual(live)
        expect(await hasIndex(driver, 'pyramid_stage')).toBe(false)
        expect(await hasIndex(driver, 'journey_phase')).toBe(true)
        // its statements again (as a start that died before recording it would run them): nothing more goes
        for (const statement of REMOVED_PROJECTIONS_MIGRATION.statements) await driver.query(statement)
        expect(await rowsPerProjection(driver)).toEqual(live)
        expect(await runMigrations(driver, everything())).toEqual([])
      })
    })

    test('migration 010 with the log in EventStoreDB (no events table): the timeline is still a projection there and keeps its rows', async () => {
      await withDatabase(async ({ driver }) => {
        const elsewhere = () => portalMigrations({ events: false, projections: [...allProjections, timelineProjection] })
        await runMigrations(driver, elsewhere().filter((migration) => migration.number < REMOVED_PROJECTIONS_MIGRATION.number))
        await projectionRows(driver, ['pyramid', 'timeline', 'users'])
        expect((await runMigrations(driver, elsewhere())).map((outcome) => outcome.migration)).toEqual(['010-removed-projections', '011-timeline-clocks'])
        const kept = Object.fromEntries(READ_MODEL_TABLES.map((table) => [table, ['timeline 1', 'users 1']]))
        kept.projection_checkpoints = ['timeline 2', 'users 2']
        expect(await rowsPerProjection(driver)).toEqual(kept)
      })
    })

    test('an up-to-date start runs no DDL: only the lock and reads', async () => {
      await withDatabase(async ({ driver }) => {
        await runMigrations(driver, everything())
        const log = statementLog(driver)
        expect(await runMigrations(log.driver, everything())).toEqual([])
        expect(log.statements.length).toBeGreaterThan(0)
        expect(log.statements.filter((sql) => !/^\s*select\b/i.test(sql))).toEqual([])
      })
    })

    test('an applied migration that was edited refuses the start, naming it, and runs nothing', async () => {
      await withDatabase(async ({ driver }) => {
        await runMigrations(driver, everything())
        const list = everything().map((migration) =>
          migration.number === AUTH_MIGRATION.number ? edited(migration, 'create table if not exists sneaked_in (id int)') : migration,
        )
        // a pending migration listed after it does not run either
        list.push({ number: 99, name: 'later', statements: ['create table if not exists later_one (id int)'] })
        const error = await runMigrations(driver, list).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(MigrationChanged)
        expect((error as MigrationChanged).migration).toBe('004-auth')
        expect((error as Error).message).toMatch(/^Migration 004-auth was edited after this database ran it .*add the change as a new numbered migration/)
        expect(await tables(driver)).toEqual(EVERY_TABLE)
      })
    })

    test('a number this database ran under another name is refused', async () => {
      await withDatabase(async ({ driver }) => {
        await runMigrations(driver, everything())
        const error = await runMigrations(driver, [{ number: 5, name: 'something-else', statements: [] }]).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(MigrationChanged)
        expect((error as Error).message).toContain('this database ran migration 005-people under that number')
      })
    })

    test('a re-runnable migration whose statements changed runs again (the functions, the projections\' indexes) and is recorded so', async () => {
      await withDatabase(async ({ driver }) => {
        await runMigrations(driver, everything())
        const [functions, tablesMigration] = EVENT_STORE_MIGRATIONS
        const changedFunctions = edited(functions!, `create or replace function partnerlog_probe() returns int language plpgsql as $fn$ begin return 1; end $fn$`)
        const withIndex = readModelIndexesMigration([
          ...allProjections,
          { ...allProjections[0]!, indexes: [`create index if not exists probe_index on read_models ((state->>'probe')) where projection = 'probe'`] },
        ])
        expect(await runMigrations(driver, [changedFunctions, tablesMigration!, withIndex])).toEqual([
          { migration: '001-event-store-functions', outcome: 'rerun' },
          { migration: '007-read-model-indexes', outcome: 'rerun' },
        ])
        expect((await driver.query<{ one: number }>('select partnerlog_probe() as one')).rows).toEqual([{ one: 1 }])
        expect((await driver.query(`select 1 from pg_indexes where indexname = 'probe_index'`)).rows).toHaveLength(1)
        expect(await runMigrations(driver, [changedFunctions, tablesMigration!, withIndex])).toEqual([])
        // and back: the portal's own list runs them again
        expect((await runMigrations(driver, everything())).map((outcome) => outcome.migration)).toEqual(['001-event-store-functions', '007-read-model-indexes'])
      })
    })
  })
}
