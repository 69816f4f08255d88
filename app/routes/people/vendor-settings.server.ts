// Server side of the program settings page: the history of changes with what each changed, and saving a change.
import type { Submission } from '@conform-to/react'
import type { CurrentUser } from '../../auth.server.ts'
import { formatDate, formatMoney } from '../../components/ui.tsx'
import { replyRefused } from '../../conform.server.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import type { AppServices } from '../../services.server.ts'
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings, type ProgramSettingsInput } from '../../../domain/settings/defaults.ts'
import { changeInForce, completeSettings } from '../../../domain/settings/settings.ts'
import { ValidationError } from '../../../domain/shared/errors.ts'
import { tierLabel } from './labels.ts'
import { groupByOptions, numberGroups, shown, unitText } from './settings-fields.ts'

/** the settings as the page shows them, flat: "Deal protection (days)" → "90" */
function flat(s: ProgramSettings): Record<string, string> {
  const out: Record<string, string> = {}
  for (const group of numberGroups) {
    for (const field of group.fields) {
      const unit = unitText(field, s.fundCurrency)
      const label = `${group.prefix ? `${group.prefix}: ` : ''}${field.label}${unit && unit !== '%' && !field.label.includes('(') ? ` (${unit})` : ''}`
      out[label] = `${shown(field, s)}${field.percent ? ' %' : ''}`
    }
  }
  out['Fund currency'] = s.fundCurrency
  out['Scorecard: compare partners within'] = groupByOptions.find((o) => o.value === s.scorecard.groupBy)?.label.toLowerCase() ?? s.scorecard.groupBy
  for (const t of s.tiers) out[`Tier ${tierLabel(t.name)}`] = `rank ${t.rank}, ${t.minimumCertifications} cert., ${t.minimumWonDeals} won`
  for (const [tier, amount] of Object.entries(s.fundAllocationByTier)) out[`Funds per quarter, ${tierLabel(tier)}`] = formatMoney(amount, s.fundCurrency)
  return out
}

/** "Deal protection (days): 90 → 120" lines between two settings */
export function differences(before: ProgramSettings, after: ProgramSettings): string[] {
  const a = flat(before)
  const b = flat(after)
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? '—'} → ${b[k] ?? 'removed'}`)
}

/** What the page shows: the settings the form starts from (the last to take effect) and the history, newest first. */
export async function settingsPage(services: AppServices) {
  const queries = peopleQueries(services.sql)
  const now = services.clock().toISOString()
  const [{ history: stored }, staff] = await Promise.all([queries.settingsAt(now), queries.staff()])
  // settings recorded before a group existed read with its defaults
  const history = stored.map((change) => ({ ...change, settings: completeSettings(change.settings) }))
  const names = Object.fromEntries(staff.map((s) => [s.userId, s.name]))
  const scheduled = (change: { effectiveFrom: string }) => Date.parse(change.effectiveFrom) > Date.parse(now)
  return {
    start: changeInForce(history)?.settings ?? DEFAULT_PROGRAM_SETTINGS,
    inForceEventId: changeInForce(history, now)?.eventId ?? null,
    history: [...history].reverse().map((change, i, all) => ({
      eventId: change.eventId, effectiveFrom: change.effectiveFrom, changedAt: change.changedAt,
      by: names[change.changedBy] ?? change.changedBy, scheduled: scheduled(change),
      differences: differences(all[i + 1]?.settings ?? DEFAULT_PROGRAM_SETTINGS, change.settings),
    })),
    today: now.slice(0, 10),
  }
}

/**
 * Saves a change from the date chosen (today means from now on, a later date from its start, UTC); the toast says when.
 * A refusal comes back as the submission's reply, under the field the domain named.
 */
export async function saveSettings(services: AppServices, user: CurrentUser, submission: Submission<unknown>, change: { commandId: string; effectiveFrom: string; settings: ProgramSettingsInput }) {
  const now = services.clock().toISOString()
  const today = change.effectiveFrom === now.slice(0, 10)
  try {
    await services.commands.people.changeSettings(user, today ? now : `${change.effectiveFrom}T00:00:00.000Z`, change.settings, change.commandId, now)
    return { saved: `Program settings saved; they take effect ${today ? 'now' : `on ${formatDate(change.effectiveFrom)}`}.` } as const
  } catch (error) {
    // the command names a setting under settings.…; the form names it without the prefix
    const field = error instanceof ValidationError ? error.field?.replace(/^settings\./, '') : undefined
    return { refused: replyRefused(submission, field ? new ValidationError(error instanceof Error ? error.message : '', field) : error) } as const
  }
}
