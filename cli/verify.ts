// Rebuilds every projection from position 0 in memory and compares with the live read models.
// Usage: npx tsx cli/verify.ts   (exit 0: identical; 1: differences, listed; 3: the store could not be opened)
import { allProjections } from '../projections/all.ts'
import { verifyProjection } from '../projections/time-travel.ts'
import { withServices } from './open.ts'

const different = await withServices(async (services) => {
  await services.runner.stop() // compare against a still picture of the read models
  let total = 0
  for (const projection of allProjections) {
    const report = await verifyProjection(services.store, services.sql, projection)
    total += report.differences.length
    console.log(`${report.differences.length === 0 ? 'ok  ' : 'DIFF'} ${projection.name} v${projection.version}: ${report.documentsCompared} documents, ${report.differences.length} different`)
    for (const difference of report.differences.slice(0, 5)) console.log(`     ${difference.key}: live ${JSON.stringify(difference.live)} rebuilt ${JSON.stringify(difference.rebuilt)}`)
  }
  return total
})
process.exit(different === 0 ? 0 : 1)
