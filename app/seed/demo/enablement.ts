// Enablement in the demo: the catalogue and library published at the start, people taking courses (now and then
// failing and retaking), certifications renewed or left to lapse, and the library used.
import { AssetDecider, streamId as assetStream } from '../../../domain/assets/index.ts'
import { dueCertificationLapses } from '../../../domain/scheduler/policies.ts'
import { SCHEDULER_ACTOR } from '../../../domain/shared/auth.ts'
import { CourseDecider, streamId as courseStream, type Course } from '../../../domain/training/index.ts'
import { DAY, day, iso } from '../history/timeline.ts'
import { demoAssets, demoCourses } from '../enablement.server.ts'
import { cloudBackupAssociate, demoAnswers, trainingDemoCourses } from '../training-demo.server.ts'
import { active, after, at, member, staff, type Life, type Story } from './context.ts'
import type { Person } from './roster.ts'

export const COURSES = [cloudBackupAssociate, ...trainingDemoCourses, ...demoCourses]
const CERTIFYING = COURSES.filter((c) => c.certification)

/** the catalogue and the library, published by the channel team */
export function publishCatalogue(story: Story, t: number) {
  const sam = staff('u-sam')
  for (const c of COURSES) story.h.decide(CourseDecider, courseStream(c.courseId), 'PublishCourse', c, sam, t)
  for (const a of demoAssets) {
    const { file: _f, product, ...rest } = a
    story.h.decide(AssetDecider, assetStream(a.assetId), 'PublishAsset', {
      ...rest, ...(product ? { product } : {}), assetType: a.assetType as never, file: story.files.assets.get(a.assetId)!,
    }, sam, t)
  }
}

/** a person enrols, and some days later answers the assessment: most pass, a few retake */
export function takeCourse(story: Story, life: Life, person: Person, courseId: string, t: number, attempt = 1) {
  if (!active(life, t)) return
  const { r, h } = story
  const course = COURSES.find((c) => c.courseId === courseId)!
  const stream = courseStream(courseId)
  const actor = member(life, person)
  if (!h.attempt(CourseDecider, stream, 'EnrolInCourse', { courseId, partnerId: life.p.id, userId: person.userId }, actor, t)) return
  at(story, after(story, t, 3, 20), (ta) => {
    const passes = attempt > 1 || r.chance(0.85)
    const questions = course.questions?.length ?? 0
    const right = passes ? questions - (r.chance(0.4) ? 1 : 0) : Math.floor(questions / 2)
    const version = (h.stateOf<Course>(CourseDecider, stream) as Extract<Course, { status: 'Published' }>).assessmentVersion ?? 1
    const events = h.attempt(CourseDecider, stream, 'SubmitAssessment', {
      courseId, partnerId: life.p.id, userId: person.userId, assessmentVersion: version, answers: demoAnswers(course, right),
    }, actor, ta)
    const earned = events?.find((e) => e.type === 'CertificationEarned')
    if (earned) certified(story, life, person, courseId, Date.parse(`${(earned.data as { validUntil: string }).validUntil}T00:00:00Z`))
    else if (events && attempt === 1) at(story, after(story, ta, 7, 30), (tr) => takeCourse(story, life, person, courseId, tr, 2))
  })
}

/** renewed a few weeks before it runs out by an active partner, else the scheduler lapses it the day after */
function certified(story: Story, life: Life, person: Person, courseId: string, validUntil: number) {
  const key = `${courseId}:${person.userId}`
  life.certs.set(key, validUntil)
  if (story.r.chance(0.6)) at(story, validUntil - story.r.int(10, 40) * DAY, (tr) => active(life, tr) && takeCourse(story, life, person, courseId, tr))
  at(story, validUntil + DAY + 60_000, (tl) => {
    if (life.certs.get(key) !== validUntil) return
    const view = { certifications: [{ courseId, userId: person.userId, validUntil: day(validUntil), lapsed: false }] }
    for (const command of dueCertificationLapses(view, iso(tl))) {
      if (story.h.attempt(CourseDecider, courseStream(courseId), command.type, command.data, SCHEDULER_ACTOR, tl, command.metadata.commandId)) life.certs.delete(key)
    }
  })
}

/** a certifying course the person does not hold yet, if any */
export function nextCourseFor(life: Life, person: Person, t: number): string | null {
  const open = CERTIFYING.filter((c) => (life.certs.get(`${c.courseId}:${person.userId}`) ?? 0) < t)
  // a partner that goes quiet took the yearly certification, which lapses without it
  if (life.p.archetype === 'dormant') return open.find((c) => c.certification!.validityMonths === 12)?.courseId ?? null
  return open[0]?.courseId ?? null
}

export const validCerts = (life: Life, t: number) => [...life.certs.values()].filter((until) => until >= t).length

/** someone at the partner uses an asset it may see */
export function useAsset(story: Story, life: Life, t: number) {
  if (!active(life, t)) return
  const { r, h } = story
  const gold = ['gold', 'platinum'].includes(life.tier)
  const visible = demoAssets.filter((a) =>
    (!a.audienceRules.minimumTier || gold) &&
    (!a.audienceRules.geographies || a.audienceRules.geographies.some((g) => life.p.geographies.includes(g))) &&
    (!a.audienceRules.requiredCertification || validCerts(life, t) > 0),
  )
  const asset = r.pick(visible)
  const actions = asset.audience === 'thru_partner' ? ['viewed', 'downloaded', 'shared', ...(asset.coBrandable ? ['cobranded', 'cobranded'] : [])] : ['viewed', 'viewed', 'downloaded']
  const person = r.pick(life.users)
  h.attempt(AssetDecider, assetStream(asset.assetId), 'RecordAssetUse', {
    assetId: asset.assetId, partnerId: life.p.id, userId: person.userId, action: r.pick(actions) as never,
  }, member(life, person), t)
}
