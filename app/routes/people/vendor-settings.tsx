// Vendor: the program settings (deals, funds, trust, journey, scorecard, pyramid, lifetime value, tiers), changed from
// a date on, with their history. Every number the insight pages weigh is here; the domain schema (ProgramSettings) checks them.
import { randomUUID } from 'node:crypto'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-settings'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader, formatDate } from '../../components/ui.tsx'
import { refused, type FormResult } from '../../forms.server.ts'
import { formNumber } from '../../forms.ts'
import { MAX_TIER_NAME, MAX_TIERS } from '../../../domain/settings/decide.ts'
import { tooLong } from '../../../domain/shared/fields.ts'
import { can } from '../../permissions.ts'
import { peopleQueries } from '../../queries/people.server.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings, settingsProblems } from '../../../domain/settings/defaults.ts'
import { completeSettings } from '../../../domain/settings/settings.ts'
import { tierLabel } from './labels.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Program settings · Partnerlog' }]

const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'AUD', 'CAD']
const groupByOptions = [{ value: 'tier', label: 'Their tier' }, { value: 'partnerType', label: 'Their partner type' }] as const

/** One number of ProgramSettings: `name` is its path (and the form field's name); percentages are stored as 0-1 and shown as 0-100. */
type NumberField = { name: string; label: string; unit?: string; hint?: string; int?: boolean; percent?: boolean }

const f = (name: string, label: string, options: Omit<NumberField, 'name' | 'label'> = {}): NumberField => ({ name, label, ...options })

