// Databases for the benchmarks: PostgreSQL (created if missing) with a fresh schema per workload, PGlite in a temp dir.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createPortalCodec } from '../../app/codec.server.ts'
import { createMemoryKeyStore } from '../../eventstore/encryption.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createSqlKeyStore, migrateKeyStore } from '../../eventstore/postgres/key-store.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createPGliteDriver } from '../../eventstore/postgres/pglite-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventStore } from '../../eventstore/types.ts'

export const DEFAULT_BENCH_URL = 'postgres://partnerlog:partnerlog@localhost:5432/partnerlog_bench'

/** The portal's codec with its keys in memory, for encode/decode probes (await prepareAppend first); stores keep theirs in SQL. */
export const codec = createPortalCodec(createMemoryKeyStore())

/** The portal's codec with its keys in the store's own database (migrated here). */
async function storeCodec(driver: SqlDriver) {
  await migrateKeyStore(driver)
  return createPortalCodec(createSqlKeyStore(driver))
}

export function benchUrl(): string {
  const url = process.env.BENCH_DATABASE_URL
  return url && url.trim() !== '' ? url : DEFAULT_BENCH_URL
}

/** The same server, another database (Emmett gets its own: partnerlog_bench_emmett). */
export function siblingDatabaseUrl(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''))
}

/** Creates the database if missing. Returns a reason string when the server cannot be reached. */
export async function ensureDatabase(url: string): Promise<string | undefined> {
  const name = databaseName(url)
  const direct = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await direct.connect()
    await direct.end()
    return undefined
  } catch (error) {
    await direct.end().catch(() => {})
    // 3D000 = database does not exist: create it through the maintenance database
    if ((error as { code?: string }).code !== '3D000') return `PostgreSQL unreachable at ${redact(url)}: ${(error as Error).message}`
  }
  const admin = new pg.Client({ connectionString: siblingDatabaseUrl(url, 'postgres'), connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
    await admin.query(`create database ${pg.escapeIdentifier(name)}`)
    return undefined
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return undefined // created concurrently
    return `Could not create database ${name} at ${redact(url)}: ${(error as Error).message}`
  } finally {
    await admin.end().catch(() => {})
  }
}

export function redact(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

/** Drops and recreates `schema`; returns a connection string whose sessions use only that schema. */
export async function freshSchema(url: string, schema: string, settings: Record<string, string> = {}): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`)
    await client.query(`create schema ${pg.escapeIdentifier(schema)}`)
  } finally {
    await client.end()
  }
  return schemaUrl(url, schema, settings)
}

/** A connection string whose sessions use only `schema` (which is not created or dropped here). */
export function schemaUrl(url: string, schema: string, settings: Record<string, string> = {}): string {
  const u = new URL(url)
  u.searchParams.set('options', withSettings(`-c search_path=${schema}`, settings))
  return u.toString()
}

/** `-c name=value` session settings appended to a libpq options string */
export function withSettings(options: string, settings: Record<string, string>): string {
  return [options, ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`)].filter(Boolean).join(' ')
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`)
  } finally {
    await client.end()
  }
}

export type Opened = { kind: 'postgres' | 'pglite'; driver: SqlDriver; store: EventStore; close(): Promise<void> }

/** A Partnerlog store on a fresh schema of the bench database (notify channel = schema name). */
export async function openPostgres(url: string, schema: string, options: { max?: number; settings?: Record<string, string> } = {}): Promise<Opened> {
  return openPostgresAt(await freshSchema(url, schema, options.settings), schema, options)
}

/**
 * A Partnerlog store on a connection string as it is (e.g. `schemaUrl(url, schema)` of a kept history), migrated;
 * `channel` is the notify channel.
 */
export async function openPostgresAt(connectionString: string, channel: string, options: { max?: number } = {}): Promise<Opened> {
  const driver = await createPgDriver(connectionString, { max: options.max ?? 20 })
  await migrate(driver)
  const store = createPostgresEventStore({ driver, codec: await storeCodec(driver), notifyChannel: channel })
  return {
    kind: 'postgres',
    driver,
    store,
    async close() {
      await store.close()
      await driver.close()
    },
  }
}

/** A Partnerlog store on PGlite in a temporary data directory (the embedded default, on disk), removed on close. */
export async function openPGlite(): Promise<Opened> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-bench-'))
  const driver = await createPGliteDriver({ dataDir })
  await migrate(driver)
  const store = createPostgresEventStore({ driver, codec: await storeCodec(driver) })
  return {
    kind: 'pglite',
    driver,
    store,
    async close() {
      await store.close()
      await driver.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
