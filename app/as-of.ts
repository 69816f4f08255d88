// The auditor's "as of" on two clocks, shared by the server and the pages: names, labels and the backdated mark.

/** 'recorded': as the vendor knew it on that date; 'occurred': as it happened by then (as projections' EventClock). */
export type AsOfClock = 'recorded' | 'occurred'
export type AsOf = { date: string; clock: AsOfClock }
export const DEFAULT_AS_OF_CLOCK: AsOfClock = 'recorded'

/** What a page says it shows on each clock (the banner, the toast, the form). */
export const asOfClockLabels: Record<AsOfClock, string> = {
  recorded: 'as the vendor knew it on that date',
  occurred: 'as it happened by that date',
}

/** Recorded more than this after it happened: the timeline marks the event as backdated. */
export const BACKDATED_AFTER_MS = 24 * 60 * 60 * 1000

export function isBackdated(event: { occurredAt: string; recordedAt: string }): boolean {
  return Date.parse(event.recordedAt) - Date.parse(event.occurredAt) > BACKDATED_AFTER_MS
}
