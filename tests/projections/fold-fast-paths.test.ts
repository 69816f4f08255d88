// The folds' fast paths (decision 020) give exactly what the full computations give: phase and stage without their
// checks, certification and co-investment reads from per-record indexes, and the string-based calendar arithmetic.
import { describe, expect, test } from 'vitest'
import { historyEvents } from '../../cli/generate-history.ts'
import { compareInstants, dateOf, quarterEnd, quarterOf } from '../../domain/shared/time.ts'
import type { RecordedEvent } from '../../eventstore/types.ts'
import {
  coInvestmentCountInForce, coInvestmentsInForce, emptyFacts, evolveFacts, FACT_EVENTS, hasSharedInvestmentSince, nextFacts, validCertificationCount,
  validCertificationKeys, validCertifications, type CoInvestmentFact, type FactEvent, type PartnerFacts,
} from '../../projections/insights/facts.ts'
import { coInvestmentPut, hasCoInvestmentOutOfForceBefore } from '../../projections/insights/fact-reads.ts'
import { withEntry } from '../../projections/insights/records.ts'
import { journeyPhase, journeyStatus } from '../../projections/insights/journey.ts'
import { pyramidStage, pyramidStatus } from '../../projections/insights/pyramid-rules.ts'
import { INSIGHT_DEFAULTS, insightSettings } from '../../projections/insights/settings.ts'
import { shiftQuarter } from '../../projections/insights/time.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../../domain/settings/defaults.ts'

const factTypes = new Set<string>(FACT_EVENTS)

function factEvents(): FactEvent[] {
  const out: FactEvent[] = []
  let n = 0n
  for (const { streamId, event } of historyEvents({ partners: 8, events: 6_000, seed: 5, validate: false })) {
    n++
    if (!factTypes.has(event.type) || typeof (event.data as { partnerId?: unknown }).partnerId !== 'string') continue
    out.push({ ...event, streamId, streamRevision: 0n, globalPosition: n, position: { commit: n, prepare: n }, recordedAt: new Date(event.metadata.occurredAt) } as unknown as FactEvent)
  }
  return out
}

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString()

