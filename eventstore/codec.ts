// EventCodec over zod schemas: validates on append, upcasts older schema versions and validates on read.
import { z, type ZodType } from 'zod'
import { InvalidEvent } from './errors.ts'
import type { EventCodec, EventMetadata, NewEvent, RecordedEvent } from './types.ts'

/** Text the log must not hold: NUL, other C0 controls but tab/newline/CR, DEL, and lone surrogates (jsonb refuses them). */
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** A cheap first test (no lookaround): any of those controls or any surrogate, paired or not; UNSTORABLE decides. */
const MAYBE_UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]/
const isUnstorable = (text: string) => MAYBE_UNSTORABLE.test(text) && UNSTORABLE.test(text)
/** deeper than any event's data; a cyclic value stops here instead of overflowing the stack */
const MAX_DEPTH = 64
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

type Issue = { path: string; message: string }

function unstorable(text: string): string | null {
  const match = UNSTORABLE.exec(text)
  if (!match) return null
  const code = match[0].charCodeAt(0)
  const name = code >= 0xd800 && code <= 0xdfff ? 'a lone surrogate' : 'a control character'
  return `contains ${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
}

/** `data.attendees[0]`, `data["odd key"]` (JSON-escaped, so a refused key prints without its control character) */
const member = (path: string, key: string) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`)

/** One pass over every string of `value` (object keys included), as JSON.stringify would see them. */
function collectUnstorable(value: unknown, path: string, depth: number, issues: Issue[]): void {
  if (typeof value === 'string') {
    const message = unstorable(value)
    if (message) issues.push({ path, message })
    return
  }
  if (typeof value !== 'object' || value === null) return
  if (depth >= MAX_DEPTH) {
    issues.push({ path, message: `nested deeper than ${MAX_DEPTH} levels` })
    return
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectUnstorable(value[i], `${path}[${i}]`, depth + 1, issues)
    return
  }
  for (const key of Object.keys(value)) {
    const at = member(path, key)
    const message = unstorable(key)
    if (message) issues.push({ path: at, message: `key ${message}` })
    collectUnstorable((value as Record<string, unknown>)[key], at, depth + 1, issues)
  }
}

/** The common case, without building paths: true when some string or key needs a look (or the value nests too deep). */
function needsLook(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return isUnstorable(value)
  if (typeof value !== 'object' || value === null) return false
  if (depth >= MAX_DEPTH) return true
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (needsLook(value[i], depth + 1)) return true
    return false
  }
  for (const key of Object.keys(value)) {
    if (isUnstorable(key) || needsLook((value as Record<string, unknown>)[key], depth + 1)) return true
  }
  return false
}

/**
 * Throws InvalidEvent naming the event type and each field (keys included, any depth) or stream id holding text
 * PostgreSQL cannot store; runs before any codec encrypts personal fields.
 */
export function assertStorable(streamId: string, event: NewEvent): void {
  if (!isUnstorable(streamId) && !needsLook(event.data, 0) && !needsLook(event.metadata, 0)) return
  const issues: Issue[] = []
  const inStream = unstorable(streamId)
  if (inStream) issues.push({ path: 'streamId', message: inStream })
  collectUnstorable(event.data, 'data', 0, issues)
  collectUnstorable(event.metadata, 'metadata', 0, issues)
  if (issues.length === 0) return
  const type = typeof event.type === 'string' && !unstorable(event.type) ? event.type : JSON.stringify(event.type)
  throw new InvalidEvent(type, issues)
}

/** The append path of every adapter: refuse unstorable text, let the codec prepare (load keys), encode each event. */
export async function encodeForAppend(codec: EventCodec, streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
  for (const event of events) assertStorable(streamId, event)
  await codec.prepareAppend?.(events)
  return events.map((event) => codec.encode(event))
}

/** Turns a stored payload of schema version `n` into the payload of version `n + 1`. */
export type Upcaster = (data: unknown) => unknown

export type ZodCodecOptions = {
  /** upcasters[type][n] lifts `type` from schema version n to n + 1 */
  upcasters?: Record<string, Record<number, Upcaster>>
  /** current schema version per type; 1 when not given */
  currentVersions?: Record<string, number>
}

const nonEmpty = z.string().min(1, 'Required')

export const eventMetadataSchema = z.object({
  actor: nonEmpty,
  tenant: nonEmpty,
  occurredAt: z.iso.datetime({ offset: true, message: 'Expected an ISO-8601 date-time' }),
  correlationId: nonEmpty,
  causationId: nonEmpty,
  schemaVersion: z.number().int().positive(),
  commandId: nonEmpty.optional(),
})

