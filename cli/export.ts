// Writes a partner's history to standard output as JSON Lines (or CSV with --csv).
// Usage: npx tsx cli/export.ts <partnerId> [--csv] > history.jsonl
import { concernsPartner, EXPORT_COLUMNS, exportLine } from '../app/audit.server.ts'
import { fail, withServices } from './open.ts'

const args = process.argv.slice(2)
const partnerId = args.find((a) => !a.startsWith('--'))
if (!partnerId) fail('Usage: npx tsx cli/export.ts <partnerId> [--csv]', 2)
const csv = args.includes('--csv')

await withServices(async (services) => {
  const partner = await services.queries.organisations.byId(partnerId)
  if (!partner || partner.kind !== 'partner') fail(`No partner with id "${partnerId}"`, 1)
  if (csv) process.stdout.write(`${EXPORT_COLUMNS.join(',')}\n`)
  for await (const event of services.store.readAll()) {
    if (concernsPartner(event, partnerId)) process.stdout.write(exportLine(event, csv ? 'csv' : 'jsonl'))
  }
})
