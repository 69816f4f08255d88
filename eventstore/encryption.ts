// Per-subject encryption of personal fields around another codec: `enc:v1:<subject>:...` (AES-256-GCM, one key per
// subject). An erased key makes its fields decode as valid placeholders, so folds still run and the log never changes.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { InvalidEvent } from './errors.ts'
import type { EventCodec, NewEvent, RecordedEvent, StoredEventData } from './types.ts'

/** Where the subjects' keys live: the events' SQL database (postgres adapter), the read-model database
 * (EventStoreDB adapter), or memory (tests). */
export interface KeyStore {
  /** the rows of these subjects: a 32-byte key, or null when erased; subjects without a row are left out */
  load(subjects: readonly string[]): Promise<Map<string, Uint8Array | null>>
  /** creates a random 32-byte key for each subject without a row; returns the row of every subject asked for */
  ensure(subjects: readonly string[]): Promise<Map<string, Uint8Array | null>>
  /** every erased subject */
  erased(): Promise<string[]>
  /** deletes the subject's key and records when (a subject never keyed is recorded as erased too); idempotent */
  erase(subject: string): Promise<void>
}

export const newSubjectKey = (): Buffer => randomBytes(32)

/** In-memory key store for the memory adapter and tests. */
export function createMemoryKeyStore(): KeyStore & { readonly size: number } {
  const rows = new Map<string, { key: Buffer | null; createdAt: Date; erasedAt: Date | null }>()
  const pick = (subjects: readonly string[]) =>
    new Map(subjects.filter((s) => rows.has(s)).map((s) => [s, rows.get(s)!.key ? Buffer.from(rows.get(s)!.key!) : null]))
  return {
    get size() {
      return rows.size
    },
    async load(subjects) {
      return pick(subjects)
    },
    async ensure(subjects) {
      for (const subject of subjects) if (!rows.has(subject)) rows.set(subject, { key: newSubjectKey(), createdAt: new Date(), erasedAt: null })
      return pick(subjects)
    },
    async erased() {
      return [...rows].filter(([, row]) => row.erasedAt).map(([subject]) => subject)
    },
    async erase(subject) {
      const row = rows.get(subject)
      rows.set(subject, { key: null, createdAt: row?.createdAt ?? new Date(), erasedAt: row?.erasedAt ?? new Date() })
    },
  }
}

/** One subject's personal fields in one event type; `path` is dotted, `*` stands for each element of an array. */
export type PersonalFieldsRule<F extends { readonly path: string }> = {
  readonly subject: (data: any, eventId: string) => string
  readonly fields: readonly F[]
}

export type EncryptingCodecOptions<F extends { readonly path: string }> = {
  keys: KeyStore
  /** per event type, which fields are personal and whose they are */
  personalData: Readonly<Record<string, readonly PersonalFieldsRule<F>[]>>
  /** what a field of an erased subject decodes to; must pass the event's schema */
  placeholder(field: F, subject: string): string
  /** the event that records an erasure: decoding one makes this codec forget the subject's key */
  erasure?: { readonly type: string; readonly subject: (data: any) => string }
  /** how long the list of erased subjects is trusted before a prepare step reads it again (erasures made by other
   * processes); default 30 s */
  erasedTtlMs?: number
  now?: () => number
}

export type EncryptingCodec<C extends EventCodec> = C & {
  prepareAppend(events: readonly NewEvent[]): Promise<void>
  prepareRead(events: readonly StoredEventData[]): Promise<void>
  /** this process forgets the subject's key at once (the erasure path calls it after erasing the key in the store) */
  forget(subject: string): void
}

const PREFIX = 'enc:v1:'
const IV_BYTES = 12
const TAG_BYTES = 16

