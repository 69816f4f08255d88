// What a generated partner does between applying and today: one activity after another, each with its outcomes.
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/settings/defaults.ts'
import { PRODUCTS, TIERS } from './catalogue.ts'
import type { Random } from './random.ts'
import { DAY, day, iso, money, nextQuarter, quarterEndTime, quarterOf } from './timeline.ts'

const VENDOR = 'vendor'

export type GeneratedPartner = {
  id: string
  users: string[]
  approved: boolean
  manager: string | null
  tier: string
  customers: string[]
  plan: boolean
  allocated: Set<string>
  certs: Map<string, number>
}

/** the generator's state the activities share */
export type Generation = {
  r: Random
  meanGapDays: number
  managers: string[]
  courses: { id: string; cert: string | null }[]
  assets: string[]
  sha: string
  emit(t: number, streamId: string, type: string, data: unknown, actor: string, tenant: string): void
  at(t: number, run: (t: number) => void): void
  later(t: number, minDays: number, maxDays: number): number
}

/** one activity, picked by weight, then the next one after an exponential gap */
export function activity(g: Generation, p: GeneratedPartner, t: number) {
  const x = g.r.next()
  if (x < 0.36) deal(g, p, t)
  else if (x < 0.5) training(g, p, t)
  else if (x < 0.74) assetUse(g, p, t)
  else if (x < 0.85) coInvestment(g, p, t)
  else if (x < 0.9) workshop(g, p, t)
  else if (x < 0.92 && !p.plan) plan(g, p, t)
  else if (x < 0.94) invite(g, p, t)
  else if (x < 0.95) reassign(g, p, t)
  else if (x < 0.96) tierChange(g, p, t)
  else assetUse(g, p, t)
  g.at(t + g.r.exp(g.meanGapDays) * DAY, (tn) => activity(g, p, tn))
}

function deal({ r, emit, at, later }: Generation, p: GeneratedPartner, t: number) {
  const dealId = r.uuid()
  const stream = `deal-${dealId}`
  const value = money(r.int(5, 200) * 1000)
  const customer = r.pick(p.customers)
  const reviewDue = t + 2 * DAY
  emit(t, stream, 'DealRegistered', {
    dealId, partnerId: p.id, customerName: customer.split('.')[0]!, customerDomain: customer, value, currency: 'EUR',
    expectedCloseDate: day(t + 60 * DAY), items: [{ ...r.pick(PRODUCTS), quantity: 1 }], conflict: r.chance(0.05) ? { dealIds: [], directAccount: true, earliest: true } : null,
    reviewDueAt: iso(reviewDue), protectionDays: 90,
  }, p.users[0]!, p.id)
  const breach = r.chance(0.1)
  if (breach) at(reviewDue + 60_000, (tb) => emit(tb, stream, 'DealReviewSlaBreached', { dealId, partnerId: p.id, dueAt: iso(reviewDue) }, 'system:scheduler', VENDOR))
  const reviewAt = breach ? later(reviewDue, 0.1, 4) : later(t, 0.05, 1.9)
  at(reviewAt, (tr) => {
    const withinSla = tr <= reviewDue
    if (r.chance(0.12)) {
      emit(tr, stream, 'DealRejected', { dealId, partnerId: p.id, reason: 'Customer already engaged', withinSla }, 'user-sam', VENDOR)
      return
    }
    emit(tr, stream, 'DealApproved', { dealId, partnerId: p.id, protectedUntil: day(tr + 90 * DAY), withinSla }, 'user-sam', VENDOR)
    at(later(tr, 10, 85), (tc) => {
      const y = r.next()
      if (y < 0.55) emit(tc, stream, 'DealWon', { dealId, partnerId: p.id, value: money(value * (0.8 + r.next() * 0.4)), currency: 'EUR', closedOn: day(tc) }, p.users[0]!, p.id)
      else if (y < 0.8) emit(tc, stream, 'DealLost', { dealId, partnerId: p.id, reason: 'Customer chose another offer', lostToDirect: r.chance(0.2) }, p.users[0]!, p.id)
      else at(tr + 91 * DAY, (te) => emit(te, stream, 'DealExpired', { dealId, partnerId: p.id }, 'system:scheduler', VENDOR))
    })
  })
}

function training(g: Generation, p: GeneratedPartner, t: number) {
  const { r, emit, at, later } = g
  const course = r.pick(g.courses)
  const userId = r.pick(p.users)
  const stream = `course-${course.id}`
  const learner = { courseId: course.id, partnerId: p.id, userId }
  emit(t, stream, 'EnrolledInCourse', learner, userId, p.id)
  at(later(t, 3, 30), (tc) => {
    const score = r.int(40, 100)
    const passed = score >= 60
    emit(tc, stream, 'CourseCompleted', { ...learner, score, passed, completedOn: day(tc) }, userId, p.id)
    if (passed && course.cert) earn(g, p, course.id, course.cert, userId, tc, false)
  })
}

