// SqlDriver over a PostgreSQL server through node-postgres; survives the server ending its sessions (terminated,
// restarted, failed over): dead connections are dropped and replaced, and the LISTEN connection listens again.
import pg from 'pg'
import { isConnectionError, listenerApplicationName, type QueryOptions, type Row, type SqlDriver, type SqlExecutor } from './driver.ts'

export type PgDriverOptions = {
  /** most connections in the pool; default 20 */
  max?: number
  /** how long a query waits for a connection before it fails (ms); default 10,000 */
  connectionTimeoutMillis?: number
  /** told when a connection is lost or cannot be opened; default: a console.warn, at most one every 5 s */
  onConnectionError?: (error: Error) => void
  /** pause before the LISTEN connection's next reconnection attempt, doubled per failure from min to max (ms) */
  reconnectDelayMs?: { min: number; max: number }
}

/** A checked-out connection that must not outlive a lost session: an 'error' listener for as long as it is out. */
function guard(client: pg.PoolClient, onLost: (error: Error) => void): () => void {
  client.on('error', onLost)
  return () => client.off('error', onLost)
}

function throttledWarning(intervalMs: number): (error: Error) => void {
  let last = Number.NEGATIVE_INFINITY
  let suppressed = 0
  return (error) => {
    const now = performance.now()
    if (now - last < intervalMs) {
      suppressed++
      return
    }
    last = now
    const more = suppressed > 0 ? ` (and ${suppressed} more since the last warning)` : ''
    suppressed = 0
    console.warn(`PostgreSQL: a connection was lost or could not be opened: ${error.message}${more}`)
  }
}

export async function createPgDriver(connectionString: string, options: PgDriverOptions = {}): Promise<SqlDriver & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 20, connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000 })
  const report = options.onConnectionError ?? throttledWarning(5000)
  const reconnectDelay = options.reconnectDelayMs ?? { min: 100, max: 2000 }
  // The pool and every connection keep an 'error' listener, so a dying connection, idle or checked out, cannot exit
  // the process; its holder learns of it from its next query.
  pool.on('error', report)
  pool.on('connect', (client) => client.on('error', report))
  // fail fast with a clear message when the server is unreachable
  await pool.query('select 1')
  const listeners = new Set<{ stop(): Promise<void> }>()
  let closed = false

  return {
    kind: 'pg',
    pool,
    async query<R extends Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const values = params ? [...params] : undefined
      const result = options?.prepareAs ? await pool.query({ name: options.prepareAs, text: sql, values }) : await pool.query(sql, values)
      return { rows: result.rows as R[] }
    },
    async transaction(fn) {
      const client = await pool.connect()
      let lost: Error | undefined
      const unguard = guard(client, (error) => (lost ??= error))
      const tx: SqlExecutor = {
        async query<R extends Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
          const values = params ? [...params] : undefined
          const result = options?.prepareAs ? await client.query({ name: options.prepareAs, text: sql, values }) : await client.query(sql, values)
          return { rows: result.rows as R[] }
        },
      }
      try {
        await client.query('BEGIN')
        const value = await fn(tx)
        await client.query('COMMIT')
        return value
      } catch (error) {
        if (isConnectionError(error)) lost ??= error as Error
        if (!lost) await client.query('ROLLBACK').catch((rollbackError: unknown) => (lost ??= rollbackError as Error))
        throw error
      } finally {
        unguard()
        // a connection that failed is closed rather than handed to the next query
        client.release(lost)
      }
    },
    async exec(sql) {
      await pool.query(sql)
    },
    async listen(channel, onNotify) {
      if (closed) throw new Error('The driver is closed')
      const listener = createListener(pool, channel, onNotify, report, reconnectDelay)
      await listener.start()
      listeners.add(listener)
      return async () => {
        if (!listeners.delete(listener)) return
        await listener.stop()
      }
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect()
      let lost: Error | undefined
      const unguard = guard(client, (error) => (lost ??= error))
      try {
        await client.query('select pg_advisory_lock($1::bigint)', [key.toString()])
      } catch (error) {
        unguard()
        client.release(error as Error)
        throw error
      }
      try {
        const value = await fn()
        if (lost) throw new Error(`The connection holding advisory lock ${key} was lost before the work under it finished`, { cause: lost })
        return value
      } finally {
        if (!lost) await client.query('select pg_advisory_unlock($1::bigint)', [key.toString()]).catch((error: Error) => (lost ??= error))
        unguard()
        client.release(lost)
      }
    },
    async close() {
      closed = true
      const stopping = [...listeners]
      listeners.clear()
      await Promise.all(stopping.map((listener) => listener.stop()))
      await pool.end()
    },
  }
}

/**
 * A LISTEN connection that comes back: reopened with backoff when its session ends, it LISTENs again and calls
 * onNotify('') once, because what was notified in between is lost.
 */
function createListener(
  pool: pg.Pool,
  channel: string,
  onNotify: (payload: string) => void,
  report: (error: Error) => void,
  delay: { min: number; max: number },
) {
  const listenSql = `LISTEN ${pg.escapeIdentifier(channel)}`
  let current: { client: pg.PoolClient; detach(): void } | undefined
  let stopped = false
  let started = false
  let wakeReconnect: (() => void) | undefined
  let reconnecting: Promise<void> | undefined

  const onNotification = (message: pg.Notification) => {
    if (message.channel === channel) onNotify(message.payload ?? '')
  }

  async function open(): Promise<void> {
    const client = await pool.connect()
    const unguard = guard(client, (error) => lose(client, error))
    client.on('notification', onNotification)
    const detach = () => {
      unguard()
      client.off('notification', onNotification)
    }
    current = { client, detach }
    try {
      await client.query(`select set_config('application_name', $1, false)`, [listenerApplicationName(channel)])
      await client.query(listenSql)
    } catch (error) {
      if (current?.client === client) {
        current = undefined
        detach()
        client.release(error as Error)
      }
      throw error
    }
    if (current?.client !== client) throw new Error('The LISTEN connection was lost while it was opened')
  }

  function lose(client: pg.PoolClient, error: Error): void {
    if (current?.client !== client) return
    current.detach()
    current = undefined
    client.release(error)
    report(error)
    // a first LISTEN that fails is the caller's error to handle; only an established listener comes back by itself
    if (started && !stopped) reconnecting ??= reconnect().finally(() => (reconnecting = undefined))
  }

  async function reconnect(): Promise<void> {
    for (let pause = delay.min; !stopped; pause = Math.min(pause * 2, delay.max)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pause)
        function done() {
          clearTimeout(timer)
          wakeReconnect = undefined
          resolve()
        }
        wakeReconnect = done
      })
      if (stopped) return
      try {
        await open()
      } catch (error) {
        report(error as Error)
        continue
      }
      if (stopped) return
      onNotify('')
      return
    }
  }

  return {
    async start() {
      await open()
      started = true
    },
    async stop() {
      stopped = true
      wakeReconnect?.()
      await reconnecting
      const held = current
      current = undefined
      if (!held) return
      held.client.off('notification', onNotification)
      let failed: Error | undefined
      await held.client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch((error: Error) => (failed = error))
      if (!failed) await held.client.query(`select set_config('application_name', '', false)`).catch((error: Error) => (failed = error))
      held.detach()
      held.client.release(failed)
    },
  }
}