/** Calls `fn` on the value at every concrete path matching `path`; returns the data with the results, copied on write. */
function mapPath(data: unknown, path: string, fn: (value: unknown, concretePath: string) => unknown): unknown {
  const walk = (value: unknown, segments: readonly string[], at: string): unknown => {
    if (segments.length === 0) return fn(value, at)
    const [head, ...rest] = segments as [string, ...string[]]
    const join = (key: string) => (at ? `${at}.${key}` : key)
    if (head === '*') {
      if (!Array.isArray(value)) return value
      let changed = false
      const next = value.map((item, index) => {
        const mapped = walk(item, rest, join(String(index)))
        if (mapped !== item) changed = true
        return mapped
      })
      return changed ? next : value
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, head)) return value
    const current = (value as Record<string, unknown>)[head]
    const mapped = walk(current, rest, join(head))
    return mapped === current ? value : { ...(value as Record<string, unknown>), [head]: mapped }
  }
  return walk(data, path.split('.'), '')
}

function parseCiphertext(value: string): { subject: string; blob: Buffer } | null {
  const rest = value.slice(PREFIX.length)
  const split = rest.lastIndexOf(':')
  if (split <= 0) return null
  const blob = Buffer.from(rest.slice(split + 1), 'base64')
  if (blob.length < IV_BYTES + TAG_BYTES) return null
  return { subject: rest.slice(0, split), blob }
}

/** Binds a ciphertext to its place: copied into another event, field or subject it no longer decrypts. */
const associatedData = (type: string, eventId: string, path: string, subject: string) =>
  Buffer.from(`${type}\u0000${eventId}\u0000${path}\u0000${subject}`, 'utf8')

function encrypt(key: Buffer, plaintext: string, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

function decrypt(key: Buffer, blob: Buffer, aad: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES))
  decipher.setAAD(aad)
  decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
}

