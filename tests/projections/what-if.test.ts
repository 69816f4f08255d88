// What-if replay (projections/what-if.ts): a draft moves exactly the partners it should, today's side equals the read
// models, a re-derived review SLA re-judges reviews, and publishing a draft leaves every past answer as it was.
import { describe, expect, test } from 'vitest'
import { appendHistory, generateHistory } from '../../cli/generate-history.ts'
import { createDomainCodec } from '../../app/codec.server.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings, type ProgramSettingsInput } from '../../domain/settings/defaults.ts'
import { SettingsDecider } from '../../domain/settings/decide.ts'
import { createMemoryEventStore } from '../../eventstore/memory.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import { journeyNow } from '../../projections/insights/journey.ts'
import { SETTINGS_KEY } from '../../projections/insights/settings.ts'
import { journeyProjection } from '../../projections/journey.ts'
import type { AnyProjection } from '../../projections/projection.ts'
import { foldUntil } from '../../projections/time-travel.ts'
import { trustProjection } from '../../projections/trust.ts'
import { draftAllocationTier, whatIf } from '../../projections/what-if.ts'
import { e, fold } from './insights-fixtures.ts'

const NOW = '2026-12-07T12:00:00.000Z'
const draftOf = (input: Partial<ProgramSettingsInput>) => ProgramSettings.parse({ ...DEFAULT_PROGRAM_SETTINGS, ...input })
const goldNeeds = (certifications: number) =>
  DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => (t.name === 'gold' ? { ...t, minimumCertifications: certifications } : t))

/** a partner with `certs` valid certifications and `won` won deals, approved into `tier` */
function partner(id: string, certs: number, won: number, tier: string): RecordedEvent[] {
  return [
    e.applied('2025-01-06T09:00:00Z', id),
    e.approved('2025-01-07T09:00:00Z', id, tier),
    ...Array.from({ length: certs }, (_, i) => e.certified('2025-02-03T09:00:00Z', '2028-01-01', id, `course-${i}`, `${id}-u`)),
    ...Array.from({ length: won }, (_, i) => e.won(`2025-03-${String(3 + i).padStart(2, '0')}T09:00:00Z`, `${id}-deal-${i}`, 1000, id)),
  ]
}

