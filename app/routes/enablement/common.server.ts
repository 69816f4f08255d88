// Server helpers shared by the enablement routes: queries, commands, and the one gate every partner asset request passes.
import { data } from 'react-router'
import { requireUser, type CurrentUser } from '../../auth.server.ts'
import { brandOf, initials, monogramText, textOn } from '../../cobrand.server.ts'
import { createEnablementQueries } from '../../queries/enablement.server.ts'
import type { EnablementPartnerDoc } from '../../../projections/assets.ts'
import type { AppServices } from '../../services.server.ts'

export const enablementQueries = (services: AppServices) => createEnablementQueries(services.sql)

/** The course with this id, or a 404 naming what was not found. */
export async function courseOr404(services: AppServices, courseId: string) {
  const found = await enablementQueries(services).course(courseId)
  if (!found) throw data('No course with this id.', { status: 404 })
  return found
}

/** The asset if this partner may see it today; anything else (unknown id, retired, outside the audience) is a 404. */
export async function partnerAsset(request: Request, services: AppServices, assetId: string, user?: CurrentUser) {
  const current = user ?? (await requireUser(request, services, 'asset:use'))
  const found = await enablementQueries(services).assetForPartner(current.organisationId, assetId, services.clock().toISOString())
  if (!found) throw data('No asset with this id in your library.', { status: 404 })
  return { user: current, ...found }
}

/** the partner's brand for co-branding: its profile, else its name and the signed-in user as contact */
export async function brandFor(services: AppServices, user: CurrentUser) {
  return brandFrom(await enablementQueries(services).partner(user.organisationId), user)
}

/** brandFor, from the partner's enablement document the caller already has */
export function brandFrom(partner: EnablementPartnerDoc | null, user: CurrentUser) {
  return brandOf(partner?.profile ?? null, { company: partner?.company ?? user.organisationName, contactName: user.name, contactEmail: user.email })
}

/** what the co-brand preview on cards and the asset page needs (validated colours only) */
export function previewOf(brand: ReturnType<typeof brandOf>) {
  return { name: brand.name, primaryColor: brand.primaryColor, secondaryColor: brand.secondaryColor, logoUrl: brand.logoUrl, initials: initials(brand.name), onPrimary: textOn(brand.primaryColor), onSecondary: monogramText(brand) }
}
