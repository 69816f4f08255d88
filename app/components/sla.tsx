// Age of a waiting item against its SLA: amber when near, red when past.
import { formatDateTime } from '../format.ts'
import { Badge } from './ui.tsx'

export function SlaAge({ since, dueAt, now }: { since: string; dueAt: string; now: string }) {
  const ageHours = Math.max(0, (Date.parse(now) - Date.parse(since)) / 3_600_000)
  const leftHours = (Date.parse(dueAt) - Date.parse(now)) / 3_600_000
  const age = ageHours < 24 ? `${Math.round(ageHours)} h` : `${Math.floor(ageHours / 24)} d ${Math.round(ageHours % 24)} h`
  if (leftHours < 0) return <Badge tone="red" title={`Review was due ${formatDateTime(dueAt)}`}>{age} · overdue</Badge>
  if (leftHours < 12) return <Badge tone="amber" title={`Review due ${formatDateTime(dueAt)}`}>{age} · due soon</Badge>
  return <Badge tone="gray" title={`Review due ${formatDateTime(dueAt)}`}>{age}</Badge>
}
