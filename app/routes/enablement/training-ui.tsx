// Certificate status badge: green valid, amber expiring within 60 days, red expired or lapsed.
import { Badge, DateText } from '../../components/ui.tsx'

export function CertificateBadge({ validUntil, lapsed, today }: { validUntil: string; lapsed: boolean; today: string }) {
  const days = Math.round((Date.parse(validUntil) - Date.parse(today)) / 86_400_000)
  if (lapsed || days < 0) return <Badge tone="red">Expired</Badge>
  if (days <= 60) return <Badge tone="amber">Expires in {days} days</Badge>
  return <Badge tone="green">Valid</Badge>
}

export function ValidUntil({ iso }: { iso: string }) {
  return <span>until <DateText iso={iso} /></span>
}
