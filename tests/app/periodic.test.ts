import { afterEach, describe, expect, it, vi } from 'vitest'
import { runPeriodically } from '../../app/periodic.server.ts'

describe('runPeriodically', () => {
  afterEach(() => { vi.useRealTimers() })

  it('runs one at a time: a tick during a run answers that run', async () => {
    let release = () => {}
    const task = vi.fn()
      .mockImplementationOnce(() => new Promise<void>((resolve) => { release = resolve }))
      .mockImplementation(async () => {})
    const periodic = runPeriodically(task, { intervalMs: 60_000, firstAfterMs: 60_000, failure: 'failed:' })
    const first = periodic.tick()
    expect(periodic.tick()).toBe(first)
    expect(task).toHaveBeenCalledTimes(1)
    release()
    await first
    await periodic.tick()
    expect(task).toHaveBeenCalledTimes(2)
    await periodic.stop()
  })

  it('logs a failed run with its message, and the next tick runs again', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const boom = new Error('boom')
    const task = vi.fn().mockRejectedValueOnce(boom).mockResolvedValueOnce(undefined)
    const periodic = runPeriodically(task, { intervalMs: 60_000, firstAfterMs: 60_000, failure: 'Sealing failed:' })
    await periodic.tick()
    expect(error).toHaveBeenCalledWith('Sealing failed:', boom)
    await periodic.tick()
    expect(task).toHaveBeenCalledTimes(2)
    await periodic.stop()
  })

  it('runs first after firstAfterMs, then every intervalMs, and not after stop', async () => {
    vi.useFakeTimers()
    const task = vi.fn(async () => {})
    const periodic = runPeriodically(task, { intervalMs: 1_000, firstAfterMs: 100, failure: 'failed:' })
    await vi.advanceTimersByTimeAsync(100)
    expect(task).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(900)
    expect(task).toHaveBeenCalledTimes(2)
    await periodic.stop()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(task).toHaveBeenCalledTimes(2)
  })

  it('stop waits for the run in progress', async () => {
    let release = () => {}
    let done = false
    const periodic = runPeriodically(() => new Promise<void>((resolve) => { release = () => { done = true; resolve() } }), { intervalMs: 60_000, firstAfterMs: 60_000, failure: 'failed:' })
    void periodic.tick()
    const stopped = periodic.stop().then(() => done)
    release()
    expect(await stopped).toBe(true)
  })
})
