// Verifies the log's hash chain, then its seals, then rebuilds every projection in memory and compares it with the
// live read models, naming the first broken event or seal, every difference and every stopped read model.
// Usage: npx tsx cli/verify.ts [--anchors <file>] [--public-key <PEM file>]...  (exit 1 findings, 2 usage, 3 no store)
import fs from 'node:fs'
import { parseAnchorLine, type Seal } from '../eventstore/seal.ts'
import { chainHoldsFrom, describeBroken, verifyLog } from '../eventstore/verify-log.ts'
import { allProjections } from '../projections/all.ts'
import { failedProjectionLine, failedProjections } from '../projections/failed-events.ts'
import { readFailures } from '../projections/store.ts'
import { verifyProjection } from '../projections/time-travel.ts'
import { describeBrokenSeal, describeSealed, verifySeals } from '../eventstore/verify-seals.ts'
import { sealCheck, sealStorageOf } from '../app/sealer.server.ts'
import { fail, withServices } from './open.ts'

const usage = 'Usage: npm run verify [-- --anchors <file> --public-key <PEM file> ...]'
const args = process.argv.slice(2)
const option = (name: string) => {
  const at = args.indexOf(name)
  if (at < 0) return undefined
  const value = args[at + 1]
  if (!value || value.startsWith('--')) fail(`${name} needs a file\n${usage}`, 2)
  return value
}
const read = (file: string, what: string) => {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (error) {
    return fail(`Cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`, 2)
  }
}
const anchorsFile = option('--anchors')
const publicKeyFiles = args.flatMap((a, i) => (a === '--public-key' ? [args[i + 1]] : [])).map((file) =>
  !file || file.startsWith('--') ? fail(`--public-key needs a file\n${usage}`, 2) : file)
for (let i = 0; i < args.length; i += 2) if (args[i] !== '--anchors' && args[i] !== '--public-key') fail(`Unknown argument ${args[i]}\n${usage}`, 2)
const anchors: Seal[] | undefined = anchorsFile
  ? read(anchorsFile, 'the anchors').split('\n').map(parseAnchorLine).filter((seal): seal is Seal => seal !== null)
  : undefined
const pinnedKeys = publicKeyFiles.map((file) => {
  const key = read(file, 'the public key')
  try {
    sealCheck(key)
  } catch (error) {
    fail(`The public key in ${file} ${error instanceof Error ? error.message : String(error)}`, 2)
  }
  return key
})

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

  // the seals catch what the chain cannot: a stream's tail rewritten or deleted consistently
  const storage = sealStorageOf(services)
  if (!storage) {
    console.log('SEAL the events are in EventStoreDB: they are not sealed')
  } else {
    const keys = pinnedKeys.length > 0 ? pinnedKeys : [services.signingKey.publicKeyPem]
    const seals = await verifySeals(storage, sealCheck(...keys), anchors ? { anchors } : {})
    const key = pinnedKeys.length > 0 ? `pinned key${pinnedKeys.length > 1 ? 's' : ''} from ${publicKeyFiles.join(', ')}` : `the deployment's public key ${services.signingKey.keyId}`
    if (seals.firstBroken) {
      console.log(`BROKEN seals: checked with ${key}; ${seals.sealsVerified} seal(s) intact before it`)
      console.log(`     first broken seal: ${describeBrokenSeal(seals.firstBroken)}`)
      console.log('     the read models are not compared: they would be rebuilt from an altered log')
      return 1
    }
    const anchored = anchors ? `; ${seals.anchorsCompared} of ${anchors.length} anchored seal(s) match` : ''
    console.log(`ok   seals: ${describeSealed(seals)} (checked with ${key}${anchored})`)
  }

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
