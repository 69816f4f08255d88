// Public surface of the event store: the port, its errors, the codec, the adapters and one factory.
import { createEventStoreDBStore } from './eventstoredb.ts'
import { createMemoryEventStore } from './memory.ts'
import type { SqlDriver } from './postgres/driver.ts'
import { migrate } from './postgres/schema.ts'
import { createPostgresEventStore } from './postgres/store.ts'
import type { EventCodec, EventStore } from './types.ts'

export * from './types.ts'
export * from './errors.ts'
export { createZodCodec, eventMetadataSchema, type Upcaster, type ZodCodecOptions } from './codec.ts'
export {
  createEncryptingCodec, createMemoryKeyStore, type EncryptingCodec, type EncryptingCodecOptions, type KeyStore, type PersonalFieldsRule,
} from './encryption.ts'
export { createSqlKeyStore, migrateKeyStore, KEY_STORE_MIGRATION } from './postgres/key-store.ts'
export { createMemoryEventStore, type MemoryEventStoreOptions } from './memory.ts'
export type { SqlDriver, SqlExecutor, Row } from './postgres/driver.ts'
export { createPGliteDriver, lockDataDir, type PGliteDriverOptions } from './postgres/pglite-driver.ts'
export { createPgDriver } from './postgres/pg-driver.ts'
export { migrate, MIGRATION, EVENT_STORE_MIGRATIONS, APPEND_FUNCTION } from './postgres/schema.ts'
export {
  runMigrations, migrationChecksum, migrationLabel, MigrationChanged, MIGRATIONS_LOCK, type Migration, type MigrationOutcome,
} from './postgres/migrations.ts'
export { createPostgresEventStore, DEFAULT_NOTIFY_CHANNEL, type PostgresEventStoreOptions } from './postgres/store.ts'
export { createEventStoreDBStore, type EventStoreDBStoreOptions } from './eventstoredb.ts'
export { matchesFilter } from './subscription.ts'

export type EventStoreConfig =
  | { kind: 'memory' }
  /** the driver stays the caller's to close; its schema is migrated (the runner's event store migrations) unless migrate is false */
  | { kind: 'postgres'; driver: SqlDriver; notifyChannel?: string; migrate?: boolean }
  | { kind: 'eventstoredb'; connectionString: string }

/** Opens the configured adapter with the given codec (the composition root decides which, e.g. from env). */
export async function openEventStore(config: EventStoreConfig, codec: EventCodec): Promise<EventStore> {
  switch (config.kind) {
    case 'memory':
      return createMemoryEventStore({ codec })
    case 'postgres':
      if (config.migrate !== false) await migrate(config.driver)
      return createPostgresEventStore({ driver: config.driver, codec, notifyChannel: config.notifyChannel })
    case 'eventstoredb':
      return createEventStoreDBStore({ connectionString: config.connectionString, codec })
    default: {
      const unknown: never = config
      throw new Error(`Unknown event store kind ${JSON.stringify(unknown)}`)
    }
  }
}