export function createEncryptingCodec<C extends EventCodec, F extends { readonly path: string }>(
  inner: C,
  options: EncryptingCodecOptions<F>,
): EncryptingCodec<C> {
  const { keys: keyStore, personalData, placeholder, erasure } = options
  const ttl = options.erasedTtlMs ?? 30_000
  const now = options.now ?? Date.now
  const rulesOf = (type: string) => (Object.hasOwn(personalData, type) ? personalData[type] : undefined)

  /** subject -> key, for subjects seen by a prepare step */
  const keys = new Map<string, Buffer>()
  /** erased subjects as the key store listed them at `erasedAt` */
  let erasedInStore = new Set<string>()
  let erasedAt: number | null = null
  let refreshing: Promise<void> | null = null
  /** erased subjects this process learnt of itself (forget, erasure events): kept whatever the store says */
  const forgotten = new Set<string>()
  const isErased = (subject: string) => forgotten.has(subject) || erasedInStore.has(subject)

  const forget = (subject: string) => {
    forgotten.add(subject)
    keys.delete(subject)
  }

  const refreshErased = async () => {
    if (erasedAt !== null && now() - erasedAt < ttl) return
    refreshing ??= keyStore
      .erased()
      .then((subjects) => {
        erasedInStore = new Set(subjects)
        erasedAt = now()
        for (const subject of subjects) keys.delete(subject)
      })
      .finally(() => {
        refreshing = null
      })
    await refreshing
  }

  const remember = (rows: Map<string, Uint8Array | null>) => {
    for (const [subject, key] of rows) {
      if (key === null) {
        erasedInStore.add(subject)
        keys.delete(subject)
      } else if (!isErased(subject)) {
        if (key.length !== 32) throw new Error(`The key of subject ${subject} is ${key.length} bytes, not 32`)
        keys.set(subject, Buffer.from(key))
      }
    }
  }

  const subjectOf = (rule: PersonalFieldsRule<F>, data: unknown, eventId: string): string | null => {
    try {
      const subject = rule.subject(data, eventId)
      return typeof subject === 'string' && subject.length > 0 ? subject : null
    } catch {
      return null
    }
  }

  return {
    ...inner,
    forget,

    async prepareAppend(events: readonly NewEvent[]) {
      await inner.prepareAppend?.(events)
      const wanted = new Set<string>()
      for (const event of events) {
        for (const rule of rulesOf(event.type) ?? []) {
          const subject = subjectOf(rule, event.data, event.id)
          if (subject && !keys.has(subject)) wanted.add(subject)
        }
      }
      if (wanted.size === 0) return
      await refreshErased()
      const missing = [...wanted].filter((subject) => !isErased(subject))
      if (missing.length === 0) return
      const rows = await keyStore.ensure(missing)
      remember(rows)
      // a concurrent creation by another process may be missing from what ensure saw: read it
      const raced = missing.filter((subject) => !rows.has(subject))
      if (raced.length > 0) remember(await keyStore.load(raced))
    },

    async prepareRead(events: readonly StoredEventData[]) {
      await inner.prepareRead?.(events)
      let personal = false
      const wanted = new Set<string>()
      for (const event of events) {
        const rules = rulesOf(event.type)
        if (!rules) continue
        personal = true
        for (const rule of rules) {
          for (const field of rule.fields) {
            mapPath(event.data, field.path, (value) => {
              if (typeof value === 'string' && value.startsWith(PREFIX)) {
                const subject = parseCiphertext(value)?.subject
                if (subject && !keys.has(subject)) wanted.add(subject)
              }
              return value
            })
          }
        }
      }
      if (!personal) return
      await refreshErased() // clear values written before encryption are hidden once their subject is erased
      const missing = [...wanted].filter((subject) => !isErased(subject))
      if (missing.length > 0) remember(await keyStore.load(missing))
    },

    encode(event: NewEvent): NewEvent {
      const encoded = inner.encode(event)
      const rules = rulesOf(encoded.type)
      if (!rules) return encoded
      let data = encoded.data
      for (const rule of rules) {
        const subject = subjectOf(rule, encoded.data, encoded.id)
        if (!subject) {
          throw new InvalidEvent(encoded.type, rule.fields.map((f) => ({ path: `data.${f.path}`, message: 'The data names no subject for this personal field' })))
        }
        if (isErased(subject)) {
          throw new InvalidEvent(encoded.type, rule.fields.map((f) => ({ path: `data.${f.path}`, message: `Belongs to ${subject}, whose personal data was erased` })))
        }
        const key = keys.get(subject)
        if (!key) throw new Error(`No key for subject ${subject}: the adapter must await codec.prepareAppend before encode`)
        for (const field of rule.fields) {
          data = mapPath(data, field.path, (value, path) =>
            typeof value === 'string' ? `${PREFIX}${subject}:${encrypt(key, value, associatedData(encoded.type, encoded.id, path, subject))}` : value,
          )
        }
      }
      return { ...encoded, data }
    },

    decode<E extends RecordedEvent>(event: E): E {
      const rules = rulesOf(event.type)
      let data = event.data
      for (const rule of rules ?? []) {
        const ruleSubject = subjectOf(rule, event.data, event.id)
        for (const field of rule.fields) {
          data = mapPath(data, field.path, (value, path) => {
            if (typeof value !== 'string') return value
            if (!value.startsWith(PREFIX)) {
              // stored in clear before encryption existed: readable until its subject is erased
              return ruleSubject && isErased(ruleSubject) ? placeholder(field, ruleSubject) : value
            }
            const parsed = parseCiphertext(value)
            if (!parsed) throw new InvalidEvent(event.type, [{ path: `data.${path}`, message: 'Malformed encrypted value' }])
            const { subject, blob } = parsed
            if (isErased(subject)) return placeholder(field, subject)
            const key = keys.get(subject)
            if (!key) {
              throw new InvalidEvent(event.type, [{
                path: `data.${path}`,
                message: `No key for subject ${subject} (the read path did not call prepareRead, or the key store lost it)`,
              }])
            }
            try {
              return decrypt(key, blob, associatedData(event.type, event.id, path, subject))
            } catch {
              throw new InvalidEvent(event.type, [{
                path: `data.${path}`,
                message: `Cannot be decrypted with the key of ${subject}: the ciphertext was altered or does not belong to this event and field`,
              }])
            }
          })
        }
      }
      const decoded = inner.decode(data === event.data ? event : { ...event, data })
      if (erasure && decoded.type === erasure.type) forget(erasure.subject(decoded.data))
      return decoded
    },
  }
}
