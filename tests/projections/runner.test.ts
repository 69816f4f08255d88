// The projection runner against the memory event store with read models in embedded PGlite.
import { freshPGliteDriver } from '../support/pglite.ts'
import { defineRunnerSuite } from './runner-suite.ts'

defineRunnerSuite('PGlite', async () => {
  const driver = await freshPGliteDriver()
  return { driver, close: () => driver.close() }
})
