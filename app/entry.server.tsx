// Renders a page to one buffer and answers it in one piece: the portal streams nothing, and writing each chunk to
// the socket separately costs more.
import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from 'react-router'
import { isRouteErrorResponse, ServerRouter } from 'react-router'
import { renderToPipeableStream } from 'react-dom/server'
import { answerStatus, explainUnavailable, noteUnavailable, unavailableData } from './unavailable.server.ts'

export const streamTimeout = 5_000

/** React Router's default logging, but a lost database connection answers 503 (unavailable.server.ts) and a 4xx logs nothing */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (noteUnavailable(request, error) || request.signal.aborted) return
  // an unknown path or method is the client's mistake, answered by the error page; nothing for the log
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500) return
  const inner = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined
  console.error(inner ?? error)
}

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => unavailableData(response, request)

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  responseStatusCode = answerStatus(request, responseStatusCode, responseHeaders)
  explainUnavailable(request, routerContext.staticHandlerContext.errors)
  if (request.method.toUpperCase() === 'HEAD') return new Response(null, { status: responseStatusCode, headers: responseHeaders })
  // the script nonce of this response's content security policy (app/server/app.server.ts)
  const nonce = loadContext?.cspNonce
  // a page rendered before from the same inputs is sent again with this response's nonce (page-cache.server.ts)
  const pages = loadContext?.services?.pages
  const key = pages ? pages.keyOf(request, routerContext, loadContext.services.clock()) : null
  const kept = key ? pages!.get(key, nonce) : undefined
  if (kept) {
    responseHeaders.set('Content-Type', 'text/html')
    responseHeaders.set('X-Cache', 'hit')
    return new Response(kept, { headers: responseHeaders, status: responseStatusCode })
  }
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const chunks: Buffer[] = []
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000)
    const body = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk)
        callback()
      },
      final(callback) {
        clearTimeout(timeoutId)
        timeoutId = undefined
        responseHeaders.set('Content-Type', 'text/html')
        const html = Buffer.concat(chunks)
        if (key && responseStatusCode === 200) pages!.set(key, html, nonce)
        resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }))
        callback()
      },
    })
    // ServerRouter hands the nonce to <Links>, <Scripts> and <ScrollRestoration>; React puts it on its own inline scripts
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={nonce} />, {
      nonce,
      onShellReady() {
        shellRendered = true
      },
      // React Router streams loader data in its own Suspense boundary: wait for all of it
      onAllReady() {
        pipe(body)
      },
      onShellError(error: unknown) {
        clearTimeout(timeoutId)
        reject(error)
      },
      onError(error: unknown) {
        responseStatusCode = 500
        // errors while rendering the shell reject and are logged by React Router
        if (shellRendered) console.error(error)
      },
    })
  })
}
