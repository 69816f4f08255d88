// The migrations as the portal ran them before the migration runner (commit 4c55765), for the tests that adopt such a
// database: each area's statements (their text then) under its own lock, the event store's digest in event_store_schema.
import { createHash } from 'node:crypto'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { MIGRATION } from '../../eventstore/postgres/schema.ts'
import type { AnyProjection } from '../../projections/projection.ts'

const KEY_STORE_MIGRATION: readonly string[] = [
  `create table if not exists subject_keys (
    subject text primary key,
    key bytea,
    created_at timestamptz not null default now(),
    erased_at timestamptz,
    constraint subject_keys_erased_has_no_key check ((key is null) = (erased_at is not null))
  )`,
  `create index if not exists subject_keys_erased on subject_keys (subject) where erased_at is not null`,
]

const AUTH_SQL = `
create table if not exists credentials (
  user_id text primary key,
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);
-- no longer written (sign-in limits are in sign_in_limits); kept so that databases and tools that know it still work
create table if not exists login_failures (
  email text primary key,
  failures int not null default 0,
  last_failure_at timestamptz not null default now()
);
create table if not exists app_secrets (
  name text primary key,
  value text not null
);
-- id: the sha-256 digest of the session id in the cookie
create table if not exists auth_sessions (
  id text primary key,
  user_id text,
  data jsonb not null,
  expires_at timestamptz not null
);
create index if not exists auth_sessions_user_id on auth_sessions (user_id);
create index if not exists auth_sessions_expires_at on auth_sessions (expires_at);
create table if not exists sign_in_limits (
  key text primary key,
  points integer not null default 0,
  expire bigint
);
`

const PEOPLE_SQL = `
create table if not exists pending_credentials (
  user_id text primary key,
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create table if not exists application_attempts (
  client text not null,
  at timestamptz not null default now()
);
create index if not exists application_attempts_at on application_attempts (at);
`

const PROJECTIONS_DDL = `
create table if not exists read_models (
  projection text not null,
  version integer not null,
  key text not null,
  state jsonb not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  updated_at timestamptz not null default now(),
  primary key (projection, version, key)
);
create table if not exists projection_checkpoints (
  projection text not null,
  version integer not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  status text not null check (status in ('active', 'building', 'retired')),
  updated_at timestamptz not null default now(),
  primary key (projection, version)
);
create unique index if not exists projection_checkpoints_one_active on projection_checkpoints (projection) where status = 'active';
-- most pages ask for one partner's documents: one index serves every projection whose documents carry partnerId
create index if not exists read_models_partner on read_models (projection, version, (state->>'partnerId'));
-- entries of a document's log fields (Projection.logs), append-only, in fold order: the event that appended the entry,
-- then its place among that event's entries
create table if not exists read_model_logs (
  projection text not null,
  version integer not null,
  key text not null,
  field text not null,
  position_commit numeric(20, 0) not null,
  position_prepare bigint not null,
  idx integer not null,
  entry jsonb not null,
  primary key (projection, version, key, field, position_commit, position_prepare, idx)
);
-- who runs each projection: a lease renewed by its holder. Taking an expired one raises the epoch, and every write
-- checks the epoch in its own transaction, so a holder that froze and woke late writes nothing (decision 010)
create table if not exists projection_leases (
  projection text primary key,
  holder text not null,
  epoch bigint not null,
  expires_at timestamptz not null
);
-- the event a projection version stopped on (decision 010), kept until its checkpoint passes that event
create table if not exists projection_failures (
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
);
`

/** migrate() of eventstore/postgres/schema.ts then: the statements skipped when event_store_schema holds their digest */
async function migrateEventStore(driver: SqlDriver, migration: readonly string[]) {
  const digest = createHash('sha256').update(migration.join('\n;\n')).digest('hex')
  await driver.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(1885434484)')
    await tx.query('create table if not exists event_store_schema (id boolean primary key default true check (id), migration text not null)')
    const { rows } = await tx.query<{ migration: string }>('select migration from event_store_schema')
    if (rows[0]?.migration === digest) return
    for (const statement of migration) await tx.query(statement)
    await tx.query(
      'insert into event_store_schema (id, migration) values (true, $1) on conflict (id) do update set migration = excluded.migration',
      [digest],
    )
  })
}

/**
 * migrateAll then (keys, events, auth, read models), and the people tables a command module created when first used.
 * `eventStore` defaults to today's MIGRATION (idempotent statements, unchanged since).
 */
export async function migrateBeforeTheRunner(
  driver: SqlDriver, projections: readonly AnyProjection[], options: { people?: boolean; eventStore?: readonly string[] } = {},
): Promise<void> {
  await driver.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(1801812339)')
    for (const statement of KEY_STORE_MIGRATION) await tx.query(statement)
  })
  await migrateEventStore(driver, options.eventStore ?? MIGRATION)
  await driver.exec(AUTH_SQL)
  const statements = [
    ...PROJECTIONS_DDL.split(';').map((statement) => statement.trim()).filter(Boolean),
    ...projections.flatMap((projection) => projection.indexes ?? []),
  ]
  await driver.transaction(async (tx) => {
    for (const statement of statements) await tx.query(statement)
  })
  if (options.people !== false) await driver.exec(PEOPLE_SQL)
}
