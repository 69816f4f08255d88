// Enablement building blocks: type icons (inline SVG), labels, audience badges and the co-brand preview.
import { formatBytes } from '../../format.ts'
import { Badge } from '../../components/ui.tsx'

export const assetTypeLabels: Record<string, string> = {
  sales_guide: 'Sales guide', demo_script: 'Demo script', price_list: 'Price list', training_deck: 'Training deck',
  case_study: 'Case study', white_paper: 'White paper', email_template: 'Email template', social_template: 'Social template', other: 'Other',
}
export const toPartnerTypes = ['sales_guide', 'demo_script', 'price_list', 'training_deck', 'other']
export const thruPartnerTypes = ['case_study', 'white_paper', 'email_template', 'social_template', 'other']
export const languageLabels: Record<string, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', it: 'Italian', nl: 'Dutch' }
export const languageLabel = (code: string) => languageLabels[code.slice(0, 2)] ?? code
export const useLabels = { viewed: 'Views', downloaded: 'Downloads', cobranded: 'Co-branded', shared: 'Shares' } as const

const paths: Record<string, React.ReactNode> = {
  sales_guide: <><path d="M4 5a2 2 0 0 1 2-2h9l5 5v11a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z" /><path d="M14 3v5h5M8 13h8M8 17h5" /></>,
  demo_script: <><rect x="3" y="4" width="18" height="13" rx="2" /><path d="m10 8.5 4 2.5-4 2.5zM8 21h8" /></>,
  price_list: <><path d="M3 12V4h8l10 10-8 8z" /><circle cx="7.5" cy="8.5" r="1.5" /></>,
  training_deck: <><path d="M3 4h18M5 4v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V4M12 15v4M8 21l4-2 4 2" /></>,
  case_study: <><path d="M4 21V8l8-5 8 5v13" /><path d="M9 21v-6h6v6M9 10h.01M15 10h.01" /></>,
  white_paper: <><path d="M6 3h9l5 5v13H6z" /><path d="M14 3v6h6M9 13h7M9 17h7" /></>,
  email_template: <><rect x="3" y="5" width="18" height="14" rx="2" /><path d="m3 7 9 6 9-6" /></>,
  social_template: <><circle cx="6" cy="12" r="2.5" /><circle cx="18" cy="6" r="2.5" /><circle cx="18" cy="18" r="2.5" /><path d="m8.2 10.9 7.6-3.8M8.2 13.1l7.6 3.8" /></>,
  other: <><path d="M6 3h9l5 5v13H6z" /><path d="M14 3v6h6" /></>,
}

export function TypeIcon({ type, className = 'h-6 w-6' }: { type: string; className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className={className} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      {paths[type] ?? paths.other}
    </svg>
  )
}

export function AudienceBadge({ audience }: { audience: string }) {
  return audience === 'thru_partner' ? <Badge tone="blue">Thru-Partner</Badge> : <Badge tone="gray">To-Partner</Badge>
}

/** onSecondary: the monogram's letters on the secondary colour, at 4.5:1 (monogramText) */
export type PreviewBrand = { name: string; primaryColor: string; secondaryColor: string; logoUrl: string | null; initials: string; onPrimary: string; onSecondary: string }

/** a small page mock-up with the partner's band, logo (or monogram) and colours */
export function CobrandPreview({ brand, title, size = 'sm' }: { brand: PreviewBrand; title: string; size?: 'sm' | 'lg' }) {
  const big = size === 'lg'
  return (
    <div role="img" aria-label={`Preview: ${title} branded for ${brand.name}`} className={`overflow-hidden rounded-md bg-white ring-1 ring-gray-200 ${big ? 'w-full' : 'w-20 shrink-0 self-start'}`}>
      <div className={`flex items-center gap-1.5 ${big ? 'px-4 py-3' : 'px-1.5 py-1'}`} style={{ background: brand.primaryColor, color: brand.onPrimary }}>
        {brand.logoUrl ? (
          <img src={brand.logoUrl} alt="" className={`${big ? 'h-9 w-9' : 'h-4 w-4'} rounded bg-white object-contain`} referrerPolicy="no-referrer" />
        ) : (
          <span className={`inline-flex items-center justify-center rounded font-bold ${big ? 'h-9 w-9 text-sm' : 'h-4 w-4 text-[7px]'}`} style={{ background: brand.secondaryColor, color: brand.onSecondary }}>{brand.initials}</span>
        )}
        <span className={`truncate font-semibold ${big ? 'text-base' : 'text-[7px]'}`}>{brand.name}</span>
      </div>
      {big ? (
        <div className="space-y-2 p-4">
          <div className="text-lg font-semibold text-gray-900">{title}</div>
          {[90, 75, 85, 60].map((w) => <div key={w} className="h-2 rounded bg-gray-200" style={{ width: `${w}%` }} />)}
          <div className="h-1 rounded" style={{ background: brand.secondaryColor }} />
        </div>
      ) : (
        <div className="cobrand-lines" style={{ '--cobrand-accent': brand.secondaryColor } as React.CSSProperties} />
      )}
    </div>
  )
}

export { formatBytes }
