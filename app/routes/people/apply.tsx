// Public: a company applies to the partner program; the applicant chooses the password they sign in with after approval.
import { randomUUID } from 'node:crypto'
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/apply'
import { getUser, redirectWithToast, requireCsrf } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps } from '../../components/ui.tsx'
import { ApplyToProgramData } from '../../../domain/partners/decide.ts'
import { formEmail, formText } from '../../forms.ts'
import { invalid, parseForm, readForm, refused, type FormResult } from '../../forms.server.ts'
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
    password: z.string().min(12, 'Use at least 12 characters').max(200, 'Use at most 200 characters'),
    confirmPassword: z.string(),
    /** a field people never see: bots fill it */
    website: z.string().max(0, 'Leave this field empty').optional(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })

export async function loader({ request, context }: Route.LoaderArgs) {
  if (await getUser(request, context.services)) throw redirect('/')
  return { commandId: randomUUID() }
}

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
  const parsed = parseForm(ApplyForm, form)
  // checkboxes repeat a name: keep every ticked one for the re-rendered form
  if (!parsed.ok) return invalid({ ...parsed.result, values: { ...parsed.result.values, segments: form.getAll('segments').join(',') } })
  const people = services.commands.people
  if (!(await people.allowApplication(clientOf(request)))) {
    return data({ result: { fieldErrors: {}, formError: 'Too many applications from here in the last hour. Try again later.', values: {} } satisfies FormResult }, { status: 429 })
  }
  const { commandId, confirmPassword: _c, website: _w, ...application } = parsed.value
  try {
    await people.apply(application, commandId)
    return redirectWithToast(request, services, '/login', `Application from ${application.company} received. You can sign in as soon as it is approved.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function Apply() {
  const { commandId } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  const busy = useNavigation().state === 'submitting'
  const chosenSegments = new Set(values.segments ? values.segments.split(',') : [])
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
          <Form method="post" noValidate className="mt-6 space-y-6">
            <CsrfInput />
            <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
            <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
              <label htmlFor="website">Leave this field empty</label>
              <input id="website" name="website" tabIndex={-1} autoComplete="off" />
            </div>
            <FormError message={result?.formError} />
            <fieldset className="space-y-5">
              <legend className="text-sm font-semibold text-gray-900">Your company</legend>
              <div className="grid gap-5 sm:grid-cols-2">
                <Field label="Company name" name="company" error={errors.company}>
                  <input {...inputProps('company', errors.company)} defaultValue={values.company} autoComplete="organization" />
                </Field>
                <Field label="Web domain" name="websiteDomain" error={errors.websiteDomain} hint="e.g. fabrikam.com">
                  <input {...inputProps('websiteDomain', errors.websiteDomain, 'hint')} defaultValue={values.websiteDomain} placeholder="fabrikam.com" />
                </Field>
              </div>
              <Field label="Countries or regions you serve" name="geographies" error={errors.geographies} hint="Separate several with commas, e.g. DE, AT, CH">
                <input {...inputProps('geographies', errors.geographies, 'hint')} defaultValue={values.geographies} placeholder="DE, AT, CH" />
              </Field>
              <fieldset aria-describedby={errors.segments ? 'segments-error' : undefined}>
                <legend className="label">Customer segments</legend>
                <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
                  {segmentOptions.map((s) => (
                    <label key={s} className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name="segments" value={s} defaultChecked={chosenSegments.has(s)} className="h-4 w-4 rounded border-gray-300" />
                      {segmentLabels[s]}
                    </label>
                  ))}
                </div>
                {errors.segments ? <p id="segments-error" className="mt-1 text-sm text-red-700">{errors.segments}</p> : null}
              </fieldset>
              <fieldset aria-describedby={errors.partnerType ? 'partnerType-error' : undefined}>
                <legend className="label">How you work with customers</legend>
                <div className="mt-2 grid gap-2 sm:grid-cols-2">
                  {partnerTypes.map((t) => (
                    <label key={t.value} className="flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-gray-200 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-600">
                      <input type="radio" name="partnerType" value={t.value} defaultChecked={values.partnerType === t.value} className="mt-0.5 h-4 w-4" />
                      <span>
                        <span className="block text-sm font-medium text-gray-900">{t.label}</span>
                        <span className="block text-xs text-gray-600">{t.hint}</span>
                      </span>
                    </label>
                  ))}
                </div>
                {errors.partnerType ? <p id="partnerType-error" className="mt-1 text-sm text-red-700">{errors.partnerType}</p> : null}
              </fieldset>
            </fieldset>
            <div className="border-t border-gray-100 pt-6">
            <fieldset className="space-y-5">
              <legend className="text-sm font-semibold text-gray-900">You, the first administrator</legend>
              <div className="grid gap-5 sm:grid-cols-2">
                <Field label="Full name" name="name" error={errors.name}>
                  <input {...inputProps('name', errors.name)} defaultValue={values.name} autoComplete="name" />
                </Field>
                <Field label="Work email" name="email" error={errors.email}>
                  <input {...inputProps('email', errors.email)} type="email" defaultValue={values.email} autoComplete="email" />
                </Field>
                <Field label="Password" name="password" error={errors.password} hint="At least 12 characters">
                  <input {...inputProps('password', errors.password, 'hint')} type="password" autoComplete="new-password" />
                </Field>
                <Field label="Repeat the password" name="confirmPassword" error={errors.confirmPassword}>
                  <input {...inputProps('confirmPassword', errors.confirmPassword)} type="password" autoComplete="new-password" />
                </Field>
              </div>
            </fieldset>
            </div>
            <div className="flex items-center justify-end gap-2 border-t border-gray-100 pt-4">
              <Link to="/login" className="btn-secondary">Cancel</Link>
              <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Sending…' : 'Send application'}</button>
            </div>
          </Form>
        </div>
      </div>
    </main>
  )
}
