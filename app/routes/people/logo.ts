// Serves a partner's uploaded logo to the people who may see it: the partner's own users, the vendor and the auditor.
import { data } from 'react-router'
import type { Route } from './+types/logo'
import { parseParams, RouteId, Sha256 } from '../../params.server.ts'
import { requireUser } from '../../auth.server.ts'
import { isPartnerRole } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId, sha256: Sha256 }, params, 'No such logo.')
  const { services } = context
  const user = await requireUser(request, services)
  const missing = () => data('No such logo.', { status: 404 })
  if (isPartnerRole(user.role) && user.organisationId !== ids.partnerId) throw missing()
  const partner = await peopleQueries(services.sql).partner(ids.partnerId)
  // only the partner's current logo: the file store holds other areas' files too, which this route must not hand out
  if (!partner?.profile?.logo || partner.profile.logo.sha256 !== ids.sha256) throw missing()
  const bytes = await services.files.get(ids.sha256)
  if (!bytes) throw missing()
  const type = bytes[0] === 0x89 && bytes[1] === 0x50 ? 'image/png' : bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : null
  if (!type) throw missing()
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': type,
      'Content-Length': String(bytes.byteLength),
      // content-addressed, but private to the people allowed above
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
