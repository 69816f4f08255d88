// Writes a partner's history to standard output as JSON Lines (or CSV with --csv, or signed JSON Lines with --signed).
// Usage: npx tsx cli/export.ts <partnerId> [--csv | --signed] > history.jsonl
import { concernsPartner, EXPORT_COLUMNS, exportLine } from '../app/audit.server.ts'
import { signedExportLines } from '../app/signed-export.server.ts'
import { fail, withServices } from './open.ts'

const usage = 'Usage: npx tsx cli/export.ts <partnerId> [--csv | --signed]'
const args = process.argv.slice(2)
const partnerId = args.find((a) => !a.startsWith('--'))
if (!partnerId) fail(usage, 2)
const csv = args.includes('--csv')
const signed = args.includes('--signed')
if (csv && signed) fail(`--csv and --signed do not go together (a signed export is JSON Lines)\n${usage}`, 2)

await withServices(async (services) => {
  const partner = await services.queries.organisations.byId(partnerId)
  if (!partner || partner.kind !== 'partner') fail(`No partner with id "${partnerId}"`, 1)
  if (signed) {
    const events = (async function* () {
      for await (const event of services.store.readAll()) if (concernsPartner(event, partnerId)) yield exportLine(event, 'jsonl')
    })()
    const header = { partnerId, exportedAt: services.clock().toISOString() }
    for await (const line of signedExportLines(services.signingKey, header, events)) process.stdout.write(line)
    return
  }
  if (csv) process.stdout.write(`${EXPORT_COLUMNS.join(',')}\n`)
  for await (const event of services.store.readAll()) {
    if (concernsPartner(event, partnerId)) process.stdout.write(exportLine(event, csv ? 'csv' : 'jsonl'))
  }
})
