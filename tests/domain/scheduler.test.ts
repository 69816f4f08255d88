import { describe, expect, it } from 'vitest'
import { dueCommands, type SchedulerView } from '../../domain/scheduler/index.ts'
import { SCHEDULER_ACTOR } from '../../domain/shared/auth.ts'

const view: SchedulerView = {
  deals: [
    { dealId: 'd-due', status: 'Approved', protectedUntil: '2026-08-02', reviewDueAt: '2026-05-06T09:00:00Z' },
    { dealId: 'd-last-day', status: 'Approved', protectedUntil: '2026-08-03', reviewDueAt: '2026-05-06T09:00:00Z' },
    { dealId: 'd-won', status: 'Won', protectedUntil: '2026-01-01', reviewDueAt: '2026-05-06T09:00:00Z' },
    { dealId: 'd-late', status: 'Submitted', reviewDueAt: '2026-08-03T08:00:00Z' },
    { dealId: 'd-late-known', status: 'Submitted', reviewDueAt: '2026-08-01T08:00:00Z', reviewSlaBreached: true },
    { dealId: 'd-fresh', status: 'Submitted', reviewDueAt: '2026-08-05T08:00:00Z' },
  ],
  certifications: [
    { courseId: 'c-1', userId: 'u-1', validUntil: '2026-08-02', lapsed: false },
    { courseId: 'c-1', userId: 'u-2', validUntil: '2026-08-02', lapsed: true },
    { courseId: 'c-1', userId: 'u-3', validUntil: '2026-08-03', lapsed: false },
  ],
  allocations: [
    { partnerId: 'p-1', quarter: '2026-Q2', expired: false },
    { partnerId: 'p-2', quarter: '2026-Q2', expired: true },
    { partnerId: 'p-1', quarter: '2026-Q3', expired: false },
  ],
  coInvestments: [
    { coInvestmentId: 'ci-1', status: 'Approved', claimDeadline: '2026-08-01' },
    { coInvestmentId: 'ci-2', status: 'ClaimSubmitted', claimDeadline: '2026-08-01' },
    { coInvestmentId: 'ci-3', status: 'ClaimRejected', claimDeadline: '2026-08-03' },
  ],
}
const NOW = '2026-08-03T09:00:00.000Z'

describe('scheduler policies', () => {
  it('returns exactly the due commands, with deterministic ids, run as the scheduler', () => {
    const due = dueCommands(view, NOW)
    expect(due.map((c) => c.metadata.commandId)).toEqual([
      'breach-deal-review-sla-d-late',
      'expire-deal-d-due',
      'lapse-certification-c-1-u-1-2026-08-02',
      'claim-deadline-passed-ci-1',
      'expire-allocation-p-1-2026-Q2',
    ])
    expect(due.every((c) => c.metadata.now === NOW && c.metadata.actor === SCHEDULER_ACTOR)).toBe(true)
    expect(due[1]).toMatchObject({ type: 'ExpireDeal', data: { dealId: 'd-due' } })
  })
  it('is idempotent: the same state and time give the same commands', () => {
    expect(dueCommands(view, NOW)).toEqual(dueCommands(view, NOW))
  })
  it("closes the registrations an approval superseded that are still open, before anything else, with the approval's reason", () => {
    const due = dueCommands({ ...view, supersessions: [{ dealId: 'd-rival', byDealId: 'd-won', byPartnerId: 'p-2', byRegisteredAt: '2026-05-01T09:00:00Z', reason: 'Named account team' }] }, NOW)
    expect(due[0]).toEqual({
      type: 'SupersedeDeal',
      data: { dealId: 'd-rival', byDealId: 'd-won', byPartnerId: 'p-2', byRegisteredAt: '2026-05-01T09:00:00Z', reason: 'Named account team' },
      metadata: { commandId: 'supersede-deal-d-rival-by-d-won', now: NOW, actor: SCHEDULER_ACTOR, correlationId: 'scheduler' },
    })
    expect(due).toHaveLength(6)
  })
  it('nothing is due when nothing has passed', () => {
    expect(dueCommands(view, '2026-05-01T00:00:00Z')).toEqual([])
  })
})
