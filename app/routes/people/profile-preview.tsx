// How a partner's co-branding looks on an asset: logo, name, contact and the two colours, as a small banner.

export type PreviewProfile = {
  displayName: string
  logoUrl?: string | null
  logo?: { path: string } | null
  contactName: string
  contactEmail: string
  primaryColor: string
  secondaryColor: string
}

/** black or white, whichever reads better on the colour (WCAG relative luminance) */
export function textOn(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) return '#111827'
  const n = Number.parseInt(m[1]!, 16)
  const channel = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  const lum = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  return lum > 0.179 ? '#111827' : '#ffffff'
}

export function ProfilePreview({ profile, logoSrc }: { profile: PreviewProfile; logoSrc?: string | null }) {
  const src = logoSrc ?? profile.logo?.path ?? profile.logoUrl ?? null
  const safe = (hex: string) => (/^#[0-9a-f]{6}$/i.test(hex) ? hex : '#6b7280')
  const primary = safe(profile.primaryColor)
  const secondary = safe(profile.secondaryColor)
  return (
    <figure className="overflow-hidden rounded-lg ring-1 ring-gray-200" aria-label={`Co-branding preview for ${profile.displayName || 'your company'}`}>
      <div className="flex items-center gap-3 px-4 py-3" style={{ backgroundColor: primary, color: textOn(primary) }}>
        {src ? (
          <img src={src} alt={`${profile.displayName} logo`} className="h-10 w-auto max-w-32 rounded bg-white object-contain p-1" />
        ) : (
          <span aria-hidden="true" className="flex h-10 w-10 items-center justify-center rounded bg-white/90 text-lg font-semibold text-gray-700">
            {(profile.displayName || '?').slice(0, 1).toUpperCase()}
          </span>
        )}
        <span className="min-w-0 truncate text-base font-semibold">{profile.displayName || 'Your company'}</span>
      </div>
      <div className="bg-white px-4 py-3 text-sm text-gray-700">
        <p className="text-xs uppercase tracking-wide text-gray-600">In partnership with Acme Cloud</p>
        <p className="mt-1 font-medium text-gray-900">Protect every workload with Acme Cloud Backup</p>
        <p className="mt-1">Questions? Talk to {profile.contactName || 'your contact'} ({profile.contactEmail || 'email'}).</p>
        <span className="mt-3 inline-block rounded-md px-3 py-1.5 text-sm font-medium" style={{ backgroundColor: secondary, color: textOn(secondary) }}>
          Book a demo
        </span>
      </div>
      <figcaption className="flex flex-wrap gap-4 border-t border-gray-100 bg-gray-50 px-4 py-2 text-xs text-gray-700">
        <span className="flex items-center gap-1.5"><span aria-hidden="true" className="h-3 w-3 rounded-sm ring-1 ring-gray-300" style={{ backgroundColor: primary }} />Primary {primary}</span>
        <span className="flex items-center gap-1.5"><span aria-hidden="true" className="h-3 w-3 rounded-sm ring-1 ring-gray-300" style={{ backgroundColor: secondary }} />Secondary {secondary}</span>
      </figcaption>
    </figure>
  )
}
