// PGlite allows one process per data directory: a second process must be refused with StoreLocked, not corrupt it.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { StoreLocked } from '../../eventstore/errors.ts'
import { createPGliteDriver, lockDataDir } from '../../eventstore/postgres/pglite-driver.ts'

const run = promisify(execFile)
const helper = fileURLToPath(new URL('../support/open-pglite.ts', import.meta.url))
const dirs: string[] = []
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-lock-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function openInChild(dataDir: string): Promise<{ ok: boolean; name?: string; message?: string }> {
  const result = await run(process.execPath, ['--import', 'tsx', helper, dataDir], { cwd: process.cwd() }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  )
  const line = result.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as { ok: boolean; name?: string; message?: string }
}

describe('PGlite data directory lock', () => {
  it('refuses a second process while the directory is open, and lets it in once released', async () => {
    const dataDir = tempDir()
    const driver = await createPGliteDriver({ dataDir })
    await driver.query('create table marker (id int)')
    try {
      const refused = await openInChild(dataDir)
      expect(refused.ok).toBe(false)
      expect(refused.name).toBe('StoreLocked')
      expect(refused.message).toContain(`in use by process ${process.pid}`)
      expect(refused.message).toContain('DATABASE_URL')
      await driver.query('select count(*) from marker') // still usable
    } finally {
      await driver.close()
    }
    expect(await openInChild(dataDir)).toEqual({ ok: true })
    expect(fs.existsSync(path.join(dataDir, 'partnerlog.lock'))).toBe(false)
  }, 60_000)

  it('refuses a second open in the same process and takes over a lock left by a dead process', () => {
    const dataDir = tempDir()
    const release = lockDataDir(dataDir)
    expect(() => lockDataDir(dataDir)).toThrow(StoreLocked)
    release()
    fs.writeFileSync(path.join(dataDir, 'partnerlog.lock'), '999999999') // no such process
    const again = lockDataDir(dataDir)
    expect(fs.readFileSync(path.join(dataDir, 'partnerlog.lock'), 'utf8')).toBe(String(process.pid))
    again()
  })
})
