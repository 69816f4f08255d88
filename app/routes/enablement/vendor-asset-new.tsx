// Vendor: publish an asset: upload the file, say who it is for and which partners may see it.
import { randomUUID } from 'node:crypto'
import { getFormProps, getInputProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-asset-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { ALLOWED_UPLOADS } from '../../commands/enablement.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformSelect } from '../../components/form-field.tsx'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { PageHeader } from '../../components/ui.tsx'
import { PublishAssetData } from '../../../domain/assets/decide.ts'
import { formOptional, formText } from '../../forms.ts'
import { phases } from '../../../projections/journey.ts'
import { enablementQueries } from './common.server.ts'
import { assetTypeLabels } from './ui.tsx'
import { bytesOf, tooLarge } from './upload.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Publish an asset · Partnerlog' }]

const list = (value: unknown) => (Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : []) as string[]
const csv = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)

const rules = PublishAssetData.shape.audienceRules.shape
/** the form's schema, shared by the browser and the action (an empty file input arrives as no value) */
export const AssetForm = z.object({
  commandId: z.uuid(),
  file: z.instanceof(File, { error: 'Choose the file to publish' }),
  title: formText('a title', PublishAssetData.shape.title),
  description: formText('a one-line description', PublishAssetData.shape.description),
  tags: z.string().optional().transform(csv).pipe(PublishAssetData.shape.tags),
  audience: z.enum(['to_partner', 'thru_partner'], { error: 'Choose who the asset is for' }),
  assetType: z.enum(Object.keys(assetTypeLabels) as [string, ...string[]], { error: 'Choose a type' }),
  product: formOptional(PublishAssetData.shape.product.unwrap()),
  language: z.string().trim().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'Use a language code like en or de-CH'),
  coBrandable: z.literal('on').optional(),
  minimumTier: formOptional(rules.minimumTier.unwrap()),
  journeyPhases: z.unknown().optional().transform(list).pipe(z.array(z.enum(phases), { error: 'Choose journey phases from the list' }).max(phases.length)),
  requiredCertification: formOptional(rules.requiredCertification.unwrap()),
  geographies: z.string().optional().transform((v) => csv(v).map((g) => g.toUpperCase())).pipe(rules.geographies.unwrap()),
}).refine((v) => !(v.coBrandable && v.audience !== 'thru_partner'), { path: ['coBrandable'], message: 'Only Thru-Partner assets (for customers) can be co-branded' })

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'asset:publish')
  const queries = enablementQueries(services)
  const [ranks, courses] = await Promise.all([queries.tierRanks(services.clock().toISOString()), queries.courses()])
  return {
    commandId: randomUUID(),
    extensions: Object.keys(ALLOWED_UPLOADS).map((e) => `.${e}`),
    tiers: Object.entries(ranks).sort((a, b) => a[1] - b[1]).map(([t]) => t),
    certifications: [...new Set(courses.map((c) => c.certification?.name).filter((n): n is string => Boolean(n)))].sort(),
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  await requireUser(request, services, 'asset:publish')
  const refusedSize = tooLarge(request)
  if (refusedSize) return refusedSize
  const { user, form } = await requireAction(request, services, 'asset:publish')
  const submission = parseWithZod(form, { schema: AssetForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const v = submission.value
  const audienceRules = {
    ...(v.minimumTier ? { minimumTier: v.minimumTier } : {}),
    ...(v.journeyPhases.length ? { journeyPhases: v.journeyPhases } : {}),
    ...(v.requiredCertification ? { requiredCertification: v.requiredCertification } : {}),
    ...(v.geographies.length ? { geographies: v.geographies } : {}),
  }
  try {
    await services.commands.enablement.publishAsset({ actor: toActor(user), commandId: v.commandId }, {
      assetId: v.commandId, title: v.title, description: v.description, tags: v.tags, audience: v.audience, assetType: v.assetType,
      ...(v.product ? { product: v.product } : {}), language: v.language, audienceRules, coBrandable: v.coBrandable === 'on', file: await bytesOf(v.file),
    })
    return redirectWithToast(request, services, `/vendor/enablement/assets/${v.commandId}`, `“${v.title}” published to ${Object.keys(audienceRules).length ? 'the partners its audience rules allow' : 'every partner'}.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function NewAsset() {
  const { commandId, tiers, certifications, extensions } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({
    id: 'publish-asset', schema: AssetForm, lastResult: useActionData<typeof action>()?.result,
    defaultValue: { assetType: 'sales_guide', language: 'en', audience: 'to_partner' },
  })
  const audience = fields.audience
  const chosenPhases = [fields.journeyPhases.initialValue ?? []].flat()
  const { key: _key, ...coBrandable } = getInputProps(fields.coBrandable, { type: 'checkbox' })
  return (
    <div className="max-w-3xl">
      <PageHeader title="Publish an asset" description="Upload the file, say who it is for, and which partners may see it." breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]} />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate className="card space-y-6 p-6">
        <FormHead form={form} commandId={commandId} />
        <fieldset className="space-y-5">
          <legend className="text-sm font-semibold text-gray-900">The asset</legend>
          <ConformField label="Title" meta={fields.title}><input {...conformInput(fields.title)} /></ConformField>
          <ConformField label="One-line description" meta={fields.description}><input {...conformInput(fields.description)} /></ConformField>
          <div className="grid gap-5 sm:grid-cols-2">
            <ConformField label="Type" meta={fields.assetType}>
              <select {...conformSelect(fields.assetType)}>
                {Object.entries(assetTypeLabels).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
            </ConformField>
            <ConformField label="Product (optional)" meta={fields.product}><input {...conformInput(fields.product)} placeholder="Cloud Backup" /></ConformField>
            <ConformField label="Language" meta={fields.language} hint="A code like en, de or fr-CH"><input {...conformInput(fields.language, 'text', { hint: true })} /></ConformField>
            <ConformField label="Tags (optional)" meta={fields.tags} hint="Separate with commas; search finds them"><input {...conformInput(fields.tags, 'text', { hint: true })} placeholder="ransomware, healthcare" /></ConformField>
          </div>
          <ConformField label="File" meta={fields.file} hint={`Up to 10 MB: ${extensions.join(', ')}`}>
            <input {...conformInput(fields.file, 'file', { hint: true })} accept={extensions.join(',')} className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-brand-800" />
          </ConformField>
        </fieldset>
        <fieldset className="space-y-3 border-t border-gray-100 pt-5">
          <legend className="text-sm font-semibold text-gray-900">Who it is for</legend>
          <div className="grid gap-3 sm:grid-cols-2" role="radiogroup" aria-label="Audience" aria-invalid={audience.errors ? true : undefined} aria-describedby={audience.errors ? audience.errorId : undefined}>
            {([['to_partner', 'To-Partner', 'For the partner’s own team: guides, scripts, price lists, decks'], ['thru_partner', 'Thru-Partner', 'For the partner’s customers: case studies, white papers, templates']] as const).map(([value, label, hint]) => (
              <label key={value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-gray-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-600">
                <input type="radio" name={audience.name} value={value} defaultChecked={audience.initialValue === value} className="mt-1" />
                <span><span className="block text-sm font-medium text-gray-900">{label}</span><span className="block text-xs text-gray-600">{hint}</span></span>
              </label>
            ))}
          </div>
          {audience.errors ? <p id={audience.errorId} className="text-sm text-red-700">{audience.errors[0]}</p> : null}
          <label className="flex items-center gap-2 text-sm"><input {...coBrandable} /> Partners may co-brand it (Thru-Partner only)</label>
          {fields.coBrandable.errors ? <p id={fields.coBrandable.errorId} className="text-sm text-red-700">{fields.coBrandable.errors[0]}</p> : null}
        </fieldset>
        <fieldset className="space-y-5 border-t border-gray-100 pt-5">
          <legend className="text-sm font-semibold text-gray-900">Audience rules <span className="font-normal text-gray-600">(all that are set must hold)</span></legend>
          <div className="grid gap-5 sm:grid-cols-2">
            <ConformField label="Minimum tier" meta={fields.minimumTier}>
              <select {...conformSelect(fields.minimumTier)}>
                <option value="">Any tier</option>{tiers.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </ConformField>
            <ConformField label="Required certification" meta={fields.requiredCertification}>
              <select {...conformSelect(fields.requiredCertification)}>
                <option value="">None</option>{certifications.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </ConformField>
            <ConformField label="Geographies" meta={fields.geographies} hint="Country codes separated by commas, e.g. DE, AT, CH; empty for all">
              <input {...conformInput(fields.geographies, 'text', { hint: true })} />
            </ConformField>
          </div>
          <fieldset aria-describedby={fields.journeyPhases.errors ? fields.journeyPhases.errorId : undefined}>
            <legend className="label">Journey phases <span className="font-normal text-gray-600">(none ticked: every phase)</span></legend>
            <div className="mt-2 flex flex-wrap gap-4">
              {phases.map((p) => <label key={p} className="flex items-center gap-2 text-sm capitalize"><input type="checkbox" name={fields.journeyPhases.name} value={p} defaultChecked={chosenPhases.includes(p)} /> {p}</label>)}
            </div>
            {fields.journeyPhases.errors ? <p id={fields.journeyPhases.errorId} className="mt-1 text-sm text-red-700">{fields.journeyPhases.errors[0]}</p> : null}
          </fieldset>
        </fieldset>
        <div className="flex justify-end gap-2 border-t border-gray-100 pt-4">
          <a href="/vendor/enablement" className="btn-secondary">Cancel</a>
          <button type="submit" className="btn-primary">Publish asset</button>
        </div>
      </Form>
    </div>
  )
}
