// One answer for "the database is not reachable right now": 503 with Retry-After instead of a 500, wherever it is met.
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

/** For handleError: remembers that this request met a lost connection (React Router hides it from the render). */
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

/** For the server entry: a request that met a lost connection renders the 503 and its reason in its boundaries. */
export function explainUnavailable(request: Request, errors: Record<string, unknown> | null | undefined): void {
  if (!errors || !unavailableRequests.has(request)) return
  for (const routeId of Object.keys(errors)) errors[routeId] = new ErrorResponseImpl(503, 'Service Unavailable', UNAVAILABLE_REASON)
}

/** For handleDataRequest: a client navigation that met a lost connection answers 503 too. */
export function unavailableData(response: Response, request: Request): Response {
  if (!unavailableRequests.has(request) || response.status === 503) return response
  const headers = new Headers(response.headers)
  headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
  return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers })
}
