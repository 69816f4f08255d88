// The program settings form's fields: every number with its label, unit and hint, grouped as the page shows them, and
// the form's schema (shared by the browser and the action), which reads each number with the domain's own field schema.
import { z } from 'zod'
import { formatDate } from '../../components/ui.tsx'
import { formNumber } from '../../forms.ts'
import { MAX_TIER_NAME, MAX_TIERS } from '../../../domain/settings/decide.ts'
import { ProgramSettings, settingsProblems, TierRule, type ProgramSettingsInput } from '../../../domain/settings/defaults.ts'
import { moneyOrZero, tooLong } from '../../../domain/shared/fields.ts'

export const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'JPY', 'AUD', 'CAD']
export const groupByOptions = [{ value: 'tier', label: 'Their tier' }, { value: 'partnerType', label: 'Their partner type' }] as const

/** One number of ProgramSettings: `name` is its path and field name; percentages are stored 0-1, shown 0-100. */
export type NumberField = { name: string; label: string; unit?: string; hint?: string; percent?: boolean }
const f = (name: string, label: string, options: Omit<NumberField, 'name' | 'label'> = {}): NumberField => ({ name, label, ...options })

export const deals = [
  f('dealProtectionDays', 'Deal protection', { unit: 'days', hint: 'How long an approved deal stays protected' }),
  f('dealExtensionDays', 'Extension', { unit: 'days', hint: 'What one extension adds' }),
  f('reviewSlaBusinessDays', 'Review SLA', { unit: 'business days', hint: 'Time to review a deal registration' }),
]
export const funds = [
  f('claimDeadlineDays', 'Claim deadline', { unit: 'days', hint: 'For the partner to claim after an activity is approved' }),
  f('trust.claimPaymentDays', 'Payment on time', { unit: 'days', hint: 'For us to pay an approved claim; paying later costs trust' }),
]
export const trust = [
  f('trust.initial', 'Starting trust', { unit: '0–100', hint: 'Where a new partner starts' }),
  f('trust.psatGoodAtLeast', 'PSAT answer counts as good from', { unit: '0–10', hint: 'Average over the survey topics' }),
  f('trust.psatLowAtMost', 'PSAT answer counts as low up to', { unit: '0–10', hint: 'Below the good answer' }),
]
export const drops = [
  f('trustWeights.dealReviewedWithinSla', 'Deal reviewed within the SLA'), f('trustWeights.dealWon', 'Registered deal won'),
  f('trustWeights.claimPaidOnTime', 'Claim paid in full, on time'), f('trustWeights.workshopHeldAsScheduled', 'Workshop held as scheduled'),
  f('trustWeights.psatGood', 'Good PSAT answer'), f('trustWeights.planOnTrack', 'Plan review on track'),
]
export const gallons = [
  f('trustWeights.dealReviewSlaBreached', 'Review SLA breached'), f('trustWeights.dealLostToDirect', 'Deal lost to our direct sales'),
  f('trustWeights.claimPaidLate', 'Claim paid late'), f('trustWeights.claimPaidPartially', 'Claim paid partially'),
  f('trustWeights.claimRejected', 'Claim rejected after approval'), f('trustWeights.channelManagerReassigned', 'Channel manager reassigned'),
  f('trustWeights.psatLow', 'Low PSAT score'), f('trustWeights.workshopCancelledByVendor', 'Workshop cancelled by us'),
  f('trustWeights.planOffTrack', 'Plan review off track'),
]
export const activation = [f('journey.activationCertifications', 'Valid certifications'), f('journey.activationApprovedDeals', 'Approved deal registrations')]
export const devotion = [
  f('journey.devotionQuarters', 'Quarters looked at', { hint: 'Completed quarters, latest first' }),
  f('journey.devotionWonQuarters', 'Quarters with a won deal', { hint: 'Among the quarters looked at' }),
  f('journey.devotionWonDeals', 'Won deals', { hint: 'Over the quarters looked at' }),
  f('journey.devotionTrust', 'Minimum trust', { unit: '0–100' }),
  f('journey.planReviewGraceDays', 'Plan review due within', { unit: 'days', hint: "After the quarter's end" }),
]
export const cWeights = [
  f('scorecard.weights.contribution', 'Contribution', { hint: 'Won revenue' }), f('scorecard.weights.consumption', 'Consumption', { hint: 'Asset use, training' }),
  f('scorecard.weights.coverage', 'Coverage', { hint: 'Regions, segments, customers' }), f('scorecard.weights.capability', 'Capability', { hint: 'Valid certifications' }),
  f('scorecard.weights.commitment', 'Commitment', { hint: 'Co-investment, plan, workshops' }),
]
export const assetUse = [
  f('scorecard.assetUse.viewed', 'Viewed'), f('scorecard.assetUse.downloaded', 'Downloaded'),
  f('scorecard.assetUse.cobranded', 'Co-branded'), f('scorecard.assetUse.shared', 'Shared'),
]
export const pyramid = [
  f('pyramid.enhancedCertifications', 'Enhanced: valid certifications', { hint: 'The partner adds value with skills' }),
  f('pyramid.collaborativeReviews', 'Collaborative: plan reviews', { hint: 'A joint plan that is governed' }),
  f('pyramid.workshopCost', 'Cost of one workshop', { hint: 'Counts as our effort for the partner' }),
]
export const lifetime = [
  f('lifetime.marginRate', 'Our margin on won revenue', { unit: '%', percent: true }),
  f('lifetime.baseChurn', 'Churn of a healthy partner', { unit: '% a year', percent: true }),
  f('lifetime.minChurn', 'Lowest churn', { unit: '% a year', percent: true }),
  f('lifetime.maxChurn', 'Highest churn', { unit: '% a year', percent: true }),
  f('lifetime.maxLifetimeYears', 'Longest expected lifetime', { unit: 'years' }),
]
/** churn signals: what triggers one (when it has a threshold) and the churn it adds */
export const churnSignals: { signal: string; threshold?: NumberField; adds: NumberField }[] = [
  { signal: 'No activity', threshold: f('lifetime.inactiveDays', 'No activity for more than (days)', { unit: 'days' }), adds: f('lifetime.inactiveChurn', 'No activity: churn added', { unit: '%', percent: true }) },
  { signal: 'No won deal', threshold: f('lifetime.noWinQuarters', 'No won deal in the last (quarters)', { unit: 'quarters' }), adds: f('lifetime.noWinChurn', 'No won deal: churn added', { unit: '%', percent: true }) },
  { signal: 'Low trust', threshold: f('lifetime.lowTrust', 'Trust below (0–100)', { unit: 'trust' }), adds: f('lifetime.lowTrustChurn', 'Low trust: churn added', { unit: '%', percent: true }) },
  { signal: 'Last PSAT answer low', adds: f('lifetime.lowPsatChurn', 'Last PSAT answer low: churn added', { unit: '%', percent: true }) },
  { signal: 'Every certification lapsed', adds: f('lifetime.certificationsLapsedChurn', 'Every certification lapsed: churn added', { unit: '%', percent: true }) },
]

