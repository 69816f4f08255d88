import { randomUUID } from 'node:crypto'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-asset-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { ALLOWED_UPLOADS } from '../../commands/enablement.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { PublishAssetData } from '../../../domain/assets/decide.ts'
import { formOptional, formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'
import { phases } from '../../../projections/journey.ts'
import { enablementQueries } from './common.server.ts'
import { assetTypeLabels } from './ui.tsx'
import { fileOf, tooLarge } from './upload.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Publish an asset · Partnerlog' }]

const list = (value: unknown) => (Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : []) as string[]
const csv = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)

const rules = PublishAssetData.shape.audienceRules.shape
const AssetForm = z.object({
  commandId: z.uuid(),
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
  const parsed = parseForm(AssetForm, form)
  const file = await fileOf(form)
  if (!parsed.ok || !file) {
    const result: FormResult = parsed.ok ? { fieldErrors: {}, formError: 'Check the highlighted fields.', values: {} } : parsed.result
    if (!file) result.fieldErrors.file = 'Choose the file to publish'
    for (const [k, v] of form.entries()) if (typeof v === 'string' && k !== 'csrf') result.values[k] = v
    return invalid(result)
  }
  const v = parsed.value
  const audienceRules = {
    ...(v.minimumTier ? { minimumTier: v.minimumTier } : {}),
    ...(v.journeyPhases.length ? { journeyPhases: v.journeyPhases } : {}),
    ...(v.requiredCertification ? { requiredCertification: v.requiredCertification } : {}),
    ...(v.geographies.length ? { geographies: v.geographies } : {}),
  }
  try {
    await services.commands.enablement.publishAsset({ actor: toActor(user), commandId: v.commandId }, {
      assetId: v.commandId, title: v.title, description: v.description, tags: v.tags, audience: v.audience, assetType: v.assetType,
      ...(v.product ? { product: v.product } : {}), language: v.language, audienceRules, coBrandable: v.coBrandable === 'on', file,
    })
    return redirectWithToast(request, services, `/vendor/enablement/assets/${v.commandId}`, `“${v.title}” published to ${Object.keys(audienceRules).length ? 'the partners its audience rules allow' : 'every partner'}.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function NewAsset() {
  const { commandId, tiers, certifications, extensions } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  return (
    <div className="max-w-3xl">
      <PageHeader title="Publish an asset" description="Upload the file, say who it is for, and which partners may see it." breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]} />
      <Form method="post" encType="multipart/form-data" noValidate className="card space-y-6 p-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
        <FormError message={result?.formError} />
        <fieldset className="space-y-5">
          <legend className="text-sm font-semibold text-gray-900">The asset</legend>
          <Field label="Title" name="title" error={errors.title}><input {...inputProps('title', errors.title)} defaultValue={values.title} /></Field>
          <Field label="One-line description" name="description" error={errors.description}><input {...inputProps('description', errors.description)} defaultValue={values.description} /></Field>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Type" name="assetType" error={errors.assetType}>
              <select {...inputProps('assetType', errors.assetType)} defaultValue={values.assetType ?? 'sales_guide'}>
                {Object.entries(assetTypeLabels).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
            </Field>
            <Field label="Product (optional)" name="product" error={errors.product}><input {...inputProps('product', errors.product)} defaultValue={values.product} placeholder="Cloud Backup" /></Field>
            <Field label="Language" name="language" error={errors.language} hint="A code like en, de or fr-CH"><input {...inputProps('language', errors.language, 'A code')} defaultValue={values.language ?? 'en'} /></Field>
            <Field label="Tags (optional)" name="tags" error={errors.tags} hint="Separate with commas; search finds them"><input {...inputProps('tags', errors.tags, 'Separate')} defaultValue={values.tags} placeholder="ransomware, healthcare" /></Field>
          </div>
          <Field label="File" name="file" error={errors.file} hint={`Up to 10 MB: ${extensions.join(', ')}`}>
            <input {...inputProps('file', errors.file, 'Up to')} type="file" accept={extensions.join(',')} className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-brand-800" />
          </Field>
        </fieldset>
        <fieldset className="space-y-3 border-t border-gray-100 pt-5">
          <legend className="text-sm font-semibold text-gray-900">Who it is for</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            {([['to_partner', 'To-Partner', 'For the partner’s own team: guides, scripts, price lists, decks'], ['thru_partner', 'Thru-Partner', 'For the partner’s customers: case studies, white papers, templates']] as const).map(([value, label, hint]) => (
              <label key={value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-gray-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-600">
                <input type="radio" name="audience" value={value} defaultChecked={(values.audience ?? 'to_partner') === value} className="mt-1" />
                <span><span className="block text-sm font-medium text-gray-900">{label}</span><span className="block text-xs text-gray-600">{hint}</span></span>
              </label>
            ))}
          </div>
          {errors.audience ? <p className="text-sm text-red-700">{errors.audience}</p> : null}
          <label className="flex items-center gap-2 text-sm"><input type="checkbox" id="coBrandable" name="coBrandable" defaultChecked={values.coBrandable === 'on'} aria-describedby={errors.coBrandable ? 'coBrandable-error' : undefined} /> Partners may co-brand it (Thru-Partner only)</label>
          {errors.coBrandable ? <p id="coBrandable-error" className="text-sm text-red-700">{errors.coBrandable}</p> : null}
        </fieldset>
        <fieldset className="space-y-5 border-t border-gray-100 pt-5">
          <legend className="text-sm font-semibold text-gray-900">Audience rules <span className="font-normal text-gray-600">(all that are set must hold)</span></legend>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Minimum tier" name="minimumTier" error={errors.minimumTier}>
              <select {...inputProps('minimumTier', errors.minimumTier)} defaultValue={values.minimumTier ?? ''}>
                <option value="">Any tier</option>{tiers.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </Field>
            <Field label="Required certification" name="requiredCertification" error={errors.requiredCertification}>
              <select {...inputProps('requiredCertification', errors.requiredCertification)} defaultValue={values.requiredCertification ?? ''}>
                <option value="">None</option>{certifications.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </Field>
            <Field label="Geographies" name="geographies" error={errors.geographies} hint="Country codes separated by commas, e.g. DE, AT, CH; empty for all">
              <input {...inputProps('geographies', errors.geographies, 'Country')} defaultValue={values.geographies} />
            </Field>
          </div>
          <fieldset>
            <legend className="label">Journey phases <span className="font-normal text-gray-600">(none ticked: every phase)</span></legend>
            <div className="mt-2 flex flex-wrap gap-4">
              {phases.map((p) => <label key={p} className="flex items-center gap-2 text-sm capitalize"><input type="checkbox" name="journeyPhases" value={p} /> {p}</label>)}
            </div>
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
