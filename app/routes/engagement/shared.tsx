// Pieces the engagement pages share: labels, status badges, score bars and form helpers for lists typed one per line.
import { z } from 'zod'
import { Badge, type Tone } from '../../components/ui.tsx'
import type { PlanStatus, WorkshopDoc, WorkshopStatus } from '../../../projections/engagement.ts'
import { countOf, formatCount, formatDecimal, formatPercent, isoDay } from '../../format.ts'

export const kindLabels: Record<WorkshopDoc['kind'], string> = { strategy: 'Strategy', value_proposition: 'Value proposition' }

const workshopTone: Record<WorkshopStatus, Tone> = { Requested: 'amber', Scheduled: 'blue', Held: 'green', Cancelled: 'gray' }
const workshopLabel: Record<WorkshopStatus, string> = { Requested: 'Waiting to be scheduled', Scheduled: 'Scheduled', Held: 'Held', Cancelled: 'Cancelled' }
export function WorkshopStatusBadge({ status }: { status: WorkshopStatus }) {
  return <Badge tone={workshopTone[status]}>{workshopLabel[status]}</Badge>
}

export const planStatusLabels: Record<PlanStatus, string> = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' }
const planTone: Record<PlanStatus, Tone> = { on_track: 'green', at_risk: 'amber', off_track: 'red' }
export function PlanStatusBadge({ status }: { status: PlanStatus | null }) {
  if (!status) return <Badge tone="gray">Not reviewed yet</Badge>
  return <Badge tone={planTone[status]}>{planStatusLabels[status]}</Badge>
}

/** A 0–10 score as a bar with the number beside it; the number is the text alternative. */
export function ScoreBar({ value, label }: { value: number | null; label: string }) {
  const width = value === null ? 0 : Math.max(2, value * 10)
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 w-32 overflow-hidden rounded-full bg-gray-100" role="img" aria-label={`${label}: ${value === null ? 'no answers yet' : `${value} out of 10`}`}>
        <div className="h-full rounded-full bg-brand-600" style={{ width: `${width}%` }} />
      </div>
      <span className="w-8 text-right text-sm tabular-nums text-gray-900">{value === null ? '—' : formatDecimal(value)}</span>
    </div>
  )
}

/** Response rate as "2 of 5 partners (40 %)" */
export function responseRate(answers: number, partners: number) {
  return `${formatCount(answers)} of ${countOf(partners, 'partner')} (${formatPercent(partners ? answers / partners : 0)})`
}

/** A textarea of one entry per line, checked by the command's list; an entry's error names its line ("Entry 2: ..."). */
export const formLines = <L extends z.ZodType<unknown, string[]>>(label: string, lines: L) =>
  z.string({ error: `Enter ${label}` }).transform((value, ctx): z.output<L> => {
    const entries = value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
    if (entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: `Enter ${label}, one per line` })
      return z.NEVER
    }
    const parsed = lines.safeParse(entries)
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues) {
      const entry = issue.path[0]
      ctx.addIssue({ code: 'custom', message: typeof entry === 'number' ? `Entry ${entry + 1}: ${issue.message}` : issue.message })
    }
    return z.NEVER
  })

export const today = (clock: () => Date) => isoDay(clock())

export function WorkshopOutcomes({ outcomes }: { outcomes: NonNullable<WorkshopDoc['outcomes']> }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-gray-600 uppercase">Aligned objectives</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-gray-800">
          {outcomes.alignedObjectives.map((o) => <li key={o}>{o}</li>)}
        </ul>
      </div>
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-gray-600 uppercase">Success measures</h3>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-gray-800">
          {outcomes.successMeasures.map((o) => <li key={o}>{o}</li>)}
        </ul>
      </div>
    </div>
  )
}

/** The auditor's banner on vendor pages: everything visible, nothing changeable. */
export function ReadOnlyNote() {
  return <p role="note" className="mb-4 rounded-md bg-blue-50 px-3 py-2 text-sm text-blue-900 ring-1 ring-blue-600/30">Read-only: auditors see engagement as the vendor does but cannot change it.</p>
}
