// The runner's behaviour, run once per SQL backend (PGlite always, PostgreSQL when TEST_DATABASE_URL is set).
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { comparePositions, type Position } from '../../eventstore/types.ts'
import {
  ProjectionWaitTimeout,
  activeVersion,
  createProjectionRunner,
  migrateProjections,
  readCheckpoint,
  readCheckpoints,
  readDocument,
  readDocuments,
  verifyProjection,
  type ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../../projections/index.ts'
import {
  appendAll,
  collectingLogger,
  countingProjection,
  eventually,
  expectedTallies,
  faultyDriver,
  gatedStore,
  generateHistory,
  newStore,
  uniqueName,
  type Tally,
} from './runner-fixtures.ts'

export function defineRunnerSuite(label: string, openDriver: () => Promise<{ driver: SqlDriver; close(): Promise<void> }>) {
  describe(`projection runner (${label})`, () => {
    let driver: SqlDriver
    let closeDriver: () => Promise<void>
    const running: ProjectionRunner[] = []

    beforeAll(async () => {
      const opened = await openDriver()
      driver = opened.driver
      closeDriver = opened.close
    })
    afterEach(async () => {
      await Promise.all(running.splice(0).map((runner) => runner.stop()))
    })
    afterAll(async () => {
      await closeDriver?.()
    })

    function runner(options: Partial<ProjectionRunnerOptions> & Pick<ProjectionRunnerOptions, 'store' | 'projections'>) {
      const created = createProjectionRunner({ driver, logger: collectingLogger(), lockRetryMs: 100, retryDelayMs: 50, ...options })
      running.push(created)
      return created
    }

    async function documents(name: string): Promise<Map<string, Tally>> {
      return readDocuments<Tally>(driver, name)
    }

    test('a counting projection folds a generated history', async () => {
      const store = newStore()
      const specs = generateHistory(3000)
      const last = await appendAll(store, specs)
      const name = uniqueName()
      const r = runner({ store, projections: [countingProjection(name)], batchSize: 250 })
      await r.start()
      await r.waitFor(last!, 20_000)
      expect(await documents(name)).toEqual(expectedTallies(specs))
      expect(await activeVersion(driver, name)).toBe(1)
      const checkpoint = await readCheckpoint(driver, name, 1)
      expect(checkpoint?.position).toEqual(last)
      expect(checkpoint?.status).toBe('active')
      await eventually(() => r.status()[0]!.state === 'live', 5000, 'live')
      expect(r.status()[0]).toMatchObject({ name, version: 1, state: 'live', position: last, lag: 0 })
    })

    test('an appended event reaches the read model while the runner is live', async () => {
      const store = newStore()
      const name = uniqueName()
      const r = runner({ store, projections: [countingProjection(name)] })
      await r.start()
      await eventually(() => r.status()[0]!.state === 'live', 10_000, 'live')
      const latencies: number[] = []
      for (let i = 1; i <= 5; i++) {
        const started = performance.now()
        await store.appendToStream('partner-live', [
          { id: crypto.randomUUID(), type: 'Counted', data: { partnerId: 'live', amount: 1 }, metadata: meta() },
        ])
        await eventually(async () => (await readDocument<Tally>(driver, name, 'live'))?.count === i, 2000, `event ${i}`)
        latencies.push(performance.now() - started)
      }
      console.info(`append-to-read-model latencies (ms): ${latencies.map((l) => Math.round(l)).join(', ')}`)
    })

    test('restart continues from the checkpoint without double counting', async () => {
      const store = newStore()
      const specs = generateHistory(1200, 20, 7)
      const name = uniqueName()
      const first = await appendAll(store, specs.slice(0, 600))
      const r1 = runner({ store, projections: [countingProjection(name)], batchSize: 100 })
      await r1.start()
      await r1.waitFor(first!)
      await r1.stop()
      const last = await appendAll(store, specs.slice(600))
      let evolved = 0
      const r2 = runner({ store, projections: [countingProjection(name, 1, { onEvolve: () => evolved++ })], batchSize: 100 })
      await r2.start()
      await r2.waitFor(last!)
      expect(await documents(name)).toEqual(expectedTallies(specs))
      // the second runner folded only what came after the first one's checkpoint
      const foldedLater = specs.slice(600).filter((s) => s.type !== 'Noted').length
      expect(evolved).toBe(foldedLater)
    })

    test('a batch transaction failing midway leaves rows and checkpoint unchanged; a restart counts once', async () => {
      const store = newStore()
      const specs = generateHistory(400, 10, 3)
      const name = uniqueName()
      const faulty = faultyDriver(driver, (sql) => sql.trimStart().startsWith('insert into read_models'))
      const logger = collectingLogger()
      const first = await appendAll(store, specs.slice(0, 200))
      const r1 = runner({ store, driver: faulty, projections: [countingProjection(name)], logger, batchSize: 50 })
      await r1.start()
      await r1.waitFor(first!)
      const rowsBefore = await documents(name)
      const checkpointBefore = await readCheckpoint(driver, name, 1)

      faulty.failing = true
      const last = await appendAll(store, specs.slice(200))
      await eventually(() => r1.status()[0]!.state === 'failed' && faulty.failures >= 2, 10_000, 'a failed batch and a retry')
      expect(logger.errors[0]).toContain('injected failure')
      expect(r1.status()[0]!.error).toContain('injected failure')
      expect(await documents(name)).toEqual(rowsBefore)
      expect(await readCheckpoint(driver, name, 1)).toEqual(checkpointBefore)
      await expect(r1.waitFor(last!, 100)).rejects.toBeInstanceOf(ProjectionWaitTimeout)
      await r1.stop()

      faulty.failing = false
      const r2 = runner({ store, projections: [countingProjection(name)], batchSize: 50 })
      await r2.start()
      await r2.waitFor(last!)
      expect(await documents(name)).toEqual(expectedTallies(specs))
    })

    test('a failed batch is retried by the same runner once the fault clears', async () => {
      const store = newStore()
      const specs = generateHistory(300, 10, 5)
      const name = uniqueName()
      const faulty = faultyDriver(driver, (sql) => sql.trimStart().startsWith('insert into read_models'))
      faulty.failing = true
      const r = runner({ store, driver: faulty, projections: [countingProjection(name)], batchSize: 40 })
      await r.start()
      const last = await appendAll(store, specs)
      await eventually(() => faulty.failures > 0, 10_000, 'a failure')
      faulty.failing = false
      await r.waitFor(last!, 10_000)
      expect(await documents(name)).toEqual(expectedTallies(specs))
    })

    test('a version bump rebuilds in the background and swaps; the old version stays readable until then', async () => {
      const inner = newStore()
      const specs = generateHistory(1000, 15, 11)
      const name = uniqueName()
      const head = await appendAll(inner, specs)
      const r1 = runner({ store: inner, projections: [countingProjection(name, 1)], batchSize: 100 })
      await r1.start()
      await r1.waitFor(head!)
      await r1.stop()
      const v1 = await documents(name)
      expect(v1).toEqual(expectedTallies(specs))

      // v2 doubles counts; its subscription is held after 300 events so the build is visibly in progress
      const store = gatedStore(inner, 300)
      const r2 = runner({ store, projections: [countingProjection(name, 2, { factor: 2 })], batchSize: 100 })
      await r2.start()
      await eventually(async () => {
        const building = (await readCheckpoints(driver, name)).find((c) => c.version === 2)
        return building && building.status === 'building' && building.position.commit > 0n
      }, 10_000, 'a partial build')
      expect(r2.status()[0]!.state).toBe('building')
      expect(await activeVersion(driver, name)).toBe(1)
      expect(await documents(name)).toEqual(v1)
      // waitFor does not wait for a projection that is being rebuilt
      await r2.waitFor(head!, 1000)

      const more = generateHistory(50, 15, 12)
      const newHead = await appendAll(inner, more)
      expect(await documents(name)).toEqual(v1) // frozen old version, still readable

      store.release()
      await eventually(async () => (await activeVersion(driver, name)) === 2, 20_000, 'the swap')
      await r2.waitFor(newHead!)
      const doubled = new Map(
        [...expectedTallies([...specs, ...more])].map(([key, tally]) => [key, key === 'settings' ? tally : { ...tally, count: tally.count * 2, total: tally.total * 2 }]),
      )
      expect(await documents(name)).toEqual(doubled)
      const checkpoints = await readCheckpoints(driver, name)
      expect(checkpoints.map((c) => [c.version, c.status])).toEqual([
        [2, 'active'],
        [1, 'retired'],
      ])
      const { rows } = await driver.query<{ n: string }>('select count(*)::text as n from read_models where projection = $1 and version = 1', [name])
      expect(rows[0]!.n).toBe('0')
      expect(r2.status()[0]!.state).toBe('live')
    })

    test('rebuilding from 0 equals the live rows over 10,000 events', async () => {
      const store = newStore()
      const specs = generateHistory(10_000, 200, 99)
      const name = uniqueName()
      const projection = countingProjection(name)
      const r = runner({ store, projections: [projection], batchSize: 300 })
      await r.start()
      // appended while the runner runs, so that batches of every size occur
      let last: Position | undefined
      for (let i = 0; i < specs.length; i += 500) last = await appendAll(store, specs.slice(i, i + 500))
      await r.waitFor(last!, 60_000)
      const report = await verifyProjection(store, driver, projection)
      expect(report.differences).toEqual([])
      expect(report.documentsCompared).toBe(expectedTallies(specs).size)
      expect(report.position).toEqual(last)
      expect(await documents(name)).toEqual(expectedTallies(specs))

      // and a tampered row is reported
      await r.stop()
      await driver.query(`update read_models set state = jsonb_set(state, '{count}', '0') where projection = $1 and key = 'p0'`, [name])
      const tampered = await verifyProjection(store, driver, projection)
      expect(tampered.differences).toHaveLength(1)
      expect(tampered.differences[0]).toMatchObject({ key: 'p0', live: { count: 0 }, rebuilt: expectedTallies(specs).get('p0') })
    }, 120_000)

    test('waitFor resolves right after the append, and times out cleanly', async () => {
      const store = newStore()
      const name = uniqueName()
      const r = runner({ store, projections: [countingProjection(name)] })
      await r.start()
      for (let i = 1; i <= 3; i++) {
        const { position } = await store.appendToStream('partner-w', [
          { id: crypto.randomUUID(), type: 'Counted', data: { partnerId: 'w', amount: 5 }, metadata: meta() },
        ])
        await r.waitFor(position, 2000)
        expect(await readDocument<Tally>(driver, name, 'w')).toMatchObject({ count: i, total: 5 * i })
      }
      const future: Position = { commit: 1_000_000_000n, prepare: 1_000_000_000n }
      const error = await r.waitFor(future, 150).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProjectionWaitTimeout)
      expect((error as ProjectionWaitTimeout).projections).toEqual([name])
    })

    test('migrateProjections is idempotent and runs each projection\'s index DDL; readDocuments filters by keys', async () => {
      const name = uniqueName()
      const projection = {
        ...countingProjection(name),
        indexes: [`create index if not exists ${name}_count on read_models (((state->>'count')::int)) where projection = '${name}'`],
      }
      await migrateProjections(driver, [projection])
      await migrateProjections(driver, [projection])
      const { rows } = await driver.query<{ n: string }>(`select count(*)::text as n from pg_indexes where indexname = $1`, [`${name}_count`])
      expect(rows[0]!.n).toBe('1')

      const store = newStore()
      const specs = generateHistory(200, 5, 8)
      const last = await appendAll(store, specs)
      const r = runner({ store, projections: [projection] })
      await r.start()
      await r.waitFor(last!)
      const expected = expectedTallies(specs)
      expect(await readDocuments<Tally>(driver, name, { keys: ['p1', 'p3', 'nope'] })).toEqual(
        new Map([['p1', expected.get('p1')], ['p3', expected.get('p3')]]),
      )
      expect(await readDocument(driver, name, 'nope')).toBeUndefined()
      expect(await readDocument(driver, 'no-such-projection', 'p1')).toBeUndefined()
      expect(await activeVersion(driver, 'no-such-projection')).toBeUndefined()
    })

    test('waitFor with a stopped runner reads the checkpoints from the database', async () => {
      const store = newStore()
      const name = uniqueName()
      const r = runner({ store, projections: [countingProjection(name)] })
      await r.start()
      const last = await appendAll(store, generateHistory(20, 3, 1))
      await r.waitFor(last!)
      await r.stop()
      await r.waitFor(last!, 500)
      const after = await appendAll(store, generateHistory(5, 3, 2))
      await expect(r.waitFor(after!, 100)).rejects.toBeInstanceOf(ProjectionWaitTimeout)
    })
  })
}

function meta() {
  return { actor: 'user-1', tenant: 'vendor', occurredAt: new Date().toISOString(), correlationId: 'c', causationId: 'c', schemaVersion: 1 }
}

export function atOrAfter(a: Position, b: Position): boolean {
  return comparePositions(a, b) >= 0
}
