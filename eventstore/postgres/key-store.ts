// The subjects' encryption keys in SQL (PGlite or PostgreSQL): the events' database for the postgres adapter, the
// read-model database when events live in EventStoreDB. Back it up with the events: a lost key is a forgotten person.
import { newSubjectKey, type KeyStore } from '../encryption.ts'
import type { SqlDriver, SqlExecutor } from './driver.ts'
import { runMigrations, type Migration } from './migrations.ts'

/** The keys' table: migration 3 of the runner (migrations.ts), whoever stores the events. */
export const KEY_STORE_MIGRATION: Migration = {
  number: 3,
  name: 'keys',
  statements: [
    `create table if not exists subject_keys (
    subject text primary key,
    key bytea,
    created_at timestamptz not null default now(),
    erased_at timestamptz,
    constraint subject_keys_erased_has_no_key check ((key is null) = (erased_at is not null))
  )`,
    `create index if not exists subject_keys_erased on subject_keys (subject) where erased_at is not null`,
  ],
}

/** Creates the keys' table alone (the portal runs it with every other migration: app/migrations.server.ts). */
export async function migrateKeyStore(driver: SqlDriver): Promise<void> {
  await runMigrations(driver, [KEY_STORE_MIGRATION])
}

type KeyRow = { subject: string; key: Uint8Array | null }

const toMap = (rows: KeyRow[]) => new Map(rows.map((row) => [row.subject, row.key === null ? null : new Uint8Array(row.key)]))

export function createSqlKeyStore(db: SqlExecutor): KeyStore {
  return {
    async load(subjects) {
      if (subjects.length === 0) return new Map()
      const { rows } = await db.query<KeyRow>('select subject, key from subject_keys where subject = any($1::text[])', [[...subjects]])
      return toMap(rows)
    },

    async ensure(subjects) {
      if (subjects.length === 0) return new Map()
      const unique = [...new Set(subjects)]
      // one round trip: insert the missing ones and return them with the rows that existed before the statement
      const { rows } = await db.query<KeyRow>(
        `with wanted as (
           select s.subject, decode(s.key_hex, 'hex') as key from unnest($1::text[], $2::text[]) as s(subject, key_hex)
         ), inserted as (
           insert into subject_keys (subject, key) select subject, key from wanted on conflict (subject) do nothing
           returning subject, key
         )
         select subject, key from inserted
         union all
         select k.subject, k.key from subject_keys k where k.subject = any($1::text[])`,
        [unique, unique.map(() => newSubjectKey().toString('hex'))],
      )
      return toMap(rows)
    },

    async erased() {
      const { rows } = await db.query<{ subject: string }>('select subject from subject_keys where erased_at is not null')
      return rows.map((row) => row.subject)
    },

    async erase(subject) {
      await db.query(
        `insert into subject_keys (subject, key, erased_at) values ($1, null, now())
         on conflict (subject) do update set key = null, erased_at = coalesce(subject_keys.erased_at, now())`,
        [subject],
      )
    },
  }
}
