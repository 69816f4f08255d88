// The view cache on its own: an answer is served again only for the same page, user, inputs and state; failures are
// not kept; the memory budget holds.
import { describe, expect, test } from 'vitest'
import { createViewCache, minuteOf, type ViewRequest } from '../../app/view-cache.server.ts'

const at = new Date('2026-11-23T10:15:00.000Z')
const ask = (over: Partial<ViewRequest> = {}): ViewRequest => ({ view: 'partner-home', scope: 'u-maria', args: '', state: 's1', now: at, ...over })

/** a load that counts its calls and answers with its call number */
function counted<T>(answer: (call: number, now: Date) => T = (call) => ({ call }) as T) {
  let calls = 0
  const load = async (now: Date) => answer(++calls, now)
  return { load, calls: () => calls }
}

describe('view cache', () => {
  test('serves the kept answer while the state is the same, and a fresh one once it changes', async () => {
    const cache = createViewCache({ maxBytes: 1 << 20 })
    const { load, calls } = counted()
    expect(await cache.get(ask(), load)).toEqual({ call: 1 })
    expect(await cache.get(ask(), load)).toEqual({ call: 1 })
    expect(calls()).toBe(1)
    expect(await cache.get(ask({ state: 's2' }), load)).toEqual({ call: 2 })
    expect(await cache.get(ask({ state: 's2' }), load)).toEqual({ call: 2 })
    // back to an older state: the entry holds the newest only, so it loads again
    expect(await cache.get(ask({ state: 's1' }), load)).toEqual({ call: 3 })
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 3, entries: 1 })
  })

  test('an answer is never served to another user, another page or other inputs', async () => {
    const cache = createViewCache({ maxBytes: 1 << 20 })
    const load = (who: string) => async () => ({ who })
    expect(await cache.get(ask({ scope: 'u-maria' }), load('maria'))).toEqual({ who: 'maria' })
    expect(await cache.get(ask({ scope: 'u-li' }), load('li'))).toEqual({ who: 'li' })
    expect(await cache.get(ask({ scope: 'u-maria', view: 'partner-library' }), load('maria library'))).toEqual({ who: 'maria library' })
    expect(await cache.get(ask({ scope: 'u-maria', view: 'partner-library', args: '{"q":"guide"}' }), load('maria guide'))).toEqual({ who: 'maria guide' })
    expect(await cache.get(ask({ scope: 'u-maria' }), load('not called'))).toEqual({ who: 'maria' })
    expect(await cache.get(ask({ scope: 'u-li' }), load('not called'))).toEqual({ who: 'li' })
    expect(cache.stats().entries).toBe(4)
  })

  test('views asked for at the same time share one load, computed for the request\'s time', async () => {
    const cache = createViewCache({ maxBytes: 1 << 20 })
    const { load, calls } = counted((call, now) => ({ call, now: now.toISOString() }))
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.get(ask(), load)))
    expect(calls()).toBe(1)
    expect(new Set(answers).size).toBe(1)
    expect(answers[0]).toEqual({ call: 1, now: at.toISOString() })
  })

  test('a failed load is not kept: the next view loads again', async () => {
    const cache = createViewCache({ maxBytes: 1 << 20 })
    let fail = true
    const load = async () => {
      if (fail) throw new Error('database gone')
      return { ok: true }
    }
    await expect(cache.get(ask(), load)).rejects.toThrow('database gone')
    fail = false
    expect(await cache.get(ask(), load)).toEqual({ ok: true })
    expect(cache.stats()).toMatchObject({ misses: 2, hits: 0, entries: 1 })
  })

  test('keeps within its memory budget, dropping the least recently used answers first', async () => {
    // each answer is about 2 kB (its JSON counted as UTF-16): 10 fit in 20 kB, none above 2.5 kB (an eighth) is kept
    const cache = createViewCache({ maxBytes: 20_000 })
    const answer = (n: number) => async () => ({ n, text: 'x'.repeat(980) })
    for (let n = 0; n < 10; n++) await cache.get(ask({ scope: `u-${n}` }), answer(n))
    expect(cache.stats().entries).toBe(10)
    // u-0 is used again, so u-1 is the oldest when u-10 comes
    await cache.get(ask({ scope: 'u-0' }), answer(-1))
    await cache.get(ask({ scope: 'u-10' }), answer(10))
    await Promise.resolve()
    expect(cache.stats().bytes).toBeLessThanOrEqual(20_000)
    expect(await cache.get(ask({ scope: 'u-0' }), answer(-1))).toMatchObject({ n: 0 })
    expect(await cache.get(ask({ scope: 'u-1' }), answer(-1))).toMatchObject({ n: -1 })

    const { load, calls } = counted(() => ({ text: 'y'.repeat(2_000) }))
    await cache.get(ask({ scope: 'big' }), load)
    await cache.get(ask({ scope: 'big' }), load)
    expect(calls()).toBe(2)
  })

  test('a budget of 0 keeps nothing', async () => {
    const cache = createViewCache({ maxBytes: 0 })
    const { load, calls } = counted()
    await cache.get(ask(), load)
    await cache.get(ask(), load)
    expect(calls()).toBe(2)
    expect(cache.stats()).toMatchObject({ entries: 0, skipped: 2 })
  })

  test('minuteOf is the start of the minute', () => {
    expect(minuteOf(new Date('2026-11-23T10:15:59.999Z')).toISOString()).toBe('2026-11-23T10:15:00.000Z')
    expect(minuteOf(new Date('2026-11-23T10:16:00.000Z')).toISOString()).toBe('2026-11-23T10:16:00.000Z')
  })
})
