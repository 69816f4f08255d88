// Server side of the what-if page: the settings a draft starts from, the replay of the whole log under a draft (in
// memory; the live read models are not read or written), and publishing the draft from today (decision 024).
import { createHash } from 'node:crypto'
import type { Submission } from '@conform-to/react'
import type { CurrentUser } from '../../auth.server.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import type { AppServices } from '../../services.server.ts'
import { isoDay } from '../../format.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings, type ProgramSettingsInput } from '../../../domain/settings/defaults.ts'
import { changeInForce, completeSettings } from '../../../domain/settings/settings.ts'
import type { RecordedEvent } from '../../../eventstore/types.ts'
import { createWhatIf, type WhatIfResult } from '../../../projections/what-if.ts'
import { saveSettings } from '../people/vendor-settings.server.ts'

/** changed partners sent to the page at most; the summary counts all of them */
export const WHAT_IF_ROWS = 100

/** The settings the draft starts from (the last change to take effect, as on the settings page) and today. */
export async function whatIfPage(services: AppServices) {
  const now = services.clock().toISOString()
  const { history } = await peopleQueries(services.sql).settingsAt(now)
  const start = completeSettings(changeInForce(history)?.settings ?? DEFAULT_PROGRAM_SETTINGS)
  return { start, today: now.slice(0, 10) }
}

/** A short fingerprint of a draft: publishing checks that the draft is the one previewed. */
export const draftFingerprint = (settings: ProgramSettingsInput) =>
  createHash('sha256').update(JSON.stringify(ProgramSettings.parse(settings))).digest('hex').slice(0, 16)

export type WhatIfPreview = Omit<WhatIfResult, 'partners'> & { partners: WhatIfResult['partners']; shown: number; fingerprint: string; seconds: number }

/** Replays the whole log in memory under the draft; what the page shows (the changed partners capped at WHAT_IF_ROWS). */
export async function previewWhatIf(services: AppServices, settings: ProgramSettingsInput): Promise<WhatIfPreview> {
  const started = performance.now()
  // folded while it is read: the replay's work overlaps the reads, and the log is not held in memory
  const replay = createWhatIf(ProgramSettings.parse(settings), services.clock().toISOString())
  for await (const event of services.store.readAll()) replay.push(event as RecordedEvent<string, any>)
  const result = replay.finish()
  return {
    ...result, partners: result.partners.slice(0, WHAT_IF_ROWS), shown: Math.min(WHAT_IF_ROWS, result.partners.length),
    fingerprint: draftFingerprint(settings), seconds: Math.round((performance.now() - started) / 100) / 10,
  }
}

/** Publishes the draft with today as its effective date (from now on): the settings page's own command. */
export function publishDraft(services: AppServices, user: CurrentUser, submission: Submission<unknown>, change: { commandId: string; settings: ProgramSettingsInput }) {
  const today = isoDay(services.clock())
  return saveSettings(services, user, submission, { commandId: change.commandId, effectiveFrom: today, settings: change.settings })
}
