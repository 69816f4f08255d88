// The runner's behaviour, run once per SQL backend (PGlite always, PostgreSQL when TEST_DATABASE_URL is set).
import { beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { comparePositions, type Position } from '../../eventstore/types.ts'
import {
  ProjectionWaitTimeout,
  activeVersion,
  migrateProjections,
  readCheckpoint,
  readCheckpoints,
  readDocument,
  readDocuments,
  readLog,
  jsonEqual,
  verifyProjection,
} from '../../projections/index.ts'
import {
  appendAll,
  collectingLogger,
  countingProjection,
  countingStore,
  eventually,
  expectedTallies,
  faultyDriver,
  gatedRebuildStore,
  gatedStore,
  generateHistory,
  loggingProjection,
  newStore,
  uniqueName,
  type Tally,
  useRunners,
} from './runner-fixtures.ts'

export function defineRunnerSuite(label: string, openDriver: () => Promise<{ driver: SqlDriver; close(): Promise<void> }>) {
  describe(`projection runner (${label})`, () => {
    const runners = useRunners(openDriver)
    const runner = runners.runner
    // the suite's tests read the open driver by this name
    let driver: SqlDriver
    beforeAll(() => {
      driver = runners.driver()
    })

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

    test('a document cache far smaller than the keys of a batch loses no state while the batch before commits', async () => {
      // each batch is folded while the one before it is written: a key the fold needs must not be lost from the cache
      // meanwhile (the batch before committing and the misses loading both add to it, pushing out its oldest entries)
      const store = newStore()
      const specs = generateHistory(4000, 300)
      const last = await appendAll(store, specs)
      const name = uniqueName()
      const r = runner({ store, projections: [countingProjection(name)], batchSize: 60, cacheSize: 5 })
      await r.start()
      await r.waitFor(last!, 30_000)
      expect(await documents(name)).toEqual(expectedTallies(specs))
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
      // waitFor does not wait for a failed projection: the retry is seen in the rows
      const expected = expectedTallies(specs)
      await eventually(async () => jsonEqual(Object.fromEntries(await documents(name)), Object.fromEntries(expected)), 10_000, 'the retry')
      await r.waitFor(last!, 10_000)
    })

    test('a lost database connection is waited out, not counted as a failure: no error logged, live again once it is back', async () => {
      const store = newStore()
      const specs = generateHistory(300, 10, 7)
      const name = uniqueName()
      const terminated = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
      const faulty = faultyDriver(driver, (sql) => sql.trimStart().startsWith('insert into read_models'), terminated)
      const logger = collectingLogger()
      faulty.failing = true
      const r = runner({ store, driver: faulty, projections: [countingProjection(name)], logger, batchSize: 40 })
      await r.start()
      const last = await appendAll(store, specs)
      await eventually(() => faulty.failures >= 3, 10_000, 'three tries during the outage')
      expect(r.status()[0]!.state).toBe('waiting-for-database')
      expect(logger.errors).toEqual([])
      faulty.failing = false
      await r.waitFor(last!, 10_000)
      expect(r.status()[0]!.state).toBe('live')
      expect(await documents(name)).toEqual(expectedTallies(specs))
      await r.stop()
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

    test('projections at the same place read the log once, in one transaction per batch', async () => {
      const inner = newStore()
      const specs = generateHistory(2000, 30, 31)
      const last = await appendAll(inner, specs)
      const store = countingStore(inner)
      const names = [uniqueName('shared'), uniqueName('shared'), uniqueName('shared')]
      // the projections each checkpoint move names: one transaction per batch moves all three
      const moves: number[] = []
      const counted: SqlDriver = { kind: driver.kind, query: driver.query.bind(driver), exec: driver.exec.bind(driver), listen: driver.listen.bind(driver), close: driver.close.bind(driver),
        transaction: (fn) =>
          driver.transaction((tx) =>
            fn({
              query(sql, params) {
                if (sql.trimStart().startsWith('update projection_checkpoints c')) moves.push((params![0] as string[]).length)
                return tx.query(sql, params)
              },
            }),
          ),
      }
      if ('pool' in driver) Object.assign(counted, { pool: (driver as { pool: unknown }).pool })
      const r = runner({ store, driver: counted, projections: names.map((name) => countingProjection(name)), batchSize: 500, catchUpEvents: 500 })
      await r.start()
      await r.waitFor(last!, 20_000)
      for (const name of names) expect(await documents(name)).toEqual(expectedTallies(specs))
      // one reader for the three of them, and every batch (500 events at most) written for all three together
      expect(store.opened).toBe(1)
      expect(store.delivered).toBe(specs.length)
      expect(moves.length).toBeGreaterThanOrEqual(Math.ceil(specs.length / 500))
      expect(new Set(moves)).toEqual(new Set([3]))
    })

    test('projections at different checkpoints each skip what they have, and end up sharing one reader', async () => {
      const inner = newStore()
      const specs = generateHistory(3000, 25, 41)
      const [a, b, c] = [uniqueName('at'), uniqueName('at'), uniqueName('at')]
      const first = await appendAll(inner, specs.slice(0, 1000))
      const r1 = runner({ store: inner, projections: [countingProjection(a)], batchSize: 200 })
      await r1.start()
      await r1.waitFor(first!)
      await r1.stop()
      const second = await appendAll(inner, specs.slice(1000, 2000))
      const r2 = runner({ store: inner, projections: [countingProjection(a), countingProjection(b)], batchSize: 200 })
      await r2.start()
      await r2.waitFor(second!)
      await r2.stop()
      const last = await appendAll(inner, specs.slice(2000))

      // a at 2,000, b at 2,000, c new (at the start): each folds exactly the events after its own checkpoint
      const evolved = { a: 0, b: 0, c: 0 }
      const store = countingStore(inner)
      const r3 = runner({
        store,
        projections: [
          countingProjection(a, 1, { onEvolve: () => evolved.a++ }),
          countingProjection(b, 1, { onEvolve: () => evolved.b++ }),
          countingProjection(c, 1, { onEvolve: () => evolved.c++ }),
        ],
        batchSize: 200,
      })
      await r3.start()
      await r3.waitFor(last!, 20_000)
      for (const name of [a, b, c]) expect(await documents(name)).toEqual(expectedTallies(specs))
      const folded = (from: number) => specs.slice(from).filter((spec) => spec.type !== 'Noted').length
      expect(evolved).toEqual({ a: folded(2000), b: folded(2000), c: folded(0) })
      // c caught up on a reader of its own, then joined the others': one reader left
      await eventually(() => store.open === 1, 5000, 'one reader')
      expect(store.opened).toBe(2)
      const more = generateHistory(100, 25, 42)
      const end = await appendAll(inner, more)
      await r3.waitFor(end!)
      for (const name of [a, b, c]) expect(await documents(name)).toEqual(expectedTallies([...specs, ...more]))
      const checkpoints = await Promise.all([a, b, c].map((name) => readCheckpoint(driver, name, 1)))
      expect(checkpoints.map((checkpoint) => checkpoint?.position)).toEqual([end, end, end])
    })

    test('a crash between batches leaves every projection at the same committed batch; the next runner counts once', async () => {
      const store = newStore()
      const specs = generateHistory(1500, 20, 51)
      const names = [uniqueName('crash'), uniqueName('crash')]
      const last = await appendAll(store, specs)
      // the process "dies" when it tries to write its fourth batch: nothing of that batch may be committed
      let batches = 0
      const dying = faultyDriver(driver, (sql) => sql.trimStart().startsWith('update projection_checkpoints c') && ++batches > 3)
      dying.failing = true
      const r1 = runner({ store, driver: dying, projections: names.map((name) => countingProjection(name)), batchSize: 200 })
      await r1.start()
      await eventually(() => r1.status().every((s) => s.state === 'failed'), 10_000, 'the crash')
      await r1.stop()
      const checkpoints = await Promise.all(names.map((name) => readCheckpoint(driver, name, 1)))
      expect(checkpoints[0]!.position).toEqual(checkpoints[1]!.position)
      expect(checkpoints[0]!.position.commit).toBeGreaterThan(0n)
      // rows and checkpoint agree: exactly the events up to the checkpoint are counted
      for (const name of names) {
        const report = await verifyProjection(store, driver, countingProjection(name))
        expect(report.differences).toEqual([])
      }
      // how many events the crashed runner had committed
      let committed = 0
      for await (const event of store.readAll()) {
        if (comparePositions(event.position, checkpoints[0]!.position) > 0) break
        committed++
      }
      expect(committed).toBeGreaterThan(0)
      expect(committed).toBeLessThan(specs.length)
      const evolved = [0, 0]
      const r2 = runner({ store, projections: names.map((name, i) => countingProjection(name, 1, { onEvolve: () => evolved[i]!++ })), batchSize: 200 })
      await r2.start()
      await r2.waitFor(last!)
      for (const name of names) expect(await documents(name)).toEqual(expectedTallies(specs))
      const after = specs.slice(committed).filter((spec) => spec.type !== 'Noted').length
      expect(evolved).toEqual([after, after])
    })

    test('a version bump rebuilds on a reader of its own while the other projections stay live; then one reader again', async () => {
      const inner = newStore()
      const specs = generateHistory(1200, 15, 61)
      const [rebuilt, live] = [uniqueName('bump'), uniqueName('live')]
      const head = await appendAll(inner, specs)
      const r1 = runner({ store: inner, projections: [countingProjection(rebuilt, 1), countingProjection(live, 1)], batchSize: 100 })
      await r1.start()
      await r1.waitFor(head!)
      await r1.stop()
      const v1 = await documents(rebuilt)

      const gated = gatedRebuildStore(inner, 300)
      const store = countingStore(gated)
      const r2 = runner({ store, projections: [countingProjection(rebuilt, 2, { factor: 2 }), countingProjection(live, 1)], batchSize: 100 })
      await r2.start()
      await eventually(() => r2.status()[0]!.state === 'building' && r2.status()[1]!.state === 'live', 10_000, 'building while live')
      // the live projection follows new events while the rebuild is held
      const more = generateHistory(200, 15, 62)
      const newHead = await appendAll(inner, more)
      await r2.waitFor(newHead!, 10_000)
      expect(await documents(live)).toEqual(expectedTallies([...specs, ...more]))
      expect(await activeVersion(driver, rebuilt)).toBe(1)
      expect(await documents(rebuilt)).toEqual(v1)
      expect(r2.status()[0]!.state).toBe('building')
      expect(store.open).toBe(2)

      gated.release()
      await eventually(async () => (await activeVersion(driver, rebuilt)) === 2, 20_000, 'the swap')
      const end = await appendAll(inner, generateHistory(20, 15, 63))
      await r2.waitFor(end!)
      const all = [...specs, ...more, ...generateHistory(20, 15, 63)]
      const doubled = new Map([...expectedTallies(all)].map(([key, tally]) => [key, key === 'settings' ? tally : { ...tally, count: tally.count * 2, total: tally.total * 2 }]))
      expect(await documents(rebuilt)).toEqual(doubled)
      expect(await documents(live)).toEqual(expectedTallies(all))
      await eventually(() => store.open === 1, 5000, 'one reader again')
    })

    test('a log field is stored as rows, not rewritten in the document; verify and readLog put it back together', async () => {
      const store = newStore()
      const specs = generateHistory(1500, 10, 71)
      const name = uniqueName('logged')
      const projection = loggingProjection(name)
      const r = runner({ store, projections: [projection], batchSize: 150 })
      await r.start()
      let last: Position | undefined
      for (let i = 0; i < specs.length; i += 300) last = await appendAll(store, specs.slice(i, i + 300))
      await r.waitFor(last!, 20_000)
      const amounts = (partnerId: string) => specs.flatMap((spec) => (spec.type === 'Counted' && spec.partnerId === partnerId ? [spec.amount] : []))
      const doc = await readDocument<{ count: number; history: unknown[] }>(driver, name, 'p3')
      expect(doc).toEqual({ count: amounts('p3').length, history: [] })
      const log = await readLog<{ amount: number; n: number }>(driver, name, 'p3', 'history')
      expect(log).toEqual(amounts('p3').map((amount, i) => ({ amount, n: i + 1 })))
      expect(await readLog(driver, name, 'p3', 'history', { limit: 2 })).toEqual(log.slice(-2))
      const report = await verifyProjection(store, driver, projection)
      expect(report.differences).toEqual([])
      // a tampered entry is reported
      await r.stop()
      await driver.query(`update read_model_logs set entry = jsonb_set(entry, '{amount}', '-1') where projection = $1 and key = 'p3' and idx = 0 and position_prepare = (select min(position_prepare) from read_model_logs where projection = $1 and key = 'p3')`, [name])
      expect((await verifyProjection(store, driver, projection)).differences.map((d) => d.key)).toEqual(['p3'])
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
