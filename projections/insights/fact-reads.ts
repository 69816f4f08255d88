// A partner's facts read at a time: valid certifications and co-investments in force, from per-record indexes
// (records are immutable, so an index is kept per record object).
import type { PartnerFacts } from './facts.ts'
import { dayOf } from './time.ts'

/** a certifications record sorted by key once (records are immutable: a new one per change), for the reads below */
type CertificationIndex = {
  entries: { key: string; name: string; validUntil: string }[]
  keys: string[]
  /** the valid ones on the last day asked, and the days they stay so: after `after` (null: any) up to `until` (null: any) */
  valid: { after: string | null; until: string | null; keys: string[] } | null
}
const certificationIndexes = new WeakMap<object, CertificationIndex>()
function certificationIndex(certifications: PartnerFacts['certifications']): CertificationIndex {
  let index = certificationIndexes.get(certifications)
  if (!index) {
    const entries = Object.entries(certifications)
      .map(([key, c]) => ({ key, ...c }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    index = { entries, keys: entries.map((c) => c.key), valid: null }
    certificationIndexes.set(certifications, index)
  }
  return index
}

/**
 * The keys valid on `day` (validUntil >= day), remembered with the days on which the same ones are valid: every day
 * after the latest validUntil that has passed and up to the earliest that has not. The journey asks three times per
 * event, with days that mostly fall in the same span (decision 030).
 */
function validKeysOn(index: CertificationIndex, day: string): string[] {
  const known = index.valid
  if (known && (known.after === null || day > known.after) && (known.until === null || day <= known.until)) return known.keys
  let after: string | null = null
  let until: string | null = null
  const keys: string[] = []
  for (let i = 0; i < index.entries.length; i++) {
    const validUntil = index.entries[i]!.validUntil
    if (validUntil >= day) {
      keys.push(index.keys[i]!)
      if (until === null || validUntil < until) until = validUntil
    } else if (after === null || validUntil > after) after = validUntil
  }
  index.valid = { after, until, keys }
  return keys
}

/** certifications valid on `at`'s day (a certification whose validUntil passed counts as expired even before its lapse event) */
export function validCertifications(f: PartnerFacts, at: string): { key: string; name: string; validUntil: string }[] {
  const day = dayOf(at)
  return certificationIndex(f.certifications).entries.filter((c) => c.validUntil >= day).map((c) => ({ ...c }))
}

/** the keys (course:user) of validCertifications(f, at), in the same order (a new array the caller may keep) */
export function validCertificationKeys(f: PartnerFacts, at: string): string[] {
  return validKeysOn(certificationIndex(f.certifications), dayOf(at)).slice()
}

/** validCertifications(f, at).length */
export function validCertificationCount(f: PartnerFacts, at: string): number {
  return validKeysOn(certificationIndex(f.certifications), dayOf(at)).length
}

export const coInvestmentsInForce = (f: PartnerFacts) => Object.entries(f.coInvestments).filter(([, c]) => c.inForce)

/**
 * per co-investments record (immutable): how many are in force, the latest quarter of one funded by both sides, and the
 * oldest quarter of one no longer in force (what pruneCoInvestments looks for). The fold derives a new record's summary
 * from its prior's and the one entry it put (coInvestmentPut), so that a partner's ~30 entries are not walked again on
 * every co-investment event; a record without a summary (read from SQL, filtered, mapped) is walked once.
 */
type CoInvestmentSummary = { inForce: number; latestShared: string | null; oldestOutOfForce: string | null }
const coInvestmentSummaries = new WeakMap<object, CoInvestmentSummary>()
type CoInvestment = PartnerFacts['coInvestments'][string]
const isShared = (c: CoInvestment) => c.approvedOn !== null && (c.partnerInvestment > 0 || c.kind === 'cofunded_head') && typeof c.quarter === 'string'
const isOutOfForce = (c: CoInvestment) => !c.inForce && typeof c.quarter === 'string'

function coInvestmentSummary(coInvestments: PartnerFacts['coInvestments']): CoInvestmentSummary {
  let summary = coInvestmentSummaries.get(coInvestments)
  if (!summary) {
    let inForce = 0
    let latestShared: string | null = null
    let oldestOutOfForce: string | null = null
    for (const key in coInvestments) {
      const c = coInvestments[key]!
      if (c.inForce) inForce++
      if (isShared(c) && (latestShared === null || c.quarter > latestShared)) latestShared = c.quarter
      if (isOutOfForce(c) && (oldestOutOfForce === null || c.quarter < oldestOutOfForce)) oldestOutOfForce = c.quarter
    }
    summary = { inForce, latestShared, oldestOutOfForce }
    coInvestmentSummaries.set(coInvestments, summary)
  }
  return summary
}

/**
 * Remembers the summary of `next`, which is `prior` with `value` put at `id` (withEntry), from the prior's summary: the
 * entry it replaces is taken out and the new one added. When the replaced entry was the latest shared or the oldest
 * out of force and the new one does not stand in for it, that field is unknown and the record is walked when read.
 */
export function coInvestmentPut(prior: PartnerFacts['coInvestments'], next: PartnerFacts['coInvestments'], id: string, value: CoInvestment): void {
  const before = coInvestmentSummary(prior)
  const old = Object.hasOwn(prior, id) ? prior[id]! : undefined
  let latestShared = before.latestShared
  if (old && isShared(old) && old.quarter === latestShared && !(isShared(value) && value.quarter >= latestShared)) return
  if (isShared(value) && (latestShared === null || value.quarter > latestShared)) latestShared = value.quarter
  let oldestOutOfForce = before.oldestOutOfForce
  if (old && isOutOfForce(old) && old.quarter === oldestOutOfForce && !(isOutOfForce(value) && value.quarter <= oldestOutOfForce)) return
  if (isOutOfForce(value) && (oldestOutOfForce === null || value.quarter < oldestOutOfForce)) oldestOutOfForce = value.quarter
  const inForce = before.inForce - (old?.inForce ? 1 : 0) + (value.inForce ? 1 : 0)
  coInvestmentSummaries.set(next, { inForce, latestShared, oldestOutOfForce })
}

/** is a co-investment no longer in force of a quarter before `oldest` in the record (what pruneCoInvestments drops) */
export function hasCoInvestmentOutOfForceBefore(coInvestments: PartnerFacts['coInvestments'], oldest: string): boolean {
  const out = coInvestmentSummary(coInvestments).oldestOutOfForce
  return out !== null && out < oldest
}

/** coInvestmentsInForce(f).length */
export const coInvestmentCountInForce = (f: PartnerFacts): number => coInvestmentSummary(f.coInvestments).inForce

/**
 * Is there a co-investment approved for `oldest` or a later quarter that both sides put money in, or a co-funded head
 * (the pyramid's shared investment): the latest such quarter is at least `oldest`.
 */
export function hasSharedInvestmentSince(f: PartnerFacts, oldest: string): boolean {
  const latest = coInvestmentSummary(f.coInvestments).latestShared
  return latest !== null && latest >= oldest
}
