// The SQL driver seam: one set of queries runs on embedded PGlite or on a PostgreSQL server through node-postgres.

export type Row = Record<string, unknown>

export interface SqlExecutor {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>
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
