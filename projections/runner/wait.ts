// waitFor: whether the active version of every projection has reached a position, here or in another process.
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { Position } from '../../eventstore/types.ts'
import { comparePositions } from '../../eventstore/types.ts'
import type { Member } from './member.ts'
import { ProjectionWaitTimeout } from './types.ts'

/** Wakes the waiters when a projection's active version moves. */
export class Progress {
  private waiters: (() => void)[] = []
  /** moves at every progress: a waiter that looked before a progress it did not see goes on at once */
  private count = 0

  get version(): number {
    return this.count
  }

  progressed(): void {
    this.count++
    const woken = this.waiters
    this.waiters = []
    for (const wake of woken) wake()
  }

  /** resolves at the next progress after `since` (a version read before looking), or after `ms` */
  next(ms: number, since = this.count): Promise<void> {
    if (since !== this.count) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      const progress = this
      function done() {
        clearTimeout(timer)
        // only from the current list: progressed() iterates the one it took, and a splice there skipped every other
        // waiter (with 16 writers half the waits sat out the whole interval: decision 027)
        const index = progress.waiters.indexOf(done)
        if (index >= 0) progress.waiters.splice(index, 1)
        resolve()
      }
      this.waiters.push(done)
    })
  }
}

/** True when this runner maintains the member's active version right now (so activePosition is current). */
function maintainsActive(member: Member): boolean {
  return member.ownsLease && !member.building && member.activePosition !== undefined
}

/** Names of the projections whose active version has not reached `position` yet. */
async function laggards(driver: SqlDriver, members: readonly Member[], position: Position): Promise<string[]> {
  const behind: string[] = []
  const remote: Member[] = []
  for (const member of members) {
    if (member.building) continue
    // waiting cannot help a projection that failed or stopped on an event: status() and /healthz name it
    if (member.state === 'failed' || member.state === 'halted') continue
    if (maintainsActive(member) && member.activePosition) {
      if (comparePositions(member.activePosition, position) < 0) behind.push(member.name)
    } else remote.push(member)
  }
  if (remote.length > 0) {
    const { rows } = await driver.query<{ projection: string; status: string; commit: string; prepare: string; failed: boolean }>(
      `select c.projection, c.status, c.position_commit::text as commit, c.position_prepare::text as prepare,
              exists (select 1 from projection_failures f where f.projection = c.projection and f.version = c.version) as failed
         from projection_checkpoints c where c.projection = any($1::text[]) and c.status in ('active', 'building')`,
      [remote.map((member) => member.name)],
    )
    for (const member of remote) {
      const mine = rows.filter((row) => row.projection === member.name)
      const active = mine.find((row) => row.status === 'active')
      // being rebuilt elsewhere: readers see the old version until the swap whatever we wait for
      if (active && mine.some((row) => row.status === 'building')) continue
      // stopped on an event in another process (this runner, when it holds the lease, is trying it again)
      if (active?.failed && !member.ownsLease) continue
      if (!active || comparePositions({ commit: BigInt(active.commit), prepare: BigInt(active.prepare) }, position) < 0) behind.push(member.name)
    }
  }
  return behind
}

/** Polls `laggards` until none is left, woken by local progress (polling covers other processes). */
export async function waitFor(
  driver: SqlDriver,
  members: readonly Member[],
  progress: Progress,
  position: Position,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const seen = progress.version
    const behind = await laggards(driver, members, position)
    if (behind.length === 0) return
    const remaining = deadline - Date.now()
    if (remaining <= 0) throw new ProjectionWaitTimeout(position, behind)
    await progress.next(Math.min(remaining, 50), seen)
  }
}
