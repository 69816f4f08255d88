// Deal registrations in the demo: registered by the partner, reviewed by its channel manager (now and then late), then
// won, lost or left to expire; the scheduler's policies decide the SLA breaches and expiries at their time.
import { DealDecider, streamId as dealStream, type Deal } from '../../../domain/deals/index.ts'
import { dueDealExpiries, dueReviewSlaBreaches } from '../../../domain/scheduler/policies.ts'
import { SCHEDULER_ACTOR } from '../../../domain/shared/auth.ts'
import { PRODUCTS } from '../history/catalogue.ts'
import { DAY, day, iso, money } from '../history/timeline.ts'
import { active, after, at, managerOf, member, nextId, type Life, type Story } from './context.ts'
import type { Customer } from './roster.ts'

const CONFLICTING = ['Submitted', 'Approved']
const LOSSES = ['The customer postponed the project to next year', 'A competitor offered a lower price', 'The customer chose to stay with its current backup']

/** the partner registers a deal with one of its customers (or, rarely, a rival's) */
export function registerDeal(story: Story, life: Life, t: number, customer: Customer = story.r.pick(life.p.customers)) {
  if (!active(life, t)) return
  const { r, h } = story
  const dealId = nextId(story, 'deal')
  const stream = dealStream(dealId)
  const product = r.pick(PRODUCTS)
  const quantity = r.pick([10, 25, 50, 100, 250])
  const value = money(r.int(6, 120) * 1000)
  const rivals = [...story.deals.values()].filter((d) => d.customerDomain === customer.domain && d.partnerId !== life.p.id && CONFLICTING.includes(d.status))
  const direct = story.directAccounts.find((a) => a.domains.includes(customer.domain))
  const registered = h.attempt(DealDecider, stream, 'RegisterDeal', {
    dealId, partnerId: life.p.id, customerName: customer.name, customerDomain: customer.domain, value, currency: 'EUR',
    expectedCloseDate: day(t + r.int(45, 120) * DAY), items: [{ ...product, quantity }],
    existingRegistrations: rivals.map(({ dealId, partnerId, customerDomain, status, registeredAt }) => ({ dealId, partnerId, customerDomain, status, registeredAt })),
    directAccounts: story.directAccounts.flatMap((a) => a.domains), customerDomainFacts: { publicSuffix: false },
  } as never, member(life, r.pick(life.users)), t)
  if (!registered) return
  story.deals.set(dealId, { dealId, partnerId: life.p.id, customerDomain: customer.domain, status: 'Submitted', registeredAt: iso(t) })
  const state = h.stateOf<Deal>(DealDecider, stream) as Extract<Deal, { status: 'Submitted' }>
  const due = Date.parse(state.reviewDueAt)
  // a rival's customer: the later registration is turned down
  // the busiest territory (Sam's) reviews late more often
  const late = rivals.length === 0 && !direct && r.chance(life.manager === 'u-sam' ? 0.08 : 0.05)
  const reviewAt = late ? due + r.int(2, 30) * 3_600_000 : Math.min(due - 3_600_000, after(story, t, 0.05, 1.5))
  if (late) {
    at(story, due + 60_000, (tb) => {
      for (const command of dueReviewSlaBreaches({ deals: [{ dealId, status: 'Submitted', reviewDueAt: state.reviewDueAt }] }, iso(tb)))
        h.attempt(DealDecider, stream, command.type, command.data, SCHEDULER_ACTOR, tb, command.metadata.commandId)
    })
  }
  at(story, Math.max(reviewAt, t + 60_000), (tr) => review(story, life, dealId, value, rivals.length > 0 ? 'rival' : direct ? direct.name : null, tr))
}

/** `conflict`: another partner's registration of the customer ('rival'), or the direct account's name */
function review(story: Story, life: Life, dealId: string, value: number, conflict: string | null, t: number) {
  const { r, h } = story
  const stream = dealStream(dealId)
  const note = story.deals.get(dealId)!
  if (conflict || r.chance(0.08)) {
    const reason = conflict === 'rival' ? 'Another partner registered this customer first and is working the opportunity'
      : conflict ? `${conflict} is a named account our direct team sells to` : 'The customer is already in an active buying cycle with our direct team'
    if (h.attempt(DealDecider, stream, 'RejectDeal', { dealId, reason }, managerOf(life), t)) note.status = 'Rejected'
    return
  }
  if (!h.attempt(DealDecider, stream, 'ApproveDeal', { dealId } as never, managerOf(life), t)) return
  note.status = 'Approved'
  const protectedUntil = (h.stateOf<Deal>(DealDecider, stream) as Extract<Deal, { status: 'Approved' }>).protectedUntil
  const y = r.next()
  const closes = after(story, t, 15, 80)
  if (y < 0.6) {
    at(story, closes, (tc) => {
      if (note.status !== 'Approved') return
      const won = money(value * (0.85 + r.next() * 0.3))
      if (h.attempt(DealDecider, stream, 'MarkDealWon', { dealId, value: won }, member(life, life.users[0]!), tc)) {
        note.status = 'Won'
        life.wonDeals++
      }
    })
  } else if (y < 0.8) {
    at(story, closes, (tc) => {
      if (note.status !== 'Approved') return
      const direct = r.chance(0.2)
      const reason = direct ? "The customer bought directly from the vendor's sales team" : r.pick(LOSSES)
      if (h.attempt(DealDecider, stream, 'MarkDealLost', { dealId, reason, lostToDirect: direct }, member(life, life.users[0]!), tc)) note.status = 'Lost'
    })
  }
  // without an outcome the protection runs out; the scheduler expires it the next morning
  at(story, Date.parse(`${protectedUntil}T00:00:00Z`) + DAY + 60_000, (te) => {
    if (note.status !== 'Approved') return
    for (const command of dueDealExpiries({ deals: [{ dealId, status: 'Approved', protectedUntil, reviewDueAt: '' }] }, iso(te))) {
      if (h.attempt(DealDecider, stream, command.type, command.data, SCHEDULER_ACTOR, te, command.metadata.commandId)) note.status = 'Expired'
    }
  })
}

/** twice in the program a partner registers a customer another partner has a protected deal with: the later one is turned down */
export function planRivalRegistrations(story: Story) {
  for (const day of [260, 590]) {
    at(story, story.start + day * DAY, (t) => {
      const held = [...story.deals.values()].filter((d) => d.status === 'Approved' && !story.directAccounts.some((a) => a.domains.includes(d.customerDomain)))
      const target = held.at(-1)
      const rivals = [...story.lives.values()].filter((life) => active(life, t) && life.p.id !== target?.partnerId && life.p.archetype === 'growing')
      if (!target || rivals.length === 0) return
      const owner = story.lives.get(target.partnerId)!
      const customer = owner.p.customers.find((c) => c.domain === target.customerDomain)!
      registerDeal(story, story.r.pick(rivals), t, customer)
    })
  }
}
