// Public: a company applies to the partner program; the applicant chooses the password they sign in with after approval.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/apply'
import { getUser, redirectWithToast, requireCsrf } from '../../auth.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { ApplyToProgramData } from '../../../domain/partners/decide.ts'
import { formEmail, formText } from '../../forms.ts'
import { readForm } from '../../form-body.server.ts'
import { DOMAIN, normaliseDomain } from '../../../domain/shared/domains.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Apply to the partner program · Partnerlog' }]

export const partnerTypes = [
  { value: 'reseller', label: 'Reseller', hint: 'You resell licences to your customers' },
  { value: 'msp', label: 'Managed service provider', hint: 'You run the service for your customers' },
  { value: 'var', label: 'Value-added reseller', hint: 'You resell with your own services around it' },
  { value: 'referral', label: 'Referral partner', hint: 'You introduce customers and we sell' },
] as const
export const segmentOptions = ['smb', 'mid-market', 'enterprise', 'public-sector'] as const
const segmentLabels: Record<string, string> = { smb: 'Small business', 'mid-market': 'Mid-market', enterprise: 'Enterprise', 'public-sector': 'Public sector' }

const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value])

/** the form's schema, shared by the browser and the action */
export const ApplyForm = z
  .object({
    commandId: z.uuid(),
    company: formText('your company name', ApplyToProgramData.shape.company),
    websiteDomain: formText("your company's web domain, e.g. fabrikam.com", ApplyToProgramData.shape.websiteDomain)
      .transform(normaliseDomain)
      .refine((d) => DOMAIN.test(d), 'Enter a web domain like fabrikam.com'),
    geographies: formText('the countries or regions you serve', 2000)
      .transform((v) => [...new Set(v.split(',').map((g) => g.trim()).filter(Boolean))])
      .pipe(z.array(z.string()).min(1, 'Enter at least one country or region'))
      .pipe(ApplyToProgramData.shape.geographies),
    segments: z.preprocess(list, z.array(z.enum(segmentOptions, 'Choose from the listed segments')).min(1, 'Choose at least one customer segment')),
    partnerType: z.enum(['reseller', 'msp', 'var', 'referral'], 'Choose how you work with customers'),
    name: formText('your full name', ApplyToProgramData.shape.applicant.shape.name),
    email: formEmail('your work email address', 'ana@fabrikam.com'),
    password: z.string({ error: 'Use at least 12 characters' }).min(12, 'Use at least 12 characters').max(200, 'Use at most 200 characters'),
    /** left empty, it does not match */
    confirmPassword: z.string().optional(),
    /** a field people never see: bots fill it */
    website: z.string().max(0, 'Leave this field empty').optional(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })

export async function loader({ request, context }: Route.LoaderArgs) {
  if (await getUser(request, context.services)) throw redirect('/')
  return { commandId: randomUUID() }
}

/** never sent back to the browser */
const PASSWORDS = ['password', 'confirmPassword']

/** Who is applying, for the rate limit: the first forwarded address behind a proxy, else one bucket for all. */
function clientOf(request: Request) {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip') || 'direct'
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > 20_000) throw data('That form is too large.', { status: 413 })
  const form = await readForm(request)
  await requireCsrf(request, services, form)
  const submission = parseWithZod(form, { schema: ApplyForm })
  if (submission.status !== 'success') return replyInvalid(submission, { hideFields: PASSWORDS })
  const people = services.commands.people
  if (!(await people.allowApplication(clientOf(request)))) {
    return data({ result: submission.reply({ formErrors: ['Too many applications from here in the last hour. Try again later.'], hideFields: PASSWORDS }) }, { status: 429 })
  }
  const { commandId, confirmPassword: _c, website: _w, ...application } = submission.value
  try {
    await people.apply(application, commandId)
    return redirectWithToast(request, services, '/login', `Application from ${application.company} received. You can sign in as soon as it is approved.`)
  } catch (error) {
    return replyRefused(submission, error, { hideFields: PASSWORDS })
  }
}