describe('fold fast paths', () => {
  const events = factEvents()
  // settings that make every phase and stage reachable sooner, beside the defaults
  const easy = insightSettings({
    ...DEFAULT_PROGRAM_SETTINGS,
    journey: { ...DEFAULT_PROGRAM_SETTINGS.journey, devotionTrust: 10, devotionWonQuarters: 1, devotionWonDeals: 1 },
    pyramid: { ...DEFAULT_PROGRAM_SETTINGS.pyramid, collaborativeReviews: 1 },
  })

  test('phase, stage, certifications and co-investments read fast equal the full computations, at the event and later', () => {
    const facts = new Map<string, PartnerFacts>()
    let compared = 0
    const seen = new Set<string>()
    for (const [i, event] of events.entries()) {
      const id = (event.data as { partnerId: string }).partnerId
      const f = evolveFacts(facts.get(id) ?? emptyFacts(id, INSIGHT_DEFAULTS), event, INSIGHT_DEFAULTS)
      facts.set(id, f)
      if (i % 3 !== 0) continue
      for (const at of [event.metadata.occurredAt, addDays(event.metadata.occurredAt, 45), addDays(event.metadata.occurredAt, 400), `${event.metadata.occurredAt.slice(0, 19)}+02:00`]) {
        for (const s of [INSIGHT_DEFAULTS, easy]) {
          expect(journeyPhase(f, at, s)).toBe(journeyStatus(f, at, s).phase)
          expect(pyramidStage(f, at, s)).toBe(pyramidStatus(f, at, s).stage)
          seen.add(journeyPhase(f, at, s)).add(String(pyramidStage(f, at, s)))
        }
        expect(validCertificationKeys(f, at)).toEqual(validCertifications(f, at).map((c) => c.key))
        expect(validCertificationCount(f, at)).toBe(validCertifications(f, at).length)
        compared++
      }
      expect(coInvestmentCountInForce(f)).toBe(coInvestmentsInForce(f).length)
    }
    expect(compared).toBeGreaterThan(1000)
    expect([...seen].sort()).toEqual(['activation', 'collaborative', 'devotion', 'enhanced', 'interest', 'investment', 'null', 'partnership', 'recruitment', 'transactional'])
  })

  test('the co-investment summaries the fold derives entry by entry equal a walk of the record', () => {
    const facts = new Map<string, PartnerFacts>()
    const quarters = ['2022-Q1', '2023-Q3', '2024-Q2', '2025-Q1', '2025-Q4', '2026-Q3', '2027-Q2']
    let compared = 0
    for (const event of events) {
      const id = (event.data as { partnerId: string }).partnerId
      const f = evolveFacts(facts.get(id) ?? emptyFacts(id, INSIGHT_DEFAULTS), event, INSIGHT_DEFAULTS)
      facts.set(id, f)
      if (!event.type.startsWith('CoInvestment') && !event.type.startsWith('Claim') && event.type !== 'AllocationExpired') continue
      // a copy through JSON has no remembered summary: it is walked
      const walked = JSON.parse(JSON.stringify(f)) as PartnerFacts
      expect(coInvestmentCountInForce(f)).toBe(coInvestmentCountInForce(walked))
      for (const q of quarters) {
        expect(hasSharedInvestmentSince(f, q)).toBe(hasSharedInvestmentSince(walked, q))
        expect(hasCoInvestmentOutOfForceBefore(f.coInvestments, q)).toBe(hasCoInvestmentOutOfForceBefore(walked.coInvestments, q))
      }
      compared++
    }
    expect(compared).toBeGreaterThan(300)
  })

  test('a co-investment put that replaces the latest shared or the oldest out of force is walked, not guessed', () => {
    const c = (quarter: string, inForce: boolean, approvedOn: string | null, partnerInvestment = 100): CoInvestmentFact => ({ kind: 'mdf', quarter, partnerInvestment, approvedOn, inForce })
    const base = withEntry(withEntry<CoInvestmentFact>({}, 'a', c('2026-Q1', false, null)), 'b', c('2026-Q3', true, '2026-07-01'))
    const cases: [string, CoInvestmentFact][] = [
      ['b', c('2026-Q3', false, null)], ['b', c('2026-Q2', true, '2026-05-01')], ['b', c('2026-Q4', true, '2026-10-01')],
      ['a', c('2026-Q1', true, '2026-02-01')], ['a', c('2026-Q2', false, null)], ['a', c('2025-Q4', false, null)], ['c', c('2025-Q1', false, null, 0)],
    ]
    for (const [key, value] of cases) {
      const prior = JSON.parse(JSON.stringify(base)) as PartnerFacts['coInvestments']
      const next = withEntry(prior, key, value)
      coInvestmentPut(prior, next, key, value)
      const derived = { ...emptyFacts('p', INSIGHT_DEFAULTS), coInvestments: next }
      const walked = JSON.parse(JSON.stringify(derived)) as PartnerFacts
      expect(coInvestmentCountInForce(derived)).toBe(coInvestmentCountInForce(walked))
      for (const q of ['2025-Q2', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1']) {
        expect(hasSharedInvestmentSince(derived, q)).toBe(hasSharedInvestmentSince(walked, q))
        expect(hasCoInvestmentOutOfForceBefore(next, q)).toBe(hasCoInvestmentOutOfForceBefore(walked.coInvestments, q))
      }
    }
  })

  test('the valid certifications remembered per span of days answer as the full read, days going back and forth', () => {
    const certs = { 'c1:u1': { name: 'A', validUntil: '2026-03-01' }, 'c2:u1': { name: 'B', validUntil: '2026-06-01' }, 'c0:u2': { name: 'C', validUntil: '2026-03-01' } }
    const f = { ...emptyFacts('p', INSIGHT_DEFAULTS), certifications: certs }
    const days = ['2026-05-01', '2026-01-01', '2026-03-01', '2026-03-02', '2026-06-02', '2026-02-01', '2026-06-01', '2026-03-01T23:59:59.000Z', '2026-03-02T00:00:00.000Z', '2026-02-28']
    for (const at of days) {
      const full = validCertifications(f, at).map((c) => c.key)
      expect(validCertificationKeys(f, at)).toEqual(full)
      expect(validCertificationCount(f, at)).toBe(full.length)
    }
    // the caller may keep (and change) what it got
    validCertificationKeys(f, '2026-01-01').push('x')
    expect(validCertificationKeys(f, '2026-01-01')).toEqual(['c0:u2', 'c1:u1', 'c2:u1'])
  })

  test('nextFacts folds a new partner from the empty facts, and stored (JSON) facts as the live ones', () => {
    const [first, second] = events.filter((e) => e.type === 'DealApproved')
    const id = (first!.data as { partnerId: string }).partnerId
    const live = nextFacts(null, first!, INSIGHT_DEFAULTS, id)
    expect(live).toEqual(evolveFacts(emptyFacts(id, INSIGHT_DEFAULTS), first!, INSIGHT_DEFAULTS))
    expect(nextFacts(undefined, first!, INSIGHT_DEFAULTS, id)).toEqual(live)
    const stored = JSON.parse(JSON.stringify(live)) as PartnerFacts
    expect(JSON.stringify(nextFacts(stored, second!, INSIGHT_DEFAULTS, id))).toBe(JSON.stringify(nextFacts(live, second!, INSIGHT_DEFAULTS, id)))
    expect(nextFacts(live, second!, INSIGHT_DEFAULTS, id).approvedDeals).toBe(live.approvedDeals + 1)
  })

  test('the string-based calendar arithmetic gives what Date gives, odd inputs included', () => {
    const byDate = {
      dateOf: (iso: string) => new Date(iso).toISOString().slice(0, 10),
      quarterOf: (iso: string) => {
        const d = new Date(iso)
        return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
      },
      compare: (a: string, b: string) => Math.sign(new Date(a).getTime() - new Date(b).getTime()),
      quarterEnd: (quarter: string) => {
        const [year, q] = quarter.split('-Q').map(Number) as [number, number]
        return new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10)
      },
      shiftQuarter: (quarter: string, n: number) => {
        const [year, q] = quarter.split('-Q').map(Number) as [number, number]
        const index = year * 4 + (q - 1) + n
        return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`
      },
    }
    const outcome = (fn: () => unknown) => {
      try {
        return fn()
      } catch (error) {
        return `throws ${(error as Error).name}`
      }
    }
    const odd = [
      '2019-02-31', '2019-02-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:59:60Z', '2024-02-29', '0000-01-01', '0099-03-01T00:00:00.000Z',
      '2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59Z', '2026-12-31T23:30:00.000+02:00', '2026-13-01', '2026-00-10', '2026-1a-01', 'garbage', '',
      '2026-06-15T12:00:00.5Z', '2026-06-15T12:00:00.123456Z', '+020000-01-01T00:00:00.000Z',
      '0000-02-29', '1900-02-29', '2000-02-29T10:00:00Z', '2023-02-29T10:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-04-31', '2026-01-00',
      '2026-06-15t12:00:00.000Z', '2026-06-15T12:00:00.000z', '2026-06-15 12:00:00.000Z',
    ]
    const instants = [...odd, ...events.slice(0, 2000).flatMap((e) => [e.metadata.occurredAt, e.metadata.occurredAt.slice(0, 10), `${e.metadata.occurredAt.slice(0, 19)}Z`])]
    for (const [i, a] of instants.entries()) {
      const b = instants[(i * 7919) % instants.length]!
      expect([a, outcome(() => dateOf(a)), outcome(() => quarterOf(a)), outcome(() => compareInstants(a, b))]).toEqual([
        a, outcome(() => byDate.dateOf(a)), outcome(() => byDate.quarterOf(a)), outcome(() => byDate.compare(a, b)),
      ])
    }
    for (const q of ['2026-Q1', '2026-Q4', '1999-Q2', '2026-Q5', '0001-Q1', 'x', '2026-Q1-Q2', '26-Q1']) {
      expect([q, outcome(() => quarterEnd(q)), outcome(() => quarterEnd(q))]).toEqual([q, outcome(() => byDate.quarterEnd(q)), outcome(() => byDate.quarterEnd(q))])
      for (const n of [-13, -4, -1, 0, 1, 5]) expect(shiftQuarter(q, n)).toBe(byDate.shiftQuarter(q, n))
    }
  })
})
