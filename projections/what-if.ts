// What-if: the program's whole history replayed in memory under draft settings, beside the same replay under the real
// settings history (which is what the live read models hold), partner by partner, with the reasons (decision 024).
import type { RecordedEvent } from '../eventstore/types.ts'
import type { ProgramSettings, TierRule } from '../domain/settings/defaults.ts'
import { completeSettings, type SettingsHistory } from '../domain/settings/settings.ts'
import { quarterStart, tierAllocation, tierOn, type TierHistory } from '../domain/allocations/tier-allocation.ts'
import { dateOf } from '../domain/shared/time.ts'
import { validCertifications } from './insights/facts.ts'
import { journeyStatus } from './insights/journey.ts'
import { Cs, scorecards, type C, type ScorecardRow } from './insights/scorecard.ts'
import { factsProjection } from './insights/partner-projection.ts'
import { insightSettings, SETTINGS_KEY, type SettingsDoc } from './insights/settings.ts'
import { quarterOf } from './insights/time.ts'
import { isTrustEvent, judgeTrust, emptyTrustPending, type TrustPending, type TrustRule } from './insights/trust-rules.ts'
import { phases, type JourneyPhase } from './journey.ts'
import { foldEvents } from './projection.ts'
import { protectionCounter, settingsLookup, slaRederiver } from './what-if-deals.ts'
import type { ScorecardDoc } from './scorecard.ts'

/** the start of time for the draft: one change in force over the whole history */
const BEGINNING = '1970-01-01T00:00:00.000Z'

/** One partner's figures under one set of settings, on `now`. */
export type WhatIfFigures = {
  /** the tier its valid certifications and won deals qualify for under these tier rules */
  qualifies: string | null
  phase: JourneyPhase
  trust: number
  /** 5C composite and rank in its group (null: not scored) */
  composite: number | null
  rank: number | null
  groupSize: number | null
  scores: Record<C, number> | null
  /** the tier its quarter's allocation is made from, and the amount (pro rata when it joined during the quarter) */
  allocationTier: string | null
  allocation: number
}

export type WhatIfChange = 'tier' | 'phase' | 'trust' | 'score' | 'allocation'

export type WhatIfPartner = {
  partnerId: string
  company: string | null
  /** the tier the vendor gave it (TierChanged / approval) */
  heldTier: string | null
  standing: { certifications: number; wonDeals: number }
  today: WhatIfFigures
  draft: WhatIfFigures
  changes: WhatIfChange[]
  /** why, in words, one line per change (draft values marked "draft") */
  reasons: string[]
}

export type WhatIfSummary = {
  partners: number
  changed: number
  tierUp: number
  tierDown: number
  phaseUp: number
  phaseDown: number
  trustUp: number
  trustDown: number
  /** mean trust change over every partner */
  trustMeanDelta: number
  scoreChanged: number
  rankChanged: number
  allocationUp: number
  allocationDown: number
  allocationToday: number
  allocationDraft: number
}

export type WhatIfDeals = {
  /** the review SLA the draft sets against the one(s) in force when each deal was registered */
  reviewSla: { draftDays: number; todayDays: number[]; rederived: number; lateUnderDraft: number; onTimeUnderDraft: number; newBreaches: number; breachesDropped: number }
  /** the protection period is not replayed (the partners' own later actions would differ); what it would touch */
  protection: { draftDays: number; todayDays: number[]; wonAfterDraftEnd: number; expiredStillProtected: number; approved: number }
}

export type WhatIfResult = {
  now: string
  quarter: string
  currency: { today: string; draft: string }
  events: number
  summary: WhatIfSummary
  /** partners with any change, most changes first */
  partners: WhatIfPartner[]
  deals: WhatIfDeals
  /** what the replay does not re-derive, in words */
  notReplayed: string[]
}

type Ev = RecordedEvent<string, any>

/** the tier a standing qualifies for: the highest-ranked tier whose thresholds it meets */
export function qualifyingTier(tiers: readonly TierRule[], standing: { certifications: number; wonDeals: number }): string | null {
  const ordered = [...tiers].sort((a, b) => b.rank - a.rank)
  return ordered.find((t) => standing.certifications >= t.minimumCertifications && standing.wonDeals >= t.minimumWonDeals)?.name ?? null
}

