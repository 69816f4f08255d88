// Loaders get the request as it came (future.v8_passThroughRequests): the page to come back to after signing in is
// the page's own path, never the data request a client navigation made for it.
import { describe, expect, it } from 'vitest'
import { pagePath } from '../../app/auth.server.ts'

const path = (url: string) => pagePath(new Request(`http://portal.example${url}`))

describe('pagePath', () => {
  it('keeps a document request as it is', () => {
    expect(path('/partner/library?q=guide&kind=to-partner')).toBe('/partner/library?q=guide&kind=to-partner')
  })
  it("drops a data request's .data suffix and its _routes and index parameters", () => {
    expect(path('/partner/library.data?q=guide&_routes=routes%2Fpartner%2Flibrary')).toBe('/partner/library?q=guide')
    expect(path('/vendor/deals.data?index&_routes=root')).toBe('/vendor/deals')
  })
  it('maps the root data request to the home page', () => {
    expect(path('/_root.data')).toBe('/')
  })
})
