// Server side of the partner team page: the partner of the signed-in user, and saving the co-branding profile with
// its logo (checked, normalised and stored as a path on the portal).
import type { SubmissionResult } from '@conform-to/react'
import { data } from 'react-router'
import type { z } from 'zod'
import type { CurrentUser } from '../../auth.server.ts'
import { safeLogoUrl } from '../../cobrand.server.ts'
import { ImageRefused, normaliseLogo } from '../../images.server.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import type { AppServices } from '../../services.server.ts'
import type { ProfileForm } from './team-forms.tsx'

export const MAX_LOGO_BYTES = 1024 * 1024
const LOGO_TOO_LARGE = 'The logo must be at most 1 MB. Export a smaller PNG or JPEG.'

export async function ownPartner(services: AppServices, partnerId: string) {
  const partner = await peopleQueries(services.sql).partner(partnerId)
  if (!partner) throw data('No partner organisation for your account.', { status: 404 })
  return partner
}

/** a 413-sized request, answered before its body is read: the profile form's logo error */
export function logoTooLarge(request: Request) {
  if (Number(request.headers.get('content-length') ?? 0) <= MAX_LOGO_BYTES + 64 * 1024) return null
  const result: SubmissionResult<string[]> = { status: 'error', initialValue: { intent: 'profile' }, error: { logo: [LOGO_TOO_LARGE], '': ['Check the highlighted fields.'] } }
  return data({ result }, { status: 400 })
}

type Partner = Awaited<ReturnType<typeof ownPartner>>

/** Saves the profile; a logo that is too large or not a PNG or JPEG comes back as its message, nothing saved. */
export async function saveProfile(services: AppServices, user: CurrentUser, partner: Partner, form: z.output<typeof ProfileForm>): Promise<{ logoRefused: string } | null> {
  const { intent: _i, removeLogo, logo: file, ...profile } = form
  // the logo is kept as a path on the portal: an address never takes its host from the request
  let logoUrl = removeLogo === 'on' ? undefined : safeLogoUrl(partner.profile?.logoUrl) ?? undefined
  if (file && file.size > 0) {
    if (file.size > MAX_LOGO_BYTES) return { logoRefused: LOGO_TOO_LARGE }
    // the real format and dimensions are checked before any pixel is decoded; what is stored is a small PNG without metadata
    let logo: Awaited<ReturnType<typeof normaliseLogo>>
    try {
      logo = await normaliseLogo(new Uint8Array(await file.arrayBuffer()))
    } catch (error) {
      if (error instanceof ImageRefused) return { logoRefused: error.message }
      throw error
    }
    const stored = await services.files.put(logo.bytes)
    logoUrl = `/logos/${encodeURIComponent(partner.partnerId)}/${stored.sha256}`
  }
  await services.commands.people.setProfile(user, partner.partnerId, { ...profile, ...(logoUrl ? { logoUrl } : {}) })
  return null
}
