// The program settings form's schema, parsed as the action parses it (Conform's parseWithZod): every number read with
// the domain's own field (messages in the form's unit), rates typed as percentages, tier rows as a field list.
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { formValuesOf, settingsForm } from '../../app/routes/people/settings-fields.ts'
import { DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from '../../domain/settings/defaults.ts'

const today = '2026-06-01'
const commandId = '6f1f7f3e-3f0e-4b9a-9d55-0c7d3b1e2a11'

/** the form as the browser posts it: the starting values, flattened to Conform's names, with changes */
function posted(changes: Record<string, string> = {}, drop: string[] = []) {
  const form = new FormData()
  const add = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) value.forEach((v, i) => add(`${prefix}[${i}]`, v))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) add(prefix ? `${prefix}.${k}` : k, v)
    else form.set(prefix, String(value))
  }
  add('', { ...formValuesOf(DEFAULT_PROGRAM_SETTINGS), commandId, effectiveFrom: today })
  for (const name of drop) form.delete(name)
  for (const [name, value] of Object.entries(changes)) form.set(name, value)
  return parseWithZod(form, { schema: settingsForm(today) })
}

describe('settings form', () => {
  it('reads the starting values back as the same settings', () => {
    const submission = posted()
    expect(submission.status).toBe('success')
    if (submission.status !== 'success') return
    expect(ProgramSettings.parse(submission.value.settings)).toEqual(DEFAULT_PROGRAM_SETTINGS)
  })

  it('reads a percentage as a rate, a decimal comma as a point, and a new tier row with its allocation', () => {
    const submission = posted({
      'lifetime.marginRate': '30', 'trust.psatGoodAtLeast': '8,5',
      'tiers[4].name': 'Diamond', 'tiers[4].rank': '4', 'tiers[4].minimumCertifications': '8', 'tiers[4].minimumWonDeals': '25', 'tiers[4].allocation': '80000',
    })
    if (submission.status !== 'success') throw new Error(JSON.stringify(submission.reply().error))
    expect(submission.value.settings.lifetime?.marginRate).toBe(0.3)
    expect(submission.value.settings.trust?.psatGoodAtLeast).toBe(8.5)
    expect(submission.value.settings.tiers?.at(-1)).toEqual({ name: 'diamond', rank: 4, minimumCertifications: 8, minimumWonDeals: 25 })
    expect(submission.value.settings.fundAllocationByTier?.diamond).toBe(80000)
  })

  it('puts each refusal under its field, in the unit the form shows, each number on its own', () => {
    const submission = posted({
      dealProtectionDays: '0', 'lifetime.minChurn': '0', 'journey.devotionQuarters': '2.5', 'trust.initial': 'ten', 'tiers[1].name': '', effectiveFrom: '2026-05-31',
    })
    expect(submission.status).toBe('error')
    expect(submission.reply().error).toMatchObject({
      dealProtectionDays: ['Use more than 0'],
      'lifetime.minChurn': ['Use more than 0 %'],
      'journey.devotionQuarters': ['Use a whole number'],
      'trust.initial': ['Write a number in digits, e.g. 12.5'],
      'tiers[1].name': ['Name the tier'],
      effectiveFrom: ['Settings cannot change the past; choose 1 Jun 2026 or later'],
    })
  })

  it("checks the domain's rules across fields once every field reads", () => {
    expect(posted({ 'trust.psatLowAtMost': '9' }).reply().error).toMatchObject({ 'trust.psatLowAtMost': ['A low PSAT score must be below a good one'] })
    const weights = ['contribution', 'consumption', 'coverage', 'capability', 'commitment']
    expect(posted(Object.fromEntries(weights.map((w) => [`scorecard.weights.${w}`, '0']))).reply().error).toMatchObject({ 'scorecard.weights': [expect.stringContaining('at least one')] })
  })

  it('keeps at least one tier', () => {
    const rows = ['name', 'rank', 'minimumCertifications', 'minimumWonDeals', 'allocation']
    expect(posted({}, [0, 1, 2, 3].flatMap((i) => rows.map((r) => `tiers[${i}].${r}`))).reply().error).toMatchObject({ tiers: ['Keep at least one tier'] })
  })
})