describe('what-if', () => {
  // gold today: 3 certifications and 5 won deals; the draft asks 4 certifications
  const history = [
    ...partner('a', 3, 5, 'gold'), // gold today, 3 certifications: silver under the draft
    ...partner('b', 4, 6, 'gold'), // 4 certifications: still gold
    ...partner('c', 2, 5, 'silver'), // silver either way
    ...partner('d', 3, 2, 'silver'), // silver either way (won deals)
    ...partner('e', 5, 15, 'platinum'), // platinum either way
    ...partner('f', 3, 10, 'silver'), // gold today, 3 certifications: silver under the draft
  ]

  test('a draft that raises the gold threshold moves exactly the partners between the old and the new threshold, down', () => {
    const result = whatIf(history, draftOf({ tiers: goldNeeds(4) }), NOW)
    const moved = result.partners.filter((p) => p.changes.includes('tier'))
    expect(moved.map((p) => [p.partnerId, p.today.qualifies, p.draft.qualifies])).toEqual(
      expect.arrayContaining([['a', 'gold', 'silver'], ['f', 'gold', 'silver']]),
    )
    expect(moved).toHaveLength(2)
    expect(result.summary).toMatchObject({ partners: 6, tierUp: 0, tierDown: 2, phaseUp: 0, phaseDown: 0, trustUp: 0, trustDown: 0, scoreChanged: 0 })
    // nobody else shows up at all
    expect(result.partners.map((p) => p.partnerId).sort()).toEqual(['a', 'f'])
    expect(moved[0]!.reasons[0]).toBe('Gold needs 4 valid certifications (draft; today 3) — has 3: qualifies for silver under the draft')
    // a, which holds gold, is allocated from silver under the draft; f holds silver already and keeps its allocation
    const a = result.partners.find((p) => p.partnerId === 'a')!
    expect([a.today.allocation, a.draft.allocation]).toEqual([25_000, 10_000])
    expect(result.partners.find((p) => p.partnerId === 'f')!.changes).toEqual(['tier'])
  })

  test('the same settings as today change nobody', () => {
    const result = whatIf(history, DEFAULT_PROGRAM_SETTINGS, NOW)
    expect(result.summary.changed).toBe(0)
    expect(result.partners).toEqual([])
  })

  test("today's side is what the read models hold: trust, journey phase", () => {
    const events = [...generateRecorded(800)]
    const now = new Date(Date.parse(events.at(-1)!.metadata.occurredAt) + 86_400_000).toISOString()
    const result = whatIf(events, draftOf({ trustWeights: { ...DEFAULT_PROGRAM_SETTINGS.trustWeights, dealWon: 10 } }), now)
    expect(result.partners.length).toBeGreaterThan(0)
    const trust = fold(trustProjection, events)
    const journey = fold(journeyProjection, events)
    for (const p of result.partners) {
      expect(p.today.trust).toBe(trust.get(p.partnerId)?.value ?? DEFAULT_PROGRAM_SETTINGS.trust.initial)
      expect(p.today.phase).toBe(journeyNow(journey.get(p.partnerId), now, journey.get(SETTINGS_KEY)).phase)
    }
    // a heavier won deal only raises trust
    expect(result.summary.trustDown).toBe(0)
    expect(result.partners.every((p) => p.reasons.some((r) => r.includes('Registered deal won')))).toBe(true)
  })

  test('a longer review SLA re-judges a late review as on time and drops its breach', () => {
    // registered Monday 10:00, due Wednesday 10:00 under 2 business days, reviewed Wednesday 12:00
    const registered = e.registered('2026-11-02T10:00:00.000Z', 'deal-1', 'a')
    const late = [
      ...partner('a', 1, 1, 'silver'),
      { ...registered, data: { ...(registered.data as Record<string, unknown>), reviewDueAt: '2026-11-04T10:00:00.000Z' } },
      e.breached('2026-11-04T10:05:00.000Z', 'deal-1', 'a'),
      e.dealApproved('2026-11-04T12:00:00.000Z', 'deal-1', 'a', false),
    ]
    const result = whatIf(late, draftOf({ reviewSlaBusinessDays: 3 }), NOW)
    const a = result.partners.find((p) => p.partnerId === 'a')!
    // 50 at the start, +3 for the won deal; then -10 for the breach today, +1 for a review within the draft's SLA
    expect([a.today.trust, a.draft.trust]).toEqual([43, 54])
    expect(result.deals.reviewSla).toMatchObject({ rederived: 1, onTimeUnderDraft: 1, lateUnderDraft: 0, breachesDropped: 1 })
    // a shorter one breaches a deal still waiting for its review
    const waiting = [...partner('a', 1, 1, 'silver'), registered]
    const shorter = whatIf(waiting, draftOf({ reviewSlaBusinessDays: 1 }), '2026-11-04T09:00:00.000Z')
    expect(shorter.deals.reviewSla.newBreaches).toBe(1)
    const waited = shorter.partners.find((p) => p.partnerId === 'a')!
    expect([waited.today.trust, waited.draft.trust]).toEqual([53, 43])
  })

  test('allocation follows the draft only where it crosses the tier a partner holds', () => {
    const draft = draftOf({ tiers: goldNeeds(4) })
    expect(draftAllocationTier(DEFAULT_PROGRAM_SETTINGS, draft, 'gold', 'gold', 'silver')).toBe('silver')
    expect(draftAllocationTier(DEFAULT_PROGRAM_SETTINGS, draft, 'registered', 'gold', 'silver')).toBe('registered')
    expect(draftAllocationTier(DEFAULT_PROGRAM_SETTINGS, draft, 'silver', 'silver', 'gold')).toBe('gold')
    expect(draftAllocationTier(DEFAULT_PROGRAM_SETTINGS, draftOf({ tiers: DEFAULT_PROGRAM_SETTINGS.tiers.filter((t) => t.name !== 'gold') }), 'gold', 'gold', 'silver')).toBe('silver')
  })
})

