// A projection holder frozen with SIGSTOP (a real process, PostgreSQL at TEST_DATABASE_URL): the other runner takes the
// projection over once the lease expires, and the holder, woken with SIGCONT, gives it up and writes nothing.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { createProjectionRunner, readCheckpoint, readDocuments } from '../../projections/index.ts'
import { isolatedPostgresSchema, testDatabaseUrl, type IsolatedSchema } from '../support/pglite.ts'
import { appendAll, collectingLogger, countingProjection, eventually, expectedTallies, generateHistory, testCodec, uniqueName, type Tally } from './runner-fixtures.ts'

const url = testDatabaseUrl()

if (!url) {
  describe('projection holder frozen with SIGSTOP (PostgreSQL)', () => {
    // skipped on purpose: no PostgreSQL server configured; CI sets TEST_DATABASE_URL and runs it
    test.skip('skipped: TEST_DATABASE_URL is not set (e.g. postgres://partnerlog:partnerlog@localhost:5432/partnerlog_test)', () => {})
  })
} else {
  describe('projection holder frozen with SIGSTOP (PostgreSQL)', () => {
    let isolated: IsolatedSchema
    let driver: SqlDriver
    let store: EventStore
    beforeAll(async () => {
      isolated = await isolatedPostgresSchema(url, 'projections_sigstop')
      driver = await createPgDriver(isolated.url)
      await migrate(driver)
      store = createPostgresEventStore({ driver, codec: testCodec })
    })
    afterAll(async () => {
      await store?.close()
      await driver?.close()
      await isolated?.drop()
    })

    /** the child's output lines, parsed, as they arrive */
    function watch(child: ChildProcess) {
      const lines: { level: string; message?: string; state?: string }[] = []
      let buffer = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        const parts = buffer.split('\n')
        buffer = parts.pop()!
        for (const part of parts) if (part.trim()) lines.push(JSON.parse(part))
      })
      return { lines, state: () => lines.filter((l) => l.level === 'state').at(-1)?.state }
    }

    async function lease(name: string) {
      const { rows } = await driver.query<{ holder: string; epoch: string }>('select holder, epoch::text as epoch from projection_leases where projection = $1', [name])
      return { holder: rows[0]!.holder, epoch: BigInt(rows[0]!.epoch) }
    }

    test('the other runner takes over within the lease; the woken holder writes nothing', { timeout: 120_000 }, async () => {
      const name = uniqueName('frozen')
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'runner-child.ts')], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, CHILD_DATABASE_URL: isolated.url, CHILD_PROJECTION: name, CHILD_LEASE_MS: '1000' },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const out = watch(child)
      let evolvedHere = 0
      const b = createProjectionRunner({
        store, driver, projections: [countingProjection(name, 1, { onEvolve: () => evolvedHere++ })],
        logger: collectingLogger(), lockRetryMs: 100, leaseMs: 1000, retryDelayMs: 50,
      })
      try {
        await eventually(() => out.state() === 'live', 60_000, 'the child runs the projection')
        await b.start()
        await eventually(() => b.status()[0]!.state === 'waiting-for-lease', 10_000, 'b waits')
        const specs = generateHistory(400, 10, 31)
        const first = await appendAll(store, specs.slice(0, 200))
        await b.waitFor(first!, 20_000) // the child's progress, read from the checkpoint table
        expect(evolvedHere).toBe(0)
        const before = await lease(name)

        child.kill('SIGSTOP')
        const last = await appendAll(store, specs.slice(200))
        await eventually(() => b.status()[0]!.state === 'live', 15_000, 'b takes over while the child is stopped')
        await b.waitFor(last!, 20_000)
        const after = await lease(name)
        expect(after.epoch).toBe(before.epoch + 1n)
        expect(after.holder).not.toBe(before.holder)
        expect(await readDocuments<Tally>(driver, name)).toEqual(expectedTallies(specs))
        const checkpoint = await readCheckpoint(driver, name, 1)

        child.kill('SIGCONT')
        await eventually(() => out.lines.some((l) => l.message === 'lost the lease of projections to another runner'), 20_000, 'the child gives up')
        await eventually(() => out.state() === 'waiting-for-lease', 10_000, 'the child waits')
        // nothing the child did after waking reached the read model, and b goes on alone
        expect(await readDocuments<Tally>(driver, name)).toEqual(expectedTallies(specs))
        expect(await readCheckpoint(driver, name, 1)).toEqual(checkpoint)
        expect(await lease(name)).toEqual(after)
        const more = generateHistory(50, 10, 32)
        const end = await appendAll(store, more)
        await b.waitFor(end!, 20_000)
        expect(await readDocuments<Tally>(driver, name)).toEqual(expectedTallies([...specs, ...more]))
        expect(out.lines.filter((l) => l.level === 'error')).toEqual([])
      } finally {
        child.kill('SIGCONT')
        child.kill('SIGKILL')
        await b.stop()
      }
    })
  })
}
