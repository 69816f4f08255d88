// The page cache's key: a page is sent again only for the same URL, the same loader answers and the same minute;
// requests and answers it cannot read exactly are never kept.
import { describe, expect, test } from 'vitest'
import type { EntryContext } from 'react-router'
import { createPageCache } from '../../app/page-cache.server.ts'

const at = new Date('2026-11-23T10:15:20.000Z')
const url = 'http://localhost/partner'
const get = (headers: Record<string, string> = {}, method = 'GET', href = url) => new Request(href, { method, headers })
const context = (loaderData: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ({ staticHandlerContext: { loaderData, actionData: null, errors: null, statusCode: 200, ...over } }) as unknown as EntryContext
const answers = { root: { user: { name: 'Maria Jensen' }, csrf: 'token-1' }, 'routes/partner/home': { recent: [{ dealId: 'd-1', value: 5 }] } }

describe('page cache key', () => {
  const cache = createPageCache({ maxBytes: 1 << 20 })
  const key = (data: Record<string, unknown> = answers, request = get(), when = at) => cache.keyOf(request, context(data), when)

  test('the same URL, answers and minute give the same key; any difference gives another', () => {
    expect(key()).toBe(key(structuredClone(answers)))
    expect(key(answers, get(), new Date('2026-11-23T10:15:59.000Z'))).toBe(key())
    expect(key(answers, get(), new Date('2026-11-23T10:16:00.000Z'))).not.toBe(key())
    expect(key(answers, get({}, 'GET', 'http://localhost/partner?x=1'))).not.toBe(key())
    expect(key({ ...answers, root: { ...answers.root, csrf: 'token-2' } })).not.toBe(key())
    expect(key({ ...answers, 'routes/partner/home': { recent: [{ dealId: 'd-1', value: 6 }] } })).not.toBe(key())
  })

  test('keeps apart what JSON alone would merge', () => {
    expect(key({ a: { x: undefined } })).not.toBe(key({ a: {} }))
    expect(key({ a: { x: new Date('2026-01-01T00:00:00.000Z') } })).not.toBe(key({ a: { x: '2026-01-01T00:00:00.000Z' } }))
    expect(key({ a: { x: Number.NaN } })).not.toBe(key({ a: { x: null } }))
    expect(key({ a: { x: '\u0000u' } })).not.toBe(key({ a: { x: undefined } }))
  })

  test('is not kept: streamed (promised) or unusual data, errors, other methods, a request for a fresh page', () => {
    expect(key({ a: { later: Promise.resolve(1) } })).toBeNull()
    expect(key({ a: { m: new Map() } })).toBeNull()
    expect(key({ a: { n: 1n } })).toBeNull()
    expect(cache.keyOf(get(), context(answers, { errors: { root: new Error('x') } }), at)).toBeNull()
    expect(cache.keyOf(get(), context(answers, { statusCode: 404 }), at)).toBeNull()
    expect(key(answers, get({}, 'POST'))).toBeNull()
    expect(key(answers, get({ 'Cache-Control': 'no-cache' }))).toBeNull()
    expect(key(answers, get({ 'Cache-Control': 'no-store' }))).toBeNull()
    expect(createPageCache({ maxBytes: 0 }).keyOf(get(), context(answers), at)).toBeNull()
  })
})

describe('page cache', () => {
  test('keeps a page the second time it is rendered, then serves it', () => {
    const cache = createPageCache({ maxBytes: 1 << 20 })
    const html = new TextEncoder().encode('<html>page</html>') as Uint8Array<ArrayBuffer>
    cache.set('k', html)
    expect(cache.get('k')).toBeUndefined()
    cache.set('k', html)
    expect(cache.get('k')).toBe(html)
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1, seenOnce: 0 })
  })
})
