// One answer for "the database is not reachable right now" (a session ended, a restart, refused connections):
// 503 with Retry-After instead of a 500, whether a command, a loader or the session lookup met it.
import { data, UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from 'react-router'
import { isConnectionError } from '../eventstore/postgres/driver.ts'

export const RETRY_AFTER_SECONDS = 2

export const UNAVAILABLE_REASON =
  'The database could not be reached for a moment, so this may not have been saved. Try again in a few seconds: a form sent again is recorded only once.'

/** The 503 a command throws when its database connection was lost or refused (an ErrorBoundary shows the reason). */
export function serviceUnavailable(reason: string = UNAVAILABLE_REASON) {
  return data(reason, { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } })
}

/** The error to throw instead: a lost or refused database connection becomes the 503, anything else stays itself. */
export function asUnavailable(error: unknown): unknown {
  return isConnectionError(error) ? serviceUnavailable() : error
}

const unavailableRequests = new WeakSet<Request>()

/**
 * For the server entry's handleError: remembers that this request failed on a lost or refused database connection
 * (React Router hides the error from the render), and says whether it did.
 */
export function noteUnavailable(request: Request, error: unknown): boolean {
  const cause = (error as { error?: unknown } | null)?.error ?? error
  if (!isConnectionError(cause)) return false
  unavailableRequests.add(request)
  return true
}

/** For the server entry: the status to answer with (503 when the database was unreachable) and its Retry-After. */
export function answerStatus(request: Request, status: number, headers: Headers): number {
  if (unavailableRequests.has(request)) status = 503
  if (status === 503 && !headers.has('Retry-After')) headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
  return status
}

/**
 * For the server entry: the errors a page's boundaries render, with every error of a request that met a lost
 * connection replaced by the 503 and its reason (React Router hands boundaries only a sanitised "Unexpected Server
 * Error" for it), so the page says to try again rather than that something went wrong.
 */
export function explainUnavailable(request: Request, errors: Record<string, unknown> | null | undefined): void {
  if (!errors || !unavailableRequests.has(request)) return
  for (const routeId of Object.keys(errors)) errors[routeId] = new ErrorResponseImpl(503, 'Service Unavailable', UNAVAILABLE_REASON)
}

/** For the server entry's handleDataRequest: a client navigation or enhanced form that met a lost connection answers 503 too. */
export function unavailableData(response: Response, request: Request): Response {
  if (!unavailableRequests.has(request) || response.status === 503) return response
  const headers = new Headers(response.headers)
  headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
  return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers })
}
