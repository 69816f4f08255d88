// A Kysely dialect over the project's SQL driver seam, so one typed query builder reads PGlite and PostgreSQL alike.
import { createHash } from 'node:crypto'
import {
  Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult,
} from 'kysely'
import type { Row, SqlExecutor } from '../../eventstore/postgres/driver.ts'

/**
 * The name a statement is prepared under: one per SQL text, so the server parses and plans it once per connection.
 * Values are parameters and only the code's own names are written in, so texts are few; past MAX_PREPARED, none more.
 */
const MAX_PREPARED = 500
const preparedNames = new Map<string, string>()
export function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text)
  if (!name && preparedNames.size < MAX_PREPARED) preparedNames.set(text, (name = `rm_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`))
  return name
}

/** A connection that runs compiled queries through an executor (the driver, or one transaction of it). */
class ExecutorConnection implements DatabaseConnection {
  constructor(private readonly executor: SqlExecutor) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { rows } = await this.executor.query<Row>(query.sql, query.parameters, { prepareAs: preparedName(query.sql) })
    return { rows: rows as R[] }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('The read side does not stream: read in pages')
  }
}

/**
 * The executor pools its own connections (node-postgres) or has one (PGlite), so every Kysely "connection" is the
 * executor. Transactions belong to SqlDriver.transaction: build a Kysely over its `tx` to query inside one.
 */
class ExecutorDriver implements Driver {
  private readonly connection: ExecutorConnection
  constructor(executor: SqlExecutor) {
    this.connection = new ExecutorConnection(executor)
  }
  async init() {}
  async acquireConnection() {
    return this.connection
  }
  async beginTransaction(): Promise<void> {
    throw new Error('Kysely transactions are not supported here: use SqlDriver.transaction and a Kysely over its executor')
  }
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

export class SqlExecutorDialect implements Dialect {
  constructor(private readonly executor: SqlExecutor) {}
  createDriver() {
    return new ExecutorDriver(this.executor)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
  createAdapter() {
    return new PostgresAdapter()
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db)
  }
}

const instances = new WeakMap<SqlExecutor, Kysely<never>>()

/** The Kysely of an executor, made once per executor. */
export function kyselyOver<DB>(executor: SqlExecutor): Kysely<DB> {
  let db = instances.get(executor)
  if (!db) instances.set(executor, (db = new Kysely<never>({ dialect: new SqlExecutorDialect(executor) })))
  return db as unknown as Kysely<DB>
}
