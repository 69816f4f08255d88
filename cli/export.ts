// Writes a partner's history to standard output as JSON Lines (or CSV with --csv).
// Usage: npx tsx cli/export.ts <partnerId> [--csv] > history.jsonl
import { EXPORT_COLUMNS, toCsvRow } from '../app/audit.server.ts'
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
    if ((event.data as { partnerId?: unknown })?.partnerId !== partnerId && event.streamId !== `partner-${partnerId}`) continue
    const row = {
      globalPosition: event.globalPosition.toString(), occurredAt: event.metadata.occurredAt, recordedAt: event.recordedAt.toISOString(),
      type: event.type, streamId: event.streamId, streamRevision: event.streamRevision.toString(), actor: event.metadata.actor,
      tenant: event.metadata.tenant, eventId: event.id, data: event.data, metadata: event.metadata,
    }
    process.stdout.write(csv ? `${toCsvRow(EXPORT_COLUMNS.map((c) => row[c]))}\n` : `${JSON.stringify(row)}\n`)
  }
})
