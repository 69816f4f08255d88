// Every table of the portal as one list of numbered migrations, run at start (docs/decisions/014). A change is a new
// migration with the next number, defined beside the table's code; an applied migration is never edited.
import { KEY_STORE_MIGRATION } from '../eventstore/postgres/key-store.ts'
import type { Migration } from '../eventstore/postgres/migrations.ts'
import { EVENT_STORE_MIGRATIONS } from '../eventstore/postgres/schema.ts'
import type { AnyProjection } from '../projections/projection.ts'
import { readModelMigrations } from '../projections/store.ts'
import { AUTH_MIGRATION } from './auth.server.ts'
import { PEOPLE_MIGRATION } from './commands/people.server.ts'

/** The portal's migrations in order of number; without `events` (EventStoreDB holds them) the event store's are left out. */
export function portalMigrations(options: { events: boolean; projections: readonly AnyProjection[] }): Migration[] {
  return [
    ...(options.events ? EVENT_STORE_MIGRATIONS : []),
    // the keys live in the SQL database in every configuration, whoever stores the events
    KEY_STORE_MIGRATION,
    AUTH_MIGRATION,
    PEOPLE_MIGRATION,
    ...readModelMigrations(options.projections),
  ].sort((a, b) => a.number - b.number) // an area's later migrations (the event store's 008) come after the others'
}
