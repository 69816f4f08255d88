// Vendor: one asset: its audience, use by tier and versions; publish a new version or retire it.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-asset'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, PageHeader } from '../../components/ui.tsx'
import { PublishAssetVersionData, RetireAssetData } from '../../../domain/assets/decide.ts'
import { formOptional } from '../../forms.ts'
import { zeroUse } from '../../../projections/assets.ts'
import { enablementQueries } from './common.server.ts'
import { AudienceBadge, assetTypeLabels, formatBytes, languageLabel, useLabels } from './ui.tsx'
import { bytesOf, tooLarge } from './upload.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.asset.title ?? 'Asset'} · Enablement · Partnerlog` }]

async function assetOr404(services: Route.LoaderArgs['context']['services'], assetId: string) {
  const asset = await enablementQueries(services).assetById(assetId)
  if (!asset) throw data('No asset with this id.', { status: 404 })
  return asset
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id.')
  const { services } = context
  await requireUser(request, services, 'asset:publish')
  const asset = await assetOr404(services, ids.assetId)
  const ranks = await enablementQueries(services).tierRanks(services.clock().toISOString())
  const tiers = [...new Set([...Object.keys(ranks), ...Object.keys(asset.usageByTier)])].sort((a, b) => (ranks[a] ?? 99) - (ranks[b] ?? 99))
  return { asset, usageByTier: tiers.map((tier) => ({ tier, ...(asset.usageByTier[tier] ?? zeroUse()) })) }
}