/** z.uuid()'s own pattern, tested directly: zod's safeParse per appended event costs more than the test */
const UUID = z.core.regexes.uuid()
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const isText = (value: unknown) => typeof value === 'string' && value.length > 0

/** The common case checked by hand, cheaper than zod per event; anything unusual goes through zod for its messages. */
function plainMetadata(value: unknown): EventMetadata | null {
  if (typeof value !== 'object' || value === null) return null
  const m = value as Record<string, unknown>
  for (const key of Object.keys(m)) {
    if (!['actor', 'tenant', 'occurredAt', 'correlationId', 'causationId', 'schemaVersion', 'commandId'].includes(key)) return null
  }
  if (!isText(m.actor) || !isText(m.tenant) || !isText(m.correlationId) || !isText(m.causationId)) return null
  if (typeof m.occurredAt !== 'string' || !ISO_DATE_TIME.test(m.occurredAt)) return null
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) return null
  if (m.commandId !== undefined && !isText(m.commandId)) return null
  return { ...(m as EventMetadata) }
}

function issuesOf(prefix: string, error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map((p) => String(p))].join('.'),
    message: issue.message,
  }))
}

export function createZodCodec(schemas: Record<string, ZodType>, options: ZodCodecOptions = {}): EventCodec & {
  /** the schema version new events of `type` must carry */
  currentVersion(type: string): number
} {
  const upcasters = options.upcasters ?? {}
  const currentVersions = options.currentVersions ?? {}

  const schemaOf = (type: string): ZodType => {
    const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined
    if (!schema) throw new InvalidEvent(type, [{ path: 'type', message: `Unknown event type "${type}"` }])
    return schema
  }
  const currentVersion = (type: string): number => currentVersions[type] ?? 1

  const checkMetadata = (type: string, metadata: unknown): EventMetadata => {
    const plain = plainMetadata(metadata)
    if (plain) return plain
    const parsed = eventMetadataSchema.safeParse(metadata)
    if (!parsed.success) throw new InvalidEvent(type, issuesOf('metadata', parsed.error))
    return parsed.data
  }

  const checkData = (type: string, schema: ZodType, data: unknown): unknown => {
    const parsed = schema.safeParse(data)
    if (!parsed.success) throw new InvalidEvent(type, issuesOf('data', parsed.error))
    return parsed.data
  }

  return {
    currentVersion,

    encode(event: NewEvent): NewEvent {
      const schema = schemaOf(event.type)
      const issues: { path: string; message: string }[] = []
      if (typeof event.id !== 'string' || !UUID.test(event.id)) {
        issues.push({ path: 'id', message: 'Expected a uuid' })
      }
      let metadata: EventMetadata | undefined
      try {
        metadata = checkMetadata(event.type, event.metadata)
      } catch (error) {
        if (!(error instanceof InvalidEvent)) throw error
        issues.push(...error.issues)
      }
      let data: unknown
      try {
        data = checkData(event.type, schema, event.data)
      } catch (error) {
        if (!(error instanceof InvalidEvent)) throw error
        issues.push(...error.issues)
      }
      if (metadata && metadata.schemaVersion !== currentVersion(event.type)) {
        issues.push({
          path: 'metadata.schemaVersion',
          message: `New ${event.type} events must have schema version ${currentVersion(event.type)}, got ${metadata.schemaVersion}`,
        })
      }
      if (issues.length > 0 || !metadata) throw new InvalidEvent(event.type, issues)
      return { id: event.id, type: event.type, data, metadata }
    },

    decode<E extends RecordedEvent>(event: E): E {
      const schema = schemaOf(event.type)
      const metadata = checkMetadata(event.type, event.metadata)
      const target = currentVersion(event.type)
      let version = metadata.schemaVersion
      if (version > target) {
        throw new InvalidEvent(event.type, [
          { path: 'metadata.schemaVersion', message: `Stored version ${version} is newer than the current version ${target}` },
        ])
      }
      let data: unknown = event.data
      while (version < target) {
        const upcast = upcasters[event.type]?.[version]
        if (!upcast) {
          throw new InvalidEvent(event.type, [
            { path: 'metadata.schemaVersion', message: `No upcaster from version ${version} to ${version + 1}` },
          ])
        }
        try {
          data = upcast(data)
        } catch (error) {
          // a stored payload the upcaster cannot read is a refused event, not a crash of the reader
          const said = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ') : String(error)
          throw new InvalidEvent(event.type, [
            { path: 'data', message: `stored as version ${version}; the upcaster to version ${version + 1} refused it: ${said}` },
          ])
        }
        version++
      }
      return { ...event, data: checkData(event.type, schema, data), metadata: { ...metadata, schemaVersion: version } }
    },
  }
}
