// Verifies a log's hash chain as stored: every hash, every link, contiguous revisions; names the first broken event.
import { eventHash, GENESIS_HASH, type ChainReader, type StoredChainEvent } from './chain.ts'

export type ChainProblem = 'edited' | 'deleted' | 'inserted' | 'reordered'

export type BrokenEvent = {
  /** global position of the event where the chain breaks (null: a stream's tail is missing, no event to name) */
  position: bigint | null
  eventId: string | null
  streamId: string
  streamRevision: bigint
  problem: ChainProblem
  /** what is wrong, in a sentence */
  detail: string
}

export type LogVerification = {
  eventsVerified: number
  streamsVerified: number
  /** events up to this position were chained by the migration (at migratedAt), as they were then */
  migratedThrough: bigint | null
  migratedAt: Date | null
  /** the first broken event in global order, or null when the whole chain holds */
  firstBroken: BrokenEvent | null
  /** how many events (or missing tails) break the chain */
  brokenCount: number
}

/** The chain holds from: "position 0" for a store chained from its start, else the first position after the migration. */
export function chainHoldsFrom(result: Pick<LogVerification, 'migratedThrough'>): bigint {
  return result.migratedThrough === null ? 0n : result.migratedThrough + 1n
}

/** One line for the CLI and logs. */
export function describeBroken(broken: BrokenEvent): string {
  const at = broken.position === null ? 'no position' : `position ${broken.position}`
  return `${at}, event ${broken.eventId ?? '(missing)'}, stream ${broken.streamId} revision ${broken.streamRevision}: ${broken.problem}: ${broken.detail}`
}

function firstOf(a: BrokenEvent | null, b: BrokenEvent): BrokenEvent {
  if (!a) return b
  if (a.position === null) return b.position === null ? a : b
  if (b.position === null) return a
  return b.position < a.position ? b : a
}

export async function verifyLog(reader: ChainReader): Promise<LogVerification> {
  const state = await reader.chainState()
  // Read before the events (revisions only grow, so an event up to it that is missing was deleted) and after them
  // (an event beyond it was not appended through the store): a live store's appends in between are no finding.
  const recordedBefore = (await reader.streamRevisions?.()) ?? null
  const tails = new Map<string, { last: StoredChainEvent; broken: boolean }>()
  let first: BrokenEvent | null = null
  let brokenCount = 0
  let eventsVerified = 0
  let streamsVerified = 0
  const seenStreams = new Set<string>()

  // per stream: the previous event as stored, and every stored hash seen so far (to tell a reordering)
  let stream: string | null = null
  let expectedRevision = 0n
  let previous: StoredChainEvent | null = null
  let streamBroken = false
  let laterHashes = new Map<string, bigint>()

  const report = (broken: BrokenEvent) => {
    brokenCount++
    first = firstOf(first, broken)
    streamBroken = true
  }
  const endStream = () => {
    if (stream === null || previous === null) return
    const last: StoredChainEvent = previous
    const before = recordedBefore?.get(stream)
    if (before !== undefined && before > last.streamRevision) {
      report({
        position: null, eventId: null, streamId: stream, streamRevision: last.streamRevision + 1n, problem: 'deleted',
        detail: `the stream's recorded revision is ${before} but its events end at revision ${last.streamRevision}: its last event(s) were deleted`,
      })
    }
    tails.set(stream, { last, broken: streamBroken })
  }

  // Buffer one stream at a time: a reordering is told by a stored previous hash that belongs to a later event.
  const checkStream = (events: StoredChainEvent[]) => {
    laterHashes = new Map(events.filter((e) => e.hash).map((e) => [e.hash!, e.streamRevision]))
    for (const event of events) {
      eventsVerified++
      if (streamBroken) {
        previous = event
        continue // one report per stream: what follows its first break is broken by it
      }
      const at = { position: event.globalPosition, eventId: event.id, streamId: event.streamId, streamRevision: event.streamRevision }
      if (event.streamRevision !== expectedRevision) {
        report({
          ...at, problem: event.streamRevision > expectedRevision ? 'deleted' : 'inserted',
          detail: event.streamRevision > expectedRevision
            ? `revision ${expectedRevision}${event.streamRevision - expectedRevision > 1n ? `..${event.streamRevision - 1n}` : ''} of the stream is missing: deleted`
            : `revision ${event.streamRevision} appears out of sequence`,
        })
      } else if (event.hash === null) {
        report({ ...at, problem: 'inserted', detail: 'the event has no hash: it was inserted without the append function (or its hash was removed)' })
      } else {
        const linked = previous ? previous.hash ?? GENESIS_HASH : GENESIS_HASH
        const computed = eventHash({ ...event, previousHash: linked })
        if (computed !== event.hash) {
          const asStoredLink = event.previousHash !== null && eventHash({ ...event, previousHash: event.previousHash }) === event.hash
          const stolenLink = event.previousHash !== null && (laterHashes.get(event.previousHash) ?? -1n) > event.streamRevision
          if (asStoredLink) {
            report({
              ...at, problem: 'inserted',
              detail: `the event is intact but links to ${event.previousHash!.slice(0, 12)}…, not to the stream's previous event: an event before it was inserted, removed or replaced`,
            })
          } else if (stolenLink || (event.previousHash !== null && event.previousHash !== linked)) {
            report({
              ...at, problem: stolenLink ? 'reordered' : 'inserted',
              detail: stolenLink
                ? `it was hashed after the event now at revision ${laterHashes.get(event.previousHash!)}: events of the stream were reordered`
                : 'its hash and link match no event of the stream: it was inserted or forged',
            })
          } else {
            report({ ...at, problem: 'edited', detail: 'its data, metadata, type, id or recorded time differ from what was hashed when it was appended' })
          }
        }
      }
      previous = event
      expectedRevision = event.streamRevision + 1n
    }
  }

  let buffer: StoredChainEvent[] = []
  const flush = () => {
    if (stream === null) return
    streamsVerified++
    checkStream(buffer)
    endStream()
  }
  for await (const event of reader.storedEvents()) {
    if (event.streamId !== stream) {
      flush()
      stream = event.streamId
      seenStreams.add(stream)
      expectedRevision = 0n
      previous = null
      streamBroken = false
      buffer = []
    }
    buffer.push(event)
  }
  flush()
  // a stream whose every event was deleted
  for (const [streamId, last] of recordedBefore ?? []) {
    if (seenStreams.has(streamId)) continue
    brokenCount++
    first = firstOf(first, {
      position: null, eventId: null, streamId, streamRevision: 0n, problem: 'deleted',
      detail: `the stream's recorded revision is ${last} but it has no events: they were deleted`,
    })
  }
  const recordedAfter = (await reader.streamRevisions?.()) ?? null
  for (const [streamId, { last, broken }] of tails) {
    const after = recordedAfter?.get(streamId)
    if (broken || !recordedAfter || (after !== undefined && after >= last.streamRevision)) continue
    brokenCount++
    first = firstOf(first, {
      position: last.globalPosition, eventId: last.id, streamId, streamRevision: last.streamRevision, problem: 'inserted',
      detail: after === undefined
        ? 'the stream has no recorded revision: its events were inserted'
        : `the stream's recorded revision is ${after}: events after it were inserted`,
    })
  }
  return { eventsVerified, streamsVerified, migratedThrough: state.migratedThrough, migratedAt: state.migratedAt, firstBroken: first, brokenCount }
}
