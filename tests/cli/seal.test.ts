// `npm run seal` and the seals in `npm run verify`, on a seeded PGlite data directory: sealed and anchored, verify is
// clean; it exits 1 naming the seal when a stream's tail was rewritten consistently or deleted with its recorded
// revision lowered (the chain holds then), when a seal row was edited, or when the last seal was deleted and the anchors
// still hold it; and when the seals are checked with another public key (not when it is pinned beside the right one).
import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parseEnv } from '../../app/env.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { eventHash, GENESIS_HASH } from '../../eventstore/chain.ts'

const root = path.resolve(import.meta.dirname, '../..')
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-seal-cli-'))
const sealed = path.join(base, 'sealed')
const open = (dataDir: string) => openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })

const run = (script: string, dataDir: string, args: string[] = []) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' }, timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  )

/** a copy of the sealed data directory, changed with `tamper` */
async function tampered(name: string, tamper: (services: AppServices) => Promise<void>): Promise<string> {
  const dir = path.join(base, name)
  fs.cpSync(sealed, dir, { recursive: true })
  fs.rmSync(path.join(dir, 'partnerlog.lock'), { force: true })
  const services = await open(dir)
  try {
    await services.runner.stop()
    await tamper(services)
  } finally {
    await services.close()
  }
  return dir
}

let anchorsFile = ''
let sealedThrough = ''
let ownPublicKey = ''

beforeAll(async () => {
  const services = await open(sealed)
  await seedDemo(services, 'minimal')
  ownPublicKey = services.signingKey.publicKeyPem
  await services.close()
}, 120_000)
afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true })
})

test('npm run seal seals the log once, --anchor prints the line to publish, and verify says where it is sealed through', { timeout: 300_000 }, async () => {
  const first = await run('cli/seal.ts', sealed)
  expect(first.code, first.stdout + first.stderr).toBe(0)
  const match = /sealed #1: positions (\d+)\.\.(\d+), (\d+) event\(s\), root [0-9a-f]{64}/.exec(first.stdout)
  expect(match, first.stdout).not.toBeNull()
  sealedThrough = match![2]!
  const again = await run('cli/seal.ts', sealed, ['--anchor'])
  expect(again.code).toBe(0)
  expect(again.stderr).toContain('nothing new to seal')
  expect(again.stdout).toMatch(new RegExp(`^partnerlog-seal/1 seal=1 from=\\d+/${match![1]} to=\\d+/${sealedThrough} events=${match![3]} root=[0-9a-f]{64} previous=0{64} sealed_at=\\S+ key=[0-9a-f]{16} signature=\\S+\\n$`))
  anchorsFile = path.join(base, 'seals.anchor')
  fs.writeFileSync(anchorsFile, `# anchored by the operator\n${again.stdout}`)
  expect((await run('cli/seal.ts', sealed, ['--anchor', '--since', '1'])).stdout).toBe('')
  expect((await run('cli/seal.ts', sealed, ['--since', '1'])).code).toBe(2)

  const verified = await run('cli/verify.ts', sealed, ['--anchors', anchorsFile])
  expect(verified.code, verified.stdout + verified.stderr).toBe(0)
  expect(verified.stdout).toMatch(new RegExp(`ok {3}seals: 1 seal\\(s\\), sealed through position ${sealedThrough} at \\S+ \\(seal #1\\); 0 later event\\(s\\) are protected by the hash chain only \\(checked with the deployment's public key [0-9a-f]{16}; 1 of 1 anchored seal\\(s\\) match\\)`))
  expect((await run('cli/verify.ts', sealed, ['--bogus'])).code).toBe(2)
})

