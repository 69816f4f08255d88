// Failed events against the memory event store with read models in embedded PGlite.
import { freshPGliteDriver } from '../support/pglite.ts'
import { defineRunnerFailureSuite } from './runner-failures-suite.ts'

defineRunnerFailureSuite('PGlite', async () => {
  const driver = await freshPGliteDriver()
  return { driver, close: () => driver.close() }
})