const rankOf = (tiers: readonly TierRule[], name: string | null) => (name === null ? -1 : tiers.find((t) => t.name === name)?.rank ?? -1)

/**
 * The tier a partner's allocation comes from under the draft. Tiers are the vendor's to set; the replay assumes the
 * vendor follows the draft's rules where the draft crosses the tier a partner holds: a partner whose held tier the draft
 * no longer qualifies it for (and today's rules do) goes down to the draft's tier, one that the draft lifts above its
 * held tier (and today's rules do not) goes up. Everyone else keeps its tier; a tier the draft removes gives way too.
 */
export function draftAllocationTier(now: ProgramSettings, draft: ProgramSettings, held: string | null, today: string | null, drafted: string | null): string | null {
  if (held === null) return null
  if (!draft.tiers.some((t) => t.name === held)) return drafted
  const heldNow = rankOf(now.tiers, held)
  const heldDraft = rankOf(draft.tiers, held)
  const todayRank = rankOf(now.tiers, today)
  const draftRank = rankOf(draft.tiers, drafted)
  if (draftRank < heldDraft && todayRank >= heldNow) return drafted
  if (draftRank > heldDraft && todayRank <= heldNow) return drafted
  return held
}

type PartnerTrack = { joinedAt: string | null; tiers: { tier: string; from: string }[]; today: Partial<Record<TrustRule, number>>; draft: Partial<Record<TrustRule, number>> }
type Replay = { docs: Map<string, unknown>; pending: Map<string, TrustPending> }

/** each partner's facts, folded as the journey folds them (the scorecard reads them) */
const factsReplay = factsProjection('facts', 1)


function step(replay: Replay, event: Ev, settingsOf: (at: string) => ProgramSettings, counts: Map<string, PartnerTrack>, side: 'today' | 'draft') {
  foldEvents(factsReplay, replay.docs, event)
  if (!isTrustEvent(event as never)) return
  const partnerId = (event.data as { partnerId?: string }).partnerId
  if (!partnerId) return
  // the rules that fired, counted per partner: the reasons name them
  const { pending, verdict } = judgeTrust(replay.pending.get(partnerId) ?? emptyTrustPending(), event as never, insightSettings(settingsOf(event.metadata.occurredAt)))
  replay.pending.set(partnerId, pending)
  if (verdict) {
    const track = trackOf(counts, partnerId)
    track[side][verdict.rule] = (track[side][verdict.rule] ?? 0) + 1
  }
}

const trackOf = (tracks: Map<string, PartnerTrack>, partnerId: string) => {
  let t = tracks.get(partnerId)
  if (!t) tracks.set(partnerId, (t = { joinedAt: null, tiers: [], today: {}, draft: {} }))
  return t
}

/** The what-if replay in one pass over the whole log: `whatIf(events, draft, now)` over an array. */
export function whatIf(events: Iterable<Ev>, draftInput: ProgramSettings, now: string): WhatIfResult {
  const replay = createWhatIf(draftInput, now)
  for (const event of events) replay.push(event)
  return replay.finish()
}

/**
 * Replays the log (pushed event by event, in log order, so a caller can fold while it reads) twice in memory: under the
 * settings history it carries (today) and under `draftInput` in force from the beginning (the draft); `finish()`
 * compares every approved partner on `now`. A settings change always takes effect at or after it is recorded
 * (decision: settings never change the past), so the history read so far holds the settings in force at each event.
 */
