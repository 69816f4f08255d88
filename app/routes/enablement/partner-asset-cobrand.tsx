// The asset co-branded for the partner as HTML or PDF; recorded as AssetCoBranded. Profile text is escaped by cobrand.server.
import { data } from 'react-router'
import type { Route } from './+types/partner-asset-cobrand'
import { parseParams, RouteId } from '../../params.server.ts'
import { COBRAND_CSP, cobrandLogo, renderCobrandedHtml, renderCobrandedPdf } from '../../cobrand.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { brandFor, enablementQueries, partnerAsset } from './common.server.ts'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id in your library.')
  const { services } = context
  const format = params.format
  if (format !== 'html' && format !== 'pdf') throw data('Co-branded copies come as html or pdf.', { status: 404 })
  const { user, asset } = await partnerAsset(request, services, ids.assetId)
  if (!asset.coBrandable) throw data('This asset cannot be co-branded.', { status: 404 })
  const [brand, partner] = await Promise.all([brandFor(services, user), enablementQueries(services).partner(user.organisationId)])
  const bytes = await services.files.get(asset.file.sha256)
  const source = bytes ? { bytes: new Uint8Array(bytes), contentType: asset.file.contentType, filename: asset.file.filename } : null
  const facts = { title: asset.title, description: asset.description, version: asset.version }
  await services.commands.enablement.recordUse({ actor: toActor(user) }, asset.assetId, 'cobranded')
  const base = asset.file.filename.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-')
  const logoBytes = partner?.profile?.logoSha256 ? await services.files.get(partner.profile.logoSha256) : null
  const logo = logoBytes ? { bytes: new Uint8Array(logoBytes) } : null
  if (format === 'html') {
    // the logo travels inside the HTML (re-encoded small), so the copy needs no address of the portal
    return new Response(renderCobrandedHtml(facts, brand, source, await cobrandLogo(logo)), {
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': COBRAND_CSP, 'Cache-Control': 'private, no-store' },
    })
  }
  const pdf = await renderCobrandedPdf(facts, brand, source, logo)
  return new Response(pdf as unknown as BodyInit, {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${base}-cobranded.pdf"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
