// What-if, the deal rules a draft changes: the review SLA re-derived event by event, the protection period counted (not
// replayed), and the settings in force looked up per event (decision 024).
import type { RecordedEvent } from '../eventstore/types.ts'
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../domain/settings/defaults.ts'
import { completeSettings, type SettingsHistory } from '../domain/settings/settings.ts'
import { addBusinessDays, dateOf } from '../domain/shared/time.ts'
import type { WhatIfDeals } from './what-if.ts'

type Ev = RecordedEvent<string, any>

/**
 * Re-derives the review SLA under the draft, event by event: each registration's due time from the draft's business
 * days, each review's withinSla against it, and the breaches the scheduler would have recorded (before a deal left
 * review unreviewed, or by `now` for one still waiting). Deals registered under the draft's SLA keep their events.
 */
export function slaRederiver(real: (at: string) => ProgramSettings, draft: ProgramSettings, deals: WhatIfDeals['reviewSla']) {
  const due = new Map<string, { at: string; template: Ev; partnerId: string }>()
  const waiting = new Set<string>()
  const breach = (dealId: string, at: string): Ev => {
    const d = due.get(dealId)!
    deals.newBreaches++
    return {
      ...d.template, id: `what-if-breach-${dealId}`, type: 'DealReviewSlaBreached', data: { dealId, partnerId: d.partnerId, dueAt: d.at },
      metadata: { ...d.template.metadata, occurredAt: at },
    }
  }
  return {
    /** hands `emit` what the draft's fold sees for this recorded event */
    push(event: Ev, emit: (event: Ev) => void) {
      const data = event.data as { dealId?: string; partnerId?: string; withinSla?: boolean }
      const dealId = data.dealId
      switch (event.type) {
        case 'DealRegistered': {
          const at = event.metadata.occurredAt
          if (real(at).reviewSlaBusinessDays !== draft.reviewSlaBusinessDays) {
            due.set(dealId!, { at: addBusinessDays(at, draft.reviewSlaBusinessDays), template: event, partnerId: data.partnerId! })
            waiting.add(dealId!)
            deals.rederived++
          }
          break
        }
        case 'DealReviewSlaBreached':
          // a re-derived deal's breaches are the draft's
          if (dealId && due.has(dealId)) {
            deals.breachesDropped++
            return
          }
          break
        case 'DealApproved':
        case 'DealRejected': {
          const d = dealId ? due.get(dealId) : undefined
          if (d && waiting.delete(dealId!)) {
            const withinSla = Date.parse(event.metadata.occurredAt) <= Date.parse(d.at)
            if (withinSla !== data.withinSla) {
              if (withinSla) deals.onTimeUnderDraft++
              else deals.lateUnderDraft++
              emit({ ...event, data: { ...event.data, withinSla } })
              return
            }
          }
          break
        }
        case 'DealWithdrawn':
        case 'DealSuperseded': {
          const d = dealId ? due.get(dealId) : undefined
          if (d && waiting.delete(dealId!) && Date.parse(d.at) < Date.parse(event.metadata.occurredAt)) emit(breach(dealId!, event.metadata.occurredAt))
          break
        }
      }
      emit(event)
    },
    /** the deals still waiting for a review past the draft's due time at `now` */
    finish(now: string, emit: (event: Ev) => void) {
      for (const dealId of waiting) if (Date.parse(due.get(dealId)!.at) < Date.parse(now)) emit(breach(dealId, now))
    },
  }
}

/** the protection period: what a different one would have touched (counted, not replayed) */
export function protectionCounter(real: (at: string) => ProgramSettings, draft: ProgramSettings) {
  // deal id -> the last day of its protection under the draft (ms), unless it was extended
  const draftEnd = new Map<string, number>()
  const out = { draftDays: draft.dealProtectionDays, todayDays: [] as number[], wonAfterDraftEnd: 0, expiredStillProtected: 0, approved: 0 }
  const days = new Set<number>()
  const dayMs = (at: string) => Date.parse(at.slice(0, 10))
  return {
    push(event: Ev) {
      switch (event.type) {
        case 'DealRegistered':
          days.add(real(event.metadata.occurredAt).dealProtectionDays)
          break
        case 'DealApproved':
          draftEnd.set(event.data.dealId, dayMs(event.metadata.occurredAt) + draft.dealProtectionDays * DAY)
          out.approved++
          break
        case 'DealExtended':
          draftEnd.delete(event.data.dealId)
          break
        case 'DealWon': {
          const end = draftEnd.get(event.data.dealId)
          if (end !== undefined && dayMs(event.metadata.occurredAt) > end) out.wonAfterDraftEnd++
          break
        }
        case 'DealExpired': {
          const end = draftEnd.get(event.data.dealId)
          if (end !== undefined && dayMs(event.metadata.occurredAt) <= end) out.expiredStillProtected++
          break
        }
      }
    },
    result: (): WhatIfDeals['protection'] => ({ ...out, todayDays: [...days].sort((x, y) => x - y) }),
  }
}

const DAY = 86_400_000

/** settings in force at an instant, like settingsInForce, with the effective times parsed once (it runs per event) */
export function settingsLookup(history: SettingsHistory): (at: string) => ProgramSettings {
  const changes = history.changes.map((c) => ({ from: Date.parse(c.effectiveFrom), settings: completeSettings(c.settings) }))
  if (changes.length === 0) return () => DEFAULT_PROGRAM_SETTINGS
  return (at) => {
    const t = Date.parse(at)
    let best: (typeof changes)[number] | undefined
    // the latest effective at `at`; a later-recorded change wins a tie
    for (const c of changes) if (c.from <= t && (!best || c.from >= best.from)) best = c
    return best ? best.settings : DEFAULT_PROGRAM_SETTINGS
  }
}