/** the two forms' schemas, shared by the browser and the action (an empty file input arrives as no value) */
const VersionForm = z.object({
  intent: z.literal('version'),
  file: z.instanceof(File, { error: 'Choose the new file' }),
  notes: formOptional(PublishAssetVersionData.shape.notes.unwrap()),
})
const RETIRE_REASON = 'Say why it is retired, e.g. replaced by the 2027 edition'
const RetireForm = z.object({
  intent: z.literal('retire'),
  reason: z.string({ error: RETIRE_REASON }).trim().min(1, RETIRE_REASON).pipe(RetireAssetData.shape.reason.unwrap()),
})
const Intent = z.discriminatedUnion('intent', [VersionForm, RetireForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id.')
  const { services } = context
  await requireUser(request, services, 'asset:publish')
  // only the version form uploads a file
  const refusedSize = tooLarge(request, 'version')
  if (refusedSize) return refusedSize
  const { user, form } = await requireAction(request, services, 'asset:publish')
  const asset = await assetOr404(services, ids.assetId)
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const intent = submission.value
  const commands = services.commands.enablement
  const issued = { actor: toActor(user) }
  const to = `/vendor/enablement/assets/${asset.assetId}`
  try {
    if (intent.intent === 'retire') {
      await commands.retire(issued, asset.assetId, intent.reason)
      return redirectWithToast(request, services, to, `“${asset.title}” retired; partners no longer see it.`)
    }
    await commands.publishVersion(issued, asset.assetId, await bytesOf(intent.file), intent.notes)
    return redirectWithToast(request, services, to, `Version ${asset.version + 1} of “${asset.title}” published.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function VendorAsset() {
  const { asset, usageByTier } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [version, versionFields] = useSchemaForm({ id: 'new-version', schema: VersionForm, lastResult: resultFor(actionData, 'version') })
  const [retire, retireFields] = useSchemaForm({ id: 'retire-asset', schema: RetireForm, lastResult: resultFor(actionData, 'retire') })
  const actions = Object.keys(useLabels) as (keyof typeof useLabels)[]
  const rules = asset.audienceRules
  return (
    <div className="max-w-5xl">
      <PageHeader title={asset.title} description={asset.description} breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]}
        actions={<><AudienceBadge audience={asset.audience} />{asset.status === 'Published' ? <Badge tone="green">Published</Badge> : <Badge tone="gray">Retired</Badge>}</>} />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section className="card p-5" aria-labelledby="facts">
            <h2 id="facts" className="text-sm font-semibold text-gray-900">Asset and audience</h2>
            <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
              <dt className="text-gray-600">Type</dt><dd>{assetTypeLabels[asset.assetType] ?? asset.assetType}{asset.coBrandable ? <span className="ml-2"><Badge tone="blue">Co-brandable</Badge></span> : null}</dd>
              <dt className="text-gray-600">Product · language</dt><dd>{asset.product ?? '—'} · {languageLabel(asset.language)}</dd>
              <dt className="text-gray-600">Tags</dt><dd>{asset.tags.join(', ') || '—'}</dd>
              <dt className="text-gray-600">Minimum tier</dt><dd className="capitalize">{rules.minimumTier ?? 'Any'}</dd>
              <dt className="text-gray-600">Journey phases</dt><dd className="capitalize">{rules.journeyPhases?.length ? rules.journeyPhases.join(', ') : 'All'}</dd>
              <dt className="text-gray-600">Certification</dt><dd>{rules.requiredCertification ?? 'None required'}</dd>
              <dt className="text-gray-600">Geographies</dt><dd>{rules.geographies?.length ? rules.geographies.join(', ') : 'All'}</dd>
              {asset.retiredAt ? <><dt className="text-gray-600">Retired</dt><dd><DateText iso={asset.retiredAt} />{asset.retiredReason ? ` — ${asset.retiredReason}` : ''}</dd></> : null}
            </dl>
          </section>
          <section className="card overflow-x-auto" aria-labelledby="usage">
            <h2 id="usage" className="px-5 pt-5 text-sm font-semibold text-gray-900">Usage by tier</h2>
            <table className="table-base mt-3">
              <thead className="bg-gray-50"><tr><th scope="col" className="th">Tier</th>{actions.map((k) => <th key={k} scope="col" className="th num">{useLabels[k]}</th>)}</tr></thead>
              <tbody className="divide-y divide-gray-100">
                {usageByTier.map((row) => <tr key={row.tier}><th scope="row" className="td text-left font-medium capitalize">{row.tier}</th>{actions.map((k) => <td key={k} className="td num">{row[k]}</td>)}</tr>)}
                <tr className="bg-gray-50"><th scope="row" className="td text-left font-semibold">All</th>{actions.map((k) => <td key={k} className="td num font-semibold">{asset.usage[k]}</td>)}</tr>
              </tbody>
            </table>
          </section>
          <section className="card p-5" aria-labelledby="versions">
            <h2 id="versions" className="text-sm font-semibold text-gray-900">Versions</h2>
            <ol className="mt-2 divide-y divide-gray-100 text-sm">
              {[...asset.versions].reverse().map((v) => (
                <li key={v.version} className="flex flex-wrap justify-between gap-2 py-2">
                  <span><span className="font-medium">v{v.version}</span> · {v.file.filename} · {formatBytes(v.file.size)}{v.notes ? <span className="text-gray-600"> — {v.notes}</span> : null}<br /><code className="text-xs text-gray-600" title="SHA-256 of the file">{v.file.sha256.slice(0, 16)}…</code></span>
                  <span className="text-gray-600"><DateText iso={v.publishedAt} /></span>
                </li>
              ))}
            </ol>
          </section>
        </div>
        {asset.status === 'Published' ? (
          <div className="space-y-6">
            <Form method="post" encType="multipart/form-data" {...getFormProps(version)} noValidate className="card space-y-3 p-5" aria-labelledby="new-version">
              <h2 id="new-version" className="text-sm font-semibold text-gray-900">New version</h2>
              <FormHead form={version} intent="version" />
              <ConformField label="File" meta={versionFields.file} hint="Up to 10 MB; partners get it from now on">
                <input {...conformInput(versionFields.file, 'file', { hint: true })} className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-brand-800" />
              </ConformField>
              <ConformField label="What changed (optional)" meta={versionFields.notes}><input {...conformInput(versionFields.notes)} /></ConformField>
              <button type="submit" className="btn-primary w-full">Publish version {asset.version + 1}</button>
            </Form>
            <Form method="post" {...getFormProps(retire)} noValidate className="card space-y-3 p-5" aria-labelledby="retire">
              <h2 id="retire" className="text-sm font-semibold text-gray-900">Retire</h2>
              <FormHead form={retire} intent="retire" />
              <ConformField label="Reason" meta={retireFields.reason}><input {...conformInput(retireFields.reason)} /></ConformField>
              <button type="submit" className="btn-danger w-full">Retire asset</button>
            </Form>
          </div>
        ) : null}
      </div>
    </div>
  )
}
