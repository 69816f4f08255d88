// A demo partner's life: it applies, is approved (or not), gets its channel manager and team, and then does what
// its kind of partner does, at its own pace, until today (or until it goes quiet).
import { PartnerDecider, streamId as partnerStream } from '../../../domain/partners/index.ts'
import { DEFAULT_TIERS } from '../../../domain/settings/defaults.ts'
import { DAY, iso, quarterOf } from '../history/timeline.ts'
import { active, admin, after, at, managerOf, staff, VERA, type Life, type Story } from './context.ts'
import { registerDeal } from './deals.ts'
import { nextCourseFor, takeCourse, useAsset, validCerts } from './enablement.ts'
import { createPlan, requestWorkshop } from './engagement.ts'
import { allocateQuarter, requestFunds } from './funds.ts'
import type { Archetype, DemoPartner } from './roster.ts'

/** mean days between deals, asset uses and workshops; when the plan comes; how often it invests, answers PSAT, certifies */
type Pace = { deal: number; asset: number; workshop: number; plan: [number, number] | null; funds: number; shared: number; psat: number; learners: number; courses: number }
const PACE: Record<Archetype, Pace> = {
  champion: { deal: 24, asset: 25, workshop: 200, plan: [60, 150], funds: 0.85, shared: 0.9, psat: 0.8, learners: 3, courses: 3 },
  growing: { deal: 50, asset: 40, workshop: 365, plan: [150, 320], funds: 0.45, shared: 0.1, psat: 0.6, learners: 2, courses: 2 },
  steady: { deal: 90, asset: 70, workshop: 0, plan: null, funds: 0.12, shared: 0, psat: 0.4, learners: 1, courses: 1 },
  newcomer: { deal: 80, asset: 45, workshop: 0, plan: null, funds: 0, shared: 0, psat: 0.3, learners: 1, courses: 1 },
  dormant: { deal: 60, asset: 60, workshop: 0, plan: null, funds: 0, shared: 0, psat: 0.5, learners: 1, courses: 1 },
  applicant: { deal: 0, asset: 0, workshop: 0, plan: null, funds: 0, shared: 0, psat: 0, learners: 0, courses: 0 },
  rejected: { deal: 0, asset: 0, workshop: 0, plan: null, funds: 0, shared: 0, psat: 0, learners: 0, courses: 0 },
}
/** Northwind and Contoso: the partners of the demo logins, busier than most */
const OWN_PACE: Record<string, Partial<Pace>> = {
  northwind: { deal: 20, asset: 10, workshop: 150, plan: [45, 60], funds: 1, learners: 2, courses: 2 },
  contoso: { deal: 30, asset: 18, plan: [200, 240], funds: 0.7, shared: 0.5, learners: 2 },
}
export const paceOf = (p: DemoPartner): Pace => ({ ...PACE[p.archetype], ...OWN_PACE[p.id] })

/** the partner's application, and what follows from it */
export function applyToProgram(story: Story, p: DemoPartner, t: number) {
  const { r, h } = story
  const life: Life = { p, approved: false, joinedAt: null, tier: DEFAULT_TIERS[0]!.name, tiers: [], manager: p.manager, users: [p.people[0]!], certs: new Map(), wonDeals: 0, plan: false, quietAfter: Infinity }
  story.lives.set(p.id, life)
  const stream = partnerStream(p.id)
  h.decide(PartnerDecider, stream, 'ApplyToProgram', {
    partnerId: p.id, company: p.company, websiteDomain: p.websiteDomain, geographies: p.geographies, segments: p.segments,
    partnerType: p.partnerType, applicant: p.people[0]!,
  }, admin(life), t)
  if (p.archetype === 'applicant') return
  at(story, after(story, t, 1, 6), (ta) => {
    if (p.archetype === 'rejected') {
      h.decide(PartnerDecider, stream, 'RejectPartner', { partnerId: p.id, reason: r.pick(['We already have enough partners in this region for now', 'The application shows no practice in backup or security yet']) }, staff(p.manager), ta)
      return
    }
    h.decide(PartnerDecider, stream, 'ApprovePartner', { partnerId: p.id, tier: life.tier }, staff(p.manager), ta)
    h.decide(PartnerDecider, stream, 'AssignChannelManager', { partnerId: p.id, managerId: p.manager }, VERA, ta)
    life.approved = true
    life.joinedAt = ta
    life.tiers.push({ tier: life.tier, from: iso(ta) })
    // the scheduler's next tick allocates the rest of the quarter
    at(story, ta + 60_000, (tq) => allocateQuarter(story, life, tq))
    if (p.archetype === 'dormant') life.quietAfter = ta + r.int(150, 260) * DAY
    begin(story, life, ta)
  })
}

