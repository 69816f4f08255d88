// The migration runner: numbered migrations, each run once, in one transaction under one advisory lock, recorded in
// schema_migrations with a checksum of their statements (docs/decisions/014). Generic: callers hand it their list.
import { createHash } from 'node:crypto'
import type { SqlDriver, SqlExecutor } from './driver.ts'

export type Migration = {
  /** its place in the order, unique across every list run on one database */
  readonly number: number
  /** kebab-case; recorded with the number, which must keep its name */
  readonly name: string
  /** run in order; the checksum covers their text */
  readonly statements: readonly string[]
  /**
   * Run again whenever its statements change, instead of refusing the start: only for statements that can always
   * run again (function bodies: `create or replace`; `create index if not exists`).
   */
  readonly rerunnable?: boolean
  /** For a database made before the runner: whether it has this migration already (then recorded, not run). */
  readonly adopted?: (tx: SqlExecutor) => Promise<boolean>
}

/** What a start did with each migration it ran or recorded. */
export type MigrationOutcome = { migration: string; outcome: 'applied' | 'rerun' | 'adopted' }

/** 'plogmigr': the one advisory lock every migration of a database runs under */
export const MIGRATIONS_LOCK = 0x706c6f676d696772n

const TABLE = `create table if not exists schema_migrations (
  number integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
)`

export const migrationLabel = (migration: Pick<Migration, 'number' | 'name'>) => `${String(migration.number).padStart(3, '0')}-${migration.name}`

export function migrationChecksum(migration: Pick<Migration, 'statements'>): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex')
}

/** An applied migration whose statements are no longer those it ran with, or whose number now has another name. */
export class MigrationChanged extends Error {
  override readonly name = 'MigrationChanged'
  constructor(readonly migration: string, message: string) {
    super(message)
  }
}

type Recorded = { number: number; name: string; checksum: string }

async function recorded(tx: SqlExecutor): Promise<Map<number, Recorded> | undefined> {
  const { rows } = await tx.query<{ present: boolean }>(`select to_regclass('schema_migrations') is not null as present`)
  if (!rows[0]?.present) return undefined
  const applied = await tx.query<Recorded>('select number, name, checksum from schema_migrations')
  return new Map(applied.rows.map((row) => [Number(row.number), row]))
}

function check(migrations: readonly Migration[]) {
  migrations.forEach((migration, i) => {
    if (!Number.isInteger(migration.number) || migration.number < 1) throw new Error(`Migration ${migration.name}: its number must be a positive integer`)
    const before = migrations[i - 1]
    if (before && before.number >= migration.number) {
      throw new Error(`Migrations must be listed in increasing order of number: ${migrationLabel(before)} comes before ${migrationLabel(migration)}`)
    }
  })
}

/**
 * Runs the migrations not yet run (or re-runnable ones whose statements changed) in one transaction under
 * MIGRATIONS_LOCK; an up-to-date database runs no DDL, which would lock tables against appends. Refuses an edited
 * applied migration (MigrationChanged) before running anything.
 */
export async function runMigrations(driver: SqlDriver, migrations: readonly Migration[]): Promise<MigrationOutcome[]> {
  check(migrations)
  return driver.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::bigint)', [MIGRATIONS_LOCK.toString()])
    const applied = await recorded(tx)
    const pending: { migration: Migration; checksum: string; rerun: boolean }[] = []
    for (const migration of migrations) {
      const checksum = migrationChecksum(migration)
      const row = applied?.get(migration.number)
      if (!row) {
        pending.push({ migration, checksum, rerun: false })
        continue
      }
      const label = migrationLabel(migration)
      if (row.name !== migration.name) {
        throw new MigrationChanged(label, `Migration ${label}: this database ran migration ${migrationLabel(row)} under that number. Give the new migration a number of its own.`)
      }
      if (row.checksum === checksum) continue
      if (!migration.rerunnable) {
        throw new MigrationChanged(
          label,
          `Migration ${label} was edited after this database ran it (checksum ${row.checksum.slice(0, 12)}, now ${checksum.slice(0, 12)}). ` +
            'An applied migration is never changed: put the edit back and add the change as a new numbered migration.',
        )
      }
      pending.push({ migration, checksum, rerun: true })
    }
    if (pending.length === 0) return []
    if (!applied) await tx.query(TABLE)
    const outcomes: MigrationOutcome[] = []
    for (const { migration, checksum, rerun } of pending) {
      const adopted = !rerun && migration.adopted !== undefined && (await migration.adopted(tx))
      if (!adopted) for (const statement of migration.statements) await tx.query(statement)
      await tx.query(
        `insert into schema_migrations (number, name, checksum) values ($1, $2, $3)
         on conflict (number) do update set checksum = excluded.checksum, applied_at = now()`,
        [migration.number, migration.name, checksum],
      )
      outcomes.push({ migration: migrationLabel(migration), outcome: adopted ? 'adopted' : rerun ? 'rerun' : 'applied' })
    }
    return outcomes
  })
}
