// Erasing a person through the app's use case on PGlite with the demo program: the stored events never held her name
// or email in clear; after erasure they appear in no read model, timeline, export or past state, she cannot sign in,
// every read model still equals its rebuild from the first event (in process, through the auditor's verify job, and
// through cli/verify.ts), other people are untouched, and only a vendor admin may do it. Also the erase CLI.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { concernsPartner, exportLine, startVerification, stateAsOf, verifyJob } from '../../app/audit.server.ts'
import { authenticate, type CurrentUser } from '../../app/auth.server.ts'
import { createPortalCodec } from '../../app/codec.server.ts'
import { parseEnv } from '../../app/env.server.ts'
import { DEMO_PASSWORD, seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { ForbiddenError, IllegalStateError } from '../../domain/shared/errors.ts'
import { createSqlKeyStore } from '../../eventstore/postgres/key-store.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { allProjections } from '../../projections/all.ts'
import { foldUntil, verifyProjection } from '../../projections/time-travel.ts'
import { usersProjection } from '../../projections/users.ts'

const root = path.resolve(import.meta.dirname, '../..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-erasure-'))
let services: AppServices
const user = async (userId: string) => (await services.queries.users.byId(userId)) as CurrentUser

/** Maria Jensen's traces, as they would show up anywhere */
const MARIA = /maria jensen|maria@northwind\.example/i

beforeAll(async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'demo') // Maria also attends two workshops there
  const people = services.commands.people
  const vera = await user('u-vera')
  const profile = { displayName: 'Northwind IT', primaryColor: '#0d6e64', secondaryColor: '#1e293b' }
  // an earlier profile named a service desk; the current one names Maria
  await people.setProfile(vera, 'northwind', { ...profile, contactName: 'Service Desk', contactEmail: 'desk@northwind.example' })
  await people.setProfile(vera, 'northwind', { ...profile, contactName: 'Maria Jensen', contactEmail: 'maria@northwind.example' })
  await people.setProfile(vera, 'contoso', { ...profile, displayName: 'Contoso MSP', contactName: 'Li Wei', contactEmail: 'li@contoso.example' })
  await people.invite(vera, 'northwind', { name: 'Jo Park', email: 'jo@northwind.example', role: 'partner_user', password: 'jo-secret-password' }, crypto.randomUUID())
})
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function readModelsMentioning(pattern: string): Promise<string[]> {
  const { rows } = await services.sql.query<{ at: string }>(
    `select projection || '/' || key as at from read_models where state::text ilike $1 order by 1`, [pattern],
  )
  return rows.map((row) => row.at)
}

async function exportOf(partnerId: string, format: 'jsonl' | 'csv') {
  let out = ''
  for await (const event of services.store.readAll()) if (concernsPartner(event, partnerId)) out += exportLine(event, format)
  return out
}

