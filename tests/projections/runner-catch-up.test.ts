// Catch-up writes (decision 027): far behind the head, several read batches are folded into one write per projection.
import { beforeAll, describe, expect, test } from 'vitest'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { readCheckpoint, readDocuments, readLog } from '../../projections/index.ts'
import { freshPGliteDriver } from '../support/pglite.ts'
import { appendAll, countingProjection, expectedTallies, generateHistory, loggingProjection, newStore, uniqueName, useRunners } from './runner-fixtures.ts'

/** Counts the runner's batch transactions (one checkpoint move each), where they moved to, and the documents they upsert. */
function countingWrites(driver: SqlDriver) {
  const counts = { writes: 0, documents: 0, to: [] as bigint[] }
  const counted: SqlDriver = {
    kind: driver.kind, query: driver.query.bind(driver), exec: driver.exec.bind(driver), listen: driver.listen.bind(driver), close: driver.close.bind(driver),
    transaction: (fn) =>
      driver.transaction((tx) =>
        fn({
          query(sql, params, options) {
            if (sql.trimStart().startsWith('update projection_checkpoints c')) {
              counts.writes++
              counts.to.push(BigInt(params![5] as string))
            }
            if (sql.trimStart().startsWith('insert into read_models')) counts.documents += (params![0] as unknown[]).length
            return tx.query(sql, params, options)
          },
        }),
      ),
  }
  return { counted, counts }
}

describe('catch-up writes (PGlite)', () => {
  const runners = useRunners(async () => {
    const driver = await freshPGliteDriver()
    return { driver, close: () => driver.close() }
  })
  let driver: SqlDriver
  beforeAll(() => {
    driver = runners.driver()
  })

  test('read batches far behind the head are folded into fewer writes, with the same documents and logs', async () => {
    const store = newStore()
    const specs = generateHistory(3000, 20, 11)
    const last = await appendAll(store, specs)
    const [counting, logging] = [uniqueName(), uniqueName('logging')]
    const { counted, counts } = countingWrites(driver)
    // every event counts as old: the lane is replaying history from its first batch
    const r = runners.runner({ store, driver: counted, projections: [countingProjection(counting), loggingProjection(logging)], batchSize: 100, catchUpEvents: 1000, catchUpAgeMs: 0 })
    await r.start()
    await r.waitFor(last!, 20_000)
    expect(await readDocuments(driver, counting)).toEqual(expectedTallies(specs))
    expect((await readCheckpoint(driver, counting, 1))?.position).toEqual(last)
    expect((await readCheckpoint(driver, logging, 1))?.position).toEqual(last)
    // a write takes up to 10 read batches of 100 (how many depends on how fast the reader fills them): some took more than one
    const moved = counts.to.map((to, index) => to - (index === 0 ? 0n : counts.to[index - 1]!))
    expect(moved.some((events) => events > 100n)).toBe(true)
    expect(moved.every((events) => events <= 1000n)).toBe(true)
    // each partner's documents written once per write, not once per read batch
    expect(counts.documents).toBeLessThanOrEqual(counts.writes * (21 + 20))
    const partner = specs.find((spec) => spec.type === 'Counted')!
    if (partner.type !== 'Counted') throw new Error('no counted event')
    const amounts = specs.flatMap((spec) => (spec.type === 'Counted' && spec.partnerId === partner.partnerId ? [spec.amount] : []))
    const history = await readLog<{ amount: number; n: number }>(driver, logging, partner.partnerId, 'history')
    expect(history).toEqual(amounts.map((amount, index) => ({ amount, n: index + 1 })))
  })

  test('a write stops taking read batches once what it holds reaches catchUpBytes (decision 031)', async () => {
    const store = newStore()
    const specs = generateHistory(1500, 20, 12)
    const last = await appendAll(store, specs)
    const name = uniqueName()
    const { counted, counts } = countingWrites(driver)
    // any event weighs more than this bound: no write takes a second read batch
    const r = runners.runner({ store, driver: counted, projections: [countingProjection(name)], batchSize: 100, catchUpEvents: 1000, catchUpBytes: 1, catchUpAgeMs: 0 })
    await r.start()
    await r.waitFor(last!, 20_000)
    expect(await readDocuments(driver, name)).toEqual(expectedTallies(specs))
    const moved = counts.to.map((to, index) => to - (index === 0 ? 0n : counts.to[index - 1]!))
    expect(moved.every((events) => events <= 100n)).toBe(true)
  })

  test('near the head (fresh events, nothing read ahead) every batch is written as it comes', async () => {
    const store = newStore()
    const name = uniqueName()
    const { counted, counts } = countingWrites(driver)
    const r = runners.runner({ store, driver: counted, projections: [countingProjection(name)], batchSize: 100 })
    await r.start()
    const specs = generateHistory(20, 5, 3)
    let last
    for (const spec of specs) {
      last = await appendAll(store, [spec])
      await r.waitFor(last!, 5000)
    }
    expect(await readDocuments(driver, name)).toEqual(expectedTallies(specs))
    expect(counts.writes).toBe(specs.length)
  })
})
