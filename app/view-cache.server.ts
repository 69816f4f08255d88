// Loader answers kept while nothing they are made of has changed: the read models (every active projection's version
// and position), the program-wide insight figures, and the minute. A page view whose state matches serves the kept
// answer; any change to a read model, in this process or another, gives every view a new state and so a fresh answer.
// (decision record 008)
import { readModelsState, type CurrentUser } from './auth.server.ts'
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
  clear(): void
}

type Entry = { state: string; value: Promise<unknown>; bytes: number }

/** an answer bigger than this share of the budget is served but not kept */
const LARGEST_SHARE = 8

/**
 * A least-recently-used map of answers within `maxBytes` (each answer counted as the UTF-16 size of its JSON, about what
 * it holds in memory). `maxBytes` 0 keeps nothing. Views asked for at the same time with the same state share one load.
 */
export function createViewCache({ maxBytes }: { maxBytes: number }): ViewCache {
  const entries = new Map<string, Entry>()
  let bytes = 0
  let hits = 0
  let misses = 0
  let skipped = 0

  const drop = (key: string, entry: Entry) => {
    if (entries.get(key) !== entry) return
    entries.delete(key)
    bytes -= entry.bytes
  }

  return {
    get<T>(request: ViewRequest, load: (now: Date) => Promise<T>): Promise<T> {
      if (maxBytes <= 0) {
        skipped++
        return load(request.now)
      }
      const key = `${request.view}\u0000${request.scope}\u0000${request.args}`
      const found = entries.get(key)
      if (found && found.state === request.state) {
        hits++
        // most recently used last
        entries.delete(key)
        entries.set(key, found)
        return found.value as Promise<T>
      }
      misses++
      if (found) drop(key, found)
      const entry: Entry = { state: request.state, value: load(request.now), bytes: 0 }
      entries.set(key, entry)
      entry.value.then(
        (value) => {
          if (entries.get(key) !== entry) return
          let size: number
          try {
            size = 2 * (JSON.stringify(value)?.length ?? 0)
          } catch {
            size = Number.POSITIVE_INFINITY // not plain data: never kept
          }
          if (size > maxBytes / LARGEST_SHARE) {
            drop(key, entry)
            return
          }
          entry.bytes = size
          bytes += size
          for (const [oldKey, old] of entries) {
            if (bytes <= maxBytes) break
            if (old !== entry) drop(oldKey, old)
          }
        },
        // a failed load (an error, a redirect thrown) is never kept: the next view loads again
        () => drop(key, entry),
      )
      return entry.value as Promise<T>
    },
    stats: () => ({ entries: entries.size, bytes, hits, misses, skipped }),
    clear() {
      entries.clear()
      bytes = 0
    },
  }
}

/** The start of the minute `at` is in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000)
}

/**
 * A page's loader answer through the view cache: `load(now)` computes it for the signed-in `user` at `now` (the start
 * of this minute). A request that asks not to be served from a cache (`Cache-Control: no-cache`, a browser's hard
 * reload) is computed afresh, at the real time.
 */
export async function cachedView<T>(
  request: Request,
  services: AppServices,
  user: CurrentUser,
  view: string,
  args: string,
  load: (now: Date) => Promise<T>,
): Promise<T> {
  const at = services.clock()
  const control = request.headers.get('Cache-Control') ?? ''
  const readModels = await readModelsState(request, services)
  if (readModels === null || /\bno-(cache|store)\b/i.test(control)) return load(at)
  const now = minuteOf(at)
  const state = `${readModels}|${services.queries.insights.generation()}|${now.getTime()}`
  return services.views.get({ view, scope: user.userId, args, state, now }, load)
}