const deals = [
  f('dealProtectionDays', 'Deal protection', { unit: 'days', int: true, hint: 'How long an approved deal stays protected' }),
  f('dealExtensionDays', 'Extension', { unit: 'days', int: true, hint: 'What one extension adds' }),
  f('reviewSlaBusinessDays', 'Review SLA', { unit: 'business days', int: true, hint: 'Time to review a deal registration' }),
]
const funds = [
  f('claimDeadlineDays', 'Claim deadline', { unit: 'days', int: true, hint: 'For the partner to claim after an activity is approved' }),
  f('trust.claimPaymentDays', 'Payment on time', { unit: 'days', int: true, hint: 'For us to pay an approved claim; paying later costs trust' }),
]
const trust = [
  f('trust.initial', 'Starting trust', { unit: '0–100', hint: 'Where a new partner starts' }),
  f('trust.psatGoodAtLeast', 'PSAT answer counts as good from', { unit: '0–10', hint: 'Average over the survey topics' }),
  f('trust.psatLowAtMost', 'PSAT answer counts as low up to', { unit: '0–10', hint: 'Below the good answer' }),
]
const drops = [
  f('trustWeights.dealReviewedWithinSla', 'Deal reviewed within the SLA'),
  f('trustWeights.dealWon', 'Registered deal won'),
  f('trustWeights.claimPaidOnTime', 'Claim paid in full, on time'),
  f('trustWeights.workshopHeldAsScheduled', 'Workshop held as scheduled'),
  f('trustWeights.psatGood', 'Good PSAT answer'),
  f('trustWeights.planOnTrack', 'Plan review on track'),
]
const gallons = [
  f('trustWeights.dealReviewSlaBreached', 'Review SLA breached'),
  f('trustWeights.dealLostToDirect', 'Deal lost to our direct sales'),
  f('trustWeights.claimPaidLate', 'Claim paid late'),
  f('trustWeights.claimPaidPartially', 'Claim paid partially'),
  f('trustWeights.claimRejected', 'Claim rejected after approval'),
  f('trustWeights.channelManagerReassigned', 'Channel manager reassigned'),
  f('trustWeights.psatLow', 'Low PSAT score'),
  f('trustWeights.workshopCancelledByVendor', 'Workshop cancelled by us'),
  f('trustWeights.planOffTrack', 'Plan review off track'),
]
const activation = [
  f('journey.activationCertifications', 'Valid certifications', { int: true }),
  f('journey.activationApprovedDeals', 'Approved deal registrations', { int: true }),
]
const devotion = [
  f('journey.devotionQuarters', 'Quarters looked at', { int: true, hint: 'Completed quarters, latest first' }),
  f('journey.devotionWonQuarters', 'Quarters with a won deal', { int: true, hint: 'Among the quarters looked at' }),
  f('journey.devotionWonDeals', 'Won deals', { int: true, hint: 'Over the quarters looked at' }),
  f('journey.devotionTrust', 'Minimum trust', { unit: '0–100' }),
  f('journey.planReviewGraceDays', 'Plan review due within', { unit: 'days', int: true, hint: "After the quarter's end" }),
]
const cWeights = [
  f('scorecard.weights.contribution', 'Contribution', { hint: 'Won revenue' }),
  f('scorecard.weights.consumption', 'Consumption', { hint: 'Asset use, training' }),
  f('scorecard.weights.coverage', 'Coverage', { hint: 'Regions, segments, customers' }),
  f('scorecard.weights.capability', 'Capability', { hint: 'Valid certifications' }),
  f('scorecard.weights.commitment', 'Commitment', { hint: 'Co-investment, plan, workshops' }),
]
const assetUse = [
  f('scorecard.assetUse.viewed', 'Viewed'),
  f('scorecard.assetUse.downloaded', 'Downloaded'),
  f('scorecard.assetUse.cobranded', 'Co-branded'),
  f('scorecard.assetUse.shared', 'Shared'),
]
const pyramid = [
  f('pyramid.enhancedCertifications', 'Enhanced: valid certifications', { int: true, hint: 'The partner adds value with skills' }),
  f('pyramid.collaborativeReviews', 'Collaborative: plan reviews', { int: true, hint: 'A joint plan that is governed' }),
  f('pyramid.workshopCost', 'Cost of one workshop', { hint: 'Counts as our effort for the partner' }),
]
const lifetime = [
  f('lifetime.marginRate', 'Our margin on won revenue', { unit: '%', percent: true }),
  f('lifetime.baseChurn', 'Churn of a healthy partner', { unit: '% a year', percent: true }),
  f('lifetime.minChurn', 'Lowest churn', { unit: '% a year', percent: true }),
  f('lifetime.maxChurn', 'Highest churn', { unit: '% a year', percent: true }),
  f('lifetime.maxLifetimeYears', 'Longest expected lifetime', { unit: 'years' }),
]
/** churn signals: what triggers one (when it has a threshold) and the churn it adds */
const churnSignals: { signal: string; threshold?: NumberField; adds: NumberField }[] = [
  { signal: 'No activity', threshold: f('lifetime.inactiveDays', 'No activity for more than (days)', { int: true, unit: 'days' }), adds: f('lifetime.inactiveChurn', 'No activity: churn added', { unit: '%', percent: true }) },
  { signal: 'No won deal', threshold: f('lifetime.noWinQuarters', 'No won deal in the last (quarters)', { int: true, unit: 'quarters' }), adds: f('lifetime.noWinChurn', 'No won deal: churn added', { unit: '%', percent: true }) },
  { signal: 'Low trust', threshold: f('lifetime.lowTrust', 'Trust below (0–100)', { unit: 'trust' }), adds: f('lifetime.lowTrustChurn', 'Low trust: churn added', { unit: '%', percent: true }) },
  { signal: 'Last PSAT answer low', adds: f('lifetime.lowPsatChurn', 'Last PSAT answer low: churn added', { unit: '%', percent: true }) },
  { signal: 'Every certification lapsed', adds: f('lifetime.certificationsLapsedChurn', 'Every certification lapsed: churn added', { unit: '%', percent: true }) },
]

/** every number the form edits, with the group its history line names (Deals and Funds lines need no prefix) */
const numberGroups: { title: string; prefix?: string; fields: NumberField[] }[] = [
  { title: 'Deals', fields: deals },
  { title: 'Funds', fields: funds },
  { title: 'Trust', prefix: 'Trust', fields: [...trust, ...drops, ...gallons] },
  { title: 'Journey', prefix: 'Journey', fields: [...activation.map((x) => ({ ...x, label: `Activation: ${x.label.toLowerCase()}` })), ...devotion.map((x) => ({ ...x, label: `Devotion: ${x.label.toLowerCase()}` }))] },
  { title: 'Scorecard', prefix: 'Scorecard', fields: [...cWeights.map((x) => ({ ...x, label: `${x.label} weight` })), ...assetUse.map((x) => ({ ...x, label: `Asset ${x.label.toLowerCase()} points` }))] },
  { title: 'Pyramid', prefix: 'Pyramid', fields: pyramid },
  { title: 'Lifetime value', prefix: 'Lifetime value', fields: [...lifetime, ...churnSignals.flatMap((s) => (s.threshold ? [s.threshold, s.adds] : [s.adds]))] },
]
const numberFields = numberGroups.flatMap((g) => g.fields)
const fieldByName = new Map(numberFields.map((x) => [x.name, x]))

