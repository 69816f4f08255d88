// Deterministic generator of a realistic program history (partners applying, deals, training, assets, funds, workshops, plans, surveys, settings), valid for the domain's schemas.
//
//   npx tsx cli/generate-history.ts --partners 1000 --events 1000000 [--seed 7] [--start 2023-01-02] (--database-url postgres://... | --data-dir ./data)
//
//   --concurrency 8 appends independent streams concurrently (PostgreSQL only; see AppendHistoryOptions)
//
// The events are built directly (no deciders), in business-time order, and every one is checked with the store's
// codec (createDomainCodec in app/codec.server.ts: the domain's schemas and current versions) before it is handed out.
import { createDomainCodec, currentSchemaVersion } from '../app/codec.server.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../domain/settings/defaults.ts'
import type { EventStore, NewEvent } from '../eventstore/types.ts'

export type GeneratedEvent = { streamId: string; event: NewEvent }
export type HistoryOptions = {
  partners: number
  events: number
  seed?: number
  /** first day of the history (YYYY-MM-DD); default 2023-01-02 */
  start?: string
  /** validate every event with the codec (default true) */
  validate?: boolean
}

const DAY = 86_400_000
const VENDOR = 'vendor'
const MANAGERS = ['user-sam', 'user-cm-2', 'user-cm-3', 'user-cm-4']
const TIERS = DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => t.name)
const GEOS = ['DE', 'FR', 'NL', 'UK', 'ES', 'IT', 'PL', 'SE', 'US', 'CA']
const SEGMENTS = ['smb', 'mid-market', 'enterprise', 'public', 'education', 'health']
const TYPES = ['reseller', 'msp', 'var', 'referral'] as const
const PRODUCTS = [
  { sku: 'CB-500', name: 'Cloud Backup' }, { sku: 'EP-200', name: 'Endpoint Protect' }, { sku: 'DV-100', name: 'Data Vault' }, { sku: 'NG-300', name: 'Network Guard' },
]
const SHA = 'a'.repeat(64)

/** xorshift128+-style PRNG on 32-bit ints: deterministic for a seed */
function prng(seed: number) {
  let a = seed >>> 0 || 1
  let b = 0x9e3779b9
  let c = 0x243f6a88
  let d = 0xb7e15162
  const next = () => {
    const t = a ^ (a << 11)
    a = b
    b = c
    c = d
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0
    return d / 0x1_0000_0000
  }
  for (let i = 0; i < 20; i++) next()
  const random = {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    exp: (mean: number) => -Math.log(1 - next()) * mean,
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16))
      hex[12] = '4'
      hex[16] = '89ab'[Math.floor(next() * 4)]!
      const s = hex.join('')
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
    },
  }
  return random
}

type Task = { t: number; seq: number; run: () => void }

/** binary min-heap of tasks by (time, insertion order) */
class Queue {
  private items: Task[] = []
  private seq = 0
  get size() {
    return this.items.length
  }
  push(t: number, run: () => void) {
    const item = { t, seq: this.seq++, run }
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(a[p]!, item)) break
      a[i] = a[p]!
      i = p
    }
    a[i] = item
  }
  pop(): Task | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (!top || !last || a.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= a.length) break
      const r = l + 1
      const c = r < a.length && less(a[r]!, a[l]!) ? r : l
      if (less(last, a[c]!)) break
      a[i] = a[c]!
      i = c
    }
    a[i] = last
    return top
  }
}
const less = (x: Task, y: Task) => x.t < y.t || (x.t === y.t && x.seq < y.seq)

const iso = (t: number) => new Date(t).toISOString()
const day = (t: number) => iso(t).slice(0, 10)
const quarterOf = (t: number) => {
  const d = new Date(t)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}
const quarterEndTime = (q: string) => {
  const [y, n] = q.split('-Q').map(Number) as [number, number]
  return Date.UTC(y, n * 3, 1) - 1
}
const money = (n: number) => Math.round(n * 100) / 100

