// The Verify page's result of the seals over the global order, beside the hash chain's (decision 011).
import type { SealCheck } from '../verify.server.ts'
import { Badge, DateText } from './ui.tsx'
import { countOf } from '../format.ts'

/** the seal result as a badge; while the chain is checked the seals wait for it */
export function SealBadge({ seals, finished }: { seals: SealCheck | null; finished: boolean }) {
  if (!seals) return finished ? null : <Badge tone="blue">Checking the seals</Badge>
  if (seals.error) return <Badge tone="gray">Seals not checked</Badge>
  if (seals.firstBroken) return <Badge tone="red">Seal broken</Badge>
  if (!seals.lastSeal) return <Badge tone="gray">No seal yet</Badge>
  return <Badge tone="green">Every seal holds</Badge>
}

/** "#n through position N at T", and what the chain alone protects */
export function LastSeal({ seals }: { seals: SealCheck | null }) {
  if (!seals) return <>not checked yet</>
  if (seals.error) return <>{seals.error}</>
  const intact = `${countOf(seals.sealsVerified, 'seal')} intact`
  const later = `${countOf(seals.unsealedEvents, 'later event')} protected by the hash chain only`
  if (!seals.lastSeal) return seals.firstBroken ? <>none intact: seal #{seals.firstBroken.number} is broken</> : <>none yet: {later}</>
  const { number, throughPosition, sealedAt } = seals.lastSeal
  return (
    <>#{number} through position {throughPosition} at <DateText iso={sealedAt} withTime /> ({seals.firstBroken ? `${intact} before the broken one` : `${intact}; ${later}`})</>
  )
}

const problemLabel: Record<string, string> = {
  signature: 'signature invalid', missing: 'missing', chain: 'link to the seal before broken', events: 'its events differ from the sealed ones',
  anchor: 'differs from its anchored copy',
}

export function BrokenSeal({ seals }: { seals: SealCheck | null }) {
  const broken = seals?.firstBroken
  if (!broken) return null
  return (
    <div className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900">
      <p className="font-medium">First broken seal: #{broken.number}, {problemLabel[broken.problem] ?? broken.problem}</p>
      {broken.fromPosition !== null ? <p className="mt-1">positions {broken.fromPosition} to {broken.toPosition}</p> : null}
      <p className="mt-1">{broken.detail}</p>
    </div>
  )
}
