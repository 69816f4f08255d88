// npm run export -- <partnerId> --signed and npm run verify-export, end to end as child processes on a seeded PGlite directory.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { deploymentKeyFromPem, generateSigningKeyPem } from '../../app/deployment-key.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices } from '../../app/services.server.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-cli-export-'))
const dataDir = path.join(dir, 'data')
const exportFile = path.join(dir, 'northwind.signed.jsonl')
const keyFile = path.join(dir, 'public-key.pem')
let events = 0
let keyId = ''

type Run = { code: number; stdout: string; stderr: string }
async function run(script: string, args: string[]): Promise<Run> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '', SIGNING_KEY: '', SEED: 'none' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  )
}

/** writes the export with its lines changed, and verifies it pinned to the deployment's key */
async function verifyEdited(change: (lines: string[]) => void): Promise<Run> {
  const lines = fs.readFileSync(exportFile, 'utf8').split('\n').slice(0, -1)
  change(lines)
  const edited = path.join(dir, `edited-${Math.random().toString(36).slice(2)}.jsonl`)
  fs.writeFileSync(edited, `${lines.join('\n')}\n`)
  return run('cli/verify-export.ts', [edited, '--public-key', keyFile])
}

beforeAll(async () => {
  const services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'minimal')
  fs.writeFileSync(keyFile, services.signingKey.publicKeyPem)
  keyId = services.signingKey.keyId
  for await (const event of services.store.readAll()) {
    if ((event.data as { partnerId?: string }).partnerId === 'northwind' || event.streamId === 'partner-northwind') events++
  }
  await services.close() // PGlite lets one process in at a time
  const result = await run('cli/export.ts', ['northwind', '--signed'])
  expect(result.code, result.stderr).toBe(0)
  fs.writeFileSync(exportFile, result.stdout)
}, 180_000)

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('signed export on the command line', () => {
  test('export --signed writes the header, every event of the partner, and the signature line', () => {
    const lines = fs.readFileSync(exportFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(events).toBeGreaterThan(0)
    expect(lines).toHaveLength(events + 2)
    expect(lines[0]).toMatchObject({ format: 'partnerlog-signed-export/1', partnerId: 'northwind', keyId })
    expect(lines.slice(1, -1).map((l) => l.event.type)).toContain('PartnerApplied')
    expect(lines.at(-1)).toMatchObject({ lineCount: events + 2 })
  })

  test('verify-export exits 0 and says which key it used', async () => {
    const pinned = await run('cli/verify-export.ts', [exportFile, '--public-key', keyFile])
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0)
    expect(pinned.stdout).toContain(`OK ${exportFile}: ${events} event(s) of partner northwind`)
    expect(pinned.stdout).toContain(`key ${keyId}, pinned with --public-key`)
    const unpinned = await run('cli/verify-export.ts', [exportFile])
    expect(unpinned.code).toBe(0)
    expect(unpinned.stdout).toContain("taken from the file's own header (not pinned")
  }, 60_000)

  test('an altered, a removed and a swapped line: exit 1 naming the line', async () => {
    const altered = await verifyEdited((lines) => (lines[2] = lines[2]!.replace('"northwind"', '"contoso"')))
    expect(altered.code).toBe(1)
    expect(altered.stdout).toContain('line 3 was altered [altered]')
    const removed = await verifyEdited((lines) => lines.splice(3, 1))
    expect(removed.code).toBe(1)
    expect(removed.stdout).toContain('line 4 of the signed export is missing (removed)')
    const swapped = await verifyEdited((lines) => ([lines[1], lines[2]] = [lines[2]!, lines[1]!]))
    expect(swapped.code).toBe(1)
    expect(swapped.stdout).toContain('line 2 is out of order: it was signed as line 3')
  }, 90_000)

  test("another deployment's key: exit 1", async () => {
    const otherKey = path.join(dir, 'other.pem')
    fs.writeFileSync(otherKey, deploymentKeyFromPem(generateSigningKeyPem()).publicKeyPem)
    const result = await run('cli/verify-export.ts', [exportFile, '--public-key', otherKey])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('not the pinned key')
  }, 60_000)

  test('usage errors exit 2', async () => {
    expect((await run('cli/verify-export.ts', [])).code).toBe(2)
    expect((await run('cli/verify-export.ts', [exportFile, '--public-key'])).code).toBe(2)
    expect((await run('cli/export.ts', ['northwind', '--signed', '--csv'])).code).toBe(2)
  }, 60_000)
})
