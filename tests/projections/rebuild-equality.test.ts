// Rebuilding every projection from position 0 gives exactly the rows the live runner produced, over a generated history.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { appendHistory, generateHistory } from '../../cli/generate-history.ts'
import { createDomainCodec } from '../../app/codec.server.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { allProjections } from '../../projections/all.ts'
import { createProjectionRunner, type ProjectionRunner } from '../../projections/runner.ts'
import { verifyProjection } from '../../projections/time-travel.ts'
import { freshPGliteDriver } from '../support/pglite.ts'

const EVENTS = 12_000
const quiet = { info() {}, warn() {}, error() {} }

describe('rebuild equality', () => {
  const store = createMemoryEventStore({ codec: createDomainCodec() })
  let driver: SqlDriver
  let runner: ProjectionRunner

  beforeAll(async () => {
    driver = await freshPGliteDriver()
    runner = createProjectionRunner({ store, driver, projections: allProjections, batchSize: 250, logger: quiet })
    await runner.start()
  }, 120_000)

  afterAll(async () => {
    await runner?.stop()
    await store.close()
    await driver?.close()
  })

  test('the generated history is deterministic and large enough', () => {
    const a = generateHistory({ partners: 5, events: 300, seed: 3 })
    const b = generateHistory({ partners: 5, events: 300, seed: 3 })
    expect(a).toEqual(b)
    expect(a).toHaveLength(300)
  })

  test(`${EVENTS} events appended while the runner is live; verifyProjection finds no difference in any projection`, async () => {
    const history = generateHistory({ partners: 60, events: EVENTS, seed: 11 })
    expect(history.length).toBeGreaterThanOrEqual(10_000)
    // appended in slices while the runner folds, so batches split everywhere
    for (let i = 0; i < history.length; i += 2000) await appendHistory(store, history.slice(i, i + 2000))
    let last
    for await (const event of store.readAll()) last = event.position
    await runner.waitFor(last!, 240_000)
    for (const projection of allProjections) {
      const report = await verifyProjection(store, driver, projection)
      expect({ projection: projection.name, differences: report.differences.slice(0, 2) }).toEqual({ projection: projection.name, differences: [] })
    }
    // the insight projections have rows for the partners
    const { rows } = await driver.query<{ projection: string; n: number }>(
      `select projection, count(*)::int as n from read_models where projection in ('journey', 'trust', 'program') group by projection order by projection`,
    )
    expect(Object.fromEntries(rows.map((r) => [r.projection, r.n]))).toMatchObject({ journey: 61, trust: expect.any(Number) })
  }, 600_000)
})
