// Funds in the demo: each quarter's allocation from the partner's tier, co-investment requests approved against it
// (reserved first, as the funds use cases do), claims with evidence, payments, and the quarter's expiry.
import { AllocationDecider, available, streamId as allocationStream, type Allocation } from '../../../domain/allocations/index.ts'
import { claimable, CoInvestmentDecider, releaseTarget, streamId as coinvestStream, type CoInvestment } from '../../../domain/coinvestment/index.ts'
import { dueAllocationExpiries, dueClaimDeadlines, dueTierAllocations } from '../../../domain/scheduler/policies.ts'
import { SCHEDULER_ACTOR } from '../../../domain/shared/auth.ts'
import type { Actor } from '../../../domain/shared/command.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/settings/defaults.ts'
import { DAY, day, iso, money, quarterEndTime, quarterOf } from '../history/timeline.ts'
import { active, admin, after, at, managerOf, nextId, VERA, type Life, type Story } from './context.ts'

const CURRENCY = 'EUR'
const ACTIVITIES = {
  mdf: ['Cloud Backup online seminars', 'Ransomware readiness roadshow', 'Trade fair stand with live demos', 'Email campaign to the installed base', 'LinkedIn campaign for IT leaders'],
  coop: ['Co-branded customer event', 'Joint case study and video', 'Partner-led proof-of-concept days'],
  cofunded_head: ['Half of a presales engineer for Acme Cloud', 'A dedicated Acme Cloud sales specialist'],
}

/** the quarter's allocation from the tier rules, as the scheduler makes it (pro rata in the quarter it joins); it lapses after the quarter */
export function allocateQuarter(story: Story, life: Life, t: number) {
  if (!life.approved || life.joinedAt === null) return
  const quarter = quarterOf(t)
  const stream = allocationStream(life.p.id, quarter)
  const partner = { partnerId: life.p.id, joinedAt: iso(life.joinedAt), tiers: life.tiers, allocated: story.h.stateOf<Allocation>(AllocationDecider, stream).status !== 'Initial' }
  const due = dueTierAllocations({ partners: [partner], settings: { status: 'Defaults', changes: [] } }, iso(t))
  if (!due.some((command) => story.h.attempt(AllocationDecider, stream, command.type, command.data, SCHEDULER_ACTOR, t, command.metadata.commandId))) return
  at(story, quarterEndTime(quarter) + 60_001, (te) => {
    for (const command of dueAllocationExpiries({ allocations: [{ partnerId: life.p.id, quarter, expired: false }] }, iso(te)))
      story.h.attempt(AllocationDecider, stream, command.type, command.data, SCHEDULER_ACTOR, te, command.metadata.commandId)
  })
}

/** the partner asks for marketing funds from this quarter's allocation; `shared`: it puts money in too */
export function requestFunds(story: Story, life: Life, t: number, shared: boolean) {
  if (!active(life, t)) return
  const { r, h } = story
  const quarter = quarterOf(t)
  const funds = h.stateOf<Allocation>(AllocationDecider, allocationStream(life.p.id, quarter))
  if (funds.status !== 'Open') return
  const free = available(funds)
  const kind = shared ? r.pick(['mdf', 'coop', 'cofunded_head'] as const) : 'mdf'
  const requested = Math.min(free, r.int(2, 12) * 1000)
  if (requested < 1000) return
  const coInvestmentId = nextId(story, 'funds')
  const stream = coinvestStream(coInvestmentId)
  const proposal = {
    kind, activity: r.pick(ACTIVITIES[kind]), totalCost: money(requested * 2), partnerInvestment: shared ? requested : 0,
    amountRequested: requested, currency: CURRENCY, expectedPipeline: requested * r.int(6, 15),
  }
  if (!h.attempt(CoInvestmentDecider, stream, 'RequestCoInvestment', {
    ...proposal, coInvestmentId, partnerId: life.p.id, quarter, availableFunds: { amount: free, currency: CURRENCY },
  }, admin(life), t)) return
  at(story, after(story, t, 1, 6), (ta) => decide(story, life, coInvestmentId, quarter, requested, ta))
}

