import { data, Form, redirect, useActionData, useNavigation, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/login'
import { authenticate, getUser, newCsrfToken, requireCsrf } from '../auth.server.ts'
import { readForm } from '../form-body.server.ts'
import { safeRedirect } from '../redirect.server.ts'
import { CsrfInput } from '../components/shell.tsx'
import { FormError, inputProps } from '../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · Partnerlog' }]
export const handle = { description: 'Sign in to Partnerlog, the partner portal: register deals, request co-investment, take training and co-brand collateral.' }

const SignIn = z.object({
  email: z.string().trim().max(254, 'Use at most 254 characters').email('Enter the email address you were invited with'),
  password: z.string().min(1, 'Enter your password').max(200, 'Use at most 200 characters'),
  redirectTo: z.string().optional(),
})

// a refused sign-in's Retry-After reaches the document response only through the route's headers
export const headers: Route.HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await getUser(request, context.services)
  if (user) throw redirect('/')
  return null
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const form = await readForm(request)
  await requireCsrf(request, services, form)
  const parsed = SignIn.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {}
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message
    return data({ fieldErrors, formError: null as string | null, email: String(form.get('email') ?? '') }, { status: 400 })
  }
  const attempt = await services.sessions.limits.attempt(parsed.data.email, context.clientAddress ?? null, () =>
    authenticate(services.sql, parsed.data.email, parsed.data.password),
  )
  if (attempt.outcome === 'limited') {
    return data(
      { fieldErrors: {} as Record<string, string>, formError: attempt.message, email: parsed.data.email },
      { status: 429, headers: { 'Retry-After': String(attempt.retryAfterSeconds) } },
    )
  }
  const user = attempt.outcome === 'signed-in' ? await services.queries.users.byId(attempt.userId) : null
  if (!user) {
    return data(
      { fieldErrors: {} as Record<string, string>, formError: 'That email and password do not match an active account.', email: parsed.data.email },
      { status: 401 },
    )
  }
  // a new session with a new id: one known before sign-in (a planted cookie) is worth nothing after it
  await services.sessions.destroy(request, await services.sessions.get(request))
  const session = services.sessions.create()
  session.set('userId', user.userId)
  session.set('csrf', newCsrfToken()) // a fresh token per session
  session.set('signedInAt', services.clock().toISOString())
  session.flash('toast', { kind: 'success', message: `Signed in as ${user.name}` })
  return redirect(safeRedirect(parsed.data.redirectTo, '/'), { headers: { 'Set-Cookie': await services.sessions.commit(request, session) } })
}

/** The demo seed's accounts, one per role, each with the first thing worth trying as that role. */
const demoAccounts = [
  { role: 'Partner admin, Northwind IT', email: 'maria@northwind.example', tryFirst: 'Register a deal under Deals, then see your journey phase and trust on Home.' },
  { role: 'Partner admin, Contoso MSP', email: 'li@contoso.example', tryFirst: 'Request co-investment under Funds, or co-brand an asset from the Library.' },
  { role: 'Channel manager', email: 'sam@vendor.example', tryFirst: 'Decide the deals and fund requests waiting in Queues.' },
  { role: 'Vendor admin', email: 'vera@vendor.example', tryFirst: 'Change tiers and trust weights in Settings, then read the Program page.' },
  { role: 'Auditor', email: 'alex@vendor.example', tryFirst: 'Open the Timeline, look at the program "as of" a past date, and run Verify.' },
]

export default function Login() {
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  return (
    <main className="flex min-h-full items-center justify-center bg-gray-50 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <img src="/favicon.svg" alt="" className="h-9 w-9" />
          <span className="text-xl font-semibold">Partnerlog</span>
        </div>
        <div className="card p-6">
          <h1 className="text-lg font-semibold">Sign in</h1>
          <p className="mt-1 text-sm text-gray-600">Deals, funds, training and collateral in one place.</p>
          <Form method="post" className="mt-5 space-y-4" noValidate>
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
            <FormError message={result?.formError} />
            <div>
              <label htmlFor="email" className="label">Email</label>
              <input {...inputProps('email', result?.fieldErrors.email)} type="email" autoComplete="username" defaultValue={result?.email} className={`input mt-1 ${result?.fieldErrors.email ? 'input-error' : ''}`} required />
              {result?.fieldErrors.email ? <p id="email-error" className="mt-1 text-sm text-red-700">{result.fieldErrors.email}</p> : null}
            </div>
            <div>
              <label htmlFor="password" className="label">Password</label>
              <input {...inputProps('password', result?.fieldErrors.password)} type="password" autoComplete="current-password" className={`input mt-1 ${result?.fieldErrors.password ? 'input-error' : ''}`} required />
              {result?.fieldErrors.password ? <p id="password-error" className="mt-1 text-sm text-red-700">{result.fieldErrors.password}</p> : null}
            </div>
            <button type="submit" className="btn-primary w-full" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
          </Form>
        </div>
        <p className="mt-4 text-center text-sm text-gray-700">New partner? <a href="/apply">Apply to the program</a></p>
        <details className="mt-4 text-sm text-gray-700">
          <summary className="cursor-pointer">Demo accounts and what to try first</summary>
          <ul className="mt-2 space-y-3">
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <div className="font-medium text-gray-900">{account.role}</div>
                <code>{account.email}</code>
                <p className="text-gray-600">{account.tryFirst}</p>
              </li>
            ))}
          </ul>
          <p className="mt-2">Password for all: <code>partnerlog</code></p>
        </details>
      </div>
    </main>
  )
}
