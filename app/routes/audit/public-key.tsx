import type { Route } from './+types/public-key'
import { requireUser } from '../../auth.server.ts'

/** The deployment's Ed25519 public key (SPKI PEM), to pin for `npm run verify-export -- <file> --public-key <it>`. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'audit:read')
  return new Response(services.signingKey.publicKeyPem, {
    headers: {
      'Content-Type': 'application/x-pem-file; charset=utf-8',
      'Content-Disposition': `attachment; filename="partnerlog-public-key-${services.signingKey.keyId}.pem"`,
      'X-Key-Id': services.signingKey.keyId,
      'Cache-Control': 'no-store',
    },
  })
}