function earn(g: Generation, p: GeneratedPartner, courseId: string, cert: string, userId: string, t: number, renewal: boolean) {
  const key = `${courseId}:${userId}`
  const validUntil = t + 365 * DAY
  const epoch = (p.certs.get(key) ?? 0) + 1
  p.certs.set(key, epoch)
  g.emit(t, `course-${courseId}`, 'CertificationEarned', { courseId, partnerId: p.id, userId, certification: cert, validUntil: day(validUntil), renewal }, userId, p.id)
  if (g.r.chance(0.45)) g.at(validUntil - g.r.int(5, 40) * DAY, (tr) => p.certs.get(key) === epoch && earn(g, p, courseId, cert, userId, tr, true))
  else
    g.at(validUntil + DAY, (tl) => {
      if (p.certs.get(key) !== epoch) return
      g.emit(tl, `course-${courseId}`, 'CertificationLapsed', { courseId, partnerId: p.id, userId, certification: cert, validUntil: day(validUntil) }, 'system:scheduler', VENDOR)
    })
}

function assetUse({ r, emit, assets }: Generation, p: GeneratedPartner, t: number) {
  const assetId = r.pick(assets)
  const type = r.pick(['AssetViewed', 'AssetViewed', 'AssetViewed', 'AssetDownloaded', 'AssetDownloaded', 'AssetCoBranded', 'AssetShared'] as const)
  const userId = r.pick(p.users)
  emit(t, `asset-${assetId}`, type, { assetId, partnerId: p.id, userId, version: 1 }, userId, p.id)
}

function allocate({ emit, at }: Generation, p: GeneratedPartner, quarter: string, t: number) {
  if (p.allocated.has(quarter)) return
  p.allocated.add(quarter)
  const amount = DEFAULT_PROGRAM_SETTINGS.fundAllocationByTier[p.tier] || 10_000
  const stream = `allocation-${p.id}-${quarter}`
  emit(t, stream, 'FundsAllocated', { partnerId: p.id, quarter, amount, currency: 'EUR', totalAllocated: amount }, 'system:scheduler', VENDOR)
  const end = quarterEndTime(quarter) + 1 + 3_600_000
  at(end, (te) => emit(te, stream, 'AllocationExpired', { partnerId: p.id, quarter, unused: 0, currency: 'EUR', quarterEnd: day(end - DAY) }, 'system:scheduler', VENDOR))
}

function coInvestment(g: Generation, p: GeneratedPartner, t: number) {
  const { r, emit, at, later, sha } = g
  const quarter = quarterOf(t)
  allocate(g, p, quarter, t)
  const coInvestmentId = r.uuid()
  const stream = `coinvest-${coInvestmentId}`
  const ids = { coInvestmentId, partnerId: p.id, quarter }
  const kind = r.pick(['mdf', 'mdf', 'coop', 'cofunded_head'] as const)
  const requested = money(r.int(1, 8) * 1000)
  const proposal = {
    kind, activity: `Campaign ${kind}`, totalCost: money(requested * 2), partnerInvestment: r.chance(0.7) ? money(requested) : 0,
    amountRequested: requested, currency: 'EUR', expectedPipeline: money(requested * r.int(5, 15)),
  }
  emit(t, stream, 'CoInvestmentRequested', { ...ids, ...proposal }, p.users[0]!, p.id)
  at(later(t, 1, 6), (ta) => {
    if (r.chance(0.15)) {
      emit(ta, stream, 'CoInvestmentRejected', { ...ids, reason: 'Not enough detail' }, 'user-sam', VENDOR)
      return
    }
    const partial = r.chance(0.2)
    const approvedAmount = partial ? money(requested / 2) : requested
    const claimDeadline = ta + 90 * DAY
    emit(ta, `allocation-${p.id}-${quarter}`, 'FundsReserved', { partnerId: p.id, quarter, coInvestmentId, amount: approvedAmount, currency: 'EUR', availableAfter: 0 }, 'user-sam', VENDOR)
    emit(ta, stream, 'CoInvestmentApproved', { ...ids, approvedAmount, partial, maxReimbursementPct: 50, claimDeadline: day(claimDeadline), currency: 'EUR' }, 'user-sam', VENDOR)
    if (r.chance(0.1)) {
      at(claimDeadline + DAY, (tw) => emit(tw, stream, 'ClaimWindowClosed', { ...ids, claimDeadline: day(claimDeadline), releasedAmount: approvedAmount, currency: 'EUR' }, 'system:scheduler', VENDOR))
      return
    }
    at(later(ta, 10, 80), (ts) => {
      const claimable = approvedAmount
      emit(ts, stream, 'ClaimSubmitted', {
        ...ids, invoiceAmount: money(claimable * 2), leadCount: r.int(0, 40), claimableAmount: claimable, currency: 'EUR',
        evidence: [{ sha256: sha, filename: 'invoice.pdf', size: 2048, contentType: 'application/pdf' }],
      }, p.users[0]!, p.id)
      at(later(ts, 2, 15), (tc) => {
        if (r.chance(0.12)) {
          emit(tc, stream, 'ClaimRejected', { ...ids, reason: 'Evidence does not match the activity' }, 'user-sam', VENDOR)
          return
        }
        emit(tc, stream, 'ClaimApproved', { ...ids, amount: claimable, currency: 'EUR' }, 'user-sam', VENDOR)
        at(later(tc, 5, r.chance(0.15) ? 60 : 25), (tp) => {
          const amount = r.chance(0.08) ? money(claimable * 0.7) : claimable
          emit(tp, `allocation-${p.id}-${quarter}`, 'FundsPaid', { partnerId: p.id, quarter, coInvestmentId, amount, currency: 'EUR' }, 'system:finance', VENDOR)
          emit(tp, stream, 'ClaimPaid', { ...ids, amount, currency: 'EUR', paidOn: day(tp) }, 'system:finance', VENDOR)
        })
      })
    })
  })
}

