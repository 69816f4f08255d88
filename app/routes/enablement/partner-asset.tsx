// Partner: one library asset: download, co-brand, and share it with a customer (recorded as a use).
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-asset'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader } from '../../components/ui.tsx'
import { replyRefused } from '../../conform.server.ts'
import { brandFor, enablementQueries, partnerAsset, previewOf } from './common.server.ts'
import { AudienceBadge, assetTypeLabels, CobrandPreview, formatBytes, languageLabel, TypeIcon, useLabels } from './ui.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.asset.title ?? 'Asset'} · Library · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id in your library.')
  const { services } = context
  const { user, asset } = await partnerAsset(request, services, ids.assetId)
  // opening the page is the view: it is recorded as AssetViewed for this partner
  await services.commands.enablement.recordUse({ actor: toActor(user) }, asset.assetId, 'viewed')
  const [usage, brand] = await Promise.all([enablementQueries(services).usageOf(user.organisationId), brandFor(services, user)])
  const { usage: _all, usageByTier: _byTier, audienceRules: _rules, ...shown } = asset
  return {
    asset: { ...shown, versions: asset.versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt, notes: v.notes, filename: v.file.filename, size: v.file.size })) },
    mine: usage?.assets[asset.assetId] ?? null,
    brand: previewOf(brand),
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ assetId: RouteId }, params, 'No asset with this id in your library.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'asset:use')
  const { asset } = await partnerAsset(request, services, ids.assetId, user)
  // the share form has no fields: the submission only carries a refusal back
  const submission = parseWithZod(form, { schema: z.object({}) })
  try {
    await services.commands.enablement.recordUse({ actor: toActor(user) }, asset.assetId, 'shared')
    return redirectWithToast(request, services, `/partner/library/${asset.assetId}?shared=1`, `“${asset.title}” marked as shared; the email draft below has the details for your customer.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function Asset() {
  const { asset, mine, brand } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const base = `/partner/library/${asset.assetId}`
  const mailto = `mailto:?subject=${encodeURIComponent(asset.title)}&body=${encodeURIComponent(`${asset.description}\n\nI have attached the document for you.\n\n${brand.name}`)}`
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={asset.title}
        description={asset.description}
        breadcrumbs={[{ to: '/partner/library', label: 'Library' }]}
        actions={<AudienceBadge audience={asset.audience} />}
      />
      <FormError message={actionData?.result.error?.['']?.[0]} />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <section className="card p-5 lg:col-span-2" aria-labelledby="about">
          <div className="flex items-center gap-3">
            <div className={`flex h-11 w-11 items-center justify-center rounded-lg ${asset.audience === 'thru_partner' ? 'bg-blue-50 text-blue-700' : 'bg-gray-100 text-gray-700'}`}><TypeIcon type={asset.assetType} /></div>
            <h2 id="about" className="text-sm font-semibold text-gray-900">About this {(assetTypeLabels[asset.assetType] ?? 'asset').toLowerCase()}</h2>
          </div>
          <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
            <dt className="text-gray-600">Type</dt><dd>{assetTypeLabels[asset.assetType] ?? asset.assetType}</dd>
            <dt className="text-gray-600">Product</dt><dd>{asset.product ?? '—'}</dd>
            <dt className="text-gray-600">Language</dt><dd>{languageLabel(asset.language)}</dd>
            <dt className="text-gray-600">File</dt><dd>{asset.file.filename} · {formatBytes(asset.file.size)}</dd>
            <dt className="text-gray-600">Version</dt><dd>{asset.version} · updated <DateText iso={asset.updatedAt} /></dd>
            <dt className="text-gray-600">Tags</dt><dd className="flex flex-wrap gap-1">{asset.tags.length ? asset.tags.map((t) => <Badge key={t} tone="gray">{t}</Badge>) : '—'}</dd>
          </dl>
          <h3 className="mt-6 text-sm font-semibold text-gray-900">Versions</h3>
          <ol className="mt-2 divide-y divide-gray-100 text-sm">
            {[...asset.versions].reverse().map((v) => (
              <li key={v.version} className="flex flex-wrap justify-between gap-2 py-2">
                <span>v{v.version} · {v.filename}{v.notes ? <span className="text-gray-600"> — {v.notes}</span> : null}</span>
                <span className="text-gray-600"><DateText iso={v.publishedAt} /></span>
              </li>
            ))}
          </ol>
        </section>
        <div className="space-y-6">
          <section className="card space-y-3 p-5" aria-labelledby="get">
            <h2 id="get" className="text-sm font-semibold text-gray-900">Get it</h2>
            <a href={`${base}/download`} className="btn-primary w-full no-underline" download>Download {asset.file.filename.split('.').pop()?.toUpperCase()}</a>
            {asset.coBrandable ? (
              <>
                <CobrandPreview brand={brand} title={asset.title} size="lg" />
                <p className="text-xs text-gray-600">Co-branded with your name, logo, contact and colours from your profile.</p>
                <div className="grid grid-cols-2 gap-2">
                  <a href={`${base}/cobrand/pdf`} className="btn-secondary no-underline">Co-brand PDF</a>
                  <a href={`${base}/cobrand/html`} className="btn-secondary no-underline" target="_blank" rel="noopener">Co-brand HTML</a>
                </div>
              </>
            ) : null}
            {asset.audience === 'thru_partner' ? (
              <Form method="post" className="border-t border-gray-100 pt-3">
                <CsrfInput />
                <button type="submit" className="btn-secondary w-full">Share with a customer</button>
                <p className="mt-2 text-xs text-gray-600">Records the share and prepares an <a href={mailto} className="underline">email draft</a>.</p>
              </Form>
            ) : <p className="text-xs text-gray-600">To-Partner material is for your team only; do not pass it to customers.</p>}
          </section>
          <section className="card p-5" aria-labelledby="mine">
            <h2 id="mine" className="text-sm font-semibold text-gray-900">Your organisation’s use</h2>
            <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
              {(Object.keys(useLabels) as (keyof typeof useLabels)[]).map((k) => (
                <div key={k} className="flex justify-between rounded-md bg-gray-50 px-2 py-1"><dt className="text-gray-600">{useLabels[k]}</dt><dd className="font-semibold tabular-nums">{mine?.[k] ?? 0}</dd></div>
              ))}
            </dl>
            <p className="mt-2 text-xs text-gray-600"><Link to="/partner/library">Back to the library</Link></p>
          </section>
        </div>
      </div>
    </div>
  )
}