export function createWhatIf(draftInput: ProgramSettings, now: string): { push(event: Ev): void; finish(): WhatIfResult } {
  const draft = completeSettings(draftInput)
  const real: SettingsHistory = { status: 'Defaults', changes: [] }
  let lookup = settingsLookup(real)
  const realAt = (at: string) => lookup(at)
  const draftDoc: SettingsDoc = { status: 'Changed', changes: [{ effectiveFrom: BEGINNING, settings: draft }] }
  const reviewSla = { draftDays: draft.reviewSlaBusinessDays, todayDays: [] as number[], rederived: 0, lateUnderDraft: 0, onTimeUnderDraft: 0, newBreaches: 0, breachesDropped: 0 }
  const sla = slaRederiver(realAt, draft, reviewSla)
  const protection = protectionCounter(realAt, draft)
  const today: Replay = { docs: new Map(), pending: new Map() }
  const drafted: Replay = { docs: new Map<string, unknown>([[SETTINGS_KEY, draftDoc]]), pending: new Map() }
  const tracks = new Map<string, PartnerTrack>()
  const slaDays = new Set<number>()
  const draftAt = () => draft
  // the draft's settings are in force throughout: the recorded changes are not folded
  const draftStep = (event: Ev) => {
    if (event.type !== 'ProgramSettingsChanged') step(drafted, event, draftAt, tracks, 'draft')
  }
  let count = 0
  return {
    push(event) {
      count++
      if (event.type === 'ProgramSettingsChanged') {
        real.changes.push(event.data)
        real.status = 'Changed'
        lookup = settingsLookup(real)
      } else if (event.type === 'PartnerApproved') {
        const t = trackOf(tracks, event.data.partnerId)
        t.joinedAt = event.metadata.occurredAt
        t.tiers = [{ tier: event.data.tier, from: event.metadata.occurredAt }]
      } else if (event.type === 'TierChanged') {
        trackOf(tracks, event.data.partnerId).tiers.push({ tier: event.data.to, from: event.metadata.occurredAt })
      } else if (event.type === 'DealRegistered') slaDays.add(realAt(event.metadata.occurredAt).reviewSlaBusinessDays)
      protection.push(event)
      step(today, event, realAt, tracks, 'today')
      sla.push(event, draftStep)
    },
    finish() {
      sla.finish(now, draftStep)
      reviewSla.todayDays = [...slaDays].sort((a, b) => a - b)
      return compare({ now, draft, draftDoc, real, realAt, today, drafted, tracks, count, reviewSla, protection: protection.result() })
    },
  }
}

