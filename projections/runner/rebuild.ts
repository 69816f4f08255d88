// A projection whose code version is not the active one is rebuilt from 0 beside it and swapped in at the head.
import type { SqlDriver, SqlExecutor } from '../../eventstore/postgres/driver.ts'
import { type Position, START, comparePositions } from '../../eventstore/types.ts'
import type { Checkpoint } from '../store.ts'
import { beginBuild, ensureCheckpoint, hasDocuments, readCheckpoint, swapIn } from '../store.ts'
import { type Leases, LeasesLost } from './leases.ts'
import type { Member } from './member.ts'
import type { ProjectionLogger } from './types.ts'

/** What a rebuild needs of the runner. */
export type RebuildHost = {
  readonly driver: SqlDriver
  readonly leases: Leases | undefined
  readonly logger: ProjectionLogger
  /** the active version of a projection moved: wakes waitFor */
  progressed(): void
}

/** A transaction-level guard for writes outside batches (rebuild, swap, failure records): fenced by the lease. */
export function fenced(host: Pick<RebuildHost, 'leases'>, name: string): (tx: SqlExecutor) => Promise<void> {
  return async (tx) => {
    if (!host.leases) throw new LeasesLost([name])
    await host.leases.fence(tx, [name])
  }
}

/** From the projection's checkpoints: maintains the active version, or starts a rebuild of the code's version. */
export async function prepare(host: RebuildHost, member: Member, checkpoints: Checkpoint[]): Promise<void> {
  const { driver } = host
  const { name, version } = member.projection
  let checkpoint: Checkpoint
  let swapTarget: Position | undefined
  const active = checkpoints.find((c) => c.status === 'active')
  if (active?.version === version) checkpoint = active
  else if (!active) {
    // nothing readable yet: the code's version is active at once
    const mine = checkpoints.find((c) => c.version === version)
    if (mine?.status === 'retired') await beginBuild(driver, name, version, fenced(host, name))
    if (mine) await swapIn(driver, name, version, fenced(host, name))
    else await ensureCheckpoint(driver, name, version, 'active')
    const read = await readCheckpoint(driver, name, version)
    if (!read) throw new Error(`Checkpoint of ${name} v${version} vanished`)
    checkpoint = read
  } else {
    checkpoint = await beginBuild(driver, name, version, fenced(host, name))
    swapTarget = active.position
    host.logger.info('rebuilding projection in the background', { projection: name, from: active.version, to: version })
  }
  member.position = checkpoint.position
  // rows are written only with a move of the checkpoint, so none should exist at START; asked to be sure
  member.emptyAtStart = comparePositions(checkpoint.position, START) === 0 && !(await hasDocuments(driver, name, version))
  member.building = swapTarget !== undefined
  member.swapTarget = swapTarget
  member.activePosition = member.building ? undefined : checkpoint.position
  member.state = member.building ? 'building' : 'catching-up'
  if (!member.building) host.progressed()
}

/** The rebuilt version becomes the active one; the old version's rows go. */
export async function swap(host: RebuildHost, member: Member): Promise<void> {
  await swapIn(host.driver, member.name, member.projection.version, fenced(host, member.name))
  member.building = false
  member.swapTarget = undefined
  member.activePosition = member.position
  host.progressed()
  host.logger.info('swapped in rebuilt projection', { projection: member.name, version: member.projection.version })
}
