// Downloads a claim's evidence file: for the partner that filed it, the vendor and the auditor; anyone else gets 404.
import { data } from 'react-router'
import type { Route } from './+types/evidence'
import { parseParams, RouteId, Sha256 } from '../../params.server.ts'
import { requireUser } from '../../auth.server.ts'
import { isPartnerRole } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ requestId: RouteId, sha256: Sha256 }, params, 'No evidence file with this id in your organisation.')
  const { services } = context
  const user = await requireUser(request, services)
  const found = await fundsQueries(services.sql).request(ids.requestId)
  const file = found?.claim?.evidence.find((f) => f.sha256 === ids.sha256)
  const allowed = found && (isPartnerRole(user.role) ? found.partnerId === user.organisationId : true)
  if (!found || !file || !allowed) throw data('No evidence file with this id in your organisation.', { status: 404 })
  const bytes = await services.files.get(file.sha256)
  if (!bytes) throw data('The file is missing from storage.', { status: 404 })
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `attachment; filename="${file.filename.replace(/[^\w.\- ]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600, immutable',
    },
  })
}
