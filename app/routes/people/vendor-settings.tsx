// Vendor: the program settings (deals, funds, trust, journey, scorecard, pyramid, lifetime value, tiers), changed from
// a date on, with their history. Every number the insight pages weigh is here; the domain's schema checks them.
import { randomUUID } from 'node:crypto'
import { FormProvider, getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { useMemo } from 'react'
import { Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/vendor-settings'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { replyInvalid } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, PageHeader } from '../../components/ui.tsx'
import { can } from '../../permissions.ts'
import { CellInput, Group, SettingRow, SubGroup, TiersTable } from './settings-form.tsx'
import {
  activation, assetUse, churnSignals, currencies, cWeights, deals, devotion, drops, formValuesOf, funds, gallons, groupByOptions, lifetime, pyramid,
  settingsForm, trust,
} from './settings-fields.ts'
import { saveSettings, settingsPage } from './vendor-settings.server.ts'
import { isoDay } from '../../format.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Program settings · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'vendor:home')
  return { ...(await settingsPage(services)), canManage: can(user.role, 'settings:manage'), commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'settings:manage')
  const submission = parseWithZod(form, { schema: settingsForm(isoDay(services.clock())) })
  // an error, or a tier row added or removed without JavaScript
  if (submission.status !== 'success') return replyInvalid(submission)
  const result = await saveSettings(services, user, submission, submission.value)
  if ('refused' in result) return result.refused
  return redirectWithToast(request, services, '/vendor/settings', result.saved)
}

const sections = [
  ['deals', 'Deals'], ['funds', 'Funds'], ['trust', 'Trust'], ['journey', 'Journey'], ['scorecard', 'Scorecard'],
  ['pyramid', 'Pyramid'], ['lifetime', 'Lifetime value'], ['tiers', 'Tiers'],
] as const

export default function Settings() {
  const { canManage, start, history, today, commandId, inForceEventId } = useLoaderData<typeof loader>()
  const schema = useMemo(() => settingsForm(today), [today])
  const [form, fields] = useSchemaForm({
    id: 'settings', schema, lastResult: useActionData<typeof action>()?.result,
    defaultValue: { ...formValuesOf(start), effectiveFrom: today },
  })
  const busy = useNavigation().state === 'submitting'
  const currency = start.fundCurrency
  const groupBy = fields.scorecard.getFieldset().groupBy
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Program settings"
        description={canManage
          ? 'Rules every partner works under. A change takes effect from the date you choose and never rewrites the past.'
          : 'Rules every partner works under. Only vendor admins change them; you see them read-only.'}
        actions={canManage ? <><a href="/vendor/what-if" className="btn-secondary">What if…</a><a href="/vendor/staff" className="btn-secondary">Vendor staff</a></> : undefined}
      />
      <nav aria-label="Settings groups" className="mb-5 flex flex-wrap gap-2 text-sm">
        {sections.map(([id, title]) => (
          <a key={id} href={`#${id}`} className="rounded-full border border-gray-200 bg-white px-3 py-1 text-gray-700 hover:border-gray-300 hover:text-gray-900">{title}</a>
        ))}
      </nav>
      <FormProvider context={form.context}>
      <Form method="post" {...getFormProps(form)} noValidate className="space-y-6">
        {/* Enter in a field saves the settings, not the first tier's Remove button */}
        <button type="submit" className="hidden" />
        <FormHead form={form} commandId={commandId} />
        <fieldset disabled={!canManage} className="space-y-6">
          <legend className="sr-only">Program settings</legend>
          <div className="grid gap-6 lg:grid-cols-2">
            <Group id="deals" title="Deals" description="Protection of registered deals and how fast we review them.">
              <div className="divide-y divide-gray-100">{deals.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</div>
            </Group>
            <Group id="funds" title="Funds" description="Co-investment claims; the quarterly allocations are under Tiers.">
              <div className="divide-y divide-gray-100">
                <div className="flex items-start justify-between gap-3 py-2.5">
                  <div className="pt-1.5">
                    <label htmlFor={fields.fundCurrency.id} className="block text-sm text-gray-900">Fund currency</label>
                    <p id={fields.fundCurrency.descriptionId} className="mt-0.5 text-xs text-gray-600">Allocations and workshop cost</p>
                  </div>
                  <div className="flex shrink-0 items-center gap-2">
                    <select {...conformSelect(fields.fundCurrency, { hint: true })} className="input w-24 disabled:bg-gray-50">
                      {currencies.map((c) => <option key={c}>{c}</option>)}
                    </select>
                    <span aria-hidden="true" className="w-20" />
                  </div>
                </div>
                {funds.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}
              </div>
            </Group>
          </div>

          <Group id="trust" title="Trust" description="The partner's trust in us, 0 to 100. It is earned in drops and lost in gallons: a kept promise adds a little, a broken one takes a lot.">
            <div className="grid gap-x-10 gap-y-4 lg:grid-cols-2">
              <div>
                <SubGroup title="Scores">{trust.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
                <SubGroup title="Kept promises" note="points added">{drops.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
              </div>
              <SubGroup title="Broken promises" note="points taken, as negative numbers">{gallons.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
            </div>
          </Group>

          <div className="grid items-start gap-6 lg:grid-cols-2">
            <div className="space-y-6">
              <Group id="journey" title="Journey" description="What moves a partner to activation and to devotion.">
                <SubGroup title="Activation" note="all of these">{activation.map((x) => <SettingRow key={x.name} field={x} currency={currency} label={x.label} />)}</SubGroup>
                <SubGroup title="Devotion" note="sustained over time">{devotion.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
              </Group>
              <Group id="pyramid" title="Pyramid" description="The relationship stages above transactional, and what a workshop costs us.">
                <div className="divide-y divide-gray-100">{pyramid.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</div>
              </Group>
            </div>
            <Group id="scorecard" title="Scorecard" description="The 5C scorecard compares each partner with the best partner of its group.">
              <div className="flex items-start justify-between gap-3 pb-2.5">
                <div className="pt-1.5">
                  <label htmlFor={groupBy.id} className="block text-sm text-gray-900">Compare partners within</label>
                  {groupBy.errors ? <p id={groupBy.errorId} className="mt-0.5 text-xs font-medium text-red-700">{groupBy.errors[0]}</p> : null}
                </div>
                <select {...conformSelect(groupBy)} className={`input w-44 shrink-0 disabled:bg-gray-50 ${groupBy.errors ? 'input-error' : ''}`}>
                  {groupByOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                </select>
              </div>
              <SubGroup title="Weights of the five Cs" note="relative; the composite divides by their sum" errorOf="scorecard.weights">
                {cWeights.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}
              </SubGroup>
              <SubGroup title="Consumption points per asset use">{assetUse.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
            </Group>
          </div>

          <Group id="lifetime" title="Lifetime value" description="Lifetime value = (margin per year − cost to serve per year) × expected lifetime, where the expected lifetime is 1 ÷ yearly churn.">
            <div className="grid gap-x-8 gap-y-4 lg:grid-cols-2">
              <SubGroup title="Margin and churn">{lifetime.map((x) => <SettingRow key={x.name} field={x} currency={currency} />)}</SubGroup>
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
                              <CellInput className="w-20" name={s.threshold.name} label={s.threshold.label} />
                              <span aria-hidden="true" className="w-20 whitespace-nowrap text-xs text-gray-600">{s.threshold.unit}</span>
                            </div>
                          ) : <span className="block pt-1.5 text-right text-xs text-gray-500">always</span>}
                        </td>
                        <td className="py-2 pl-2 align-top"><CellInput className="ml-auto w-20" name={s.adds.name} label={s.adds.label} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </Group>

          <TiersTable start={start} canManage={canManage} />
        </fieldset>

        {canManage ? (
          <div className="card flex flex-wrap items-end justify-between gap-4 p-5">
            <div>
              <ConformField label="Takes effect on" meta={fields.effectiveFrom} hint="Today means immediately; a later date from its start (UTC).">
                <input {...conformInput(fields.effectiveFrom, 'date', { hint: true })} min={today} className={`input w-44 ${fields.effectiveFrom.errors ? 'input-error' : ''}`} />
              </ConformField>
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
          </div>
        ) : null}
      </Form>
      </FormProvider>

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