/** every number the form edits, with the group its history line names (Deals and Funds lines need no prefix) */
export const numberGroups: { title: string; prefix?: string; fields: NumberField[] }[] = [
  { title: 'Deals', fields: deals },
  { title: 'Funds', fields: funds },
  { title: 'Trust', prefix: 'Trust', fields: [...trust, ...drops, ...gallons] },
  { title: 'Journey', prefix: 'Journey', fields: [...activation.map((x) => ({ ...x, label: `Activation: ${x.label.toLowerCase()}` })), ...devotion.map((x) => ({ ...x, label: `Devotion: ${x.label.toLowerCase()}` }))] },
  { title: 'Scorecard', prefix: 'Scorecard', fields: [...cWeights.map((x) => ({ ...x, label: `${x.label} weight` })), ...assetUse.map((x) => ({ ...x, label: `Asset ${x.label.toLowerCase()} points` }))] },
  { title: 'Pyramid', prefix: 'Pyramid', fields: pyramid },
  { title: 'Lifetime value', prefix: 'Lifetime value', fields: [...lifetime, ...churnSignals.flatMap((s) => (s.threshold ? [s.threshold, s.adds] : [s.adds]))] },
]
const numberFields = numberGroups.flatMap((g) => g.fields)

type Tree = { [key: string]: Tree | z.ZodType }
type Loose = Record<string, unknown>

/** the domain's schema of the number at `path` in ProgramSettings, with defaults and pipes unwrapped */
function domainField(path: string): z.ZodType<unknown, number> {
  let schema: z.ZodType = ProgramSettings
  for (const key of path.split('.')) {
    for (;;) {
      const def = schema._zod.def as { type: string; innerType?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType> }
      if (def.type === 'object') { schema = def.shape![key]!; break }
      schema = def.type === 'pipe' ? def.out! : def.innerType!
    }
  }
  return schema as z.ZodType<unknown, number>
}

/** a number as typed (a decimal comma is fine), in the form's unit, then the domain's field */
const numberInput = (field: NumberField) =>
  formNumber('a number', field.percent ? z.number().transform((n) => n / 100).pipe(domainField(field.name)) : domainField(field.name), 'decimal-comma')