function workshop({ r, emit, at, later }: Generation, p: GeneratedPartner, t: number) {
  const workshopId = r.uuid()
  const stream = `workshop-${workshopId}`
  const manager = () => p.manager ?? 'user-sam'
  emit(t, stream, 'WorkshopRequested', { workshopId, partnerId: p.id, kind: r.pick(['strategy', 'value_proposition'] as const), goal: 'Grow together', attendees: ['A. Person'] }, p.users[0]!, p.id)
  at(later(t, 1, 7), (ts) => {
    const date = ts + r.int(5, 20) * DAY
    emit(ts, stream, 'WorkshopScheduled', { workshopId, partnerId: p.id, date: day(date), previousDate: null }, manager(), VENDOR)
    at(date + 10 * 3_600_000, (th) => {
      const y = r.next()
      if (y < 0.12) emit(th, stream, 'WorkshopCancelled', { workshopId, partnerId: p.id, reason: 'Scheduling conflict', cancelledBy: r.chance(0.5) ? 'vendor' : 'partner' }, manager(), VENDOR)
      else {
        const asScheduled = r.chance(0.85)
        const heldOn = asScheduled ? th : th + r.int(3, 14) * DAY
        at(heldOn, (tk) =>
          emit(tk, stream, 'WorkshopHeld', {
            workshopId, partnerId: p.id, heldOn: day(tk), heldAsScheduled: asScheduled,
            outcomes: { alignedObjectives: ['Grow the installed base'], successMeasures: ['Ten new customers'] },
          }, manager(), VENDOR),
        )
      }
    })
  })
}

function plan({ r, emit, at }: Generation, p: GeneratedPartner, t: number) {
  p.plan = true
  const manager = () => p.manager ?? 'user-sam'
  emit(t, `plan-${p.id}`, 'JointBusinessPlanCreated', {
    partnerId: p.id, goals: [{ id: 'g1', description: 'Grow bookings', target: 'EUR 500k bookings', dueDate: day(t + 365 * DAY) }],
    commitments: [{ side: 'vendor', description: 'Fund two campaigns' }, { side: 'partner', description: 'Certify three engineers' }],
  }, manager(), VENDOR)
  const review = (quarter: string) => {
    const end = quarterEndTime(quarter)
    const when = end + (r.chance(0.8) ? r.int(1, 25) : r.int(35, 60)) * DAY
    at(when, (tr) => {
      emit(tr, `plan-${p.id}`, 'PlanReviewed', { partnerId: p.id, quarter, status: r.pick(['on_track', 'on_track', 'at_risk', 'off_track'] as const), notes: '' }, manager(), VENDOR)
      review(nextQuarter(quarter))
    })
  }
  review(quarterOf(t))
}

function invite(g: Generation, p: GeneratedPartner, t: number) {
  if (p.users.length >= 6) return assetUse(g, p, t)
  const userId = `${p.id}-u${p.users.length + 1}`
  p.users.push(userId)
  g.emit(t, `partner-${p.id}`, 'UserInvited', { partnerId: p.id, userId, name: 'Team Member', email: `u${p.users.length}@${p.id}.example`, role: 'partner_user' }, p.users[0]!, p.id)
}

function reassign(g: Generation, p: GeneratedPartner, t: number) {
  const next = g.r.pick(g.managers.filter((m) => m !== p.manager))
  g.emit(t, `partner-${p.id}`, 'ChannelManagerAssigned', { partnerId: p.id, managerId: next, previousManagerId: p.manager }, 'user-vera', VENDOR)
  p.manager = next
}

function tierChange(g: Generation, p: GeneratedPartner, t: number) {
  const to = g.r.pick(TIERS.filter((x) => x !== p.tier))
  g.emit(t, `partner-${p.id}`, 'TierChanged', { partnerId: p.id, from: p.tier, to, reason: 'Quarterly tier review' }, 'user-vera', VENDOR)
  p.tier = to
}
