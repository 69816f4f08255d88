// Outbound HTTP to third parties is mocked with msw: one handlers array per outside service, collected here.
// Partnerlog calls no third-party HTTP service today; the server below still fails any test that tries one.
import type { RequestHandler } from 'msw'
import { setupServer } from 'msw/node'

export const handlers: RequestHandler[] = []

const ours = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export const server = setupServer(...handlers)

export function startMockServer() {
  server.listen({
    onUnhandledRequest(request, print) {
      // the portal under test and Chromium's DevTools endpoint are on this machine: never mocked
      if (ours.has(new URL(request.url).hostname)) return
      print.error()
    },
  })
}
