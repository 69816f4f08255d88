// The view cache on its own: an answer is served again only for the same page, user, inputs and state; failures are
// not kept; the memory budget holds. cachedView: what makes up the state.
import { describe, expect, test } from 'vitest'
import type { AppServices } from '../../app/services.server.ts'
import { cachedView, createViewCache, minuteOf, type ViewRequest } from '../../app/view-cache.server.ts'

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
    // each answer counts about 3 kB (its JSON and key as UTF-16, and 1 kB for the entry): 10 fit in 31 kB, and none
    // above 3.9 kB (an eighth) is kept
    const cache = createViewCache({ maxBytes: 31_000 })
    const answer = (n: number) => async () => ({ n, text: 'x'.repeat(980) })
    for (let n = 0; n < 10; n++) await cache.get(ask({ scope: `u-${n}` }), answer(n))
    expect(cache.stats().entries).toBe(10)
    // u-0 is used again, so u-1 is the oldest when u-10 comes
    await cache.get(ask({ scope: 'u-0' }), answer(-1))
    await cache.get(ask({ scope: 'u-10' }), answer(10))
    expect(cache.stats().entries).toBe(10)
    expect(cache.stats().bytes).toBeLessThanOrEqual(31_000)
    expect(await cache.get(ask({ scope: 'u-0' }), answer(-1))).toMatchObject({ n: 0 })
    expect(await cache.get(ask({ scope: 'u-1' }), answer(-1))).toMatchObject({ n: -1 })

    const { load, calls } = counted(() => ({ text: 'y'.repeat(2_000) }))
    await cache.get(ask({ scope: 'big' }), load)
    await cache.get(ask({ scope: 'big' }), load)
    expect(calls()).toBe(2)
  })

  test('an older load finishing after a newer one does not replace it', async () => {
    const cache = createViewCache({ maxBytes: 1 << 20 })
    let release: () => void = () => {}
    const slow = new Promise<void>((resolve) => (release = resolve))
    const older = cache.get(ask({ state: 's1' }), async () => slow.then(() => ({ v: 1 })))
    const newer = cache.get(ask({ state: 's2' }), async () => ({ v: 2 }))
    expect(await newer).toEqual({ v: 2 })
    release()
    expect(await older).toEqual({ v: 1 })
    const { load, calls } = counted()
    expect(await cache.get(ask({ state: 's2' }), load)).toEqual({ v: 2 })
    expect(calls()).toBe(0)
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

describe('cachedView', () => {
  // the services cachedView reads: the clock, the signed-in lookup (through the session), the insight figures, the cache
  function fakeServices() {
    const world = { at: new Date('2026-11-23T10:15:20.000Z'), readModels: 'rm-1', generation: 1, refreshes: 0 }
    const services = {
      clock: () => world.at,
      views: createViewCache({ maxBytes: 1 << 20 }),
      sessions: { get: async () => ({ get: (name: string) => (name === 'userId' ? 'u-maria' : undefined) }) },
      queries: {
        users: { signedIn: async () => ({ user: maria, readModels: world.readModels }) },
        insights: { current: async () => void world.refreshes++, generation: () => world.generation },
      },
    } as unknown as AppServices
    return { services, world }
  }
  const maria = { userId: 'u-maria', name: 'Maria Jensen', email: 'maria@northwind.example', role: 'partner_admin', organisationId: 'northwind', organisationName: 'Northwind IT' } as const
  const view = (headers: Record<string, string> = {}) => new Request('http://localhost/partner', { headers })

  test('the answer is kept while the read models, the minute and (for insight pages) the figures are the same', async () => {
    const { services, world } = fakeServices()
    const { load, calls } = counted((call, now) => ({ call, now: now.toISOString() }))
    const home = { name: 'partner-home', insights: true }
    expect(await cachedView(view(), services, maria, home, load)).toEqual({ call: 1, now: '2026-11-23T10:15:00.000Z' })
    world.at = new Date('2026-11-23T10:15:50.000Z')
    expect(await cachedView(view(), services, maria, home, load)).toEqual({ call: 1, now: '2026-11-23T10:15:00.000Z' })
    expect(world.refreshes).toBe(2)
    world.generation = 2
    expect((await cachedView(view(), services, maria, home, load)).call).toBe(2)
    world.readModels = 'rm-2'
    expect((await cachedView(view(), services, maria, home, load)).call).toBe(3)
    world.at = new Date('2026-11-23T10:16:00.000Z')
    expect(await cachedView(view(), services, maria, home, load)).toEqual({ call: 4, now: '2026-11-23T10:16:00.000Z' })
    // a page without insight figures does not depend on them
    const library = { name: 'partner-library', args: '{}' }
    await cachedView(view(), services, maria, library, load)
    world.generation = 3
    await cachedView(view(), services, maria, library, load)
    expect(calls()).toBe(5)
  })

  test('a request for a fresh page is computed at the real time and not kept', async () => {
    const { services } = fakeServices()
    const { load, calls } = counted((call, now) => ({ call, now: now.toISOString() }))
    expect(await cachedView(view({ 'Cache-Control': 'no-cache' }), services, maria, { name: 'partner-home' }, load)).toEqual({ call: 1, now: '2026-11-23T10:15:20.000Z' })
    await cachedView(view({ 'Cache-Control': 'no-store' }), services, maria, { name: 'partner-home' }, load)
    expect(calls()).toBe(2)
    expect(services.views.stats().entries).toBe(0)
  })
})
