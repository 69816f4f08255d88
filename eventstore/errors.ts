// Typed errors of the event store port; the app maps them to HTTP in one place.

export class WrongExpectedVersion extends Error {
  override readonly name = 'WrongExpectedVersion'
  constructor(
    readonly streamId: string,
    readonly expected: 'any' | 'no_stream' | 'stream_exists' | bigint,
    /** the stream's current revision, or 'no_stream' */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`)
  }
}

export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound'
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`)
  }
}

export class InvalidEvent extends Error {
  override readonly name = 'InvalidEvent'
  constructor(
    readonly eventType: string,
    /** e.g. [{ path: 'data.value', message: 'Expected number' }] */
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${eventType}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`)
  }
}

export class StoreLocked extends Error {
  override readonly name = 'StoreLocked'
}

/**
 * An append reused event ids in a way that is not an idempotent retry: only some of the batch's ids are
 * already in the stream, an id is repeated within the batch, or an id already belongs to another stream.
 */
export class DuplicateEventId extends Error {
  override readonly name = 'DuplicateEventId'
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
    reason: string,
  ) {
    super(`Stream ${streamId}: ${reason} (${eventIds.join(', ')})`)
  }
}
