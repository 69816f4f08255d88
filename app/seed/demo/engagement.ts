// Engagement in the demo: workshops the partners ask for, joint business plans reviewed each quarter, and a PSAT
// round each quarter that the partners answer (or not) as their experience goes.
import { PlanDecider, streamId as planStream } from '../../../domain/plans/index.ts'
import { SurveyDecider, streamId as surveyStream } from '../../../domain/psat/index.ts'
import { WorkshopDecider, streamId as workshopStream } from '../../../domain/workshops/index.ts'
import { DAY, day, nextQuarter, quarterEndTime, quarterOf } from '../history/timeline.ts'
import { active, admin, after, at, managerOf, nextId, staff, type Life, type Story } from './context.ts'
import { demoPeople } from './roster.ts'

const TOPICS = ['Ease of doing business', 'Deal registration', 'Enablement content', 'Channel manager support']
const GOALS = {
  strategy: ['Agree where we grow together next year', 'Pick the two segments to lead with', 'Plan the move into managed backup'],
  value_proposition: ['Package Cloud Backup as a monthly service', 'Package a ransomware readiness service', 'Build a firewall refresh offer for branch networks'],
}
const OBJECTIVES = ['Lead with Cloud Backup in manufacturing accounts', 'Certify two more engineers this half-year', 'Run a joint event per quarter', 'Bundle Edge Firewall with every backup deal']
const MEASURES = ['EUR 400k of registered deals by year end', 'Two reference customers', 'Ten new logos in the segment', 'Renewal rate above 90 %']

/** the partner asks for a workshop; its channel manager schedules and holds it (now and then it is cancelled) */
export function requestWorkshop(story: Story, life: Life, t: number, kind = story.r.pick(['strategy', 'value_proposition'] as const), attendees?: string[], goal?: string) {
  if (!active(life, t)) return
  const { r, h } = story
  const workshopId = nextId(story, 'workshop')
  const stream = workshopStream(workshopId)
  // Maria attends the two workshops of the last weeks only (the erasure test counts them)
  const names = attendees ?? [...life.users.filter((u) => u.userId !== 'u-maria').slice(0, 2).map((u) => u.name), staffName(life.manager)]
  if (!h.attempt(WorkshopDecider, stream, 'RequestWorkshop', { workshopId, partnerId: life.p.id, kind, goal: goal ?? r.pick(GOALS[kind]), attendees: names }, admin(life), t)) return
  at(story, after(story, t, 1, 5), (ts) => {
    const date = ts + r.int(6, 21) * DAY
    if (!h.attempt(WorkshopDecider, stream, 'ScheduleWorkshop', { workshopId, date: day(date) }, managerOf(life), ts)) return
    at(story, date + 15 * 3_600_000, (th) => {
      if (r.chance(0.1)) {
        const byVendor = r.chance(0.5)
        h.attempt(WorkshopDecider, stream, 'CancelWorkshop', { workshopId, reason: byVendor ? 'Our solution architect is not available that week' : 'Two of our attendees are out sick' }, byVendor ? managerOf(life) : admin(life), th)
        return
      }
      h.attempt(WorkshopDecider, stream, 'HoldWorkshop', {
        workshopId, outcomes: { alignedObjectives: [r.pick(OBJECTIVES), r.pick(OBJECTIVES)].filter((x, i, a) => a.indexOf(x) === i), successMeasures: [r.pick(MEASURES)] },
      }, managerOf(life), th)
    })
  })
}

const staffName = (userId: string) =>
  ({ 'u-sam': demoPeople.sam.name, 'u-priya': 'Priya Natarajan', 'u-tomas': 'Tomás Ortega', 'u-ines': 'Inês Carvalho' } as Record<string, string>)[userId] ?? 'Channel manager'

/** the channel manager agrees a joint business plan with the partner, then reviews it after every quarter */
export function createPlan(story: Story, life: Life, t: number) {
  if (!active(life, t) || life.plan) return
  const { h } = story
  const yearEnd = `${day(t).slice(0, 4)}-12-31`
  const ok = h.attempt(PlanDecider, planStream(life.p.id), 'CreateJointBusinessPlan', {
    partnerId: life.p.id,
    goals: [
      { id: `${life.p.id}-goal-1`, description: `Grow Acme Cloud bookings in ${life.p.geographies.join(', ')}`, target: `EUR ${story.r.int(2, 8) * 100}k bookings`, dueDate: yearEnd },
      { id: `${life.p.id}-goal-2`, description: 'Build a certified delivery team', target: `${story.r.int(3, 6)} certified engineers`, dueDate: yearEnd },
    ],
    commitments: [
      { side: 'vendor', description: 'Two co-funded demand-generation campaigns' },
      { side: 'vendor', description: 'Monthly pipeline review with the channel manager' },
      { side: 'partner', description: 'A dedicated Acme Cloud sales specialist' },
      { side: 'partner', description: 'Register every Acme Cloud opportunity within a week' },
    ],
  }, managerOf(life), t)
  if (!ok) return
  life.plan = true
  reviewAfter(story, life, quarterOf(t))
}

function reviewAfter(story: Story, life: Life, quarter: string) {
  const { r } = story
  const late = r.chance(life.p.archetype === 'champion' ? 0.03 : 0.15)
  at(story, quarterEndTime(quarter) + (late ? r.int(35, 50) : r.int(3, 24)) * DAY, (tr) => {
    if (!life.approved) return
    const mood = r.next()
    const status = life.p.archetype === 'champion' || mood < 0.7 ? 'on_track' : mood < 0.9 ? 'at_risk' : 'off_track'
    const notes = status === 'on_track' ? 'Pipeline and certifications on plan.' : status === 'at_risk' ? 'Pipeline is thin this quarter; agreed a campaign to refill it.' : 'No new deals registered; the partner is reviewing its focus.'
    story.h.attempt(PlanDecider, planStream(life.p.id), 'ReviewPlan', { partnerId: life.p.id, quarter, status, notes }, managerOf(life), tr)
    reviewAfter(story, life, nextQuarter(quarter))
  })
}

/** a PSAT round opens ten days into each quarter and closes a month later (the latest stays open) */
export function surveyRound(story: Story, t: number, answerRate: (life: Life) => number) {
  const { r, h } = story
  const surveyId = `demo-psat-${quarterOf(t)}`
  const stream = surveyStream(surveyId)
  const sam = staff('u-sam')
  h.decide(SurveyDecider, stream, 'OpenSurveyRound', { surveyId, topics: TOPICS }, sam, t)
  // the current round stays open, and Maria has yet to answer it
  const current = quarterOf(t) === quarterOf(story.now)
  for (const life of story.lives.values()) {
    if (!active(life, t) || !r.chance(answerRate(life)) || (current && life.p.id === 'northwind')) continue
    at(story, after(story, t, 1, 25), (ta) => {
      const mood = life.p.archetype === 'dormant' ? r.pick([3, 4, 6]) : r.chance(0.1) ? 4 : r.chance(0.5) ? 8 : 9
      const scores = Object.fromEntries(TOPICS.map((topic) => [topic, Math.max(0, Math.min(10, mood + r.int(-1, 1)))]))
      const comment = mood <= 4 ? 'Deal approvals took too long this quarter.' : mood >= 9 ? 'Great support from our channel manager.' : ''
      h.attempt(SurveyDecider, stream, 'AnswerSurvey', { surveyId, partnerId: life.p.id, scores, comment }, admin(life), ta)
    })
  }
  at(story, t + 30 * DAY, (tc) => {
    if (!current) h.attempt(SurveyDecider, stream, 'CloseSurveyRound', { surveyId }, sam, tc)
  })
}
