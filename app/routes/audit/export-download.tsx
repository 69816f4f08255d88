import { data } from 'react-router'
import type { Route } from './+types/export-download'
import { EXPORT_COLUMNS, toCsvRow } from '../../audit.server.ts'
import { requireUser } from '../../auth.server.ts'

/** A partner's history as JSON Lines or CSV: every event whose data names the partner, in log order. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'audit:read')
  const url = new URL(request.url)
  const partnerId = url.searchParams.get('partner') ?? ''
  const format = url.searchParams.get('format') ?? 'jsonl'
  if (format !== 'jsonl' && format !== 'csv') throw data('Choose the format jsonl or csv.', { status: 400 })
  const partner = await services.queries.organisations.byId(partnerId)
  if (!partner || partner.kind !== 'partner') throw data('No partner with this id.', { status: 404 })
  const encoder = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (format === 'csv') controller.enqueue(encoder.encode(`${EXPORT_COLUMNS.join(',')}\n`))
        for await (const event of services.store.readAll()) {
          const payload = event.data as { partnerId?: unknown }
          if (payload?.partnerId !== partnerId && event.streamId !== `partner-${partnerId}`) continue
          const row = {
            globalPosition: event.globalPosition.toString(), occurredAt: event.metadata.occurredAt, recordedAt: event.recordedAt.toISOString(),
            type: event.type, streamId: event.streamId, streamRevision: event.streamRevision.toString(), actor: event.metadata.actor,
            tenant: event.metadata.tenant, eventId: event.id, data: event.data, metadata: event.metadata,
          }
          controller.enqueue(encoder.encode(format === 'csv' ? `${toCsvRow(EXPORT_COLUMNS.map((c) => row[c]))}\n` : `${JSON.stringify(row)}\n`))
        }
        controller.close()
      } catch (error) {
        controller.error(error)
      }
    },
  })
  const filename = `partnerlog-${partnerId}-${services.clock().toISOString().slice(0, 10)}.${format}`
  return new Response(stream, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