type Loose = Record<string, unknown>
const read = (settings: ProgramSettings, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node as Loose | undefined)?.[key], settings)
function write(target: Loose, path: string, value: unknown) {
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Loose
  node[keys.at(-1)!] = value
}
/** 0.15 → 15 without floating-point dust */
const toPercent = (n: number) => Math.round(n * 100 * 1e6) / 1e6
/** what the form shows for a stored number */
const shown = (field: NumberField, settings: ProgramSettings): number => {
  const n = Number(read(settings, field.name))
  return field.percent ? toPercent(n) : n
}
const unitText = (field: NumberField, currency: string) => (field.name === 'pyramid.workshopCost' ? currency : field.unit)

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
  const [{ history: stored }, staff] = await Promise.all([queries.settingsAt(now), queries.staff()])
  // settings recorded before a group existed read with its defaults
  const history = stored.map((change) => ({ ...change, settings: completeSettings(change.settings) }))
  const names = Object.fromEntries(staff.map((s) => [s.userId, s.name]))
  const inForceChange = [...history].filter((c) => Date.parse(c.effectiveFrom) <= Date.parse(now)).sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom)).at(-1)
  return {
    canManage: can(user.role, 'settings:manage'),
    start: latest(history), inForceEventId: inForceChange?.eventId ?? null,
    history: [...history].reverse().map((change, i, all) => ({
      eventId: change.eventId, effectiveFrom: change.effectiveFrom, changedAt: change.changedAt,
      by: names[change.changedBy] ?? change.changedBy, scheduled: Date.parse(change.effectiveFrom) > Date.parse(now),
      differences: diff(all[i + 1]?.settings ?? DEFAULT_PROGRAM_SETTINGS, change.settings),
    })),
    today: now.slice(0, 10), commandId: randomUUID(),
  }
}

