// One batch for every projection of a lane: load misses, fold, write all in one fenced transaction; a projection
// that breaks the batch is found by writing each alone.
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import type { EventStore, Position } from '../../eventstore/types.ts'
import { comparePositions } from '../../eventstore/types.ts'
import type { DocumentRef, LogEntryWrite, VersionedDocumentWrite } from '../store.ts'
import { CheckpointMoved, appendLogEntries, clearFailures, loadDocumentsOf, moveCheckpoints, writeDocumentsOf } from '../store.ts'
import { type Leases, LeasesLost } from './leases.ts'
import { ABSENT, type Member } from './member.ts'
import { EventFailed, type Work, refusedData } from './work.ts'

/** What a batch needs of the runner. */
type BatchHost = {
  readonly driver: SqlDriver
  /** where a failed write's events are read again to find the one the database refuses (a write keeps none) */
  readonly store: EventStore
  readonly leases: Leases | undefined
  fail(member: Member, error: unknown): void
  halt(member: Member, failed: EventFailed): Promise<void>
  /** the active version of a projection moved: wakes waitFor */
  progressed(): void
}

/** Whether the work still belongs to the member's current attachment. */
function current(w: Work): boolean {
  return w.member.attachment === w.attachment && w.member.lane !== undefined && w.member.cache !== undefined
}

const refKey = (ref: DocumentRef) => `${ref.projection}\u0000${ref.version}\u0000${ref.key}`

/** Loads what the caches miss in one round trip and folds; a projection whose fold throws is taken off. */
export async function prepareBatch(host: BatchHost, work: Work[]): Promise<Work[]> {
  if (work.length === 0) return []
  const misses: (DocumentRef & { work: Work })[] = []
  for (const w of work) {
    const { name, version } = w.member.projection
    for (const key of w.misses()) misses.push({ projection: name, version, key, work: w })
  }
  if (misses.length > 0) {
    try {
      const found = await loadDocumentsOf(host.driver, misses)
      const byRef = new Map(found.map((doc) => [refKey(doc), doc.state]))
      for (const miss of misses) {
        const ref = refKey(miss)
        const state = byRef.has(ref) ? byRef.get(ref) : ABSENT
        miss.work.loaded(miss.key, state)
        if (current(miss.work)) miss.work.member.cache!.set(miss.key, { state })
      }
    } catch (error) {
      for (const w of work) if (current(w)) host.fail(w.member, error)
      return []
    }
  }
  const folded: Work[] = []
  for (const w of work) {
    if (!current(w)) continue
    try {
      w.fold()
      folded.push(w)
    } catch (error) {
      if (error instanceof EventFailed) await host.halt(w.member, error)
      else host.fail(w.member, error)
    }
  }
  return folded
}

/** Writes every projection's folded work in one fenced transaction; a projection that fails is taken off. */
export async function writeBatch(host: BatchHost, work: Work[], to: Position): Promise<void> {
  let remaining = work.filter(current)
  for (const w of remaining) w.from = w.member.position
  while (remaining.length > 0) {
    try {
      await host.driver.transaction(async (tx) => {
        // a runner whose lease was taken over (it froze, or lost the database for a while) writes nothing
        if (!host.leases) throw new LeasesLost(remaining.map((w) => w.member.name))
        await host.leases.fence(tx, remaining.map((w) => w.member.name))
        // a second fence: a runner that took over may have moved the checkpoints already
        const moved = await moveCheckpoints(
          tx,
          remaining.map((w) => ({ projection: w.member.name, version: w.member.projection.version, from: w.from })),
          to,
        )
        if (moved.size !== remaining.length) {
          const away = remaining.filter((w) => !moved.has(w.member.name))
          throw new CheckpointMoved(away.map((w) => ({ projection: w.member.name, version: w.member.projection.version })))
        }
        const docs: VersionedDocumentWrite[] = []
        const entries: LogEntryWrite[] = []
        for (const w of remaining) {
          const { name, version } = w.member.projection
          for (const doc of w.touched.values()) docs.push({ projection: name, version, ...doc })
          for (const entry of w.logEntries) entries.push(entry)
        }
        await writeDocumentsOf(tx, docs)
        await appendLogEntries(tx, entries)
        const passed = remaining.filter((w) => w.member.recorded && comparePositions(w.member.recorded.position, to) <= 0)
        await clearFailures(tx, passed.map((w) => ({ projection: w.member.name, version: w.member.projection.version })), to)
      })
      for (const w of remaining) applied(host, w, to)
      return
    } catch (error) {
      if (error instanceof CheckpointMoved) {
        const away = (w: Work) => error.moved.some((m) => m.projection === w.member.name)
        for (const w of remaining.filter(away)) host.fail(w.member, new CheckpointMoved([{ projection: w.member.name, version: w.member.projection.version }]))
        remaining = remaining.filter((w) => !away(w))
        continue
      }
      if (error instanceof LeasesLost) {
        host.leases?.lost(error.names)
        remaining = remaining.filter((w) => !error.names.includes(w.member.name) && current(w))
        continue
      }
      if (remaining.length === 1) {
        const w = remaining[0]!
        // one event the database refuses stops the projection; anything else is retried
        const culprit = refusedData(error) ? await w.culprit(host.driver, host.store.readAll({ fromPosition: w.from }), to).catch(() => undefined) : undefined
        if (culprit && current(w)) await host.halt(w.member, culprit)
        else host.fail(w.member, error)
        return
      }
      // which projection broke the batch? one transaction each, so that the others go on
      for (const w of remaining) if (current(w)) await writeBatch(host, [w], to)
      return
    }
  }
}

/** After the commit: the written documents go to the cache and the member moves to `to`. */
function applied(host: BatchHost, w: Work, to: Position): void {
  const member: Member = w.member
  if (!current(w)) return
  for (const [key, doc] of w.touched) member.cache!.set(key, { state: doc.state })
  if (member.inflight === w.touched) member.inflight = undefined
  member.position = to
  member.failures = 0
  member.error = undefined
  if (member.recorded && comparePositions(member.recorded.position, to) <= 0) member.recorded = undefined
  if (!member.building) {
    member.activePosition = to
    host.progressed()
  }
}