function toObject(tree: Tree): z.ZodObject {
  return z.object(Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v instanceof z.ZodType ? v : toObject(v)])))
}
const numbers: Tree = {}
for (const field of numberFields) {
  const keys = field.name.split('.')
  let node = numbers
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Tree
  node[keys.at(-1)!] = numberInput(field)
}
const read = (node: unknown, path: string) => path.split('.').reduce<unknown>((n, key) => (n as Loose | undefined)?.[key], node)
function write(target: Loose, path: string, value: unknown) {
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Loose
  node[keys.at(-1)!] = value
}

const TierRow = z.object({
  name: z.string({ error: 'Name the tier' }).trim().toLowerCase().min(1, 'Name the tier').max(MAX_TIER_NAME, tooLong(MAX_TIER_NAME)).regex(/^[a-z0-9][a-z0-9 -]*$/, 'Use letters, digits, spaces and dashes'),
  rank: formNumber('a number', TierRule.shape.rank, 'decimal-comma'),
  minimumCertifications: formNumber('a number', TierRule.shape.minimumCertifications.unwrap(), 'decimal-comma'),
  minimumWonDeals: formNumber('a number', TierRule.shape.minimumWonDeals.unwrap(), 'decimal-comma'),
  allocation: formNumber('a number', moneyOrZero(), 'decimal-comma'),
})

type Text = string | undefined
/** the form's fields as Conform sees them: the numbers are nested under their groups' names (trust.initial, …) */
export type SettingsFormInput = {
  commandId: Text; effectiveFrom: Text; fundCurrency: Text; scorecard: { groupBy: Text }
  tiers: { name: Text; rank: Text; minimumCertifications: Text; minimumWonDeals: Text; allocation: Text }[]
  [group: string]: unknown
}
type SettingsFormOutput = { commandId: string; effectiveFrom: string; settings: ProgramSettingsInput }

/** The settings form's schema: `today` is the first date a change may take effect. Its value is the command's settings. */
export function settingsForm(today: string): z.ZodType<SettingsFormOutput, SettingsFormInput> {
  return toObject(numbers).extend({
    commandId: z.uuid(),
    effectiveFrom: z.iso.date('Choose the date the settings take effect').refine((d) => d >= today, `Settings cannot change the past; choose ${formatDate(today)} or later`),
    fundCurrency: z.enum(currencies as [string, ...string[]], 'Choose a currency'),
    scorecard: (toObject(numbers).shape.scorecard as z.ZodObject).extend({ groupBy: z.enum(['tier', 'partnerType'], 'Choose how partners are grouped') }),
    tiers: z.array(TierRow, { error: 'Keep at least one tier' }).min(1, 'Keep at least one tier').max(MAX_TIERS, `Use at most ${MAX_TIERS} tiers`),
  }).transform((form) => {
    const { commandId, effectiveFrom, tiers, ...rest } = form as Loose & { commandId: string; effectiveFrom: string; tiers: z.output<typeof TierRow>[] }
    const settings: ProgramSettingsInput = {
      ...rest,
      tiers: tiers.map(({ allocation: _a, ...t }) => t),
      fundAllocationByTier: Object.fromEntries(tiers.map((t) => [t.name, t.allocation])),
    }
    return { commandId, effectiveFrom, settings }
  }).superRefine(({ settings }, ctx) => {
    // the domain's rules across fields, next to the field they concern
    const complete = ProgramSettings.safeParse(settings)
    if (complete.success) for (const [path, message] of settingsProblems(complete.data)) ctx.addIssue({ code: 'custom', path: path.split('.'), message })
  }) as unknown as z.ZodType<SettingsFormOutput, SettingsFormInput>
}

/** 0.15 → 15 without floating-point dust */
export const toPercent = (n: number) => Math.round(n * 100 * 1e6) / 1e6
/** what the form shows for a stored number */
export const shown = (field: NumberField, settings: ProgramSettings): number => {
  const n = Number(read(settings, field.name))
  return field.percent ? toPercent(n) : n
}
export const unitText = (field: NumberField, currency: string) => (field.name === 'pyramid.workshopCost' ? currency : field.unit)

/** The form's starting values for these settings: numbers as shown, tiers by rank with their allocation. */
export function formValuesOf(settings: ProgramSettings): Loose {
  const values: Loose = { fundCurrency: settings.fundCurrency, scorecard: { groupBy: settings.scorecard.groupBy } }
  for (const field of numberFields) write(values, field.name, String(shown(field, settings)))
  values.tiers = [...settings.tiers].sort((a, b) => a.rank - b.rank).map((t) => ({
    name: t.name, rank: String(t.rank), minimumCertifications: String(t.minimumCertifications), minimumWonDeals: String(t.minimumWonDeals),
    allocation: String(settings.fundAllocationByTier[t.name] ?? 0),
  }))
  return values
}