function begin(story: Story, life: Life, t: number) {
  const { r } = story
  const pace = paceOf(life.p)
  // the team joins over the first months
  life.p.people.slice(1).forEach((person) => at(story, after(story, t, 5, 120), (ti) => {
    if (story.h.attempt(PartnerDecider, partnerStream(life.p.id), 'InviteUser', { partnerId: life.p.id, ...person, role: 'partner_user' }, admin(life), ti)) life.users.push(person)
  }))
  // learners certify one course after another
  const learners = life.p.archetype === 'newcomer' && !r.chance(0.6) ? 0 : pace.learners
  for (let i = 0; i < learners; i++) at(story, after(story, t, 7 + i * 40, 40 + i * 60), (tl) => learn(story, life, i, tl))
  const every = (mean: number, first: number, run: (t: number) => void) => {
    if (!mean) return
    const next = (tn: number) => at(story, tn, (tx) => {
      if (!active(life, tx)) return
      run(tx)
      next(tx + (0.4 + r.next() * 1.2) * mean * DAY)
    })
    next(t + (first + r.next() * mean) * DAY)
  }
  every(pace.deal, life.p.archetype === 'newcomer' ? 25 : 10, (td) => registerDeal(story, life, td))
  every(pace.asset, 2, (tu) => useAsset(story, life, tu))
  every(pace.workshop, 30, (tw) => requestWorkshop(story, life, tw))
  if (pace.plan && (life.p.archetype !== 'growing' || r.chance(0.7) || life.p.id === 'contoso')) {
    const [from, to] = pace.plan
    at(story, after(story, t, from, to), (tp) => createPlan(story, life, tp))
  }
}

/** the i-th learner takes the certifying courses they lack, one at a time */
function learn(story: Story, life: Life, i: number, t: number, taken = 0) {
  const person = life.users[i] ?? life.users[0]!
  const courseId = nextCourseFor(life, person, t + 60 * DAY)
  if (!courseId || !active(life, t)) return
  takeCourse(story, life, person, courseId, t)
  // growing partners certify further now and then
  if (taken + 1 < paceOf(life.p).courses && (life.p.archetype !== 'growing' || story.r.chance(0.4))) at(story, after(story, t, 60, 160), (tn) => learn(story, life, i, tn, taken + 1))
}

/** at the start of a quarter: tiers reviewed against the tier rules, then the quarter's allocations and fund requests */
export function quarterStarts(story: Story, t: number) {
  const { r, h } = story
  for (const life of story.lives.values()) {
    if (!life.approved) continue
    const certs = validCerts(life, t)
    const top = DEFAULT_TIERS.find((tier) => tier.name === life.p.topTier)?.rank ?? Infinity
    const earned = [...DEFAULT_TIERS].reverse().find((tier) => tier.rank <= top && certs >= tier.minimumCertifications && life.wonDeals >= tier.minimumWonDeals)!
    const current = DEFAULT_TIERS.find((tier) => tier.name === life.tier)!
    if (earned.rank > current.rank || (earned.rank < current.rank && certs === 0)) {
      const reason = earned.rank > current.rank ? `Quarterly tier review: ${certs} valid certifications and ${life.wonDeals} won deals` : 'Quarterly tier review: every certification has lapsed'
      if (h.attempt(PartnerDecider, partnerStream(life.p.id), 'ChangeTier', { partnerId: life.p.id, tier: earned.name, reason }, VERA, t)) {
        life.tier = earned.name
        life.tiers.push({ tier: earned.name, from: iso(t) })
      }
    }
    allocateQuarter(story, life, t)
    const pace = paceOf(life.p)
    // this quarter Contoso has its webinar series only, and money left to ask for
    const webinarQuarter = life.p.id === 'contoso' && quarterOf(t) === quarterOf(story.now)
    if (active(life, t) && r.chance(pace.funds) && !webinarQuarter) at(story, after(story, t, 3, 50), (tf) => requestFunds(story, life, tf, r.chance(pace.shared)))
  }
}

/** a territory moves to another channel manager: the partner is reassigned */
export function reassign(story: Story, partnerId: string, managerId: string, t: number) {
  const life = story.lives.get(partnerId)
  if (!life?.approved) return
  if (story.h.attempt(PartnerDecider, partnerStream(partnerId), 'AssignChannelManager', { partnerId, managerId }, VERA, t)) life.manager = managerId
}

export const managerActor = managerOf