function decide(story: Story, life: Life, coInvestmentId: string, quarter: string, requested: number, t: number) {
  const { r, h } = story
  const stream = coinvestStream(coInvestmentId)
  const cm = managerOf(life)
  if (r.chance(0.1)) {
    h.attempt(CoInvestmentDecider, stream, 'RejectCoInvestment', { coInvestmentId, reason: 'Say which customers the campaign targets and how you will count the leads' }, cm, t)
    return
  }
  const approvedAmount = r.chance(0.2) ? money(requested * 0.6) : requested
  const alloc = allocationStream(life.p.id, quarter)
  const ids = { partnerId: life.p.id, quarter, coInvestmentId }
  const commandId = nextId(story, 'approve')
  if (!h.attempt(AllocationDecider, alloc, 'ReserveFunds', { ...ids, amount: approvedAmount }, cm, t, `${commandId}:reserve`)) return
  const claimDeadline = day(t + DEFAULT_PROGRAM_SETTINGS.claimDeadlineDays * DAY)
  h.decide(CoInvestmentDecider, stream, 'ApproveCoInvestment', { coInvestmentId, approvedAmount, maxReimbursementPct: 50, claimDeadline }, cm, t, commandId)
  // the scheduler closes the claim window of a request that has no claim standing when it passes
  at(story, Date.parse(`${claimDeadline}T00:00:00Z`) + DAY + 60_000, (tw) => {
    const status = h.stateOf<CoInvestment>(CoInvestmentDecider, stream).status
    for (const command of dueClaimDeadlines({ coInvestments: [{ coInvestmentId, status, claimDeadline }] }, iso(tw))) {
      if (h.attempt(CoInvestmentDecider, stream, command.type, command.data, SCHEDULER_ACTOR, tw, command.metadata.commandId)) settle(story, SCHEDULER_ACTOR, coInvestmentId, tw)
    }
  })
  // most run the activity and claim; a few let the window pass
  if (r.chance(0.08)) return
  at(story, after(story, t, 20, 75), (ts) => {
    const invoice = money(approvedAmount * (1.6 + r.next() * 0.6))
    if (!h.attempt(CoInvestmentDecider, stream, 'SubmitClaim', { coInvestmentId, invoiceAmount: invoice, leadCount: r.int(8, 60), evidence: [story.files.invoice] }, admin(life), ts)) return
    settle(story, admin(life), coInvestmentId, ts)
    at(story, reviewedBeforeNow(story, ts, after(story, ts, 2, 12)), (tc) => {
      if (r.chance(0.07)) {
        h.attempt(CoInvestmentDecider, stream, 'RejectClaim', { coInvestmentId, reason: 'The invoice does not name the campaign; attach the agency invoice for it' }, cm, tc)
        return
      }
      const amount = claimable(approvedAmount, invoice, 50)
      if (!h.attempt(CoInvestmentDecider, stream, 'ApproveClaim', { coInvestmentId, amount }, cm, tc)) return
      settle(story, cm, coInvestmentId, tc)
      // finance pays within the month, now and then late
      at(story, after(story, tc, 4, r.chance(0.15) ? 50 : 24), (tp) => {
        if (h.attempt(CoInvestmentDecider, stream, 'MarkClaimPaid', { coInvestmentId }, VERA, tp)) settle(story, VERA, coInvestmentId, tp)
      })
    })
  })
}

/**
 * A claim's review that would fall after now is brought forward to just before it, so the vendor's claims queue holds
 * only the showcase claim whatever time of day the demo is seeded (the same random draws are made either way).
 */
function reviewedBeforeNow(story: Story, submitted: number, planned: number): number {
  return planned < story.now ? planned : Math.max(submitted + DAY / 24, story.now - 60_000)
}

/** brings the allocation in line with the co-investment, as the funds use cases' settle does */
function settle(story: Story, actor: Actor, coInvestmentId: string, t: number) {
  const { h } = story
  const ci = h.stateOf<CoInvestment>(CoInvestmentDecider, coinvestStream(coInvestmentId))
  if (ci.status === 'Initial') return
  const { partnerId, quarter } = ci
  const alloc = allocationStream(partnerId, quarter)
  const current = h.stateOf<Allocation>(AllocationDecider, alloc)
  const held = current.status === 'Initial' ? undefined : current.commitments[coInvestmentId]
  const target = releaseTarget(ci.status, {
    claimable: 'claimableAmount' in ci ? ci.claimableAmount : null,
    approved: 'claimAmount' in ci ? ci.claimAmount : null,
  })
  const step = `settle-${coInvestmentId}-${ci.status}`
  if (target && held && !held.paid && held.amount > target.keep)
    h.decide(AllocationDecider, alloc, 'ReleaseFunds', { partnerId, quarter, coInvestmentId, keep: target.keep, reason: target.reason }, actor, t, `${step}-release`)
  if (ci.status === 'Paid' && held && !held.paid)
    h.decide(AllocationDecider, alloc, 'RecordFundsPaid', { partnerId, quarter, coInvestmentId, amount: ci.claimAmount }, actor, t, `${step}-paid`)
}

/** Contoso's webinar series: approved in part, its claim waiting in the vendor's queue (the id the browser tests know) */
export function contosoWebinar(story: Story, life: Life, t: number) {
  const { h } = story
  const coInvestmentId = '5eed0000-0000-4000-8000-00000000c0c1'
  const quarter = quarterOf(t)
  const stream = coinvestStream(coInvestmentId)
  const funds = h.stateOf<Allocation>(AllocationDecider, allocationStream(life.p.id, quarter))
  const free = funds.status === 'Open' ? available(funds) : 0
  const requested = Math.min(6_000, free)
  if (requested < 2_000 || !h.attempt(CoInvestmentDecider, stream, 'RequestCoInvestment', {
    coInvestmentId, partnerId: life.p.id, quarter, kind: 'mdf', activity: 'Cloud Backup webinar series for UK SMBs', totalCost: requested * 2,
    partnerInvestment: requested, amountRequested: requested, currency: CURRENCY, expectedPipeline: requested * 20, availableFunds: { amount: free, currency: CURRENCY },
  }, admin(life), t)) return
  at(story, t + 2 * DAY, (ta) => {
    const approvedAmount = requested - 1_000
    if (!h.attempt(AllocationDecider, allocationStream(life.p.id, quarter), 'ReserveFunds', { partnerId: life.p.id, quarter, coInvestmentId, amount: approvedAmount }, managerOf(life), ta, 'demo-webinar-approve:reserve')) return
    h.decide(CoInvestmentDecider, stream, 'ApproveCoInvestment', { coInvestmentId, approvedAmount, maxReimbursementPct: 50, claimDeadline: day(ta + 60 * DAY) }, managerOf(life), ta, 'demo-webinar-approve')
    at(story, ta + 6 * DAY, (ts) => {
      if (h.attempt(CoInvestmentDecider, stream, 'SubmitClaim', { coInvestmentId, invoiceAmount: approvedAmount * 1.8, leadCount: 38, evidence: [story.files.invoice] }, admin(life), ts))
        settle(story, admin(life), coInvestmentId, ts)
    })
  })
}