function compare({ now, draft, draftDoc, real, realAt, today, drafted, tracks, count, reviewSla, protection }: {
  now: string; draft: ProgramSettings; draftDoc: SettingsDoc; real: SettingsHistory; realAt: (at: string) => ProgramSettings; today: Replay; drafted: Replay
  tracks: Map<string, PartnerTrack>; count: number; reviewSla: WhatIfDeals['reviewSla']; protection: WhatIfDeals['protection']
}): WhatIfResult {
  const nowSettings = realAt(now)
  const realDoc: SettingsDoc | undefined = real.changes.length ? real : undefined
  const docsOf = (r: Replay) => [...r.docs.entries()].filter(([k]) => k !== SETTINGS_KEY).map(([, d]) => d as ScorecardDoc).filter((d) => d?.facts?.status === 'approved')
  const todayDocs = docsOf(today)
  const draftDocs = new Map(docsOf(drafted).map((d) => [d.partnerId, d]))
  const todayCards = new Map(scorecards(todayDocs, now, realDoc).map((r) => [r.partnerId, r]))
  const draftCards = new Map(scorecards([...draftDocs.values()], now, draftDoc).map((r) => [r.partnerId, r]))
  const quarter = quarterOf(now)
  const start = `${quarterStart(quarter)}T00:00:00.000Z`

  const partners: WhatIfPartner[] = []
  const summary: WhatIfSummary = {
    partners: todayDocs.length, changed: 0, tierUp: 0, tierDown: 0, phaseUp: 0, phaseDown: 0, trustUp: 0, trustDown: 0, trustMeanDelta: 0,
    scoreChanged: 0, rankChanged: 0, allocationUp: 0, allocationDown: 0, allocationToday: 0, allocationDraft: 0,
  }
  let trustDeltaSum = 0
  for (const doc of todayDocs) {
    const id = doc.partnerId
    const f = doc.facts
    const g = draftDocs.get(id)?.facts ?? f
    const track = trackOf(tracks, id)
    const standing = { certifications: validCertifications(f, now).length, wonDeals: f.wonDeals }
    const draftStanding = { certifications: validCertifications(g, now).length, wonDeals: g.wonDeals }
    const qualifiesToday = qualifyingTier(nowSettings.tiers, standing)
    const qualifiesDraft = qualifyingTier(draft.tiers, draftStanding)
    const todayStatus = journeyStatus(f, now, insightSettings(nowSettings))
    const draftStatus = journeyStatus(g, now, insightSettings(draft))
    // the quarter's allocation: the tier of the quarter's first day (or of joining), as the scheduler allocates (decision 017)
    const joinedAt = track.joinedAt
    const from = joinedAt && Date.parse(joinedAt) > Date.parse(start) ? joinedAt : start
    const heldAtStart = tierOn(track.tiers as TierHistory, dateOf(from))
    const allocationToday = heldAtStart && joinedAt ? tierAllocation(quarter, realAt(from).fundAllocationByTier[heldAtStart] ?? 0, joinedAt)?.amount ?? 0 : 0
    const draftTier = draftAllocationTier(nowSettings, draft, heldAtStart, qualifiesToday, qualifiesDraft)
    const allocationDraft = draftTier && joinedAt ? tierAllocation(quarter, draft.fundAllocationByTier[draftTier] ?? 0, joinedAt)?.amount ?? 0 : 0
    const card = (r: ScorecardRow | undefined) => ({ composite: r?.composite ?? null, rank: r?.rank ?? null, groupSize: r?.groupSize ?? null, scores: r?.scores ?? null })
    const t: WhatIfFigures = { qualifies: qualifiesToday, phase: todayStatus.phase, trust: f.trust, ...card(todayCards.get(id)), allocationTier: heldAtStart, allocation: allocationToday }
    const d: WhatIfFigures = { qualifies: qualifiesDraft, phase: draftStatus.phase, trust: g.trust, ...card(draftCards.get(id)), allocationTier: draftTier, allocation: allocationDraft }
    summary.allocationToday += t.allocation
    summary.allocationDraft += d.allocation
    trustDeltaSum += d.trust - t.trust

    const changes: WhatIfChange[] = []
    const reasons: string[] = []
    if (t.qualifies !== d.qualifies) {
      changes.push('tier')
      const up = rankOf(draft.tiers, d.qualifies) > rankOf(nowSettings.tiers, t.qualifies)
      if (up) summary.tierUp++
      else summary.tierDown++
      reasons.push(tierReason(nowSettings, draft, t.qualifies, d.qualifies, standing, draftStanding, up))
    }
    if (t.phase !== d.phase) {
      changes.push('phase')
      const up = phases.indexOf(d.phase) > phases.indexOf(t.phase)
      if (up) summary.phaseUp++
      else summary.phaseDown++
      // the first condition that differs: today's unmet one the draft meets, or the draft's unmet one today meets
      const status = up ? todayStatus : draftStatus
      const lower = up ? t.phase : d.phase
      const missing = status.checks.find((c) => c.phase === phases[phases.indexOf(lower) + 1])?.missing ?? []
      reasons.push(up
        ? `Reaches ${d.phase} under the draft; today it misses: ${missing.join('; ') || 'nothing more'}`
        : `Falls back to ${d.phase} under the draft: ${missing.join('; ') || `a condition of ${t.phase} no longer holds`}`)
    }
    if (Math.abs(d.trust - t.trust) >= 0.005) {
      changes.push('trust')
      if (d.trust > t.trust) summary.trustUp++
      else summary.trustDown++
      reasons.push(trustReason(nowSettings, draft, track, t.trust, d.trust))
    }
    const scoreMoved = t.composite !== d.composite && (t.composite === null || d.composite === null || Math.abs(t.composite - d.composite) >= 0.005)
    if (scoreMoved || t.rank !== d.rank) {
      changes.push('score')
      if (scoreMoved) summary.scoreChanged++
      if (t.rank !== d.rank) summary.rankChanged++
      reasons.push(scoreReason(nowSettings, draft, t, d))
    }
    if (t.allocation !== d.allocation) {
      changes.push('allocation')
      if (d.allocation > t.allocation) summary.allocationUp++
      else summary.allocationDown++
      reasons.push(d.allocationTier === null
        ? 'No tier to allocate from under the draft'
        : `${cap(d.allocationTier)} gives ${money(draft.fundAllocationByTier[d.allocationTier] ?? 0, draft.fundCurrency)} a quarter under the draft${d.allocationTier !== t.allocationTier ? ` (held ${t.allocationTier ?? 'no tier'} on the quarter's first day)` : ''}; today ${t.allocationTier ?? 'no tier'} gives ${money(t.allocationTier ? nowSettings.fundAllocationByTier[t.allocationTier] ?? 0 : 0, nowSettings.fundCurrency)}`)
    }
    if (changes.length) {
      summary.changed++
      partners.push({ partnerId: id, company: f.company, heldTier: f.tier, standing, today: t, draft: d, changes, reasons })
    }
  }
  summary.trustMeanDelta = todayDocs.length ? Math.round((trustDeltaSum / todayDocs.length) * 100) / 100 : 0
  summary.allocationToday = Math.round(summary.allocationToday)
  summary.allocationDraft = Math.round(summary.allocationDraft)
  partners.sort((a, b) => b.changes.length - a.changes.length || Math.abs(b.draft.trust - b.today.trust) - Math.abs(a.draft.trust - a.today.trust) || (a.company ?? a.partnerId).localeCompare(b.company ?? b.partnerId))

  const notReplayed = [
    `Deal protection (${protection.draftDays} days in the draft) is not replayed: deals keep the outcome they had, since partners would have acted differently. ` +
      `${protection.wonAfterDraftEnd} of ${protection.approved} approved deals were won after the draft's protection would have ended, and ${protection.expiredStillProtected} expired deals would still have been protected when they expired.`,
    'Tiers are set by the vendor: the replay shows the tier each partner qualifies for under the tier rules, not a tier change it records.',
    'Conflicts between registrations (decided when a deal is approved, decision 016) keep the decisions made.',
  ]
  if (draft.fundCurrency !== nowSettings.fundCurrency) notReplayed.push(`The draft's fund currency (${draft.fundCurrency}) differs from today's (${nowSettings.fundCurrency}); allocations are compared as numbers.`)
  return {
    now, quarter, currency: { today: nowSettings.fundCurrency, draft: draft.fundCurrency }, events: count, summary, partners,
    deals: { reviewSla, protection }, notReplayed,
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const money = (n: number, currency: string) => `${currency} ${Math.round(n).toLocaleString('en-GB')}`
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`)

/** "Gold needs 4 valid certifications (draft; today 3) — has 3" for the tier that the draft gives or takes away */
function tierReason(now: ProgramSettings, draft: ProgramSettings, today: string | null, drafted: string | null, standing: WhatIfPartner['standing'], draftStanding: WhatIfPartner['standing'], up: boolean): string {
  const name = up ? drafted : today
  if (name === null) return 'Qualifies for no tier under the draft'
  const rule = draft.tiers.find((t) => t.name === name)
  const before = now.tiers.find((t) => t.name === name)
  if (!rule) return `${cap(name)} is not a tier in the draft; qualifies for ${drafted ?? 'no tier'}`
  const s = up ? draftStanding : standing
  const parts: string[] = []
  const need = (what: string, have: number, n: number, was: number | undefined) =>
    `${n} ${what}${was !== undefined && was !== n ? ` (draft; today ${was})` : ''} — has ${have}`
  if (!up) {
    if (draftStanding.certifications < rule.minimumCertifications) parts.push(need(rule.minimumCertifications === 1 ? 'valid certification' : 'valid certifications', draftStanding.certifications, rule.minimumCertifications, before?.minimumCertifications))
    if (draftStanding.wonDeals < rule.minimumWonDeals) parts.push(need(rule.minimumWonDeals === 1 ? 'won deal' : 'won deals', draftStanding.wonDeals, rule.minimumWonDeals, before?.minimumWonDeals))
    return `${cap(name)} needs ${parts.join(' and ') || 'what it has no longer'}: qualifies for ${drafted ?? 'no tier'} under the draft`
  }
  parts.push(need(rule.minimumCertifications === 1 ? 'valid certification' : 'valid certifications', s.certifications, rule.minimumCertifications, before?.minimumCertifications))
  parts.push(need(rule.minimumWonDeals === 1 ? 'won deal' : 'won deals', s.wonDeals, rule.minimumWonDeals, before?.minimumWonDeals))
  return `${cap(name)} needs ${parts.join(' and ')}: qualifies under the draft (today ${today ?? 'no tier'})`
}

const ruleLabels: Record<TrustRule, string> = {
  dealReviewedWithinSla: 'Deal reviewed within the SLA', dealWon: 'Registered deal won', claimPaidOnTime: 'Claim paid on time',
  workshopHeldAsScheduled: 'Workshop held as scheduled', psatGood: 'Good PSAT answer', planOnTrack: 'Plan on track',
  dealReviewSlaBreached: 'Review SLA breached', dealLostToDirect: 'Deal lost to direct sales', claimPaidLate: 'Claim paid late',
  claimPaidPartially: 'Claim paid partially', claimRejected: 'Claim rejected', channelManagerReassigned: 'Channel manager reassigned',
  psatLow: 'Low PSAT score', workshopCancelledByVendor: 'Workshop cancelled by the vendor', planOffTrack: 'Plan off track',
}

/** the rules whose count or weight differ, biggest effect first: "Registered deal won: 4 × +3 → 4 × +5" */
function trustReason(now: ProgramSettings, draft: ProgramSettings, track: PartnerTrack, today: number, drafted: number): string {
  const rules = new Set([...Object.keys(track.today), ...Object.keys(track.draft)] as TrustRule[])
  const lines = [...rules].map((rule) => {
    const a = track.today[rule] ?? 0
    const b = track.draft[rule] ?? 0
    const wa = now.trustWeights[rule]
    const wb = draft.trustWeights[rule]
    return { effect: b * wb - a * wa, text: `${ruleLabels[rule]}: ${a} × ${signed(wa)} → ${b} × ${signed(wb)}` }
  }).filter((l) => Math.abs(l.effect) > 0.0001).sort((x, y) => Math.abs(y.effect) - Math.abs(x.effect))
  const start = now.trust.initial !== draft.trust.initial ? [`starting trust ${now.trust.initial} → ${draft.trust.initial}`] : []
  const shown = [...start, ...lines.slice(0, 3).map((l) => l.text)]
  const more = lines.length > 3 ? `; ${count(lines.length - 3, 'more rule', 'more rules')}` : ''
  return `Trust ${today} → ${drafted} (0–100, kept within bounds): ${shown.join('; ') || 'the same promises weighed in another order against the bounds'}${more}`
}

const cLabels: Record<C, string> = { contribution: 'Contribution', consumption: 'Consumption', coverage: 'Coverage', capability: 'Capability', commitment: 'Commitment' }

function scoreReason(now: ProgramSettings, draft: ProgramSettings, t: WhatIfFigures, d: WhatIfFigures): string {
  const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-GB', { maximumFractionDigits: 1 }))
  const head = `Composite ${fmt(t.composite)} → ${fmt(d.composite)}${t.rank !== d.rank ? `, rank ${t.rank ?? '—'} → ${d.rank ?? '—'} of ${d.groupSize ?? '—'}` : ''}`
  const why: string[] = []
  const weights = Cs.filter((c) => now.scorecard.weights[c] !== draft.scorecard.weights[c])
  if (weights.length) why.push(`weights ${weights.map((c) => `${cLabels[c].toLowerCase()} ${now.scorecard.weights[c]} → ${draft.scorecard.weights[c]}`).join(', ')}`)
  if (now.scorecard.groupBy !== draft.scorecard.groupBy) why.push(`compared within ${draft.scorecard.groupBy === 'tier' ? 'its tier' : 'its partner type'}`)
  if (t.scores && d.scores) {
    const moved = Cs.filter((c) => Math.abs(t.scores![c] - d.scores![c]) >= 0.05)
    if (moved.length) why.push(moved.map((c) => `${cLabels[c].toLowerCase()} ${fmt(t.scores![c])} → ${fmt(d.scores![c])}`).join(', '))
  }
  return `${head}${why.length ? `: ${why.join('; ')}` : ' (its group moved)'}`
}
