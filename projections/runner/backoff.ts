// The runner's one retry policy: how long a projection that stopped waits before it is attached again.
// Not p-retry: nothing awaits a retried call here. The supervisor attaches each projection again at its `retryAt`,
// its state stays visible in status() meanwhile, and stop, a lost lease or a halt cancel the retry.

/** the longest pause between two attempts */
const MAX_RETRY_DELAY_MS = 30_000

/**
 * `failures`: consecutive failures of the projection's own, this one included. 0 (a lost connection, an ended
 * subscription: not the projection's fault) retries steadily after `firstDelayMs`; each failure doubles the pause.
 */
export function retryDelay(failures: number, firstDelayMs: number): number {
  return failures === 0 ? firstDelayMs : Math.min(firstDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS)
}
