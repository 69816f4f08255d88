// What the insight pages compute from the partners' journey documents (funnel, each partner's journey and pyramid
// stage with what is missing, scorecards with ranks, lifetime values, the program's pyramid), over a generated history,
// read at several points of it and at several later dates, pinned by a hash: a change to what the facts keep (decision
// 026 bounds them) may change the documents, never a figure a page shows.
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { goldenHistory } from './golden-history.ts'
import { journeyFunnel, journeyNow, lifetimeValues, programPyramid, pyramidNow, scorecards, SETTINGS_KEY, type SettingsDoc } from '../../projections/insights/index.ts'
import { journeyProjection, type JourneyDoc } from '../../projections/journey.ts'
import { foldEvents } from '../../projections/projection.ts'
import { pyramidDocOf } from '../../projections/pyramid.ts'

/** the page figures as computed before the facts were bounded (decision 026) */
const VIEWS = 'f2671345f1c615d43e0e827c094b6bc644bf26ff756d952d6880b5b9c554c028'

const addDays = (at: string, days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString()

function views(docs: Map<string, unknown>, now: string) {
  const settings = (docs.get(SETTINGS_KEY) as SettingsDoc | undefined) ?? null
  const journeys = [...docs].filter(([key, d]) => key !== SETTINGS_KEY && d !== null).map(([, d]) => d as JourneyDoc).sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1))
  const pyramids = journeys.map(pyramidDocOf)
  return {
    now,
    funnel: journeyFunnel(journeys, now, settings),
    journeys: journeys.map((j) => journeyNow(j, now, settings)),
    stages: pyramids.map((p) => pyramidNow(p, now, settings)),
    scorecards: scorecards(journeys, now, settings),
    lifetime: lifetimeValues(journeys, now, settings),
    pyramid: programPyramid(pyramids, now, settings),
  }
}

describe('insight views golden', () => {
  test('the figures read from the journey documents at three points of the history and later dates are the pinned ones', () => {
    const events = goldenHistory()
    const hash = createHash('sha256')
    const docs = new Map<string, unknown>()
    const stops = [Math.floor(events.length / 3), Math.floor((2 * events.length) / 3), events.length]
    let i = 0
    for (const stop of stops) {
      for (; i < stop; i++) foldEvents(journeyProjection, docs, events[i]!)
      const last = events[stop - 1]!.metadata.occurredAt
      for (const days of [0, 1, 120, 400, 800]) hash.update(JSON.stringify(views(docs, addDays(last, days))))
    }
    expect(hash.digest('hex')).toBe(VIEWS)
  }, 300_000)
})
