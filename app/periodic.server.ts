// A task run every interval, one run at a time, and once soon after start; stop waits for a run in progress.

export type Periodic = {
  /** runs the task now unless a run is in progress (then answers that run) */
  tick: () => Promise<void>
  /** stops the timers and waits for a run in progress, so it never meets a closed store */
  stop: () => Promise<void>
}

/** Runs `task` every `intervalMs` and once after `firstAfterMs`; a failed run is logged with `failure` and tried next time. */
export function runPeriodically(task: () => Promise<unknown>, options: { intervalMs: number; firstAfterMs: number; failure: string }): Periodic {
  let running: Promise<void> | null = null
  const tick = () =>
    (running ??= task()
      .then(() => undefined)
      .catch((error) => console.error(options.failure, error))
      .finally(() => { running = null }))
  const timer = setInterval(tick, options.intervalMs)
  timer.unref()
  const first = setTimeout(tick, options.firstAfterMs)
  first.unref()
  return {
    tick,
    stop: async () => {
      clearInterval(timer)
      clearTimeout(first)
      await running
    },
  }
}
