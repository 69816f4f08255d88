// Loader answers kept while nothing they are made of changed: the read models' positions, the insights and the
// minute; any read-model change, in any process, gives a fresh answer (decision 008).
import { readModelsState, type CurrentUser } from './auth.server.ts'
import { byteBudgetCache, keep } from './lru.server.ts'
import type { AppServices } from './services.server.ts'

/** What one page view asks for. */
export type ViewRequest = {
  /** the page, e.g. 'partner-home' */
  view: string
  /** whose answer it is: the signed-in user's id (an answer is never served to anybody else) */
  scope: string
  /** the page's inputs besides the user, e.g. its normalised search parameters */
  args: string
  /** what the answer is made of, as of this request: changes whenever the answer could */
  state: string
  /** the time the answer is computed for: the start of the request's minute, so a kept answer equals a fresh one */
  now: Date
}

export type ViewCacheStats = { entries: number; bytes: number; hits: number; misses: number; skipped: number }

export type ViewCache = {
  /** the kept answer to `request`, or `load(request.now)`'s (kept for the next view with the same state) */
  get<T>(request: ViewRequest, load: (now: Date) => Promise<T>): Promise<T>
  stats(): ViewCacheStats
}

/** counted for every kept answer besides its JSON: the entry, its key's string and the objects' headers */
const ENTRY_OVERHEAD = 1024

/** Answers kept within `maxBytes` (by JSON size; 0 keeps nothing); views asked at once with one state share one load. */
export function createViewCache({ maxBytes }: { maxBytes: number }): ViewCache {
  // `ticket` orders the loads of one key: an answer finishing after a newer one must not replace it
  const kept = byteBudgetCache<{ state: string; value: unknown; ticket: number }>(maxBytes)
  const loading = new Map<string, { state: string; value: Promise<unknown>; ticket: number }>()
  let tickets = 0
  let hits = 0
  let misses = 0
  let skipped = 0

  return {
    get<T>(request: ViewRequest, load: (now: Date) => Promise<T>): Promise<T> {
      if (maxBytes <= 0) {
        skipped++
        return load(request.now)
      }
      const key = `${request.view}\u0000${request.scope}\u0000${request.args}`
      const found = kept.get(key)
      if (found && found.state === request.state) {
        hits++
        return Promise.resolve(found.value as T)
      }
      const pending = loading.get(key)
      if (pending && pending.state === request.state) {
        hits++
        return pending.value as Promise<T>
      }
      misses++
      const entry = { state: request.state, value: load(request.now) as Promise<unknown>, ticket: ++tickets }
      loading.set(key, entry)
      const done = () => {
        if (loading.get(key) === entry) loading.delete(key)
      }
      entry.value.then(
        (value) => {
          done()
          // a newer load of this key is under way or already kept: this answer is older
          if (loading.has(key) || (kept.peek(key)?.ticket ?? 0) > entry.ticket) return
          let size: number
          try {
            // the answer's JSON as UTF-16, its key, and a kilobyte for the entry and the objects' overhead
            size = 2 * ((JSON.stringify(value)?.length ?? 0) + key.length) + ENTRY_OVERHEAD
          } catch {
            size = Number.POSITIVE_INFINITY // not plain data: never kept
          }
          // an answer too big to keep leaves the key empty (set drops the older answer first)
          keep(kept, key, { state: entry.state, value, ticket: entry.ticket }, size)
        },
        // a failed load (an error, a redirect thrown) is never kept: the next view loads again
        done,
      )
      return entry.value as Promise<T>
    },
    stats: () => ({ entries: kept.size, bytes: kept.calculatedSize, hits, misses, skipped }),
  }
}

/** Whether a request asks not to be served from a cache (a hard reload). */
export function asksForFresh(request: Request): boolean {
  return /\bno-(cache|store)\b/i.test(request.headers.get('Cache-Control') ?? '')
}

/** The start of the minute `at` is in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000)
}

/**
 * A loader answer through the view cache, computed by `load(now)` at the start of this minute. With `insights`, their
 * generation is part of the state. A hard reload is computed afresh, at the real time.
 */
export async function cachedView<T>(
  request: Request,
  services: AppServices,
  user: CurrentUser,
  view: { name: string; args?: string; insights?: boolean },
  load: (now: Date) => Promise<T>,
): Promise<T> {
  const at = services.clock()
  const readModels = await readModelsState(request, services)
  if (readModels === null || asksForFresh(request)) return load(at)
  const now = minuteOf(at)
  let state = `${readModels}|${now.getTime()}`
  if (view.insights) {
    // starts the figures' refresh in the background when they are due (what a computed view's loader would do)
    await services.queries.insights.current(now.toISOString(), readModels)
    state += `|${services.queries.insights.generation()}`
  }
  return services.views.get({ view: view.name, scope: user.userId, args: view.args ?? '', state, now }, load)
}
