// Renders a page to one buffer and answers it in one piece: the portal streams nothing (no Suspense of its own), and
// React Router's default entry wrote each small chunk of the stream to the socket separately.
import { Writable } from 'node:stream'
import type { EntryContext } from 'react-router'
import { ServerRouter } from 'react-router'
import { renderToPipeableStream } from 'react-dom/server'

export const streamTimeout = 5_000

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, routerContext: EntryContext) {
  if (request.method.toUpperCase() === 'HEAD') return new Response(null, { status: responseStatusCode, headers: responseHeaders })
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
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }))
        callback()
      },
    })
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} />, {
      onShellReady() {
        shellRendered = true
      },
      // React Router streams the loaders' data into the page inside its own Suspense boundary: wait for all of it
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