describe('erasing a person', () => {
  test('names and emails never reach the events table in clear', async () => {
    const { rows } = await services.sql.query<{ type: string }>(
      `select type from events where data::text ~* $1`, ['maria jensen|maria@northwind|li wei|li@contoso|service desk|jo park|sam rivera'],
    )
    expect(rows).toEqual([])
    expect(await readModelsMentioning('%Maria Jensen%')).not.toEqual([]) // the read models show her, until she is erased
  })

  test('only a vendor admin may erase, never themselves, and a refusal changes nothing', async () => {
    const privacy = services.commands.privacy
    for (const actor of ['u-li', 'u-maria', 'u-sam', 'u-alex']) {
      await expect(privacy.eraseUser(await user(actor), 'u-maria'), actor).rejects.toBeInstanceOf(ForbiddenError)
    }
    await expect(privacy.eraseUser(await user('u-vera'), 'u-vera')).rejects.toBeInstanceOf(IllegalStateError)
    expect((await services.keys.load(['user-u-maria'])).get('user-u-maria')).toBeInstanceOf(Uint8Array)
    expect(await authenticate(services.sql, 'maria@northwind.example', DEMO_PASSWORD)).toBe('u-maria')
    expect(await services.queries.users.byId('u-maria')).toMatchObject({ name: 'Maria Jensen' })
  })

  test('a vendor admin erases Maria: she is gone from read models, timeline, exports and past states, and cannot sign in', async () => {
    const privacy = services.commands.privacy
    const plan = (await privacy.plan('u-maria'))!
    expect(plan.alreadyErased).toBe(false)
    expect(plan.targets.map((t) => t.what).sort()).toEqual(['account', 'profile contact', 'workshop attendees', 'workshop attendees'])
    expect(plan.targets.find((t) => t.what === 'account')!.eventIds).toHaveLength(1) // PartnerApplied

    await privacy.eraseUser(await user('u-vera'), 'u-maria')

    expect(await readModelsMentioning('%maria jensen%')).toEqual([])
    expect(await readModelsMentioning('%maria@northwind.example%')).toEqual([])
    expect(JSON.stringify(await services.queries.timeline.list({ limit: 5000 }))).not.toMatch(MARIA)
    expect(await exportOf('northwind', 'jsonl')).not.toMatch(MARIA)
    expect(await exportOf('northwind', 'csv')).not.toMatch(MARIA)
    const today = new Date().toISOString().slice(0, 10)
    const past = await stateAsOf(services, today)
    expect(JSON.stringify([...past].map(([name, docs]) => [name, [...docs.values()]]))).not.toMatch(MARIA)

    // her record reads as erased, and she is no user any more
    const [doc] = await services.sql.query<{ state: { name: string; email: string; active: boolean } }>(
      `select state from read_models where projection = 'users' and key = 'u-maria'`,
    ).then((r) => r.rows)
    expect(doc!.state).toMatchObject({ name: 'Erased person', email: expect.stringMatching(/^erased-[0-9a-f]{8}@erased\.invalid$/), active: false })
    expect(await services.queries.users.byId('u-maria')).toBeNull()
    expect(await authenticate(services.sql, 'maria@northwind.example', DEMO_PASSWORD)).toBeNull()
    expect((await services.sql.query(`select 1 from credentials where user_id = 'u-maria'`)).rows).toHaveLength(0)
    expect((await services.keys.load(['user-u-maria'])).get('user-u-maria')).toBeNull()
    expect((await privacy.plan('u-maria'))!.alreadyErased).toBe(true)
  })

  test('other people are untouched', async () => {
    const users = [...(await services.queries.users.ofOrganisation('contoso')), ...(await services.queries.users.ofOrganisation('northwind'))]
    expect(users.find((u) => u.userId === 'u-li')).toMatchObject({ name: 'Li Wei', email: 'li@contoso.example', active: true })
    expect(users.find((u) => u.name === 'Jo Park')).toMatchObject({ email: 'jo@northwind.example', active: true })
    expect(await authenticate(services.sql, 'li@contoso.example', DEMO_PASSWORD)).toBe('u-li')
    expect(await exportOf('contoso', 'jsonl')).toContain('li@contoso.example')
    // the earlier profile's contact was somebody else: still readable
    expect(await exportOf('northwind', 'jsonl')).toContain('desk@northwind.example')
    const { rows } = await services.sql.query<{ state: { profile: { contactName: string } } }>(
      `select state from read_models where projection = 'partners' and key = 'contoso'`,
    )
    expect(rows[0]!.state.profile.contactName).toBe('Li Wei')
  })

  test('vendor staff are erased the same way, and their address can be given to somebody new', async () => {
    await services.commands.privacy.eraseUser(await user('u-vera'), 'u-sam')
    expect(await readModelsMentioning('%sam rivera%')).toEqual([])
    expect(await readModelsMentioning('%sam@vendor.example%')).toEqual([])
    expect(await authenticate(services.sql, 'sam@vendor.example', DEMO_PASSWORD)).toBeNull()
    // the vendor's staff as this process knew them included the old address: it was forgotten with the key
    const added = await services.commands.people.addStaff(await user('u-vera'), { name: 'Sam Okafor', email: 'sam@vendor.example', role: 'channel_manager' }, crypto.randomUUID())
    expect(added.replayed).toBe(false)
  })

  test('every read model equals its rebuild from the first event (which decodes placeholders)', async () => {
    for (const projection of allProjections) {
      const report = await verifyProjection(services.store, services.sql, projection)
      expect(report.differences, projection.name).toEqual([])
    }
    // a new process, with nothing cached, rebuilds the same user record
    const elsewhere = createPostgresEventStore({ driver: services.sql, codec: createPortalCodec(createSqlKeyStore(services.sql)) })
    const rebuilt = await foldUntil(elsewhere, usersProjection)
    expect(rebuilt.get('u-maria')).toMatchObject({ name: 'Erased person', active: false })
    await elsewhere.close()
    // the auditor's verify job agrees
    const job = startVerification(services, 'u-alex')
    for (let i = 0; i < 600 && !verifyJob(job.id)?.finishedAt; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(verifyJob(job.id)).toMatchObject({ error: null, done: allProjections.length })
    expect(verifyJob(job.id)!.reports.filter((r) => r.differences > 0)).toEqual([])
  })
})

describe('the command line', () => {
  const run = (script: string, args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' }, timeout: 120_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    )

  test('erase, export and verify on the same data directory', { timeout: 300_000 }, async () => {
    await services.close() // PGlite lets one process in at a time
    expect((await run('cli/erase.ts', [])).code).toBe(2)
    expect((await run('cli/erase.ts', ['u-nobody', '--yes'])).code).toBe(1)
    const again = await run('cli/erase.ts', ['u-maria', '--yes'])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already erased/)
    const li = await run('cli/erase.ts', ['u-li', '--yes'])
    expect(li.code, li.stderr).toBe(0)
    expect(li.stdout).toMatch(/Erased the personal data of u-li/)
    const exported = await run('cli/export.ts', ['contoso'])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout).toContain('PartnerApplied')
    expect(exported.stdout).not.toMatch(/li wei|li@contoso\.example/i)
    const verified = await run('cli/verify.ts', [])
    expect(verified.code, verified.stdout + verified.stderr).toBe(0)
    expect(verified.stdout).not.toMatch(/DIFF/)
    // reopen for afterAll
    services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  })
})
