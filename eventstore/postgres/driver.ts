// The SQL driver seam: one set of queries runs on embedded PGlite or on a PostgreSQL server through node-postgres.

export type Row = Record<string, unknown>

export type QueryOptions = {
  /**
   * Prepare the statement once per connection under this name and reuse it (the server skips parsing and planning).
   * For hot statements (the event store's, and those every page view runs): one name per SQL text. PGlite ignores it.
   */
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
  /** LISTEN on a channel; returns the function that stops listening */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/**
 * The application_name a listening connection carries while it LISTENs on `channel` (pg_stat_activity shows it to
 * every session), so that appenders can tell whether anybody else is listening before they NOTIFY.
 */
export function listenerApplicationName(channel: string): string {
  return `partnerlog listen ${channel}`.slice(0, 63)
}
