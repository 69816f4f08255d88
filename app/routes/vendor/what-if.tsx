// Vendor admin: what if the program ran on draft settings? The whole history replayed in memory under the draft, each
// partner's tier, phase, trust, scores and allocation beside today's with the reasons; then publish from today.
import { randomUUID } from 'node:crypto'
import { FormProvider, getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { useEffect, useMemo } from 'react'
import { data, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/what-if'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { replyInvalid } from '../../conform.server.ts'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { PageHeader } from '../../components/ui.tsx'
import { countOf, formatDate, formatDecimal, formatMoney, formatPoints, isoDay } from '../../format.ts'
import { Group, SettingRow, SubGroup, TiersTable } from '../people/settings-form.tsx'
import { activation, assetUse, cWeights, deals, devotion, drops, formValuesOf, funds, gallons, groupByOptions, lifetime, churnSignals, pyramid, settingsForm, trust } from '../people/settings-fields.ts'
import { conformSelect } from '../../components/form-field.tsx'
import { draftFingerprint, previewWhatIf, publishDraft, whatIfPage, type WhatIfPreview } from './what-if.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'What if · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'settings:manage')
  return { ...(await whatIfPage(services)), commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'settings:manage')
  const submission = parseWithZod(form, { schema: settingsForm(isoDay(services.clock())) })
  if (submission.status !== 'success') return replyInvalid(submission)
  const draft = submission.value
  if (form.get('intent') === 'publish') {
    if (form.get('previewed') !== draftFingerprint(draft.settings)) {
      // publish only what was previewed: show the preview of this draft first
      const preview = await previewWhatIf(services, draft.settings)
      return data({ result: submission.reply({ formErrors: ['The draft changed since its preview. Check the new preview below, then publish.'] }), preview }, { status: 400 })
    }
    if (form.get('confirm') !== 'yes') {
      const preview = await previewWhatIf(services, draft.settings)
      return data({ result: submission.reply({ fieldErrors: { confirm: ['Tick the box to confirm that these settings apply from today.'] } }), preview }, { status: 400 })
    }
    const result = await publishDraft(services, user, submission, draft)
    if ('refused' in result) return result.refused
    return redirectWithToast(request, services, '/vendor/settings', `Draft published. ${result.saved}`)
  }
  return { result: submission.reply(), preview: await previewWhatIf(services, draft.settings) }
}

/** settings the draft form does not show: carried as they are */
const hiddenFields = [...pyramid, ...lifetime, ...churnSignals.flatMap((s) => (s.threshold ? [s.threshold, s.adds] : [s.adds]))]