type Partner = {
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

/** Yields the history event by event in business-time order (occurredAt never decreases). */
export function* historyEvents(options: HistoryOptions): Generator<GeneratedEvent> {
  const r = prng(options.seed ?? 7)
  const codec = options.validate === false ? null : createDomainCodec()
  const start = Date.parse(`${options.start ?? '2023-01-02'}T08:00:00Z`)
  const partnerCount = Math.max(1, options.partners)
  const spanDays = 3 * 365
  // about 3.5 events per activity; 85% of partners are approved
  const activitiesPerPartner = Math.max(1, options.events / (partnerCount * 0.85 * 3.5))
  const meanGapDays = Math.max(0.02, spanDays / activitiesPerPartner)
  const queue = new Queue()
  const out: GeneratedEvent[] = []
  let emitted = 0

  const emit = (t: number, streamId: string, type: string, data: unknown, actor: string, tenant: string) => {
    const id = r.uuid()
    const event: NewEvent = { id, type, data, metadata: { actor, tenant, occurredAt: iso(t), correlationId: id, causationId: id, schemaVersion: currentSchemaVersion(type) } }
    out.push({ streamId, event: codec ? codec.encode(event) : event })
  }
  const at = (t: number, run: (t: number) => void) => queue.push(t, () => run(t))
  const later = (t: number, minDays: number, maxDays: number) => t + (minDays + r.next() * (maxDays - minDays)) * DAY

  // ---- the vendor's side: settings, courses, assets, survey rounds -----------------------------------------------
  const courses = Array.from({ length: 6 }, (_, i) => ({ id: `course-${i + 1}`, cert: i < 4 ? `Certified ${PRODUCTS[i]!.name} Specialist` : null }))
  const assets = Array.from({ length: 12 }, (_, i) => `asset-${i + 1}`)
  at(start - 2 * DAY, (t) => {
    emit(t, 'settings-program', 'ProgramSettingsChanged', { effectiveFrom: iso(t), settings: DEFAULT_PROGRAM_SETTINGS }, 'user-vera', VENDOR)
    for (const c of courses)
      emit(t, `course-${c.id}`, 'CoursePublished', {
        courseId: c.id, title: `Course ${c.id}`, description: 'Generated course',
        certification: c.cert ? { name: c.cert, validityMonths: 12 } : null,
      }, 'user-vera', VENDOR)
    assets.forEach((a, i) =>
      emit(t, `asset-${a}`, 'AssetPublished', {
        assetId: a, title: `Asset ${i + 1}`, description: 'Generated asset', tags: ['generated'], audience: i % 2 ? 'thru_partner' : 'to_partner',
        assetType: 'sales_guide', product: PRODUCTS[i % PRODUCTS.length]!.name, language: 'en', audienceRules: {},
        file: { sha256: SHA, filename: `asset-${i + 1}.pdf`, size: 1000 + i, contentType: 'application/pdf' }, coBrandable: i % 2 === 1, version: 1,
      }, 'user-vera', VENDOR),
    )
  })
  // a settings change half-way through: devotion needs a little more trust from then on (announced ahead)
  at(start + (spanDays / 2 - 14) * DAY, (t) => {
    const settings = { ...DEFAULT_PROGRAM_SETTINGS, journey: { ...DEFAULT_PROGRAM_SETTINGS.journey, devotionTrust: 55 } }
    emit(t, 'settings-program', 'ProgramSettingsChanged', { effectiveFrom: iso(t + 14 * DAY), settings }, 'user-vera', VENDOR)
  })
  const partners: Partner[] = []
  // a PSAT round per quarter, open for 30 days; approved partners answer with some probability
  for (let q = 0; q < 16; q++) {
    const open = start + q * 91 * DAY + 10 * DAY
    const surveyId = `survey-${q + 1}`
    at(open, (t) => {
      emit(t, `survey-${surveyId}`, 'SurveyRoundOpened', { surveyId, topics: ['support', 'funds', 'enablement'] }, 'user-vera', VENDOR)
      let answers = 0
      for (const p of partners) {
        if (!p.approved || !r.chance(0.5)) continue
        answers++
        const mood = r.next()
        const base = mood < 0.15 ? 3 : mood < 0.6 ? 7 : 9
        at(later(t, 1, 25), (ta) =>
          emit(ta, `survey-${surveyId}`, 'SurveyAnswered', {
            surveyId, partnerId: p.id, userId: p.users[0]!,
            scores: { support: clamp10(base + r.int(-1, 1)), funds: clamp10(base + r.int(-1, 1)), enablement: clamp10(base + r.int(-1, 1)) }, comment: '',
          }, p.users[0]!, p.id),
        )
      }
      const closing = answers
      at(t + 30 * DAY, (tc) => emit(tc, `survey-${surveyId}`, 'SurveyRoundClosed', { surveyId, answers: closing }, 'user-vera', VENDOR))
    })
  }

  // ---- partners ----------------------------------------------------------------------------------------------------
  for (let i = 0; i < partnerCount; i++) {
    const id = `p-${String(i + 1).padStart(5, '0')}-${r.uuid().slice(0, 8)}`
    const p: Partner = { id, users: [`${id}-admin`], approved: false, manager: null, tier: TIERS[0]!, customers: [], plan: false, allocated: new Set(), certs: new Map() }
    for (let c = 0; c < 30; c++) p.customers.push(`customer-${i + 1}-${c + 1}.example`)
    partners.push(p)
    at(start + r.next() * spanDays * 0.3 * DAY, (t) => apply(p, t))
  }

  function apply(p: Partner, t: number) {
    const type = r.pick(TYPES)
    emit(t, `partner-${p.id}`, 'PartnerApplied', {
      partnerId: p.id, company: `Partner ${p.id}`, websiteDomain: `${p.id}.example`,
      geographies: Array.from(new Set([r.pick(GEOS), r.pick(GEOS), r.pick(GEOS)].slice(0, r.int(1, 3)))),
      segments: Array.from(new Set([r.pick(SEGMENTS), r.pick(SEGMENTS)].slice(0, r.int(1, 2)))), partnerType: type,
      applicant: { userId: p.users[0]!, name: 'Applicant', email: `admin@${p.id}.example` },
    }, p.users[0]!, p.id)
    at(later(t, 1, 10), (ta) => {
      if (r.chance(0.15)) {
        emit(ta, `partner-${p.id}`, 'PartnerRejected', { partnerId: p.id, reason: 'Outside our target market' }, 'user-sam', VENDOR)
        return
      }
      p.approved = true
      p.tier = r.pick(TIERS)
      emit(ta, `partner-${p.id}`, 'PartnerApproved', { partnerId: p.id, tier: p.tier, adminUserId: p.users[0]! }, 'user-sam', VENDOR)
      p.manager = r.pick(MANAGERS)
      emit(ta, `partner-${p.id}`, 'ChannelManagerAssigned', { partnerId: p.id, managerId: p.manager, previousManagerId: null }, 'user-vera', VENDOR)
      at(later(ta, 0, meanGapDays), (tn) => activity(p, tn))
    })
  }

  function activity(p: Partner, t: number) {
    const x = r.next()
    if (x < 0.36) deal(p, t)
    else if (x < 0.5) training(p, t)
    else if (x < 0.74) assetUse(p, t)
    else if (x < 0.85) coInvestment(p, t)
    else if (x < 0.9) workshop(p, t)
    else if (x < 0.92 && !p.plan) plan(p, t)
    else if (x < 0.94) invite(p, t)
    else if (x < 0.95) reassign(p, t)
    else if (x < 0.96) tierChange(p, t)
    else assetUse(p, t)
    at(t + r.exp(meanGapDays) * DAY, (tn) => activity(p, tn))
  }

  function deal(p: Partner, t: number) {
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

  function training(p: Partner, t: number) {
    const course = r.pick(courses)
    const userId = r.pick(p.users)
    const stream = `course-${course.id}`
    const learner = { courseId: course.id, partnerId: p.id, userId }
    emit(t, stream, 'EnrolledInCourse', learner, userId, p.id)
    at(later(t, 3, 30), (tc) => {
      const score = r.int(40, 100)
      const passed = score >= 60
      emit(tc, stream, 'CourseCompleted', { ...learner, score, passed, completedOn: day(tc) }, userId, p.id)
      if (passed && course.cert) earn(p, course.id, course.cert, userId, tc, false)
    })
  }

  function earn(p: Partner, courseId: string, cert: string, userId: string, t: number, renewal: boolean) {
    const key = `${courseId}:${userId}`
    const validUntil = t + 365 * DAY
    const epoch = (p.certs.get(key) ?? 0) + 1
    p.certs.set(key, epoch)
    emit(t, `course-${courseId}`, 'CertificationEarned', { courseId, partnerId: p.id, userId, certification: cert, validUntil: day(validUntil), renewal }, userId, p.id)
    if (r.chance(0.45)) at(validUntil - r.int(5, 40) * DAY, (tr) => p.certs.get(key) === epoch && earn(p, courseId, cert, userId, tr, true))
    else
      at(validUntil + DAY, (tl) => {
        if (p.certs.get(key) !== epoch) return
        emit(tl, `course-${courseId}`, 'CertificationLapsed', { courseId, partnerId: p.id, userId, certification: cert, validUntil: day(validUntil) }, 'system:scheduler', VENDOR)
      })
  }

  function assetUse(p: Partner, t: number) {
    const assetId = r.pick(assets)
    const type = r.pick(['AssetViewed', 'AssetViewed', 'AssetViewed', 'AssetDownloaded', 'AssetDownloaded', 'AssetCoBranded', 'AssetShared'] as const)
    const userId = r.pick(p.users)
    emit(t, `asset-${assetId}`, type, { assetId, partnerId: p.id, userId, version: 1 }, userId, p.id)
  }

  function allocate(p: Partner, quarter: string, t: number) {
    if (p.allocated.has(quarter)) return
    p.allocated.add(quarter)
    const amount = DEFAULT_PROGRAM_SETTINGS.fundAllocationByTier[p.tier] || 10_000
    const stream = `allocation-${p.id}-${quarter}`
    emit(t, stream, 'FundsAllocated', { partnerId: p.id, quarter, amount, currency: 'EUR', totalAllocated: amount }, 'system:scheduler', VENDOR)
    const end = quarterEndTime(quarter) + 1 + 3_600_000
    at(end, (te) => emit(te, stream, 'AllocationExpired', { partnerId: p.id, quarter, unused: 0, currency: 'EUR', quarterEnd: day(end - DAY) }, 'system:scheduler', VENDOR))
  }

  function coInvestment(p: Partner, t: number) {
    const quarter = quarterOf(t)
    allocate(p, quarter, t)
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
          evidence: [{ sha256: SHA, filename: 'invoice.pdf', size: 2048, contentType: 'application/pdf' }],
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

  function workshop(p: Partner, t: number) {
    const workshopId = r.uuid()
    const stream = `workshop-${workshopId}`
    emit(t, stream, 'WorkshopRequested', { workshopId, partnerId: p.id, kind: r.pick(['strategy', 'value_proposition'] as const), goal: 'Grow together', attendees: ['A. Person'] }, p.users[0]!, p.id)
    at(later(t, 1, 7), (ts) => {
      const date = ts + r.int(5, 20) * DAY
      emit(ts, stream, 'WorkshopScheduled', { workshopId, partnerId: p.id, date: day(date), previousDate: null }, p.manager ?? 'user-sam', VENDOR)
      at(date + 10 * 3_600_000, (th) => {
        const y = r.next()
        if (y < 0.12) emit(th, stream, 'WorkshopCancelled', { workshopId, partnerId: p.id, reason: 'Scheduling conflict', cancelledBy: r.chance(0.5) ? 'vendor' : 'partner' }, p.manager ?? 'user-sam', VENDOR)
        else {
          const asScheduled = r.chance(0.85)
          const heldOn = asScheduled ? th : th + r.int(3, 14) * DAY
          at(heldOn, (tk) =>
            emit(tk, stream, 'WorkshopHeld', {
              workshopId, partnerId: p.id, heldOn: day(tk), heldAsScheduled: asScheduled,
              outcomes: { alignedObjectives: ['Grow the installed base'], successMeasures: ['Ten new customers'] },
            }, p.manager ?? 'user-sam', VENDOR),
          )
        }
      })
    })
  }

  function plan(p: Partner, t: number) {
    p.plan = true
    emit(t, `plan-${p.id}`, 'JointBusinessPlanCreated', {
      partnerId: p.id, goals: [{ id: 'g1', description: 'Grow bookings', target: 'EUR 500k bookings', dueDate: day(t + 365 * DAY) }],
      commitments: [{ side: 'vendor', description: 'Fund two campaigns' }, { side: 'partner', description: 'Certify three engineers' }],
    }, p.manager ?? 'user-sam', VENDOR)
    const review = (quarter: string) => {
      const end = quarterEndTime(quarter)
      const when = end + (r.chance(0.8) ? r.int(1, 25) : r.int(35, 60)) * DAY
      at(when, (tr) => {
        emit(tr, `plan-${p.id}`, 'PlanReviewed', { partnerId: p.id, quarter, status: r.pick(['on_track', 'on_track', 'at_risk', 'off_track'] as const), notes: '' }, p.manager ?? 'user-sam', VENDOR)
        review(nextQuarter(quarter))
      })
    }
    review(quarterOf(t))
  }

  function invite(p: Partner, t: number) {
    if (p.users.length >= 6) return assetUse(p, t)
    const userId = `${p.id}-u${p.users.length + 1}`
    p.users.push(userId)
    emit(t, `partner-${p.id}`, 'UserInvited', { partnerId: p.id, userId, name: 'Team Member', email: `u${p.users.length}@${p.id}.example`, role: 'partner_user' }, p.users[0]!, p.id)
  }

  function reassign(p: Partner, t: number) {
    const next = r.pick(MANAGERS.filter((m) => m !== p.manager))
    emit(t, `partner-${p.id}`, 'ChannelManagerAssigned', { partnerId: p.id, managerId: next, previousManagerId: p.manager }, 'user-vera', VENDOR)
    p.manager = next
  }

  function tierChange(p: Partner, t: number) {
    const to = r.pick(TIERS.filter((x) => x !== p.tier))
    emit(t, `partner-${p.id}`, 'TierChanged', { partnerId: p.id, from: p.tier, to, reason: 'Quarterly tier review' }, 'user-vera', VENDOR)
    p.tier = to
  }

  while (emitted < options.events) {
    const task = queue.pop()
    if (!task) break
    task.run()
    for (const item of out) {
      if (emitted >= options.events) break
      emitted++
      yield item
    }
    out.length = 0
  }
}

const clamp10 = (n: number) => Math.max(0, Math.min(10, n))
const nextQuarter = (q: string) => {
  const [y, n] = q.split('-Q').map(Number) as [number, number]
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`
}

/** The whole history as an array (tests and benchmarks). */
export function generateHistory(options: HistoryOptions): GeneratedEvent[] {
  return [...historyEvents(options)]
}

export type AppendHistoryOptions = {
  /**
   * Appends in flight at once (default 1: one append after another, so the global order is the generator's order).
   * Above 1 (PostgreSQL; PGlite has one connection), events are taken in windows of `window` events; inside a window
   * they are split into independent groups — events linked by a stream or by a partnerId go into the same group —
   * and the groups are appended concurrently, each in the generator's order. So every stream gets the same events
   * with the same revisions as a sequential run, every partner's events keep their order across streams, and an
   * event concerning no partner (settings, catalogue, survey rounds) is a barrier: it is appended alone, after
   * everything before it and before everything after it. Only the interleaving of unrelated partners inside one
   * window differs from run to run.
   */
  concurrency?: number
  /** events per window when concurrency > 1; default 2,000 */
  window?: number
}

/** partnerId of an event's data, when it concerns a partner */
function partnerOf(item: GeneratedEvent): string | undefined {
  const data = item.event.data as { partnerId?: unknown } | null
  return data && typeof data.partnerId === 'string' ? data.partnerId : undefined
}

/** Splits a window into groups that share no stream and no partner (union-find over both), each in original order. */
function independentGroups(window: readonly GeneratedEvent[]): GeneratedEvent[][] {
  const parent: number[] = []
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  const owner = new Map<string, number>()
  window.forEach((item, index) => {
    parent[index] = index
    for (const key of [`s:${item.streamId}`, partnerOf(item) === undefined ? undefined : `p:${partnerOf(item)}`]) {
      if (key === undefined) continue
      const other = owner.get(key)
      if (other === undefined) owner.set(key, index)
      else {
        const a = find(other)
        const b = find(index)
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b)
      }
    }
  })
  const groups = new Map<number, GeneratedEvent[]>()
  window.forEach((item, index) => {
    const root = find(index)
    let group = groups.get(root)
    if (!group) groups.set(root, (group = []))
    group.push(item)
  })
  // biggest first, so the longest chain starts at once
  return [...groups.values()].sort((a, b) => b.length - a.length)
}

/**
 * Appends the history through a store, one append per run of consecutive events of the same stream (at most 100).
 * Returns the count. See AppendHistoryOptions for concurrent appends on PostgreSQL.
 */
export async function appendHistory(
  store: EventStore,
  events: Iterable<GeneratedEvent>,
  onProgress?: (appended: number) => void,
  options: AppendHistoryOptions = {},
): Promise<number> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  const windowSize = Math.max(1, Math.floor(options.window ?? 2000))
  let appended = 0
  let reported = 0
  const progressed = (count: number) => {
    appended += count
    if (onProgress && appended - reported >= 10_000) {
      reported = appended
      onProgress(appended)
    }
  }
  /** appends a sequence in order, one append per run of the same stream */
  const appendInOrder = async (items: readonly GeneratedEvent[]) => {
    let start = 0
    while (start < items.length) {
      let end = start + 1
      while (end < items.length && end - start < 100 && items[end]!.streamId === items[start]!.streamId) end++
      const run = items.slice(start, end)
      await store.appendToStream(run[0]!.streamId, run.map((b) => b.event), { expectedRevision: 'any' })
      progressed(run.length)
      start = end
    }
  }
  if (concurrency === 1) {
    let batch: GeneratedEvent[] = []
    for (const item of events) {
      if (batch.length > 0 && (batch[0]!.streamId !== item.streamId || batch.length >= 100)) {
        await appendInOrder(batch)
        batch = []
      }
      batch.push(item)
    }
    await appendInOrder(batch)
    return appended
  }

  const flushWindow = async (window: GeneratedEvent[]) => {
    if (window.length === 0) return
    const groups = independentGroups(window)
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(concurrency, groups.length) }, async () => {
        while (next < groups.length) await appendInOrder(groups[next++]!)
      }),
    )
  }
  let window: GeneratedEvent[] = []
  for (const item of events) {
    if (partnerOf(item) === undefined) {
      // a barrier: everything before it, then it alone
      await flushWindow(window)
      window = []
      await appendInOrder([item])
      continue
    }
    window.push(item)
    if (window.length >= windowSize) {
      await flushWindow(window)
      window = []
    }
  }
  await flushWindow(window)
  return appended
}

// ---- command line ------------------------------------------------------------------------------------------------

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=')
}

async function main(argv: string[]) {
  const partners = Number(arg(argv, 'partners') ?? 1000)
  const events = Number(arg(argv, 'events') ?? 1_000_000)
  const seed = Number(arg(argv, 'seed') ?? 7)
  const start = arg(argv, 'start')
  const concurrency = Number(arg(argv, 'concurrency') ?? 1)
  const databaseUrl = arg(argv, 'database-url')
  const dataDir = arg(argv, 'data-dir')
  if (!databaseUrl && !dataDir) throw new Error('Give --database-url postgres://... or --data-dir <dir>')
  const { EVENT_STORE_MIGRATIONS } = await import('../eventstore/postgres/schema.ts')
  const { runMigrations } = await import('../eventstore/postgres/migrations.ts')
  const { createPostgresEventStore } = await import('../eventstore/postgres/store.ts')
  const { createSqlKeyStore, KEY_STORE_MIGRATION } = await import('../eventstore/postgres/key-store.ts')
  const { createPortalCodec } = await import('../app/codec.server.ts')
  let driver
  if (databaseUrl) {
    const { createPgDriver } = await import('../eventstore/postgres/pg-driver.ts')
    driver = await createPgDriver(databaseUrl)
  } else {
    const { createPGliteDriver } = await import('../eventstore/postgres/pglite-driver.ts')
    driver = await createPGliteDriver({ dataDir })
  }
  // the event store's and the keys' numbered migrations; the portal runs the rest when it starts on this database
  await runMigrations(driver, [...EVENT_STORE_MIGRATIONS, KEY_STORE_MIGRATION])
  // the portal's codec: personal fields are stored encrypted, with their keys in the same database
  const store = createPostgresEventStore({ driver, codec: createPortalCodec(createSqlKeyStore(driver)) })
  const began = Date.now()
  const count = await appendHistory(store, historyEvents({ partners, events, seed, start, validate: false }), (n) =>
    console.info(`${n} events appended (${Math.round(n / ((Date.now() - began) / 1000))}/s)`),
  { concurrency: dataDir ? 1 : concurrency })
  console.info(`Appended ${count} events for ${partners} partners in ${((Date.now() - began) / 1000).toFixed(1)} s`)
  await store.close()
  await driver.close()
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
