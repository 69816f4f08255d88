// Test databases: a migrated PGlite template per worker handed out as clones, and isolated PostgreSQL schemas.
import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPGliteDriver } from '../../eventstore/postgres/pglite-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'

let template: Promise<PGlite> | undefined

/** one migrated in-memory PGlite per worker process (creating one takes seconds; cloning it about half a second) */
function migratedTemplate(): Promise<PGlite> {
  template ??= (async () => {
    const db = await PGlite.create()
    await migrate(await createPGliteDriver({ instance: db }))
    return db
  })()
  return template
}

/** A fresh, migrated, in-memory PGlite driver (a clone of the worker's template). Close it when done. */
export async function freshPGliteDriver(): Promise<SqlDriver & { db: PGlite }> {
  const db = (await (await migratedTemplate()).clone()) as PGlite
  return createPGliteDriver({ instance: db })
}

/** the PostgreSQL server tests may use, or undefined when TEST_DATABASE_URL is not set */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL
  return url && url.trim() !== '' ? url : undefined
}

export type IsolatedSchema = {
  /** connection string whose sessions use only the new schema (search_path) */
  url: string
  schema: string
  drop(): Promise<void>
}

/**
 * Creates an empty schema on the TEST_DATABASE_URL server for one test file, so files can run in parallel.
 * Sessions opened with `url` have `search_path=<schema>`; drop() removes it with everything in it.
 */
export async function isolatedPostgresSchema(baseUrl: string, prefix = 'test'): Promise<IsolatedSchema> {
  const schema = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    await admin.query(`create schema ${pg.escapeIdentifier(schema)}`)
  } finally {
    await admin.end()
  }
  const url = new URL(baseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl })
      await client.connect()
      try {
        await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`)
      } finally {
        await client.end()
      }
    },
  }
}