export default function Apply() {
  const { commandId } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({ id: 'apply', schema: ApplyForm, lastResult: useActionData<typeof action>()?.result })
  const { segments, partnerType } = fields
  const chosenSegments = new Set([segments.initialValue ?? []].flat())
  return (
    <main className="min-h-full bg-gray-50 px-4 py-10">
      <div className="mx-auto w-full max-w-2xl">
        <div className="mb-6 flex items-center justify-between gap-2">
          <Link to="/login" className="flex items-center gap-2 text-gray-900 no-underline">
            <img src="/favicon.svg" alt="" className="h-9 w-9" />
            <span className="text-xl font-semibold">Partnerlog</span>
          </Link>
          <Link to="/login" className="text-sm">Already a partner? Sign in</Link>
        </div>
        <div className="card p-6 sm:p-8">
          <h1 className="text-2xl font-semibold tracking-tight">Apply to the partner program</h1>
          <p className="mt-1 text-sm text-gray-600">
            Tell us about your company. The partner team reviews applications within two business days; you sign in with the email and password below once approved.
          </p>
          <Form method="post" {...getFormProps(form)} noValidate className="mt-6 space-y-6">
            <FormHead form={form} commandId={commandId} />
            <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
              <label htmlFor={fields.website.id}>Leave this field empty</label>
              <input id={fields.website.id} name={fields.website.name} tabIndex={-1} autoComplete="off" />
            </div>
            <fieldset className="space-y-5">
              <legend className="text-sm font-semibold text-gray-900">Your company</legend>
              <div className="grid gap-5 sm:grid-cols-2">
                <ConformField label="Company name" meta={fields.company}>
                  <input {...conformInput(fields.company)} autoComplete="organization" />
                </ConformField>
                <ConformField label="Web domain" meta={fields.websiteDomain} hint="e.g. fabrikam.com">
                  <input {...conformInput(fields.websiteDomain, 'text', { hint: true })} placeholder="fabrikam.com" />
                </ConformField>
              </div>
              <ConformField label="Countries or regions you serve" meta={fields.geographies} hint="Separate several with commas, e.g. DE, AT, CH">
                <input {...conformInput(fields.geographies, 'text', { hint: true })} placeholder="DE, AT, CH" />
              </ConformField>
              <fieldset aria-describedby={segments.errors ? segments.errorId : undefined}>
                <legend className="label">Customer segments</legend>
                <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
                  {segmentOptions.map((s) => (
                    <label key={s} className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name={segments.name} value={s} defaultChecked={chosenSegments.has(s)} className="h-4 w-4 rounded border-gray-300" />
                      {segmentLabels[s]}
                    </label>
                  ))}
                </div>
                {segments.errors ? <p id={segments.errorId} className="mt-1 text-sm text-red-700">{segments.errors[0]}</p> : null}
              </fieldset>
              <fieldset aria-describedby={partnerType.errors ? partnerType.errorId : undefined}>
                <legend className="label">How you work with customers</legend>
                <div className="mt-2 grid gap-2 sm:grid-cols-2">
                  {partnerTypes.map((t) => (
                    <label key={t.value} className="flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-gray-200 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-600">
                      <input type="radio" name={partnerType.name} value={t.value} defaultChecked={partnerType.initialValue === t.value} className="mt-0.5 h-4 w-4" />
                      <span>
                        <span className="block text-sm font-medium text-gray-900">{t.label}</span>
                        <span className="block text-xs text-gray-600">{t.hint}</span>
                      </span>
                    </label>
                  ))}
                </div>
                {partnerType.errors ? <p id={partnerType.errorId} className="mt-1 text-sm text-red-700">{partnerType.errors[0]}</p> : null}
              </fieldset>
            </fieldset>
            <div className="border-t border-gray-100 pt-6">
            <fieldset className="space-y-5">
              <legend className="text-sm font-semibold text-gray-900">You, the first administrator</legend>
              <div className="grid gap-5 sm:grid-cols-2">
                <ConformField label="Full name" meta={fields.name}>
                  <input {...conformInput(fields.name)} autoComplete="name" />
                </ConformField>
                <ConformField label="Work email" meta={fields.email}>
                  <input {...conformInput(fields.email, 'email')} autoComplete="email" />
                </ConformField>
                <ConformField label="Password" meta={fields.password} hint="At least 12 characters">
                  <input {...conformInput(fields.password, 'password', { hint: true })} autoComplete="new-password" />
                </ConformField>
                <ConformField label="Repeat the password" meta={fields.confirmPassword}>
                  <input {...conformInput(fields.confirmPassword, 'password')} autoComplete="new-password" />
                </ConformField>
              </div>
            </fieldset>
            </div>
            <FormActions back="/login" submit="Send application" sending="Sending…" />
          </Form>
        </div>
      </div>
    </main>
  )
}
