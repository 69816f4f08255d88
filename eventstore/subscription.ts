// Catch-up-then-live subscription of the memory and postgres adapters: read batches after a cursor, then sleep until
// woken (append/NOTIFY), with a slow safety poll in case a wake-up is lost.
import type { Position, RecordedEvent, Subscription, SubscriptionFilter } from './types.ts'

export type RawEvent = { position: Position; type: string; streamId: string }

export type PollingSubscriptionOptions<R extends RawEvent, E extends RecordedEvent> = {
  fromPosition: Position
  filter?: SubscriptionFilter
  /** events strictly after `after`, in global order, at most `limit` */
  fetch(after: Position, limit: number): Promise<R[]>
  decode(raw: R): E
  /** registers a wake-up callback; returns the function that removes it */
  onWake(listener: () => void): Promise<() => Promise<void> | void>
  batchSize?: number
  /** idle re-read interval when no wake-up arrives (ms) */
  safetyPollMs?: number
  /** backoff while a wake-up arrived but nothing new is visible yet (ms) */
  retryMinMs?: number
  retryMaxMs?: number
  /**
   * Whether committed events after `after` are not yet visible to fetch (an older transaction still runs). While yes,
   * the subscription reads again with backoff instead of waiting for the safety poll.
   */
  committedBeyond?(after: Position): Promise<boolean>
  /** called once when the subscription ends, for the owner's bookkeeping */
  onClose?: () => void
}

export function matchesFilter(filter: SubscriptionFilter | undefined, event: { type: string; streamId: string }): boolean {
  if (!filter) return true
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) return false
  return true
}

export function createPollingSubscription<R extends RawEvent, E extends RecordedEvent>(
  options: PollingSubscriptionOptions<R, E>,
): Subscription<E> {
  const batchSize = options.batchSize ?? 500
  const safetyPollMs = options.safetyPollMs ?? 1000
  const retryMinMs = options.retryMinMs ?? 10
  const retryMaxMs = options.retryMaxMs ?? 500

  let stopped = false
  let woken = false
  let wake: (() => void) | undefined
  let started = false
  let closed = false
  let removeListener: (() => Promise<void> | void) | undefined

  const signal = () => {
    woken = true
    wake?.()
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped || woken) return resolve()
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  const close = async () => {
    if (closed) return
    closed = true
    stopped = true
    wake?.()
    const remove = removeListener
    removeListener = undefined
    try {
      await remove?.()
    } finally {
      options.onClose?.()
    }
  }

  async function* iterate(): AsyncGenerator<E> {
    if (started) throw new Error('A subscription can be iterated only once')
    started = true
    try {
      removeListener = await options.onWake(signal)
      if (stopped) return
      let cursor = options.fromPosition
      // woken since last idle: something committed that the reads may not see yet; kept across catch-up batches so a
      // wake-up during catch-up is not lost
      let wokenSinceIdle = false
      let delay = retryMinMs
      while (!stopped) {
        if (woken) wokenSinceIdle = true
        woken = false
        const batch = await options.fetch(cursor, batchSize)
        if (stopped) return
        for (const raw of batch) {
          cursor = raw.position
          if (!matchesFilter(options.filter, raw)) continue
          yield options.decode(raw)
          if (stopped) return
        }
        if (batch.length === batchSize) continue // still catching up
        if (woken) continue // something committed while reading or delivering: read again now
        if (batch.length > 0) delay = retryMinMs
        if (wokenSinceIdle) {
          // at the end of what is visible after a wake-up: is anything committed that cannot be read yet?
          if (options.committedBeyond) {
            if (await options.committedBeyond(cursor)) {
              if (stopped) return
              // read again soon, backing off to retryMaxMs, for as long as committed events wait: they become
              // visible the moment the older transaction ends
              await sleep(delay)
              delay = Math.min(delay * 2, retryMaxMs)
              continue
            }
          } else if (batch.length === 0 && delay <= retryMaxMs) {
            // no way to ask: back off a few times in case the wake-up is not visible yet, then leave it to the poll
            const wait = delay
            delay = delay >= retryMaxMs ? retryMaxMs + 1 : Math.min(delay * 2, retryMaxMs)
            await sleep(wait)
            continue
          }
        }
        wokenSinceIdle = false
        delay = retryMinMs
        await sleep(safetyPollMs)
      }
    } finally {
      await close()
    }
  }

  const generator = iterate()
  return {
    [Symbol.asyncIterator]: () => generator,
    poke: signal,
    async unsubscribe() {
      stopped = true
      wake?.()
      if (!started) await generator.return(undefined)
      await close()
    },
  }
}
