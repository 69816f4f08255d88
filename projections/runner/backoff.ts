// The runner's one retry policy: how long a stopped projection waits before it is attached again. Not p-retry:
// nothing awaits a retried call; the supervisor reattaches at `retryAt`; stop, a lost lease or a halt cancel it.

/** the longest pause between two attempts */
const MAX_RETRY_DELAY_MS = 30_000

/** `failures`: the projection's own consecutive failures; 0 (a lost connection) retries steadily, each failure doubles the pause. */
export function retryDelay(failures: number, firstDelayMs: number): number {
  return failures === 0 ? firstDelayMs : Math.min(firstDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS)
}
