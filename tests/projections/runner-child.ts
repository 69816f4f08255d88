// A projection runner in a process of its own (for runner-sigstop.pg.test.ts): the counting projection over the Postgres
// event store at CHILD_DATABASE_URL; prints one JSON line per log message and 'live' once it runs the projection.
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createPostgresEventStore } from '../../eventstore/postgres/store.ts'
import { createProjectionRunner } from '../../projections/runner.ts'
import { countingProjection, testCodec } from './runner-fixtures.ts'

const url = process.env.CHILD_DATABASE_URL!
const name = process.env.CHILD_PROJECTION!
const driver = await createPgDriver(url)
const store = createPostgresEventStore({ driver, codec: testCodec })
const say = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`)
const runner = createProjectionRunner({
  store, driver, projections: [countingProjection(name)], lockRetryMs: 100, leaseMs: Number(process.env.CHILD_LEASE_MS ?? 1000), retryDelayMs: 50,
  logger: {
    info: (message, details) => say({ level: 'info', message, details }),
    warn: (message, details) => say({ level: 'warn', message, details }),
    error: (message, details) => say({ level: 'error', message, details }),
  },
})
await runner.start()
const timer = setInterval(() => say({ level: 'state', state: runner.status()[0]!.state }), 50)
process.on('SIGTERM', () => {
  clearInterval(timer)
  void runner.stop().then(() => driver.close()).then(() => process.exit(0))
})
