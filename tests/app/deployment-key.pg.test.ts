// The deployment's key on a PostgreSQL server: processes asking at the same time on an empty database all get the one key.
import { afterAll, describe, expect, test } from 'vitest'
import { migrateAuth } from '../../app/auth.server.ts'
import { deploymentKey } from '../../app/deployment-key.server.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const SUITE = 'deployment key on PostgreSQL'
const baseUrl = postgresOrSkip(SUITE)
let database: TestDatabase | undefined
const drivers: SqlDriver[] = []

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()))
  await database?.drop()
})

if (baseUrl) {
  describe(SUITE, () => {
    test('drivers of their own (as processes) racing on an empty database agree on one key', async () => {
      database = await createTestDatabase(baseUrl, 'signing_key')
      for (let i = 0; i < 6; i++) drivers.push(await createPgDriver(database.url))
      await migrateAuth(drivers[0]!)
      const keys = await Promise.all(drivers.map((driver) => deploymentKey(driver, undefined)))
      expect(new Set(keys.map((k) => k.keyId)).size).toBe(1)
      expect(await database.query(`select name from app_secrets where name = 'signing-key'`)).toHaveLength(1)
    }, 60_000)
  })
}
