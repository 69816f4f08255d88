// A kept page is sent with the script nonce of the response it is sent in, never with the one it was rendered with.
import { describe, expect, test } from 'vitest'
import { createPageCache } from '../../app/page-cache.server.ts'

const page = (nonce: string) =>
  new TextEncoder().encode(`<html><head><link rel="modulepreload" nonce="${nonce}" href="/a.js"></head><body>${nonce.slice(0, 4)}<script nonce="${nonce}">x()</script><script type="module" nonce="${nonce}">y()</script></body></html>`) as Uint8Array<ArrayBuffer>
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined)

describe('kept pages and nonces', () => {
  test('each hit carries the nonce it is given, in every place the rendered one was', () => {
    const cache = createPageCache({ maxBytes: 1 << 20 })
    cache.set('k', page('first-nonce-AAAA'), 'first-nonce-AAAA')
    cache.set('k', page('second-nonce-BBBB'), 'second-nonce-BBBB')
    expect(text(cache.get('k', 'third-nonce-CCCC'))).toBe(text(page('third-nonce-CCCC'))!.replace('<body>thir', '<body>seco'))
    const fourth = text(cache.get('k', 'fourth-nonce-DDDD'))!
    expect(fourth).not.toContain('second-nonce-BBBB')
    expect(fourth.match(/nonce="fourth-nonce-DDDD"/g)).toHaveLength(3)
  })

  test('a page kept with a nonce is not sent without one', () => {
    const cache = createPageCache({ maxBytes: 1 << 20 })
    cache.set('k', page('n-1'), 'n-1')
    cache.set('k', page('n-1'), 'n-1')
    expect(cache.get('k')).toBeUndefined()
    expect(text(cache.get('k', 'n-2'))).toContain('nonce="n-2"')
  })
})
