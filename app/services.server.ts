// The composition root: opens the event store and read-model database chosen by the environment and wires everything.
import fs from 'node:fs'
import type { KeyStore } from '../eventstore/encryption.ts'
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import { createSqlKeyStore } from '../eventstore/postgres/key-store.ts'
import { runMigrations, type MigrationOutcome } from '../eventstore/postgres/migrations.ts'
import { createPgDriver } from '../eventstore/postgres/pg-driver.ts'
import { createPGliteDriver } from '../eventstore/postgres/pglite-driver.ts'
import { createPostgresEventStore } from '../eventstore/postgres/store.ts'
import type { EventStore } from '../eventstore/types.ts'
import { allProjections } from '../projections/all.ts'
import { timelineProjection } from '../projections/timeline.ts'
import { createProjectionRunner, type ProjectionRunner } from '../projections/runner.ts'
import { createSessions, sessionSecret, type Sessions } from './auth.server.ts'
import { createPortalCodec, type PortalCodec } from './codec.server.ts'
import { createCommands, type Commands } from './commands/index.server.ts'
import { deploymentKey, type DeploymentKey } from './deployment-key.server.ts'
import type { Env } from './env.server.ts'
import { createFileStore, type FileStore } from './files.server.ts'
import { portalMigrations } from './migrations.server.ts'
import { createQueries, type Queries } from './queries/index.server.ts'
import { createPageCache, type PageCache } from './page-cache.server.ts'
import { createViewCache, type ViewCache } from './view-cache.server.ts'

export type AppServices = {
  env: Env
  store: EventStore
  sql: SqlDriver
  /** the subjects' encryption keys, in the SQL database (with the events, or with the read models under EventStoreDB) */
  keys: KeyStore
  /** the store's codec; `forget(subject)` drops a key this process holds */
  codec: PortalCodec
  runner: ProjectionRunner
  sessions: Sessions
  queries: Queries
  commands: Commands
  files: FileStore
  /** the deployment's Ed25519 key: signs exports (and seals) */
  signingKey: DeploymentKey
  /** loader answers kept while the read models they come from do not change (view-cache.server.ts) */
  views: ViewCache
  /** rendered pages kept by their URL, loader answers and minute (page-cache.server.ts) */
  pages: PageCache
  clock: () => Date
  close(): Promise<void>
}

export type OpenOptions = {
  env: Env
  clock?: () => Date
  log?: (message: string) => void
}

/**
 * Creates or updates every table with the one migration runner, under one advisory lock so processes starting
 * together migrate one after the other; an up-to-date database runs no DDL.
 */
export async function migrateAll(sql: SqlDriver, options: { events: boolean }): Promise<MigrationOutcome[]> {
  return runMigrations(sql, portalMigrations({ events: options.events, projections: allProjections }))
}

export async function openServices({ env, clock = () => new Date(), log = console.log }: OpenOptions): Promise<AppServices> {
  fs.mkdirSync(env.DATA_DIR, { recursive: true })
  const sql = env.DATABASE_URL
    ? await createPgDriver(env.DATABASE_URL)
    : await createPGliteDriver({ dataDir: env.pgliteDir })
  try {
    await migrateAll(sql, { events: !env.EVENTSTORE_URL })
    const keys = createSqlKeyStore(sql)
    const codec = createPortalCodec(keys)
    const store: EventStore = env.EVENTSTORE_URL
      ? // loaded only when used: the gRPC client is heavy
        (await import('../eventstore/eventstoredb.ts')).createEventStoreDBStore({ connectionString: env.EVENTSTORE_URL, codec })
      : createPostgresEventStore({ driver: sql, codec })
    // the timeline reads the events table (decision 025); with EventStoreDB there is none here, so it is a projection
    const projections = env.EVENTSTORE_URL ? [...allProjections, timelineProjection] : allProjections
    const runner = createProjectionRunner({ store, driver: sql, projections })
    await runner.start()
    const secret = await sessionSecret(sql, env.SESSION_SECRET)
    const signingKey = await deploymentKey(sql, env.SIGNING_KEY)
    const files = createFileStore(env.filesDir)
    const queries = createQueries(sql)
    const services: AppServices = {
      env, store, sql, keys, codec, runner, files, queries, clock, signingKey,
      // VIEW_CACHE_MB is shared: half for loader answers, half for rendered pages
      views: createViewCache({ maxBytes: env.VIEW_CACHE_MB * 512 * 1024 }),
      pages: createPageCache({ maxBytes: env.VIEW_CACHE_MB * 512 * 1024 }),
      sessions: createSessions(sql, secret, env.COOKIE_SECURE),
      commands: undefined as unknown as Commands,
      async close() {
        await runner.stop()
        await store.close()
        await sql.close()
      },
    }
    services.commands = createCommands(services)
    log(`Partnerlog: events in ${env.EVENTSTORE_URL ? 'EventStoreDB' : env.DATABASE_URL ? 'PostgreSQL' : `PGlite (${env.pgliteDir})`}, read models in ${env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`)
    return services
  } catch (error) {
    await sql.close().catch(() => {})
    throw error
  }
}
