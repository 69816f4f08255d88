// SqlDriver over a PostgreSQL server through node-postgres.
import pg from 'pg'
import { listenerApplicationName, type QueryOptions, type Row, type SqlDriver, type SqlExecutor } from './driver.ts'

export async function createPgDriver(connectionString: string, options: { max?: number } = {}): Promise<SqlDriver & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 20 })
  // fail fast with a clear message when the server is unreachable
  await pool.query('select 1')
  const listeners = new Set<pg.PoolClient>()
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
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    async exec(sql) {
      await pool.query(sql)
    },
    async listen(channel, onNotify) {
      const client = await pool.connect()
      listeners.add(client)
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify(message.payload ?? '')
      }
      client.on('notification', handler)
      await client.query(`select set_config('application_name', $1, false)`, [listenerApplicationName(channel)])
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      return async () => {
        if (!listeners.delete(client)) return
        client.off('notification', handler)
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {})
        await client.query(`select set_config('application_name', '', false)`).catch(() => {})
        client.release()
      }
    },
    async close() {
      for (const client of listeners) client.release()
      listeners.clear()
      await pool.end()
    },
  }
}