function* generateRecorded(events: number): Generator<RecordedEvent> {
  let i = 0n
  for (const g of generateHistory({ partners: 12, events, seed: 5, validate: false })) {
    i++
    yield { ...g.event, streamId: g.streamId, streamRevision: 0n, globalPosition: i, position: { commit: i, prepare: i }, recordedAt: new Date(g.event.metadata.occurredAt) } as RecordedEvent
  }
}

describe('publishing a draft changes nothing in the past', () => {
  test('time travel to a past date and the read models\' history before today give the same answers after publishing', async () => {
    const store = createMemoryEventStore({ codec: createDomainCodec() })
    const history = generateHistory({ partners: 15, events: 2500, seed: 9 })
    await appendHistory(store, history)
    const last = history.at(-1)!.event.metadata.occurredAt
    const now = new Date(Date.parse(last) + 86_400_000).toISOString()
    const past = new Date(Date.parse(last) - 120 * 86_400_000)
    // the journey's documents hold the facts the scorecard is read from (decision 026)
    const projections: AnyProjection[] = [journeyProjection, trustProjection]
    const before = await Promise.all(projections.map((p) => foldUntil(store, p, { until: past })))
    const wholeBefore = await Promise.all(projections.map((p) => foldUntil(store, p)))

    // what the page publishes: the draft from today, through the settings decider
    const draft = draftOf({ tiers: goldNeeds(4), reviewSlaBusinessDays: 1, trustWeights: { ...DEFAULT_PROGRAM_SETTINGS.trustWeights, dealWon: 8 } })
    const published = SettingsDecider.decide(
      { type: 'ChangeProgramSettings', data: { effectiveFrom: now, settings: draft }, metadata: { commandId: 'c', now, actor: { userId: 'vera', role: 'vendor_admin', tenant: 'vendor' } as never, correlationId: 'c' } },
      SettingsDecider.initialState(),
    )
    const events = (Array.isArray(published) ? published : [published]).map((event) => ({
      id: crypto.randomUUID(), type: event.type, data: event.data,
      metadata: { actor: 'vera', tenant: 'vendor', occurredAt: now, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
    }))
    await store.appendToStream('settings-program', events, { expectedRevision: 'any' })

    const after = await Promise.all(projections.map((p) => foldUntil(store, p, { until: past })))
    expect(after.map((m) => Object.fromEntries(m))).toEqual(before.map((m) => Object.fromEntries(m)))
    // every change recorded before today reads the same in the read models' histories
    const wholeAfter = await Promise.all(projections.map((p) => foldUntil(store, p)))
    for (const [i, name] of ['journey', 'trust'].entries()) {
      for (const [key, doc] of wholeBefore[i]!) {
        if (key === SETTINGS_KEY) continue
        expect({ name, key, history: (wholeAfter[i]!.get(key) as unknown as { history: unknown[] }).history }).toEqual({ name, key, history: (doc as unknown as { history: unknown[] }).history })
      }
    }
    // and a past date can not be chosen
    expect(() => SettingsDecider.decide(
      { type: 'ChangeProgramSettings', data: { effectiveFrom: past.toISOString(), settings: draft }, metadata: { commandId: 'c2', now, actor: { userId: 'vera', role: 'vendor_admin', tenant: 'vendor' } as never, correlationId: 'c' } },
      SettingsDecider.initialState(),
    )).toThrow(/cannot change the past/)
    await store.close()
  }, 60_000)
})
