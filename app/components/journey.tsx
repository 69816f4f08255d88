// The partner journey as a five-step track with the current step marked.
const steps = [
  { id: 'interest', label: 'Interest' },
  { id: 'recruitment', label: 'Recruitment' },
  { id: 'activation', label: 'Activation' },
  { id: 'investment', label: 'Investment' },
  { id: 'devotion', label: 'Devotion' },
] as const

/** Five steps in a row; on a phone a column, so that every label reads whole. */
export function JourneyTrack({ phase }: { phase: string }) {
  const current = steps.findIndex((s) => s.id === phase)
  return (
    <ol className="grid gap-1.5 sm:grid-cols-5 sm:gap-1" aria-label={`Journey phase: ${steps[current]?.label ?? phase}, step ${current + 1} of 5`}>
      {steps.map((step, index) => {
        const done = index < current
        const here = index === current
        return (
          <li key={step.id} aria-current={here ? 'step' : undefined} className="flex items-center gap-2 sm:flex-col sm:items-stretch sm:gap-1.5">
            <span className={`h-2 w-10 shrink-0 rounded-full sm:w-auto ${done ? 'bg-brand-600' : here ? 'bg-brand-600 ring-2 ring-brand-200' : 'bg-gray-200'}`} />
            <span className={`text-xs ${here ? 'font-semibold text-brand-800' : done ? 'text-gray-800' : 'text-gray-600'}`}>{step.label}</span>
          </li>
        )
      })}
    </ol>
  )
}

export function nextPhaseNeeds(doc: { phase: string; approvedDeals: number; activeCertifications: string[]; coInvestmentsApproved?: number; planInForce?: boolean } | null): string[] {
  if (!doc) return ['Apply to the program']
  switch (doc.phase) {
    case 'interest': return ['Wait for the vendor to approve your application']
    case 'recruitment': {
      const needs: string[] = []
      if (doc.activeCertifications.length === 0) needs.push('Earn a first certification')
      if (doc.approvedDeals === 0) needs.push('Get a first deal registration approved')
      return needs
    }
    case 'activation': return ['Invest together: an approved co-investment or a joint business plan']
    case 'investment': return ['Sustain it: won deals every quarter, high trust, plan reviews on time']
    default: return []
  }
}
