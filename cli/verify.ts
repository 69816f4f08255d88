// Verifies the event log's hash chain first (every hash, link and revision: the first broken event is named), then
// rebuilds every projection from position 0 in memory and compares with the live read models, and names every read
// model that stopped on an event (its rows end before it, so it cannot be called identical: decision 010).
// Usage: npx tsx cli/verify.ts   (exit 0: log intact and read models identical; 1: a broken log, differences or stopped
// read models, listed; 3: the store could not be opened)
import { chainHoldsFrom, describeBroken, verifyLog } from '../eventstore/verify-log.ts'
import { allProjections } from '../projections/all.ts'
import { failedProjectionLine, failedProjections } from '../projections/failed-events.ts'
import { readFailures } from '../projections/store.ts'
import { verifyProjection } from '../projections/time-travel.ts'
import { withServices } from './open.ts'

const problems = await withServices(async (services) => {
  await services.runner.stop() // compare against a still picture of the read models
  // the log first: read models rebuilt from an altered log would match it
  if (!services.store.chain) {
    console.log('LOG  this event store keeps no hash chain: the log is not verified')
    return 1
  }
  const log = await verifyLog(services.store.chain)
  const holds = chainHoldsFrom(log)
  const since = log.migratedAt ? ` (events before it were chained by the migration at ${log.migratedAt.toISOString()})` : ''
  if (log.firstBroken) {
    console.log(`BROKEN log: ${log.eventsVerified} events in ${log.streamsVerified} streams checked, ${log.brokenCount} break(s) of the hash chain`)
    console.log(`     first broken event: ${describeBroken(log.firstBroken)}`)
    console.log('     the read models are not compared: they would be rebuilt from an altered log')
    return 1
  }
  console.log(`ok   log: ${log.eventsVerified} events in ${log.streamsVerified} streams, every hash and link holds; the chain holds from position ${holds}${since}`)

  const failed = failedProjections(services.runner.status(), await readFailures(services.sql))
  const stopped = new Set(failed.map((f) => f.projection))
  let total = 0
  for (const projection of allProjections) {
    const report = await verifyProjection(services.store, services.sql, projection)
    total += report.differences.length
    const verdict = stopped.has(projection.name) ? 'STOP' : report.differences.length === 0 ? 'ok  ' : 'DIFF'
    console.log(`${verdict} ${projection.name} v${projection.version}: ${report.documentsCompared} documents, ${report.differences.length} different`)
    for (const difference of report.differences.slice(0, 5)) console.log(`     ${difference.key}: live ${JSON.stringify(difference.live)} rebuilt ${JSON.stringify(difference.rebuilt)}`)
  }
  for (const failure of failed) console.log(`FAILED ${failedProjectionLine(failure)}`)
  if (failed.length > 0) console.log(`${failed.length} read model(s) stopped on an event: fix the projection (docs/decisions/010) and restart the portal`)
  return total + failed.length
})
process.exit(problems === 0 ? 0 : 1)
