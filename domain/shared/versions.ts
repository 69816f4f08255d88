// Event schema versions: the version written now and upcasters that lift older stored events on every read
// (stored events are never rewritten; docs/how-to-change-an-event.md).
import type { z } from 'zod'

/** Lifts a stored payload of version `from` to version `from + 1`; pure, and never changes its input. */
export type EventUpcaster = {
  from: number
  /** the data schema of version `from`, as stored events of that version hold it */
  schema: z.ZodType
  upcast: (data: unknown) => unknown
  /** what the upcaster does, in a sentence, for docs/events.md */
  describe: string
}

/** Per event type that changed shape: its current version and one upcaster per older version, oldest first. */
export type EventVersions = Record<string, { current: number; upcasters: readonly EventUpcaster[] }>
