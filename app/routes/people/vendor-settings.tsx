// Vendor: the program settings (deal protection, SLAs, funds, trust, journey, tiers), changed from a date on, with their history.
import { randomUUID } from 'node:crypto'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-settings'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { createPeopleCommands } from '../../commands/people.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader, formatDate } from '../../components/ui.tsx'
import { refused, type FormResult } from '../../forms.server.ts'
import { can } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from '../../../domain/settings/defaults.ts'
import { tierLabel } from './labels.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Program settings · Partnerlog' }]

const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'AUD', 'CAD']

const scalarFields = [
  { key: 'dealProtectionDays', label: 'Deal protection', unit: 'days', hint: 'How long an approved deal stays protected' },
  { key: 'dealExtensionDays', label: 'Extension', unit: 'days', hint: 'What one extension adds' },
  { key: 'reviewSlaBusinessDays', label: 'Review SLA', unit: 'business days', hint: 'Time to review a deal registration' },
  { key: 'claimDeadlineDays', label: 'Claim deadline', unit: 'days', hint: 'After an activity is approved' },
] as const

const trustLabels: Record<keyof ProgramSettings['trustWeights'], string> = {
  dealWon: 'Deal won', dealRegistered: 'Deal registered', certificationEarned: 'Certification earned', workshopHeld: 'Workshop held',
  claimPaid: 'Claim paid', surveyAnswered: 'Survey answered', planOnTrack: 'Plan on track',
  dealReviewSlaBreached: 'Review SLA breached', claimRejected: 'Claim rejected', certificationLapsed: 'Certification lapsed',
  workshopCancelled: 'Workshop cancelled', planOffTrack: 'Plan off track',
}
const journeyLabels: Record<keyof ProgramSettings['journey'], string> = {
  activationCertifications: 'Activation: certifications', investmentWonDeals: 'Investment: won deals',
  devotionWonDeals: 'Devotion: won deals', devotionTrust: 'Devotion: trust',
}

/** The settings the form starts from: the change that takes effect last (scheduled ones included), else the defaults. */
function latest(history: { effectiveFrom: string; settings: ProgramSettings }[]): ProgramSettings {
  let best: (typeof history)[number] | undefined
  for (const change of history) if (!best || Date.parse(change.effectiveFrom) >= Date.parse(best.effectiveFrom)) best = change
  return best?.settings ?? DEFAULT_PROGRAM_SETTINGS
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'vendor:home')
  const queries = peopleQueries(services.sql)
  const now = services.clock().toISOString()
  const [{ settings: inForce, history }, staff] = await Promise.all([queries.settingsAt(now), queries.staff()])
  const names = Object.fromEntries(staff.map((s) => [s.userId, s.name]))
  const inForceChange = [...history].filter((c) => Date.parse(c.effectiveFrom) <= Date.parse(now)).sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom)).at(-1)
  return {
    canManage: can(user.role, 'settings:manage'),
    start: latest(history), inForce, inForceEventId: inForceChange?.eventId ?? null,
    history: [...history].reverse().map((change, i, all) => ({
      ...change, by: names[change.changedBy] ?? change.changedBy, scheduled: Date.parse(change.effectiveFrom) > Date.parse(now),
      differences: diff(all[i + 1]?.settings ?? DEFAULT_PROGRAM_SETTINGS, change.settings),
    })),
    today: now.slice(0, 10), commandId: randomUUID(),
  }
}

