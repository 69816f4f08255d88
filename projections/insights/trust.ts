// Trust queries for the pages: the series to plot and the drops and gallons that made it.
import type { TrustDoc, TrustEntry } from '../trust.ts'
import { settingsAt, type SettingsDoc } from './settings.ts'

export type TrustPoint = { at: string; value: number }

/** The trust line from the start value through every change (first point: the start value at the first change). */
export function trustSeries(doc: TrustDoc, settings?: SettingsDoc | null): TrustPoint[] {
  if (doc.history.length === 0) return [{ at: doc.updatedAt, value: doc.value }]
  const first = doc.history[0]!
  const start = settingsAt(settings ?? undefined, first.at).trust.initial
  return [{ at: first.at, value: start }, ...doc.history.map((e) => ({ at: e.at, value: e.value }))]
}

/** The latest drops and gallons (newest first), `limit` of each, plus all-time totals. */
export function trustBreakdown(doc: TrustDoc, limit = 10): { value: number; drops: TrustEntry[]; gallons: TrustEntry[]; gained: number; lost: number } {
  const newest = [...doc.history].reverse()
  return {
    value: doc.value,
    drops: newest.filter((e) => e.kind === 'drop').slice(0, limit),
    gallons: newest.filter((e) => e.kind === 'gallon').slice(0, limit),
    gained: doc.gained,
    lost: doc.lost,
  }
}

/** Trust on a past date (the last change at or before it), for "as of" views. */
export function trustOn(doc: TrustDoc, at: string, settings?: SettingsDoc | null): number {
  let value = settingsAt(settings ?? undefined, at).trust.initial
  for (const e of doc.history) {
    if (Date.parse(e.at) > Date.parse(at)) break
    value = e.value
  }
  return value
}
