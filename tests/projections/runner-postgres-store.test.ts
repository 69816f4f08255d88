// The runner fed by the Postgres event store (events and read models in one database), as the portal runs by default.
import { afterEach, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { migrate } from '../../eventstore/postgres/schema.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import type { EventStore } from '../../eventstore/types.ts'
import { createProjectionRunner, readDocument, readDocuments, verifyProjection, type ProjectionRunner } from '../../projections/index.ts'
import { freshPGliteDriver, isolatedPostgresSchema, testDatabaseUrl } from '../support/pglite.ts'
import { appendAll, collectingLogger, countingProjection, eventually, expectedTallies, generateHistory, testCodec, toNewEvent, type Tally } from './runner-fixtures.ts'

type Backend = { label: string; open(): Promise<{ driver: SqlDriver; close(): Promise<void> }> }

const backends: Backend[] = [
  {
    label: 'PGlite',
    async open() {
      const driver = await freshPGliteDriver()
      return { driver, close: () => driver.close() }
    },
  },
]
const url = testDatabaseUrl()
if (url) {
  backends.push({
    label: 'PostgreSQL',
    async open() {
      const isolated = await isolatedPostgresSchema(url, 'projections_store')
      const driver = await createPgDriver(isolated.url)
      await migrate(driver)
      return {
        driver,
        async close() {
          await driver.close()
          await isolated.drop()
        },
      }
    },
  })
} else {
  console.info('tests/projections/runner-postgres-store.test.ts: PostgreSQL variant skipped, TEST_DATABASE_URL is not set')
}

describe.each(backends)('projection runner over the Postgres event store ($label)', (backend) => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function setUp(): Promise<{ driver: SqlDriver; store: EventStore; start(runner: ProjectionRunner): Promise<void> }> {
    const { driver, close } = await backend.open()
    const store = createPostgresEventStore({ driver, codec: testCodec })
    cleanups.push(async () => {
      await store.close()
      await close()
    })
    return {
      driver,
      store,
      async start(runner) {
        cleanups.push(() => runner.stop())
        await runner.start()
      },
    }
  }

  test('live events reach the read model as they are appended', async () => {
    const { driver, store, start } = await setUp()
    const projection = countingProjection('counting')
    const runner = createProjectionRunner({ store, driver, projections: [projection], logger: collectingLogger() })
    await start(runner)
    await eventually(() => runner.status()[0]!.state === 'live', 10_000, 'live')
    // the first statements on a fresh database are planned cold (about 80 ms on PGlite, most of it the append itself)
    await store.appendToStream('partner-live', [toNewEvent({ type: 'Counted', partnerId: 'live', amount: 1 })])
    await eventually(async () => (await readDocument<Tally>(driver, 'counting', 'live'))?.count === 1, 2000, 'warm-up')
    const latencies: number[] = []
    for (let i = 2; i <= 6; i++) {
      const started = performance.now()
      await store.appendToStream('partner-live', [toNewEvent({ type: 'Counted', partnerId: 'live', amount: 1 })])
      await eventually(async () => (await readDocument<Tally>(driver, 'counting', 'live'))?.count === i, 2000, `event ${i}`)
      latencies.push(performance.now() - started)
    }
    console.info(`${backend.label} append-to-read-model latencies (ms):`, latencies.map((l) => Math.round(l)).join(', '))
    expect(latencies).toHaveLength(5) // timings are printed above and measured by `npm run bench`, not asserted
  })

  test('history, restart, version bump and verification agree with an independent count', async () => {
    const { driver, store, start } = await setUp()
    const specs = generateHistory(2000, 40, 77)
    await appendAll(store, specs.slice(0, 1000))
    const v1 = countingProjection('counting', 1)
    const first = createProjectionRunner({ store, driver, projections: [v1], batchSize: 200, logger: collectingLogger() })
    await start(first)
    const mid = await appendAll(store, specs.slice(1000, 1500))
    await first.waitFor(mid!, 20_000)
    expect(await readDocuments<Tally>(driver, 'counting')).toEqual(expectedTallies(specs.slice(0, 1500)))
    await first.stop()

    const v2 = countingProjection('counting', 2)
    const second = createProjectionRunner({ store, driver, projections: [v2], batchSize: 200, logger: collectingLogger() })
    await start(second)
    const last = await appendAll(store, specs.slice(1500))
    await eventually(() => second.status()[0]!.state === 'live', 20_000, 'v2 swapped in and live')
    await second.waitFor(last!, 20_000)
    expect(await readDocuments<Tally>(driver, 'counting')).toEqual(expectedTallies(specs))
    const report = await verifyProjection(store, driver, v2)
    expect(report.differences).toEqual([])
    expect(report.position).toEqual(last)
  }, 120_000)
})