export default function WhatIf() {
  const { start, today, commandId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const preview = actionData && 'preview' in actionData ? actionData.preview : undefined
  const confirmError = (actionData?.result?.error as Record<string, string[] | null> | undefined)?.confirm?.[0]
  const schema = useMemo(() => settingsForm(today), [today])
  const defaults = useMemo(() => formValuesOf(start), [start])
  const [form, fields] = useSchemaForm({ id: 'what-if', schema, lastResult: actionData?.result, defaultValue: { ...defaults, effectiveFrom: today } })
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null
  const fingerprint = preview?.fingerprint
  useEffect(() => {
    // the preview sits above the form: bring it into view after the button at the form's end
    if (fingerprint) document.getElementById('preview-h')?.scrollIntoView({ block: 'start' })
  }, [fingerprint, actionData])
  const currency = start.fundCurrency
  const groupBy = fields.scorecard.getFieldset().groupBy
  return (
    <div className="max-w-6xl">
      <PageHeader
        title="What if"
        breadcrumbs={[{ to: '/vendor/settings', label: 'Settings' }]}
        description="Draft program settings and see, before publishing, how every partner would stand had they always applied."
      />
      <p className="card mb-6 border-l-4 border-l-blue-500 px-5 py-3 text-sm text-gray-700" role="note">
        <strong className="font-medium text-gray-900">Nothing changes until you publish.</strong> The preview replays the program's whole history in
        memory under the draft; today's figures come from the same replay under the settings in force. Publishing records the draft
        from today ({formatDate(today)}): the past keeps the settings it had.
      </p>

      {preview ? (
        <div className="mb-8">
          <PreviewResults preview={preview} />
          <section aria-labelledby="publish-h" className="card mt-4 space-y-3 border-l-4 border-l-amber-500 p-5">
            <h2 id="publish-h" className="text-base font-semibold text-gray-900">Publish the draft</h2>
            <p className="text-sm text-gray-700">
              Publishing records these settings as the program's settings from now on ({formatDate(today)}). Figures before today stay as
              they were; allocations already made this quarter stay (a tier's new amount applies from the next quarter).
            </p>
            <input type="hidden" form={form.id} name="previewed" value={preview.fingerprint} />
            <div>
              <label className="flex items-start gap-2 text-sm text-gray-900">
                <input type="checkbox" form={form.id} name="confirm" value="yes" className="mt-0.5 h-4 w-4" aria-invalid={confirmError ? true : undefined} aria-describedby={confirmError ? 'confirm-error' : undefined} />
                <span>I have checked the preview: publish these settings with effect from today.</span>
              </label>
              {confirmError ? <p id="confirm-error" className="mt-1 text-sm font-medium text-red-700">{confirmError}</p> : null}
            </div>
            <button type="submit" form={form.id} name="intent" value="publish" className="btn-primary" disabled={Boolean(busy)}>
              {busy === 'publish' ? 'Publishing…' : 'Publish from today'}
            </button>
          </section>
        </div>
      ) : null}

      <h2 className="mb-3 text-lg font-semibold text-gray-900">{preview ? 'The draft previewed' : 'Draft settings'}</h2>
      <FormProvider context={form.context}>
        <Form method="post" {...getFormProps(form)} noValidate className="space-y-6">
          {/* Enter in a field previews */}
          <button type="submit" name="intent" value="preview" className="hidden" tabIndex={-1} aria-hidden="true" />
          <FormHead form={form} commandId={commandId} />
          <input type="hidden" name="effectiveFrom" value={today} />
          <input type="hidden" name="fundCurrency" value={String(defaults.fundCurrency)} />
          {hiddenFields.map((x) => <input key={x.name} type="hidden" name={x.name} value={String(x.name.split('.').reduce<any>((n, k) => n?.[k], defaults) ?? '')} />)}

          <div className="grid items-start gap-6 lg:grid-cols-2">
            <Group id="deals" title="Deals and claims" description="Review SLA and protection of registered deals; when a paid claim counts as on time.">
              <div className="divide-y divide-gray-100">{[...deals, ...funds].map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</div>
            </Group>
            <Group id="journey" title="Journey" description="What moves a partner to activation and to devotion.">
              <SubGroup title="Activation" note="all of these">{activation.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
              <SubGroup title="Devotion" note="sustained over time">{devotion.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
            </Group>
          </div>
          <Group id="trust" title="Trust" description="Earned in drops, lost in gallons: points per kept or broken promise.">
            <div className="grid gap-x-10 gap-y-4 lg:grid-cols-2">
              <div>
                <SubGroup title="Scores">{trust.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
                <SubGroup title="Kept promises" note="points added">{drops.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
              </div>
              <SubGroup title="Broken promises" note="points taken, as negative numbers">{gallons.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
            </div>
          </Group>
          <Group id="scorecard" title="Scorecard" description="The 5C scorecard compares each partner with the best partner of its group.">
            <div className="grid gap-x-10 gap-y-4 lg:grid-cols-2">
              <div>
                <div className="flex items-start justify-between gap-3 pb-2.5">
                  <label htmlFor={groupBy.id} className="block pt-1.5 text-sm text-gray-900">Compare partners within</label>
                  <select {...conformSelect(groupBy)} className="input w-44 shrink-0">
                    {groupByOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                  </select>
                </div>
                <SubGroup title="Weights of the five Cs" note="relative" errorOf="scorecard.weights">{cWeights.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
              </div>
              <SubGroup title="Consumption points per asset use">{assetUse.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
            </div>
          </Group>
          <TiersTable start={start} canManage />

          <div className="card flex flex-wrap items-center justify-between gap-3 p-5">
            <p className="text-sm text-gray-600">The preview replays every event; on a large program it takes a few seconds.</p>
            <button type="submit" name="intent" value="preview" className={preview ? 'btn-secondary' : 'btn-primary'} disabled={Boolean(busy)}>
              {busy === 'preview' ? 'Replaying the history…' : preview ? 'Preview again' : 'Preview'}
            </button>
          </div>

        </Form>
      </FormProvider>
    </div>
  )
}

const phaseLabel = (p: string) => p.charAt(0).toUpperCase() + p.slice(1)
const tierLabel = (t: string | null) => (t === null ? '—' : t.charAt(0).toUpperCase() + t.slice(1))

const points = formatPoints

/** one figure, today's and the draft's; the draft's emphasised when it differs */
function Figure({ label, a, b, changed }: { label: string; a: string; b: string; changed: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-gray-600">{label}</dt>
      <dd className={`tabular-nums ${changed ? '' : 'text-gray-600'}`}>
        {changed
          ? <><span className="text-gray-600">{a}</span> <span aria-hidden="true">→</span><span className="sr-only">, under the draft</span> <strong className="font-semibold text-gray-900">{b}</strong></>
          : <>{a}<span className="sr-only"> (unchanged)</span></>}
      </dd>
    </div>
  )
}

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="card px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-600">{label}</dt>
      <dd className="mt-1 text-lg font-semibold text-gray-900 tabular-nums">{value}</dd>
      {detail ? <dd className="text-xs text-gray-600">{detail}</dd> : null}
    </div>
  )
}

function PreviewResults({ preview }: { preview: WhatIfPreview }) {
  const s = preview.summary
  const sla = preview.deals.reviewSla
  const money = (n: number, c: string) => formatMoney(n, c)
  const signed = (n: number) => (n > 0 ? `+${formatDecimal(n)}` : formatDecimal(n))
  return (
    <section aria-labelledby="preview-h" className="space-y-4">
      <div>
        <h2 id="preview-h" className="text-lg font-semibold text-gray-900">Preview: {countOf(s.changed, 'partner')} of {s.partners} would change</h2>
        <p className="text-sm text-gray-600">
          {countOf(preview.events, 'event')} replayed in {formatDecimal(preview.seconds)} s, as of {formatDate(preview.now)} (quarter {preview.quarter}). Nothing has been saved.
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Stat label="Tier" value={`${s.tierUp} up · ${s.tierDown} down`} detail="qualifying tier under the tier rules" />
        <Stat label="Journey phase" value={`${s.phaseUp} up · ${s.phaseDown} down`} />
        <Stat label="Trust" value={`${s.trustUp} up · ${s.trustDown} down`} detail={`mean change ${signed(s.trustMeanDelta)} points`} />
        <Stat label="5C scores" value={`${s.scoreChanged} changed`} detail={`${s.rankChanged} change rank in their group`} />
        <Stat label="Allocations a quarter" value={money(s.allocationDraft, preview.currency.draft)} detail={`today ${money(s.allocationToday, preview.currency.today)} · ${s.allocationUp} up, ${s.allocationDown} down`} />
      </dl>

      <div className="card space-y-2 p-5 text-sm text-gray-700">
        <h3 className="font-semibold text-gray-900">Review SLA and protection</h3>
        <p>
          {sla.rederived === 0
            ? `The draft's review SLA (${sla.draftDays} business days) is the one every deal was registered under: no review is re-judged.`
            : `${countOf(sla.rederived, 'deal registration')} re-judged against the draft's ${sla.draftDays}-business-day SLA (registered under ${sla.todayDays.join(' or ')}): ` +
              `${countOf(sla.lateUnderDraft, 'review')} would have been late and ${sla.onTimeUnderDraft} late ones on time` +
              `${sla.newBreaches ? `; ${countOf(sla.newBreaches, 'deal')} not reviewed by the draft's due time would have breached it` : ''}.`}
        </p>
        <ul className="list-inside list-disc space-y-1 text-gray-600">
          {preview.notReplayed.map((line) => <li key={line}>{line}</li>)}
        </ul>
      </div>

      {preview.partners.length === 0 ? (
        <p className="card px-5 py-4 text-sm text-gray-600">No partner would change: the draft gives every partner the same tier, phase, trust, scores and allocation as today.</p>
      ) : (
        <div>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h3 className="font-semibold text-gray-900">Partners that would change</h3>
            <p className="text-xs text-gray-600">
              {preview.shown < s.changed ? `Showing ${preview.shown} of ${s.changed}, most changes first.` : `All ${s.changed}, most changes first.`} Each figure: today → draft.
            </p>
          </div>
          <ul className="mt-2 space-y-2">
            {preview.partners.map((p) => (
              <li key={p.partnerId} className="card p-4">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <a href={`/vendor/partners/${p.partnerId}`} className="font-medium text-gray-900">{p.company ?? p.partnerId}</a>
                  <span className="text-xs text-gray-600">holds {tierLabel(p.heldTier)} · {countOf(p.standing.certifications, 'valid certification')} · {countOf(p.standing.wonDeals, 'won deal')}</span>
                </div>
                <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-5">
                  <Figure label="Qualifies for" changed={p.changes.includes('tier')} a={tierLabel(p.today.qualifies)} b={tierLabel(p.draft.qualifies)} />
                  <Figure label="Journey phase" changed={p.changes.includes('phase')} a={phaseLabel(p.today.phase)} b={phaseLabel(p.draft.phase)} />
                  <Figure label="Trust" changed={p.changes.includes('trust')} a={points(p.today.trust)} b={points(p.draft.trust)} />
                  <Figure
                    label="5C composite" changed={p.changes.includes('score')}
                    a={`${p.today.composite === null ? '—' : points(p.today.composite)}${p.today.rank !== p.draft.rank ? ` (#${p.today.rank ?? '—'})` : ''}`}
                    b={`${p.draft.composite === null ? '—' : points(p.draft.composite)}${p.today.rank !== p.draft.rank ? ` (#${p.draft.rank ?? '—'})` : ''}`}
                  />
                  <Figure label="Allocation this quarter" changed={p.changes.includes('allocation')} a={money(p.today.allocation, preview.currency.today)} b={money(p.draft.allocation, preview.currency.draft)} />
                </dl>
                <ul className="mt-3 list-inside list-disc space-y-0.5 border-t border-gray-100 pt-2 text-xs text-gray-700">
                  {p.reasons.map((r) => <li key={r}>{r}</li>)}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
