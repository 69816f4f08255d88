// The release rule of co-investment settlement: how much of its reservation a co-investment may keep, by its status.
import type { CoInvestment } from './coinvestment.ts'

export type SettlementStatus = CoInvestment['status']
export type SettlementReason = 'claim_submitted' | 'claim_approved' | 'claim_deadline_passed' | 'declined'

/** What a co-investment holds on its allocation, and the claim amounts it has (null: none yet). */
export type Holding = {
  status: SettlementStatus
  committed: number
  /** the allocation recorded the payment */
  paid: boolean
  reservedAt: string | null
  claimable: number | null
  approved: number | null
}

/** Requests without a standing approval whose money is held: only an orphan (a crashed approval) lets it go. */
const UNAPPROVED: readonly SettlementStatus[] = ['Requested', 'Rejected', 'Declined']

/** What the co-investment may keep of its reservation and why; null when it keeps all it holds (nothing settled yet). */
export function releaseTarget(
  status: SettlementStatus,
  claim: { claimable: number | null; approved: number | null },
  orphan = false,
): { keep: number; reason: SettlementReason } | null {
  switch (status) {
    case 'Requested':
    case 'Rejected':
    case 'Declined':
      return orphan ? { keep: 0, reason: 'declined' } : null
    case 'ClaimSubmitted':
      return claim.claimable === null ? null : { keep: claim.claimable, reason: 'claim_submitted' }
    case 'ClaimApproved':
    case 'Paid':
      return claim.approved === null ? null : { keep: claim.approved, reason: 'claim_approved' }
    case 'ClaimWindowClosed':
      return { keep: 0, reason: 'claim_deadline_passed' }
    case 'Initial':
    case 'Approved':
    case 'ClaimRejected':
      return null
    default: {
      const _exhaustive: never = status
      throw new Error(`Unknown co-investment status ${_exhaustive as string}`)
    }
  }
}

/** Money held without an approval since before `orphanedBefore` (an ISO instant): an approval crashed half way. */
export function isOrphan(holding: Holding, orphanedBefore: string): boolean {
  return UNAPPROVED.includes(holding.status) && holding.committed > 0 && !holding.paid &&
    holding.reservedAt !== null && Date.parse(holding.reservedAt) < Date.parse(orphanedBefore)
}

/** The allocation holds more than the release rule lets it keep, or a payment is unrecorded. */
export function settlementDue(holding: Holding, orphanedBefore: string): boolean {
  if (holding.paid) return false
  if (holding.status === 'Paid') return true
  const target = releaseTarget(holding.status, holding, isOrphan(holding, orphanedBefore))
  return target !== null && holding.committed > target.keep
}