/** "Deal protection: 90 → 120" lines between two settings */
function diff(before: ProgramSettings, after: ProgramSettings): string[] {
  const flat = (s: ProgramSettings) => {
    const out: Record<string, string> = {
      'Deal protection (days)': String(s.dealProtectionDays), 'Extension (days)': String(s.dealExtensionDays),
      'Review SLA (business days)': String(s.reviewSlaBusinessDays), 'Claim deadline (days)': String(s.claimDeadlineDays),
      'Fund currency': s.fundCurrency,
    }
    for (const t of s.tiers) out[`Tier ${tierLabel(t.name)}`] = `rank ${t.rank}, ${t.minimumCertifications} cert., ${t.minimumWonDeals} won`
    for (const [tier, amount] of Object.entries(s.fundAllocationByTier)) out[`Funds ${tierLabel(tier)}`] = String(amount)
    for (const [k, v] of Object.entries(s.trustWeights)) out[`Trust: ${trustLabels[k as keyof typeof trustLabels] ?? k}`] = String(v)
    for (const [k, v] of Object.entries(s.journey)) out[journeyLabels[k as keyof typeof journeyLabels] ?? k] = String(v)
    return out
  }
  const a = flat(before)
  const b = flat(after)
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? '—'} → ${b[k] ?? 'removed'}`)
}

const number = (label: string, options: { int?: boolean; min?: number } = {}) =>
  z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).transform(Number)
    .pipe(z.number({ error: `Enter ${label} as a number` }).refine((n) => Number.isFinite(n), `Enter ${label} as a number`)
      .refine((n) => !options.int || Number.isInteger(n), 'Use a whole number')
      .refine((n) => options.min === undefined || n >= options.min, `Use ${options.min} or more`))

const SettingsForm = z.object({
  commandId: z.uuid(),
  effectiveFrom: z.iso.date('Choose the date the settings take effect'),
  dealProtectionDays: number('the protection days', { int: true, min: 1 }),
  dealExtensionDays: number('the extension days', { int: true, min: 1 }),
  reviewSlaBusinessDays: number('the review SLA', { int: true, min: 1 }),
  claimDeadlineDays: number('the claim deadline', { int: true, min: 1 }),
  fundCurrency: z.enum(currencies as [string, ...string[]], 'Choose a currency'),
  tiers: z.array(z.object({
    name: z.string().trim().toLowerCase().min(1, 'Name the tier').max(40, 'Use at most 40 characters').regex(/^[a-z0-9][a-z0-9 -]*$/, 'Use letters, digits, spaces and dashes'),
    rank: number('a rank', { int: true, min: 0 }),
    minimumCertifications: number('the certifications', { int: true, min: 0 }),
    minimumWonDeals: number('the won deals', { int: true, min: 0 }),
    allocation: number('the quarterly allocation', { min: 0 }),
  })).min(1, 'Keep at least one tier'),
  trustWeights: z.object(Object.fromEntries(Object.keys(trustLabels).map((k) => [k, number('a weight')])) as Record<keyof typeof trustLabels, ReturnType<typeof number>>),
  journey: z.object({
    activationCertifications: number('a number', { int: true, min: 0 }),
    investmentWonDeals: number('a number', { int: true, min: 0 }),
    devotionWonDeals: number('a number', { int: true, min: 0 }),
    devotionTrust: number('a number'),
  }),
})

/** "tiers.0.name" style field names into nested objects and arrays; tier rows left completely empty are dropped. */
function nest(form: FormData): Record<string, unknown> {
  const root: Record<string, any> = {}
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || key === 'csrf') continue
    const parts = key.split('.')
    let node = root
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value
      else node = node[part] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {}
    })
  }
  if (Array.isArray(root.tiers)) {
    root.tiers = (root.tiers as Record<string, string>[])
      .map((row, index) => ({ row, index }))
      .filter((entry) => entry && Object.values(entry.row).some((v) => v.trim() !== ''))
  }
  return root
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'settings:manage')
  const raw = nest(form)
  const rows = (raw.tiers ?? []) as { row: Record<string, string>; index: number }[]
  const parsed = SettingsForm.safeParse({ ...raw, tiers: rows.map((r) => r.row) })
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries()) if (typeof value === 'string' && key !== 'csrf') values[key] = value
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String)
      // errors name the row as the form rendered it, not as filtered
      if (path[0] === 'tiers' && path.length > 2) path[1] = String(rows[Number(path[1])]?.index ?? path[1])
      fieldErrors[path.join('.') || 'form'] ??= issue.message
    }
    return data({ result: { fieldErrors, formError: 'Check the highlighted fields.', values } satisfies FormResult }, { status: 400 })
  }
  const { commandId, effectiveFrom, tiers, ...rest } = parsed.data
  const now = services.clock().toISOString()
  if (effectiveFrom < now.slice(0, 10)) {
    return data({ result: { fieldErrors: { effectiveFrom: `Settings cannot change the past; choose ${formatDate(now)} or later` }, formError: 'Check the highlighted fields.', values } satisfies FormResult }, { status: 400 })
  }
  // today means from now on; a later date from its start (UTC)
  const from = effectiveFrom === now.slice(0, 10) ? now : `${effectiveFrom}T00:00:00.000Z`
  const settings = {
    ...rest,
    tiers: tiers.map(({ allocation: _a, ...t }) => t),
    fundAllocationByTier: Object.fromEntries(tiers.map((t) => [t.name, t.allocation])),
  }
  try {
    await createPeopleCommands(services).changeSettings(user, from, settings, commandId, now)
    const when = effectiveFrom === now.slice(0, 10) ? 'now' : `on ${formatDate(effectiveFrom)}`
    return redirectWithToast(request, services, '/vendor/settings', `Program settings saved; they take effect ${when}.`)
  } catch (error) {
    const result = refused(error, form)
    return result
  }
}

function NumberInput({ name, label, value, error, disabled, srOnlyLabel, className = '' }: { name: string; label: string; value: string | number; error?: string; disabled?: boolean; srOnlyLabel?: boolean; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={name} className={srOnlyLabel ? 'sr-only' : 'label'}>{label}</label>
      <input id={name} name={name} inputMode="decimal" defaultValue={value} disabled={disabled}
        className={`input ${srOnlyLabel ? '' : 'mt-1'} text-right tabular-nums ${error ? 'input-error' : ''} disabled:bg-gray-50 disabled:text-gray-700`}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined} />
      {error ? <p id={`${name}-error`} className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  )
}

export default function Settings() {
  const { canManage, start, history, today, commandId, inForceEventId } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values
  const v = (key: string, fallback: string | number) => values?.[key] ?? fallback
  const busy = useNavigation().state === 'submitting'
  const tierRows = [...start.tiers].sort((a, b) => a.rank - b.rank)
  const rowCount = values ? Math.max(tierRows.length + 1, ...Object.keys(values).filter((k) => k.startsWith('tiers.')).map((k) => Number(k.split('.')[1]) + 1)) : tierRows.length + 1
  const tierError = errors.tiers ?? errors.fundAllocationByTier
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Program settings"
        description={canManage
          ? 'Rules every partner works under. A change takes effect from the date you choose and never rewrites the past.'
          : 'Rules every partner works under. Only vendor admins change them; you see them read-only.'}
        actions={canManage ? <a href="/vendor/staff" className="btn-secondary">Vendor staff</a> : undefined}
      />
      <Form method="post" noValidate className="space-y-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values?.commandId ?? commandId} />
        <FormError message={result?.formError && !errors.effectiveFrom ? result.formError : null} />
        <fieldset disabled={!canManage} className="space-y-6">
          <legend className="sr-only">Program settings</legend>
          <section className="card p-5" aria-labelledby="deals-h">
            <h2 id="deals-h" className="text-sm font-semibold text-gray-900">Deals and claims</h2>
            <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {scalarFields.map((f) => (
                <div key={f.key}>
                  <NumberInput name={f.key} label={`${f.label} (${f.unit})`} value={v(f.key, start[f.key])} error={errors[f.key]} disabled={!canManage} />
                  {!errors[f.key] ? <p className="mt-1 text-xs text-gray-600">{f.hint}</p> : null}
                </div>
              ))}
              <div>
                <label htmlFor="fundCurrency" className="label">Fund currency</label>
                <select id="fundCurrency" name="fundCurrency" defaultValue={v('fundCurrency', start.fundCurrency)} className="input mt-1 disabled:bg-gray-50">
                  {currencies.map((c) => <option key={c}>{c}</option>)}
                </select>
              </div>
            </div>
          </section>

          <section className="card overflow-hidden" aria-labelledby="tiers-h">
            <div className="px-5 pt-5">
              <h2 id="tiers-h" className="text-sm font-semibold text-gray-900">Tiers and quarterly fund allocation</h2>
              <p className="mt-1 text-xs text-gray-600">Rank 0 is the entry tier. {canManage ? 'Fill the empty row to add a tier; clear a row to remove it.' : ''}</p>
              {tierError ? <p className="mt-2 text-sm text-red-700" id="tiers-error">{tierError}</p> : null}
            </div>
            <div className="mt-3 overflow-x-auto">
              <table className="table-base">
                <thead className="bg-gray-50">
                  <tr>
                    <th scope="col" className="th">Tier name</th><th scope="col" className="th num">Rank</th>
                    <th scope="col" className="th num">Min. certifications</th><th scope="col" className="th num">Min. won deals</th>
                    <th scope="col" className="th num">Funds per quarter ({start.fundCurrency})</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100">
                  {Array.from({ length: canManage ? rowCount : tierRows.length }, (_, i) => {
                    const t = tierRows[i]
                    const p = `tiers.${i}`
                    const nameError = errors[`${p}.name`]
                    return (
                      <tr key={i}>
                        <td className="td">
                          <label htmlFor={`${p}.name`} className="sr-only">Tier {i + 1} name</label>
                          <input id={`${p}.name`} name={`${p}.name`} defaultValue={v(`${p}.name`, t?.name ?? '')} placeholder={t ? undefined : 'New tier'}
                            className={`input min-w-28 disabled:bg-gray-50 ${nameError ? 'input-error' : ''}`} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? `${p}.name-error` : undefined} />
                          {nameError ? <p id={`${p}.name-error`} className="mt-1 text-xs text-red-700">{nameError}</p> : null}
                        </td>
                        <td className="td"><NumberInput srOnlyLabel className="w-20 ml-auto" name={`${p}.rank`} label={`Tier ${i + 1} rank`} value={v(`${p}.rank`, t?.rank ?? '')} error={errors[`${p}.rank`]} /></td>
                        <td className="td"><NumberInput srOnlyLabel className="w-24 ml-auto" name={`${p}.minimumCertifications`} label={`Tier ${i + 1} minimum certifications`} value={v(`${p}.minimumCertifications`, t?.minimumCertifications ?? '')} error={errors[`${p}.minimumCertifications`]} /></td>
                        <td className="td"><NumberInput srOnlyLabel className="w-24 ml-auto" name={`${p}.minimumWonDeals`} label={`Tier ${i + 1} minimum won deals`} value={v(`${p}.minimumWonDeals`, t?.minimumWonDeals ?? '')} error={errors[`${p}.minimumWonDeals`]} /></td>
                        <td className="td"><NumberInput srOnlyLabel className="w-32 ml-auto" name={`${p}.allocation`} label={`Tier ${i + 1} funds per quarter`} value={v(`${p}.allocation`, t ? start.fundAllocationByTier[t.name] ?? 0 : '')} error={errors[`${p}.allocation`]} /></td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <div className="grid gap-6 lg:grid-cols-3">
            <section className="card p-5 lg:col-span-2" aria-labelledby="trust-h">
              <h2 id="trust-h" className="text-sm font-semibold text-gray-900">Trust weights</h2>
              <p className="mt-1 text-xs text-gray-600">Points per event. Trust is earned in drops and lost in gallons: losses weigh more.</p>
              <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
                {(Object.keys(trustLabels) as (keyof typeof trustLabels)[]).map((k) => (
                  <NumberInput key={k} name={`trustWeights.${k}`} label={trustLabels[k]} value={v(`trustWeights.${k}`, start.trustWeights[k])} error={errors[`trustWeights.${k}`]} />
                ))}
              </div>
            </section>
            <section className="card p-5" aria-labelledby="journey-h">
              <h2 id="journey-h" className="text-sm font-semibold text-gray-900">Journey thresholds</h2>
              <p className="mt-1 text-xs text-gray-600">What moves a partner to the next phase.</p>
              <div className="mt-3 space-y-3">
                {(Object.keys(journeyLabels) as (keyof typeof journeyLabels)[]).map((k) => (
                  <NumberInput key={k} name={`journey.${k}`} label={journeyLabels[k]} value={v(`journey.${k}`, start.journey[k])} error={errors[`journey.${k}`]} />
                ))}
              </div>
            </section>
          </div>
        </fieldset>

        {canManage ? (
          <div className="card flex flex-wrap items-end justify-between gap-4 p-5">
            <div>
              <label htmlFor="effectiveFrom" className="label">Takes effect on</label>
              <input id="effectiveFrom" name="effectiveFrom" type="date" min={today} defaultValue={v('effectiveFrom', today)}
                className={`input mt-1 w-44 ${errors.effectiveFrom ? 'input-error' : ''}`} aria-invalid={errors.effectiveFrom ? true : undefined}
                aria-describedby={errors.effectiveFrom ? 'effectiveFrom-error' : 'effectiveFrom-hint'} />
              {errors.effectiveFrom
                ? <p id="effectiveFrom-error" className="mt-1 text-sm text-red-700">{errors.effectiveFrom}</p>
                : <p id="effectiveFrom-hint" className="mt-1 text-xs text-gray-600">Today means immediately; a later date from its start (UTC).</p>}
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
          </div>
        ) : null}
      </Form>

      <section className="mt-8" aria-labelledby="history-h">
        <h2 id="history-h" className="text-sm font-semibold text-gray-900">History of changes</h2>
        {history.length === 0 ? (
          <p className="card mt-2 px-5 py-4 text-sm text-gray-600">
            The program runs on the default settings; nobody has changed them yet.{canManage ? ' Changes you save above appear here with their effective date.' : ''}
          </p>
        ) : (
          <ol className="mt-2 space-y-2">
            {history.map((change) => (
              <li key={change.eventId} className="card p-4 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">From <DateText iso={change.effectiveFrom} /></span>
                  {change.scheduled ? <Badge tone="amber">Scheduled</Badge> : change.eventId === inForceEventId ? <Badge tone="green">In force</Badge> : <Badge tone="gray">Superseded</Badge>}
                  <span className="text-gray-600">saved <DateText iso={change.changedAt} withTime /> by {change.by}</span>
                </div>
                {change.differences.length ? (
                  <ul className="mt-2 list-inside list-disc text-gray-700">{change.differences.map((d) => <li key={d}>{d}</li>)}</ul>
                ) : <p className="mt-2 text-gray-600">Same values as before (re-confirmed).</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  )
}
