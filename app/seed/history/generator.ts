// Deterministic generator of a large program history (partners applying, deals, training, assets, funds, workshops,
// plans, surveys, settings) for benchmarks and rebuild tests. Events are built directly (no deciders, for speed), in
// business-time order, and each is checked with the store's codec (the domain's schemas and versions) when handed out.
import { createDomainCodec, currentSchemaVersion } from '../../codec.server.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/settings/defaults.ts'
import type { NewEvent } from '../../../eventstore/types.ts'
import { PARTNER_TYPES, PRODUCTS, SEGMENTS, SURVEY_TOPICS, TIERS } from './catalogue.ts'
import { activity, type GeneratedPartner, type Generation } from './generator-activities.ts'
import { prng } from './random.ts'
import { clamp10, DAY, iso, Queue } from './timeline.ts'

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

const VENDOR = 'vendor'
const MANAGERS = ['user-sam', 'user-cm-2', 'user-cm-3', 'user-cm-4']
const GEOS = ['DE', 'FR', 'NL', 'UK', 'ES', 'IT', 'PL', 'SE', 'US', 'CA']
const SHA = 'a'.repeat(64)

/** Yields the history event by event in business-time order (occurredAt never decreases). */
export function* historyEvents(options: HistoryOptions): Generator<GeneratedEvent> {
  const r = prng(options.seed ?? 7)
  const codec = options.validate === false ? null : createDomainCodec()
  const start = Date.parse(`${options.start ?? '2023-01-02'}T08:00:00Z`)
  const partnerCount = Math.max(1, options.partners)
  const spanDays = 3 * 365
  // about 3.5 events per activity; 85% of partners are approved
  const activitiesPerPartner = Math.max(1, options.events / (partnerCount * 0.85 * 3.5))
  const queue = new Queue()
  const out: GeneratedEvent[] = []
  let emitted = 0

  const g: Generation = {
    r,
    meanGapDays: Math.max(0.02, spanDays / activitiesPerPartner),
    managers: MANAGERS,
    courses: Array.from({ length: 6 }, (_, i) => ({ id: `course-${i + 1}`, cert: i < 4 ? `Certified ${PRODUCTS[i]!.name} Specialist` : null })),
    assets: Array.from({ length: 12 }, (_, i) => `asset-${i + 1}`),
    sha: SHA,
    emit(t, streamId, type, data, actor, tenant) {
      const id = r.uuid()
      const event: NewEvent = { id, type, data, metadata: { actor, tenant, occurredAt: iso(t), correlationId: id, causationId: id, schemaVersion: currentSchemaVersion(type) } }
      out.push({ streamId, event: codec ? codec.encode(event) : event })
    },
    at: (t, run) => queue.push(t, () => run(t)),
    later: (t, minDays, maxDays) => t + (minDays + r.next() * (maxDays - minDays)) * DAY,
  }
  const { emit, at, later } = g

  // ---- the vendor's side: settings, courses, assets, survey rounds -----------------------------------------------
  at(start - 2 * DAY, (t) => {
    emit(t, 'settings-program', 'ProgramSettingsChanged', { effectiveFrom: iso(t), settings: DEFAULT_PROGRAM_SETTINGS }, 'user-vera', VENDOR)
    for (const c of g.courses)
      emit(t, `course-${c.id}`, 'CoursePublished', {
        courseId: c.id, title: `Course ${c.id}`, description: 'Generated course',
        certification: c.cert ? { name: c.cert, validityMonths: 12 } : null,
      }, 'user-vera', VENDOR)
    g.assets.forEach((a, i) =>
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
  const partners: GeneratedPartner[] = []
  // a PSAT round per quarter, open for 30 days; approved partners answer with some probability
  for (let q = 0; q < 16; q++) {
    const open = start + q * 91 * DAY + 10 * DAY
    const surveyId = `survey-${q + 1}`
    at(open, (t) => {
      emit(t, `survey-${surveyId}`, 'SurveyRoundOpened', { surveyId, topics: SURVEY_TOPICS }, 'user-vera', VENDOR)
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
    const p: GeneratedPartner = { id, users: [`${id}-admin`], approved: false, manager: null, tier: TIERS[0]!, customers: [], plan: false, allocated: new Set(), certs: new Map() }
    for (let c = 0; c < 30; c++) p.customers.push(`customer-${i + 1}-${c + 1}.example`)
    partners.push(p)
    at(start + r.next() * spanDays * 0.3 * DAY, (t) => apply(p, t))
  }

  function apply(p: GeneratedPartner, t: number) {
    const type = r.pick(PARTNER_TYPES)
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
      at(later(ta, 0, g.meanGapDays), (tn) => activity(g, p, tn))
    })
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

/** The whole history as an array (tests and benchmarks). */
export function generateHistory(options: HistoryOptions): GeneratedEvent[] {
  return [...historyEvents(options)]
}
