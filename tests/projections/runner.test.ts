// The projection runner against the memory event store with read models in embedded PGlite.
import { createPGliteDriver } from '../../eventstore/postgres/pglite-driver.ts'
import { defineRunnerSuite } from './runner-suite.ts'

defineRunnerSuite('PGlite', async () => {
  const driver = await createPGliteDriver()
  return { driver, close: () => driver.close() }
})