test('verify exits 1 naming the seal when a stream tail was rewritten consistently or deleted with its revision lowered', { timeout: 300_000 }, async () => {
  const rewritten = await tampered('rewritten', async (services) => {
    const { rows } = await services.sql.query<{ stream_id: string }>('select stream_id from streams order by revision desc, stream_id limit 1')
    const stream = rows[0]!.stream_id
    await services.sql.query(`update events set data = jsonb_set(data::jsonb, '{forged}', 'true') where stream_id = $1 and stream_revision = 0`, [stream])
    // every hash and link of the stream recomputed: the chain holds
    let previous = GENESIS_HASH
    for await (const event of services.store.chain!.storedEvents()) {
      if (event.streamId !== stream) continue
      const hash = eventHash({ ...event, previousHash: previous })
      await services.sql.query(`update events set hash = decode($1, 'hex'), previous_hash = decode($2, 'hex') where event_id = $3::uuid`, [hash, previous, event.id])
      previous = hash
    }
  })
  const result = await run('cli/verify.ts', rewritten)
  expect(result.code, result.stdout + result.stderr).toBe(1)
  expect(result.stdout).toMatch(/^ok {3}log: /m)
  expect(result.stdout).toMatch(new RegExp(`first broken seal: seal #1 \\(positions \\d+\\.\\.${sealedThrough}\\): events: the stored events of its range are not the ones sealed`))

  const deleted = await tampered('deleted-tail', async (services) => {
    const { rows } = await services.sql.query<{ stream_id: string; revision: string }>(
      'select stream_id, revision::text as revision from streams where revision > 0 order by stream_id limit 1',
    )
    const { stream_id: stream, revision } = rows[0]!
    await services.sql.query('delete from events where stream_id = $1 and stream_revision = $2', [stream, revision])
    await services.sql.query('update streams set revision = revision - 1 where stream_id = $1', [stream])
  })
  const tail = await run('cli/verify.ts', deleted)
  expect(tail.code, tail.stdout + tail.stderr).toBe(1)
  expect(tail.stdout).toMatch(/^ok {3}log: /m)
  expect(tail.stdout).toMatch(/first broken seal: seal #1 \(positions \d+\.\.\d+\): events: \d+ event\(s\) are stored in its range, \d+ were sealed: events were deleted/)
})

test('verify exits 1 naming an edited seal, a deleted last seal that is anchored, and seals checked with another key', { timeout: 300_000 }, async () => {
  const edited = await tampered('edited-seal', async (services) => {
    await services.sql.query(`update seals set merkle_root = sha256(merkle_root) where seal_number = 1`)
  })
  const editedRun = await run('cli/verify.ts', edited)
  expect(editedRun.code).toBe(1)
  expect(editedRun.stdout).toContain('first broken seal: seal #1')
  expect(editedRun.stdout).toContain(': signature: its signature does not verify with the public key')

  const removed = await tampered('deleted-seal', async (services) => {
    await services.sql.query('delete from seals')
  })
  const alone = await run('cli/verify.ts', removed)
  expect(alone.code, alone.stdout + alone.stderr).toBe(0)
  expect(alone.stdout).toContain('ok   seals: no seal yet')
  const anchored = await run('cli/verify.ts', removed, ['--anchors', anchorsFile])
  expect(anchored.code).toBe(1)
  expect(anchored.stdout).toContain('first broken seal: seal #1')
  expect(anchored.stdout).toContain('missing: it was anchored but is missing from the store: deleted')

  const other = path.join(base, 'other.pem')
  fs.writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString())
  const foreign = await run('cli/verify.ts', sealed, ['--public-key', other])
  expect(foreign.code).toBe(1)
  expect(foreign.stdout).toContain(`BROKEN seals: checked with pinned key from ${other}`)
  expect(foreign.stdout).toContain('seal #1')
  // after a key rotation both keys are pinned: a seal holds when one of them signed it
  const own = path.join(base, 'own.pem')
  fs.writeFileSync(own, ownPublicKey)
  const both = await run('cli/verify.ts', sealed, ['--public-key', other, '--public-key', own])
  expect(both.code, both.stdout + both.stderr).toBe(0)
  expect(both.stdout).toContain(`ok   seals: 1 seal(s)`)
  expect(both.stdout).toContain(`checked with pinned keys from ${other}, ${own}`)
})
