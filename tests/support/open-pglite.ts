// Child-process helper for tests: tries to open a PGlite data directory and prints the outcome as one JSON line.
// Usage: node --import tsx tests/support/open-pglite.ts <dataDir>
import { createPGliteDriver } from '../../eventstore/postgres/pglite-driver.ts'

const dataDir = process.argv[2]
if (!dataDir) {
  process.stdout.write(JSON.stringify({ ok: false, name: 'Usage', message: 'open-pglite.ts <dataDir>' }) + '\n')
  process.exit(2)
}
try {
  const driver = await createPGliteDriver({ dataDir })
  await driver.query('select 1')
  await driver.close()
  process.stdout.write(JSON.stringify({ ok: true }) + '\n')
} catch (error) {
  const { name, message } = error as Error
  process.stdout.write(JSON.stringify({ ok: false, name, message }) + '\n')
  process.exitCode = 1
}
