// The release rule of settlement, status by status: what a co-investment may keep of its reservation, and when the
// allocation needs settling.
import { describe, expect, it } from 'vitest'
import { isOrphan, releaseTarget, settlementDue, type Holding, type SettlementStatus } from '../../domain/coinvestment/index.ts'

const claim = { claimable: 4_000, approved: 3_000 }
const noClaim = { claimable: null, approved: null }
const cutoff = '2026-05-04T09:00:00.000Z'
const holding = (status: SettlementStatus, more: Partial<Holding> = {}): Holding => ({
  status, committed: 5_000, paid: false, reservedAt: '2026-05-04T08:00:00.000Z', ...claim, ...more,
})

describe('releaseTarget', () => {
  it('a submitted claim keeps what it can claim; an approved or paid one what was approved', () => {
    expect(releaseTarget('ClaimSubmitted', claim)).toEqual({ keep: 4_000, reason: 'claim_submitted' })
    expect(releaseTarget('ClaimApproved', claim)).toEqual({ keep: 3_000, reason: 'claim_approved' })
    expect(releaseTarget('Paid', claim)).toEqual({ keep: 3_000, reason: 'claim_approved' })
  })
  it('a closed claim window releases everything', () => {
    expect(releaseTarget('ClaimWindowClosed', claim)).toEqual({ keep: 0, reason: 'claim_deadline_passed' })
  })
  it('an approval, a rejected claim (it may be filed again) and a claim without amounts keep what they hold', () => {
    for (const status of ['Initial', 'Approved', 'ClaimRejected'] as const) expect(releaseTarget(status, claim)).toBeNull()
    for (const status of ['ClaimSubmitted', 'ClaimApproved', 'Paid'] as const) expect(releaseTarget(status, noClaim)).toBeNull()
  })
  it('money held without an approval goes only when it is an orphan', () => {
    for (const status of ['Requested', 'Rejected', 'Declined'] as const) {
      expect(releaseTarget(status, claim)).toBeNull()
      expect(releaseTarget(status, claim, true)).toEqual({ keep: 0, reason: 'declined' })
    }
  })
})

describe('settlementDue', () => {
  it('more held than the rule keeps, or a payment not recorded', () => {
    expect(settlementDue(holding('ClaimSubmitted'), cutoff)).toBe(true)
    expect(settlementDue(holding('ClaimSubmitted', { committed: 4_000 }), cutoff)).toBe(false)
    expect(settlementDue(holding('ClaimApproved', { committed: 3_000 }), cutoff)).toBe(false)
    expect(settlementDue(holding('ClaimWindowClosed', { committed: 0.01 }), cutoff)).toBe(true)
    expect(settlementDue(holding('Paid', { committed: 3_000 }), cutoff)).toBe(true)
    expect(settlementDue(holding('Paid', { committed: 3_000, paid: true }), cutoff)).toBe(false)
    expect(settlementDue(holding('Approved'), cutoff)).toBe(false)
    expect(settlementDue(holding('ClaimRejected'), cutoff)).toBe(false)
  })
  it('an unapproved reservation is due once it is older than the cut-off', () => {
    const old = { reservedAt: '2026-05-04T08:59:59.999Z' }
    expect(settlementDue(holding('Declined', old), cutoff)).toBe(true)
    expect(isOrphan(holding('Declined', old), cutoff)).toBe(true)
    expect(settlementDue(holding('Declined', { reservedAt: cutoff }), cutoff)).toBe(false)
    expect(settlementDue(holding('Requested', { ...old, committed: 0 }), cutoff)).toBe(false)
    expect(isOrphan(holding('Approved', old), cutoff)).toBe(false)
  })
})
