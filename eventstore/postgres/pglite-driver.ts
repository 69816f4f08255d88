// SqlDriver over embedded PGlite; a lock file keeps a second process from opening (and corrupting) the directory.
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { StoreLocked } from '../errors.ts'
import type { SqlDriver, SqlExecutor, Row } from './driver.ts'

const LOCK_FILE = 'partnerlog.lock'

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the directory's lock or throws StoreLocked naming the holder; a lock left by a dead process is taken over. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath)
        } catch {
          // already gone
        }
      }
      process.once('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10)
      if (Number.isFinite(holder) && holder !== process.pid && processAlive(holder)) {
        throw new StoreLocked(
          `The data directory ${dataDir} is in use by process ${holder}. PGlite allows one process per directory: stop that process, or use DATABASE_URL to share a PostgreSQL server.`,
        )
      }
      if (holder === process.pid) {
        throw new StoreLocked(`The data directory ${dataDir} is already open in this process.`)
      }
      fs.rmSync(lockPath, { force: true }) // stale lock of a dead process
    }
  }
  throw new StoreLocked(`Could not lock ${dataDir}`)
}

function wrap(db: { query: PGlite['query'] }): SqlExecutor {
  return {
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      const result = await db.query<R>(sql, params ? [...params] : undefined)
      return { rows: result.rows }
    },
  }
}

export type PGliteDriverOptions = {
  /** directory of the database; omitted: in memory */
  dataDir?: string
  /** an already opened instance (e.g. a clone of a template in tests) */
  instance?: PGlite
}

export async function createPGliteDriver(options: PGliteDriverOptions = {}): Promise<SqlDriver & { db: PGlite }> {
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {}
  let db: PGlite
  try {
    db = options.instance ?? (await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {}))
  } catch (error) {
    release()
    throw error
  }
  const base = wrap(db)
  return {
    kind: 'pglite',
    db,
    query: base.query,
    async transaction(fn) {
      return db.transaction((tx) => fn(wrap(tx)))
    },
    async exec(sql) {
      await db.exec(sql)
    },
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify)
      return async () => stop()
    },
    async close() {
      try {
        if (!db.closed) await db.close()
      } finally {
        release()
      }
    },
  }
}
