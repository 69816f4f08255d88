// first: zod's settings for the browser, before any module that loads zod
import './zod-jitless.ts'
import { data, isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useMatches, useRouteError } from 'react-router'
import type { Route } from './+types/root'
import stylesheet from './app.css?url'
import { asOfFrom } from './audit.server.ts'
import { getUser, newCsrfToken } from './auth.server.ts'
import { ReadModelsBehind } from './components/read-models-behind.tsx'
import { Shell } from './components/shell.tsx'
import { Toast } from './components/toast.tsx'
import { fundsQueries } from './queries/funds.server.ts'
import { dealsWaiting } from './queries/index.server.ts'
import { count } from './queries/read-models.server.ts'
import { isoDay } from './format.ts'

export const links: Route.LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  // first, so that the page's loader (running beside this one) finds the user's lookup under way
  const signedIn = getUser(request, services)
  const session = await services.sessions.get(request)
  const headers = new Headers()
  let csrf = session.get('csrf')
  if (!csrf) {
    csrf = newCsrfToken()
    session.set('csrf', csrf)
  }
  const toast = session.get('toast') ?? null
  headers.append('Set-Cookie', await services.sessions.commit(request, session))
  const user = await signedIn
  const queueSize = user && (user.role === 'channel_manager' || user.role === 'vendor_admin') ? await waitingForVendor(services.sql) : 0
  const asOf = user?.role === 'auditor' ? asOfFrom(session) : null
  // read models that failed or stopped on an event, so that pages say they are behind (decision 010)
  const behind = user ? services.runner.status().filter((p) => p.failure || p.state === 'failed' || p.state === 'halted').map((p) => p.name) : []
  return data({ user, csrf, toast, queueSize, asOf, behind, today: isoDay(services.clock()) }, { headers })
}

/** what the Queues page lists: deals, co-investment requests and claims waiting for a decision */
async function waitingForVendor(sql: Route.LoaderArgs['context']['services']['sql']) {
  const [deals, funds] = await Promise.all([
    count(sql, dealsWaiting),
    fundsQueries(sql).waitingCount(),
  ])
  return deals + funds
}

/** What the portal is, for a page that does not describe itself (a route says more with `handle: { description }`). */
const DESCRIPTION = 'Partnerlog, the partner portal: deal registration, co-investment funds, training and collateral, with every action on record.'

/** The description of the deepest matched route that has one. */
function useDescription(): string {
  const described = useMatches().map((m) => (m.handle as { description?: unknown } | undefined)?.description).filter((d): d is string => typeof d === 'string' && d.length > 0)
  return described.at(-1) ?? DESCRIPTION
}

export function Layout({ children }: { children: React.ReactNode }) {
  const description = useDescription()
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={description} />
        <Meta />
        <Links />
      </head>
      <body className="h-full">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  const { user, toast, queueSize, asOf, behind, today } = useLoaderData<typeof loader>()
  return (
    <>
      {user ? (
        <Shell user={user} queueSize={queueSize} asOf={asOf} today={today}>
          <ReadModelsBehind names={behind} />
          {toast ? <Toast kind={toast.kind} message={toast.message} /> : null}
          <Outlet />
        </Shell>
      ) : (
        <>
          {toast ? <div className="mx-auto max-w-md px-4 pt-6"><Toast kind={toast.kind} message={toast.message} /></div> : null}
          <Outlet />
        </>
      )}
    </>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  let title = 'Something went wrong'
  let detail = 'An unexpected error occurred. Try again; if it keeps happening, tell your channel manager.'
  let status = 500
  if (isRouteErrorResponse(error)) {
    status = error.status
    title = status === 404 ? 'Page not found' : status === 403 ? 'Not allowed' : status === 503 ? 'Try again in a moment' : `Error ${status}`
    detail = typeof error.data === 'string' && error.data ? error.data : error.statusText || detail
    // React Router's own answer for an unknown path names its internals: say it for people
    // (on the server it is marked internal; in the browser, after hydration, only its text says so)
    if (status === 404 && ((error as { internal?: boolean }).internal || /^Error: No route matches URL/.test(detail))) {
      detail = 'There is no page at this address. Check the link, or go to the start page.'
    }
  }
  return (
    <main className="mx-auto max-w-xl p-8">
      <div className="card p-6">
        <p className="text-sm font-semibold text-red-700">{status}</p>
        <h1 className="mt-1 text-xl font-semibold">{title}</h1>
        <p className="mt-2 text-gray-700">{detail}</p>
        <a href="/" className="btn-secondary mt-4">Go to the start page</a>
      </div>
    </main>
  )
}
