// The SQL driver seam: one set of queries runs on embedded PGlite or on a PostgreSQL server through node-postgres.

export type Row = Record<string, unknown>

export type QueryOptions = {
  /** Prepares a hot statement once per connection under this name (one name per SQL text); PGlite ignores it. */
  prepareAs?: string
}

export interface SqlExecutor {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: R[] }>
}

export interface SqlDriver extends SqlExecutor {
  readonly kind: 'pglite' | 'pg'
  /** runs fn in one transaction on one connection; rolls back if it throws */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>
  /** runs several statements without parameters (DDL) */
  exec(sql: string): Promise<void>
  /**
   * LISTEN on a channel; returns the function that stops listening. A listener whose connection was lost listens
   * again by itself and then calls onNotify('') once: what was notified in between is lost, so look for it.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>
  /**
   * Runs fn while holding the session advisory lock `key` on a connection of its own; throws after fn if that
   * connection was lost meanwhile. Absent on PGlite, which one process alone can open.
   */
  withAdvisoryLock?<T>(key: bigint, fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The application_name of a connection LISTENing on `channel`, so appenders can see in pg_stat_activity who listens. */
export function listenerApplicationName(channel: string): string {
  return `partnerlog listen ${channel}`.slice(0, 63)
}

/** SQLSTATEs of a lost or refused session: class 08 (connection exception) and the server shutting sessions down. */
const CONNECTION_SQLSTATE = /^(08...|57P0[1-3]|53300)$/
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/** what node-postgres, its pool and PGlite say when they have no usable connection (they set no code) */
const CONNECTION_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Connection terminated due to connection timeout|PGlite is clos(ed|ing))/

/** Whether an error (or its causes) says the database was unreachable, so a retry may succeed. */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code))) return true
  if (CONNECTION_MESSAGE.test(error.message)) return true
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionError(inner, depth + 1))) return true
  return error.cause !== undefined && isConnectionError(error.cause, depth + 1)
}
