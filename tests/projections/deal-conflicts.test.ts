// The deals read model links conflicting registrations both ways and records how the vendor settled the conflict on
// both sides; the direct accounts read model lists named and removed accounts.
import { describe, expect, test } from 'vitest'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { dealsProjection } from '../../projections/deals.ts'
import { directAccountsProjection } from '../../projections/accounts.ts'
import { journeyProjection } from '../../projections/journey.ts'
import { fold } from './insights-fixtures.ts'

let position = 0n
function ev(type: string, data: Record<string, unknown>, occurredAt: string, actor = 'u1'): RecordedEvent {
  position++
  return {
    id: `e${position}`, type, streamId: 's', streamRevision: 0n, globalPosition: position, data,
    metadata: { actor, tenant: 'default', occurredAt, correlationId: 'c', causationId: 'c', schemaVersion: type === 'DealRegistered' ? 2 : 1 },
    recordedAt: occurredAt,
  } as unknown as RecordedEvent
}
const registered = (dealId: string, partnerId: string, rivals: string[], at: string) =>
  ev('DealRegistered', {
    dealId, partnerId, customerName: 'Globex', customerDomain: 'globex.com', value: 1000, currency: 'EUR', expectedCloseDate: '2026-09-30', items: [],
    conflict: rivals.length ? { dealIds: rivals, directAccount: false, earliest: false } : null, reviewDueAt: at, protectionDays: 90,
  }, at)

describe('deal conflicts in the deals read model', () => {
  const history = [
    registered('d-acme', 'p-acme', [], '2026-05-04T09:00:00.000Z'),
    registered('d-contoso', 'p-contoso', ['d-acme'], '2026-05-06T10:00:00.000Z'),
    ev('DealApproved', { dealId: 'd-contoso', partnerId: 'p-contoso', protectedUntil: '2026-08-05', withinSla: true }, '2026-05-07T09:00:00.000Z', 'cm-1'),
    ev('DealConflictDecided', {
      dealId: 'd-contoso', partnerId: 'p-contoso', superseded: [{ dealId: 'd-acme', partnerId: 'p-acme', registeredAt: '2026-05-04T09:00:00.000Z', wasApproved: false, earlier: true }],
      overridden: ['d-acme'], directAccount: null, reason: 'Framework contract',
    }, '2026-05-07T09:00:00.000Z', 'cm-1'),
    ev('DealSuperseded', {
      dealId: 'd-acme', partnerId: 'p-acme', byDealId: 'd-contoso', byPartnerId: 'p-contoso', byRegisteredAt: '2026-05-06T10:00:00.000Z', protectionEndedOn: null, reason: 'Framework contract',
    }, '2026-05-07T09:00:00.000Z', 'cm-1'),
  ]

  test('a later registration links the earlier one, and the earlier one links it back', () => {
    const docs = fold(dealsProjection, history.slice(0, 2))
    expect(docs.get('d-contoso')).toMatchObject({ rivalIds: ['d-acme'], conflictWon: null, conflictLost: null })
    expect(docs.get('d-acme')).toMatchObject({ rivalIds: ['d-contoso'], status: 'Submitted' })
  })

  test('both sides record the decision: the winner what it superseded and why, the superseded one by what and when', () => {
    const docs = fold(dealsProjection, history)
    expect(docs.get('d-contoso')).toMatchObject({
      status: 'Approved',
      conflictWon: { decidedAt: '2026-05-07T09:00:00.000Z', overridden: ['d-acme'], reason: 'Framework contract', superseded: [{ dealId: 'd-acme', earlier: true }] },
    })
    expect(docs.get('d-acme')).toMatchObject({
      status: 'Superseded',
      conflictLost: { decidedAt: '2026-05-07T09:00:00.000Z', byDealId: 'd-contoso', byRegisteredAt: '2026-05-06T10:00:00.000Z', protectionEndedOn: null, reason: 'Framework contract' },
    })
  })

  test("the superseded partner's facts no longer hold the registration open; the winner's still do", () => {
    const docs = fold(journeyProjection, history) as Map<string, { facts: { openDeals: Record<string, string> } } | null>
    expect(docs.get('p-acme')!.facts.openDeals).toEqual({})
    expect(docs.get('p-contoso')!.facts.openDeals).toEqual({ 'd-contoso': 'globex.com' })
  })
})

describe('direct accounts read model', () => {
  test('an account is listed when named and marked removed with the reason', () => {
    const named = ev('DirectAccountNamed', { accountId: 'a-1', name: 'Globex Corporation', domains: ['globex.com', 'globex.de'], reason: 'Framework' }, '2026-05-01T09:00:00.000Z', 'va-1')
    expect(fold(directAccountsProjection, [named]).get('a-1')).toMatchObject({ status: 'Named', namedBy: 'va-1', search: 'globex corporation globex.com globex.de' })
    const removed = ev('DirectAccountRemoved', { accountId: 'a-1', name: 'Globex Corporation', reason: 'Contract ended' }, '2026-06-01T09:00:00.000Z', 'cm-1')
    expect(fold(directAccountsProjection, [named, removed]).get('a-1')).toMatchObject({ status: 'Removed', removedAt: '2026-06-01T09:00:00.000Z', removedBy: 'cm-1', removalReason: 'Contract ended' })
  })
})
