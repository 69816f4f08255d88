// Rendered pages kept by what they are rendered from (the URL, every loader's answer and the minute), sent again
// while those stay the same (decision 008).
import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { EntryContext } from 'react-router'
import { byteBudgetCache, keep } from './lru.server.ts'
import { asksForFresh, minuteOf } from './view-cache.server.ts'

export type PageCacheStats = { entries: number; bytes: number; hits: number; misses: number; seenOnce: number }

export type PageCache = {
  /** the key of the page this request renders, or null when it is not kept (not a plain GET, errors, unusual data) */
  keyOf(request: Request, context: EntryContext, at: Date): string | null
  /** the kept page, with `nonce` where its own response's script nonce was */
  get(key: string, nonce?: string): Uint8Array<ArrayBuffer> | undefined
  /** keeps a page the second time its key is rendered (a page seen once is not worth it), its nonce cut out */
  set(key: string, html: Uint8Array<ArrayBuffer>, nonce?: string): void
  stats(): PageCacheStats
}

class NotPlainData extends Error {}

/** JSON.stringify's replacer: keeps apart what JSON merges (undefined, Date, NaN) and refuses promises, Maps, classes. */
function exact(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key]
  switch (typeof raw) {
    case 'undefined':
      return '\u0000u'
    case 'number':
      return Number.isFinite(raw) ? raw : `\u0000n${raw}`
    case 'string':
      return raw.startsWith('\u0000') ? `\u0000s${raw}` : raw
    case 'boolean':
      return raw
    case 'object': {
      if (raw === null) return null
      if (raw instanceof Date) return `\u0000d${raw.getTime()}`
      const proto = Object.getPrototypeOf(raw)
      if (Array.isArray(raw) || proto === Object.prototype || proto === null) return value
      throw new NotPlainData()
    }
    default:
      throw new NotPlainData()
  }
}

/** the page in pieces around each occurrence of the nonce */
function cutAt(html: Uint8Array<ArrayBuffer>, nonce: string | undefined): Uint8Array<ArrayBuffer>[] {
  if (!nonce) return [html]
  const page = Buffer.from(html.buffer, html.byteOffset, html.byteLength)
  const pieces: Uint8Array<ArrayBuffer>[] = []
  let from = 0
  for (let at = page.indexOf(nonce, from, 'latin1'); at >= 0; at = page.indexOf(nonce, from, 'latin1')) {
    pieces.push(html.subarray(from, at))
    from = at + nonce.length
  }
  pieces.push(html.subarray(from))
  return pieces
}

export function createPageCache({ maxBytes }: { maxBytes: number }): PageCache {
  const kept = byteBudgetCache<Uint8Array<ArrayBuffer>[]>(maxBytes)
  // keys rendered once (a few dozen bytes each, at most 10,000; the oldest go first)
  const seenOnce = new LRUCache<string, true>({ max: 10_000 })
  let hits = 0
  let misses = 0
  return {
    keyOf(request, context, at) {
      if (maxBytes <= 0 || request.method !== 'GET') return null
      // a browser's hard reload, and the HTTP bench's uncached runs: render afresh
      if (asksForFresh(request)) return null
      const handled = context.staticHandlerContext
      if (handled.errors || handled.statusCode !== 200) return null
      let answers: string
      try {
        answers = JSON.stringify([handled.loaderData, handled.actionData ?? null], exact)
      } catch (error) {
        if (error instanceof NotPlainData || error instanceof TypeError) return null
        throw error
      }
      return createHash('sha256').update(`${minuteOf(at).getTime()}\u0000${request.url}\u0000${answers}`).digest('base64url')
    },
    get(key, nonce) {
      const pieces = kept.get(key)
      // a page that had a nonce is not sent without one
      if (!pieces || (pieces.length > 1 && !nonce)) {
        misses++
        return undefined
      }
      hits++
      if (pieces.length === 1) return pieces[0]
      const between = Buffer.from(nonce!, 'latin1')
      return Buffer.concat(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [between, piece]))) as Uint8Array<ArrayBuffer>
    },
    set(key, html, nonce) {
      if (seenOnce.delete(key)) {
        keep(kept, key, cutAt(html, nonce), html.byteLength)
        return
      }
      seenOnce.set(key, true)
    },
    stats: () => ({ entries: kept.size, bytes: kept.calculatedSize, hits, misses, seenOnce: seenOnce.size }),
  }
}
