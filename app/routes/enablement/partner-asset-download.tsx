// The asset's current file, for a partner in its audience; the download is recorded as AssetDownloaded.
import type { Route } from './+types/partner-asset-download'
import { parseParams, RouteId } from '../../params.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { partnerAsset } from './common.server.ts'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id in your library.')
  const { services } = context
  const { user, asset } = await partnerAsset(request, services, ids.assetId)
  const bytes = await services.files.get(asset.file.sha256)
  if (!bytes) throw new Response('The file of this asset is missing from storage; tell your channel manager.', { status: 404 })
  await services.commands.enablement.recordUse({ actor: toActor(user) }, asset.assetId, 'downloaded')
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': asset.file.contentType,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `attachment; filename="${asset.file.filename.replace(/["\\\r\n]/g, '_')}"`,
      // an uploaded HTML file never runs script in the portal's origin
      'Content-Security-Policy': "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'",
      'Cache-Control': 'private, no-store',
    },
  })
}
