import { data } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/export-download'
import { concernsPartner, EXPORT_COLUMNS, exportLine } from '../../audit.server.ts'
import { requireUser } from '../../auth.server.ts'
import { parseSearch, RouteId } from '../../params.server.ts'
import { signedExportLines } from '../../signed-export.server.ts'
import { isoDay } from '../../format.ts'

/**
 * A partner's history as JSON Lines, CSV, or JSON Lines signed with the deployment's key (signed-export.server.ts):
 * every event whose data names the partner, in log order.
 */
export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'audit:read')
  const { partner: partnerId, format } = parseSearch({ partner: RouteId, format: z.enum(['jsonl', 'csv', 'signed']).default('jsonl') }, url)
  const partner = await services.queries.organisations.byId(partnerId)
  if (!partner || partner.kind !== 'partner') throw data('No partner with this id.', { status: 404 })
  const encoder = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (format === 'signed') {
          const events = (async function* () {
            for await (const event of services.store.readAll()) if (concernsPartner(event, partnerId)) yield exportLine(event, 'jsonl')
          })()
          const header = { partnerId, exportedAt: services.clock().toISOString() }
          for await (const line of signedExportLines(services.signingKey, header, events)) controller.enqueue(encoder.encode(line))
        } else {
          if (format === 'csv') controller.enqueue(encoder.encode(`${EXPORT_COLUMNS.join(',')}\n`))
          for await (const event of services.store.readAll()) {
            if (concernsPartner(event, partnerId)) controller.enqueue(encoder.encode(exportLine(event, format)))
          }
        }
        controller.close()
      } catch (error) {
        controller.error(error)
      }
    },
  })
  const filename = `partnerlog-${partnerId}-${isoDay(services.clock())}.${format === 'signed' ? 'signed.jsonl' : format}`
  return new Response(stream, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
