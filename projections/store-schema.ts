// The read models' tables and indexes as migrations of the one migration runner (decision 014).
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import { runMigrations, type Migration } from '../eventstore/postgres/migrations.ts'
import type { AnyProjection } from './projection.ts'

/**
 * The read models' tables: migration 6 of the runner (eventstore/postgres/migrations.ts). position_commit is numeric
 * because a Postgres commit position is an xid8 (unsigned 64 bit); START is stored as (-1, -1). One version per
 * projection is 'active' (what readers see); a 'building' one is being rebuilt from 0 in the background; 'retired'
 * ones had their rows deleted when a newer version was swapped in.
 */
export const READ_MODELS_MIGRATION: Migration = {
  number: 6,
  name: 'read-models',
  statements: [
    `create table if not exists read_models (
  projection text not null,
  version integer not null,
  key text not null,
  state jsonb not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  updated_at timestamptz not null default now(),
  primary key (projection, version, key)
)`,
    `create table if not exists projection_checkpoints (
  projection text not null,
  version integer not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  status text not null check (status in ('active', 'building', 'retired')),
  updated_at timestamptz not null default now(),
  primary key (projection, version)
)`,
    `create unique index if not exists projection_checkpoints_one_active on projection_checkpoints (projection) where status = 'active'`,
    // most pages ask for one partner's documents: one index serves every projection whose documents carry partnerId
    `create index if not exists read_models_partner on read_models (projection, version, (state->>'partnerId'))`,
    // entries of a document's log fields (Projection.logs), append-only, in fold order: the event that appended the
    // entry, then its place among that event's entries
    `create table if not exists read_model_logs (
  projection text not null,
  version integer not null,
  key text not null,
  field text not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  idx integer not null,
  entry jsonb not null,
  primary key (projection, version, key, field, position_commit, position_prepare, idx)
)`,
    // who runs each projection: a lease renewed by its holder. Taking an expired one raises the epoch, and every write
    // checks the epoch in its own transaction, so a holder that froze and woke late writes nothing (decision 010)
    `create table if not exists projection_leases (
  projection text primary key,
  holder text not null,
  epoch bigint not null,
  expires_at timestamptz not null
)`,
    // the event a projection version stopped on (decision 010), kept until its checkpoint passes that event
    `create table if not exists projection_failures (
  projection text not null,
  version integer not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  event_id text not null,
  event_type text not null,
  stream_id text not null,
  error text not null,
  failed_at timestamptz not null default now(),
  primary key (projection, version)
)`,
  ],
}

/**
 * The projections' own index DDL (Projection.indexes): migration 7, run again whenever the list changes (each
 * statement is `create index if not exists`).
 */
export function readModelIndexesMigration(projections: readonly AnyProjection[]): Migration {
  return { number: 7, name: 'read-model-indexes', rerunnable: true, statements: projections.flatMap((projection) => projection.indexes ?? []) }
}

/**
 * Migration 9 (decision 025): the auditor's timeline reads the events table, with an index per filter it offers, and
 * the timeline projection's documents go. Only where the log is in this database; with EventStoreDB nothing changes.
 */
export const TIMELINE_FROM_EVENTS_MIGRATION: Migration = {
  number: 9,
  name: 'timeline-from-events',
  statements: [
    `do $$
begin
  if to_regclass('events') is not null then
    create index if not exists events_type_position on events (type, global_position);
    create index if not exists events_partner_position on events ((data->>'partnerId'), global_position) where (data->>'partnerId') is not null;
    create index if not exists events_actor_position on events ((metadata->>'actor'), global_position);
    create index if not exists events_occurred_at on events ((metadata->>'occurredAt'));
    delete from read_models where projection = 'timeline';
    delete from projection_checkpoints where projection = 'timeline';
    delete from projection_failures where projection = 'timeline';
    delete from projection_leases where projection = 'timeline';
  end if;
end
$$`,
  ],
}

/**
 * Migration 10 (decision 033): what projections that no longer run left behind. The scorecard, pyramid and
 * lifetime_value projections are gone (decision 026): their rows, log rows, checkpoints, failure records, leases and the
 * pyramid's index. The timeline's again where the log is in this database (a process of an older version may have
 * written some after migration 9); with EventStoreDB the timeline is still a projection and keeps them.
 */
export const REMOVED_PROJECTIONS_MIGRATION: Migration = {
  number: 10,
  name: 'removed-projections',
  statements: [
    `do $$
declare
  gone text[] := array['scorecard', 'pyramid', 'lifetime_value'];
begin
  if to_regclass('events') is not null then gone := array_append(gone, 'timeline'); end if;
  delete from read_model_logs where projection = any(gone);
  delete from read_models where projection = any(gone);
  delete from projection_failures where projection = any(gone);
  delete from projection_leases where projection = any(gone);
  delete from projection_checkpoints where projection = any(gone);
end
$$`,
    `drop index if exists pyramid_stage`,
  ],
}

/**
 * Migration 11 (decision 033): indexes for the timeline's date questions at a million events, where the log is here.
 * The clocks beside the position, newest first, so a list filtered on a date alone is answered in the index (walking
 * it, not the rows and their JSON); the type index carries recorded_at, so the search's counts up to a recorded date
 * are index-only (it replaces migration 9's (type, global_position), which it still serves).
 */
export const TIMELINE_CLOCKS_MIGRATION: Migration = {
  number: 11,
  name: 'timeline-clocks',
  statements: [
    `do $$
begin
  if to_regclass('events') is not null then
    create index if not exists events_newest_clocks on events ((-global_position), (metadata->>'occurredAt'), recorded_at);
    create index if not exists events_type_position_recorded on events (type, global_position) include (recorded_at);
    drop index if exists events_type_position;
  end if;
end
$$`,
  ],
}

export const readModelMigrations = (projections: readonly AnyProjection[]): Migration[] => [
  READ_MODELS_MIGRATION, readModelIndexesMigration(projections), TIMELINE_FROM_EVENTS_MIGRATION, REMOVED_PROJECTIONS_MIGRATION,
  TIMELINE_CLOCKS_MIGRATION,
]

/** Creates the read models' tables and these projections' indexes with the migration runner (a no-op when up to date). */
export async function migrateProjections(driver: SqlDriver, projections: readonly AnyProjection[] = []): Promise<void> {
  await runMigrations(driver, readModelMigrations(projections))
}
