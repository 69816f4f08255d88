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

/** per co-investments record (immutable): how many are in force, and the latest quarter of one funded by both sides */
type CoInvestmentSummary = { inForce: number; latestShared: string | null }
const coInvestmentSummaries = new WeakMap<object, CoInvestmentSummary>()
function coInvestmentSummary(coInvestments: PartnerFacts['coInvestments']): CoInvestmentSummary {
  let summary = coInvestmentSummaries.get(coInvestments)
  if (!summary) {
    let inForce = 0
    let latestShared: string | null = null
    for (const key in coInvestments) {
      const c = coInvestments[key]!
      if (c.inForce) inForce++
      if (c.approvedOn !== null && (c.partnerInvestment > 0 || c.kind === 'cofunded_head') && typeof c.quarter === 'string' && (latestShared === null || c.quarter > latestShared)) latestShared = c.quarter
    }
    summary = { inForce, latestShared }
    coInvestmentSummaries.set(coInvestments, summary)
  }
  return summary
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