/** "Deal protection (days): 90 → 120" lines between two settings */
function diff(before: ProgramSettings, after: ProgramSettings): string[] {
  const flat = (s: ProgramSettings) => {
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
    for (const [tier, amount] of Object.entries(s.fundAllocationByTier)) out[`Funds ${tierLabel(tier)}`] = String(amount)
    return out
  }
  const a = flat(before)
  const b = flat(after)
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k] ?? '—'} → ${b[k] ?? 'removed'}`)
}

/** a typed number; bounds are the domain schema's (checked below with ProgramSettings) */
const numberText = (int?: boolean) => formNumber('a number', int ? z.number().int('Use a whole number') : z.number(), 'decimal-comma')

const SettingsForm = z.object({
  commandId: z.uuid(),
  effectiveFrom: z.iso.date('Choose the date the settings take effect'),
  fundCurrency: z.enum(currencies as [string, ...string[]], 'Choose a currency'),
  'scorecard.groupBy': z.enum(['tier', 'partnerType'], 'Choose how partners are grouped'),
  tiers: z.array(z.object({
    name: z.string().trim().toLowerCase().min(1, 'Name the tier').max(MAX_TIER_NAME, tooLong(MAX_TIER_NAME)).regex(/^[a-z0-9][a-z0-9 -]*$/, 'Use letters, digits, spaces and dashes'),
    rank: numberText(true),
    minimumCertifications: numberText(true),
    minimumWonDeals: numberText(true),
    allocation: numberText(),
  })).min(1, 'Keep at least one tier').max(MAX_TIERS, `Use at most ${MAX_TIERS} tiers`),
})

/** tier rows by index; rows left completely empty are dropped (their index kept, so errors name the row as rendered) */
function tierRows(form: FormData): { row: Record<string, string>; index: number }[] {
  const rows: Record<string, string>[] = []
  for (const [key, value] of form.entries()) {
    // a row index past the most tiers the program takes is ignored (an index like 4e9 would make a sparse array that long)
    const m = /^tiers\.(\d{1,2})\.(\w+)$/.exec(key)
    if (m && typeof value === 'string') (rows[Number(m[1])] ??= {})[m[2]!] = value
  }
  return rows.map((row, index) => ({ row, index })).filter((r) => r.row && Object.values(r.row).some((v) => v.trim() !== ''))
}

/** a message a channel manager understands for a bound of the domain schema, in the unit the form shows */
function boundMessage(issue: z.core.$ZodIssue, field: NumberField | undefined): string {
  const show = (n: number | bigint) => (field?.percent ? `${toPercent(Number(n))} %` : String(n))
  if (issue.code === 'too_small' && typeof issue.minimum !== 'object') return issue.inclusive === false ? `Use more than ${show(issue.minimum)}` : `Use ${show(issue.minimum)} or more`
  if (issue.code === 'too_big' && typeof issue.maximum !== 'object') return issue.inclusive === false ? `Use less than ${show(issue.maximum)}` : `Use ${show(issue.maximum)} or less`
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Use a whole number'
  return issue.message
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'settings:manage')
  const values: Record<string, string> = {}
  for (const [key, value] of form.entries()) if (typeof value === 'string' && key !== 'csrf') values[key] = value
  const rows = tierRows(form)
  const invalid = (fieldErrors: Record<string, string>) =>
    data({ result: { fieldErrors, formError: 'Check the highlighted fields.', values } satisfies FormResult }, { status: 400 })
  // errors name the tier row as the form rendered it, not as filtered
  const fieldName = (path: PropertyKey[]) => {
    const parts = path.map(String)
    if (parts[0] === 'tiers' && parts.length > 2) parts[1] = String(rows[Number(parts[1])]?.index ?? parts[1])
    return parts.join('.') || 'form'
  }

  const fieldErrors: Record<string, string> = {}
  const typed = SettingsForm.safeParse({ ...values, tiers: rows.map((r) => r.row) })
  if (!typed.success) for (const issue of typed.error.issues) fieldErrors[fieldName(issue.path)] ??= issue.message
  // each number on its own, so one mistyped number does not hide the bounds of the others (it counts as its default)
  const settings: Loose = typed.success ? {
    tiers: typed.data.tiers.map(({ allocation: _a, ...t }) => t),
    fundAllocationByTier: Object.fromEntries(typed.data.tiers.map((t) => [t.name, t.allocation])),
    fundCurrency: typed.data.fundCurrency,
    scorecard: { groupBy: typed.data['scorecard.groupBy'] },
  } : {}
  for (const x of numberFields) {
    const n = numberText(x.int).safeParse(values[x.name])
    if (!n.success) fieldErrors[x.name] ??= n.error.issues[0]!.message
    write(settings, x.name, n.success ? (x.percent ? n.data / 100 : n.data) : read(DEFAULT_PROGRAM_SETTINGS, x.name))
  }

  // the domain's bounds and cross-field rules, next to the fields they concern
  const checked = ProgramSettings.safeParse(settings)
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const name = fieldName(issue.path)
      fieldErrors[name] ??= boundMessage(issue, fieldByName.get(name))
    }
  } else if (Object.keys(fieldErrors).length === 0) {
    for (const [path, message] of settingsProblems(checked.data)) fieldErrors[path] ??= message
  }
  const now = services.clock().toISOString()
  if (typed.success && typed.data.effectiveFrom < now.slice(0, 10)) fieldErrors.effectiveFrom = `Settings cannot change the past; choose ${formatDate(now)} or later`
  if (!typed.success || Object.keys(fieldErrors).length) return invalid(fieldErrors)
  const { commandId, effectiveFrom } = typed.data

  // today means from now on; a later date from its start (UTC)
  const from = effectiveFrom === now.slice(0, 10) ? now : `${effectiveFrom}T00:00:00.000Z`
  try {
    await services.commands.people.changeSettings(user, from, settings as z.input<typeof ProgramSettings>, commandId, now)
    const when = effectiveFrom === now.slice(0, 10) ? 'now' : `on ${formatDate(effectiveFrom)}`
    return redirectWithToast(request, services, '/vendor/settings', `Program settings saved; they take effect ${when}.`)
  } catch (error) {
    return refused(error, form)
  }
}

type Ctx = { v: (key: string, fallback: string | number) => string | number; errors: Record<string, string>; start: ProgramSettings }

/** one setting as a row: label and hint (or the error) on the left, the number and its unit on the right */
function SettingRow({ field, ctx, label = field.label }: { field: NumberField; ctx: Ctx; label?: string }) {
  const { name } = field
  const error = ctx.errors[name]
  const unit = unitText(field, ctx.start.fundCurrency)
  const describedBy = error ? `${name}-error` : field.hint ? `${name}-hint` : undefined
  return (
    <div className="flex items-start justify-between gap-3 py-2.5">
      <div className="min-w-0 pt-1.5">
        <label htmlFor={name} className="block text-sm text-gray-900">{label}{unit ? <span className="sr-only"> ({unit})</span> : null}</label>
        {error
          ? <p id={`${name}-error`} className="mt-0.5 text-xs font-medium text-red-700">{error}</p>
          : field.hint ? <p id={`${name}-hint`} className="mt-0.5 text-xs text-gray-600">{field.hint}</p> : null}
      </div>
      <div className="flex shrink-0 items-center gap-2">
        <input id={name} name={name} inputMode="decimal" defaultValue={ctx.v(name, shown(field, ctx.start))}
          className={`input w-24 text-right tabular-nums disabled:bg-gray-50 disabled:text-gray-700 ${error ? 'input-error' : ''}`}
          aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
        <span aria-hidden="true" className="w-20 whitespace-nowrap text-xs text-gray-600">{unit}</span>
      </div>
    </div>
  )
}

/** a number in a table cell, labelled for screen readers */
function CellInput({ name, label, value, error, className = '' }: { name: string; label: string; value: string | number; error?: string; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={name} className="sr-only">{label}</label>
      <input id={name} name={name} inputMode="decimal" defaultValue={value}
        className={`input text-right tabular-nums ${error ? 'input-error' : ''} disabled:bg-gray-50 disabled:text-gray-700`}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined} />
      {error ? <p id={`${name}-error`} className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  )
}

/** a group of settings: a fieldset drawn as a card, its legend the card's title */
function Group({ id, title, description, children, className = '' }: { id: string; title: string; description: string; children: React.ReactNode; className?: string }) {
  return (
    <fieldset id={id} className={`card scroll-mt-4 p-5 ${className}`}>
      <legend className="float-left w-full"><h2 className="text-base font-semibold text-gray-900">{title}</h2></legend>
      <p className="clear-left pt-1 text-sm text-gray-600">{description}</p>
      <div className="mt-3">{children}</div>
    </fieldset>
  )
}

function SubGroup({ title, note, error, errorId, children }: { title: string; note?: string; error?: string; errorId?: string; children: React.ReactNode }) {
  return (
    <div className="mt-4 first:mt-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-gray-600">{title}{note ? <span className="font-normal normal-case tracking-normal"> · {note}</span> : null}</h3>
      {error ? <p id={errorId} className="mt-1 text-xs font-medium text-red-700">{error}</p> : null}
      <div className="divide-y divide-gray-100">{children}</div>
    </div>
  )
}

const sections = [
  ['deals', 'Deals'], ['funds', 'Funds'], ['trust', 'Trust'], ['journey', 'Journey'], ['scorecard', 'Scorecard'],
  ['pyramid', 'Pyramid'], ['lifetime', 'Lifetime value'], ['tiers', 'Tiers'],
] as const

export default function Settings() {
  const { canManage, start, history, today, commandId, inForceEventId } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values
  const v = (key: string, fallback: string | number) => values?.[key] ?? fallback
  const ctx: Ctx = { v, errors, start }
  const busy = useNavigation().state === 'submitting'
  const tiers = [...start.tiers].sort((a, b) => a.rank - b.rank)
  const rowCount = values ? Math.max(tiers.length + 1, ...Object.keys(values).filter((k) => /^tiers\.\d{1,2}\./.test(k)).map((k) => Number(k.split('.')[1]) + 1)) : tiers.length + 1
  const tierError = errors.tiers ?? errors.fundAllocationByTier
  const groupByError = errors['scorecard.groupBy']
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Program settings"
        description={canManage
          ? 'Rules every partner works under. A change takes effect from the date you choose and never rewrites the past.'
          : 'Rules every partner works under. Only vendor admins change them; you see them read-only.'}
        actions={canManage ? <a href="/vendor/staff" className="btn-secondary">Vendor staff</a> : undefined}
      />
      <nav aria-label="Settings groups" className="mb-5 flex flex-wrap gap-2 text-sm">
        {sections.map(([id, title]) => (
          <a key={id} href={`#${id}`} className="rounded-full border border-gray-200 bg-white px-3 py-1 text-gray-700 hover:border-gray-300 hover:text-gray-900">{title}</a>
        ))}
      </nav>
      <Form method="post" noValidate className="space-y-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values?.commandId ?? commandId} />
        <FormError message={result?.formError && !errors.effectiveFrom ? result.formError : null} />
        <fieldset disabled={!canManage} className="space-y-6">
          <legend className="sr-only">Program settings</legend>
          <div className="grid gap-6 lg:grid-cols-2">
            <Group id="deals" title="Deals" description="Protection of registered deals and how fast we review them.">
              <div className="divide-y divide-gray-100">{deals.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</div>
            </Group>
            <Group id="funds" title="Funds" description="Co-investment claims; the quarterly allocations are under Tiers.">
              <div className="divide-y divide-gray-100">
                <div className="flex items-start justify-between gap-3 py-2.5">
                  <div className="pt-1.5">
                    <label htmlFor="fundCurrency" className="block text-sm text-gray-900">Fund currency</label>
                    <p className="mt-0.5 text-xs text-gray-600">Allocations and workshop cost</p>
                  </div>
                  <div className="flex shrink-0 items-center gap-2">
                    <select id="fundCurrency" name="fundCurrency" defaultValue={v('fundCurrency', start.fundCurrency)} className="input w-24 disabled:bg-gray-50">
                      {currencies.map((c) => <option key={c}>{c}</option>)}
                    </select>
                    <span aria-hidden="true" className="w-20" />
                  </div>
                </div>
                {funds.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}
              </div>
            </Group>
          </div>

          <Group id="trust" title="Trust" description="The partner's trust in us, 0 to 100. It is earned in drops and lost in gallons: a kept promise adds a little, a broken one takes a lot.">
            <div className="grid gap-x-10 gap-y-4 lg:grid-cols-2">
              <div>
                <SubGroup title="Scores">{trust.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
                <SubGroup title="Kept promises" note="points added">{drops.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
              </div>
              <SubGroup title="Broken promises" note="points taken, as negative numbers">{gallons.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
            </div>
          </Group>

          <div className="grid items-start gap-6 lg:grid-cols-2">
            <div className="space-y-6">
              <Group id="journey" title="Journey" description="What moves a partner to activation and to devotion.">
                <SubGroup title="Activation" note="all of these">{activation.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} label={x.label} />)}</SubGroup>
                <SubGroup title="Devotion" note="sustained over time">{devotion.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
              </Group>
              <Group id="pyramid" title="Pyramid" description="The relationship stages above transactional, and what a workshop costs us.">
                <div className="divide-y divide-gray-100">{pyramid.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</div>
              </Group>
            </div>
            <Group id="scorecard" title="Scorecard" description="The 5C scorecard compares each partner with the best partner of its group.">
              <div className="flex items-start justify-between gap-3 pb-2.5">
                <div className="pt-1.5">
                  <label htmlFor="scorecard.groupBy" className="block text-sm text-gray-900">Compare partners within</label>
                  {groupByError ? <p id="scorecard.groupBy-error" className="mt-0.5 text-xs font-medium text-red-700">{groupByError}</p> : null}
                </div>
                <select id="scorecard.groupBy" name="scorecard.groupBy" defaultValue={v('scorecard.groupBy', start.scorecard.groupBy)}
                  className="input w-44 shrink-0 disabled:bg-gray-50" aria-invalid={groupByError ? true : undefined} aria-describedby={groupByError ? 'scorecard.groupBy-error' : undefined}>
                  {groupByOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                </select>
              </div>
              <SubGroup title="Weights of the five Cs" note="relative; the composite divides by their sum" error={errors['scorecard.weights']} errorId="scorecard.weights-error">
                {cWeights.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}
              </SubGroup>
              <SubGroup title="Consumption points per asset use">{assetUse.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
            </Group>
          </div>

          <Group id="lifetime" title="Lifetime value" description="Lifetime value = (margin per year − cost to serve per year) × expected lifetime, where the expected lifetime is 1 ÷ yearly churn.">
            <div className="grid gap-x-8 gap-y-4 lg:grid-cols-2">
              <SubGroup title="Margin and churn">{lifetime.map((x) => <SettingRow key={x.name} field={x} ctx={ctx} />)}</SubGroup>
              <div className="mt-4 lg:mt-0">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-gray-600">Churn signals<span className="font-normal normal-case tracking-normal"> · each adds to the healthy churn</span></h3>
                <table className="mt-1 w-full text-sm">
                  <thead>
                    <tr className="text-left text-xs text-gray-600">
                      <th scope="col" className="py-2 font-medium">Signal</th>
                      <th scope="col" className="py-2 text-right font-medium">When</th>
                      <th scope="col" className="py-2 text-right font-medium">Adds (%)</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-gray-100">
                    {churnSignals.map((s) => (
                      <tr key={s.adds.name}>
                        <th scope="row" className="py-2 pr-2 text-left align-top font-normal text-gray-900"><span className="inline-block pt-1.5">{s.signal}</span></th>
                        <td className="py-2 align-top">
                          {s.threshold ? (
                            <div className="flex items-center justify-end gap-2">
                              <CellInput className="w-20" name={s.threshold.name} label={s.threshold.label} value={v(s.threshold.name, shown(s.threshold, start))} error={errors[s.threshold.name]} />
                              <span aria-hidden="true" className="w-20 whitespace-nowrap text-xs text-gray-600">{s.threshold.unit}</span>
                            </div>
                          ) : <span className="block pt-1.5 text-right text-xs text-gray-500">always</span>}
                        </td>
                        <td className="py-2 pl-2 align-top"><CellInput className="ml-auto w-20" name={s.adds.name} label={s.adds.label} value={v(s.adds.name, shown(s.adds, start))} error={errors[s.adds.name]} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </Group>

          <fieldset id="tiers" className="card scroll-mt-4 overflow-hidden">
            <legend className="float-left w-full px-5 pt-5"><h2 className="text-base font-semibold text-gray-900">Tiers</h2></legend>
            <div className="clear-left px-5">
              <p className="pt-1 text-sm text-gray-600">What a partner needs for each tier, and its quarterly fund allocation. Rank 0 is the entry tier. {canManage ? 'Fill the empty row to add a tier; clear a row to remove it.' : ''}</p>
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
                  {Array.from({ length: canManage ? rowCount : tiers.length }, (_, i) => {
                    const t = tiers[i]
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
                        <td className="td"><CellInput className="ml-auto w-20" name={`${p}.rank`} label={`Tier ${i + 1} rank`} value={v(`${p}.rank`, t?.rank ?? '')} error={errors[`${p}.rank`]} /></td>
                        <td className="td"><CellInput className="ml-auto w-24" name={`${p}.minimumCertifications`} label={`Tier ${i + 1} minimum certifications`} value={v(`${p}.minimumCertifications`, t?.minimumCertifications ?? '')} error={errors[`${p}.minimumCertifications`]} /></td>
                        <td className="td"><CellInput className="ml-auto w-24" name={`${p}.minimumWonDeals`} label={`Tier ${i + 1} minimum won deals`} value={v(`${p}.minimumWonDeals`, t?.minimumWonDeals ?? '')} error={errors[`${p}.minimumWonDeals`]} /></td>
                        <td className="td"><CellInput className="ml-auto w-32" name={`${p}.allocation`} label={`Tier ${i + 1} funds per quarter`} value={v(`${p}.allocation`, t ? start.fundAllocationByTier[t.name] ?? 0 : '')} error={errors[`${p}.allocation`]} /></td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          </fieldset>
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
