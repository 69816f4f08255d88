// Which event fields are personal data, whose key encrypts them, and what stands in once the subject is erased.
// Pure: the store's codec does the encryption.

export type PersonalKind = 'name' | 'email'

/** `path` is dotted into the event data; `*` stands for every element of an array (e.g. `attendees.*`) */
export type PersonalField = { readonly path: string; readonly kind: PersonalKind }

export type PersonalDataRule<D = any> = {
  /** the subject the fields belong to, from the event's data and id (a subject is never personal data itself) */
  readonly subject: (data: D, eventId: string) => string
  /** the subject as the catalog shows it, e.g. `user-<userId>` */
  readonly subjectPattern: string
  readonly fields: readonly PersonalField[]
}

/** per event type, its personal fields grouped by subject */
export type PersonalDataRegistry = Readonly<Record<string, readonly PersonalDataRule[]>>

// Subjects: a user, a co-branding contact, a workshop's attendee list. The helpers throw on a missing id, so invalid
// data names no subject rather than a wrong one.
const idOf = (value: unknown): string => {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError('A subject needs a non-empty id')
  return value
}
export const userSubject = (userId: string) => `user-${idOf(userId)}`
export const contactSubject = (eventId: string) => `contact-${idOf(eventId)}`
export const attendeesSubject = (workshopId: string) => `attendees-${idOf(workshopId)}`

export type Subject =
  | { kind: 'user'; userId: string }
  | { kind: 'contact'; eventId: string }
  | { kind: 'attendees'; workshopId: string }

export function parseSubject(subject: string): Subject | null {
  const match = /^(user|contact|attendees)-(.+)$/s.exec(subject)
  if (!match) return null
  const [, kind, id] = match as unknown as [string, Subject['kind'], string]
  if (kind === 'user') return { kind, userId: id }
  if (kind === 'contact') return { kind, eventId: id }
  return { kind, workshopId: id }
}

export const ERASED_NAME = 'Erased person'
export const ERASED_EMAIL_DOMAIN = 'erased.invalid'

/** FNV-1a, 32 bits, as 8 hex digits: a stable short tag of a subject (not a secret) */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** What an erased subject's field reads as: schema-valid, the same in every process and every rebuild. */
export function placeholder(field: Pick<PersonalField, 'kind'>, subject: string): string {
  return field.kind === 'email' ? `erased-${shortHash(subject)}@${ERASED_EMAIL_DOMAIN}` : ERASED_NAME
}

/** Calls `fn` on the value at every path matching `path`; returns the data with the results, copied on write. */
export function mapPath(data: unknown, path: string, fn: (value: unknown, concretePath: string) => unknown): unknown {
  const walk = (value: unknown, segments: readonly string[], at: string[]): unknown => {
    if (segments.length === 0) return fn(value, at.join('.'))
    const [head, ...rest] = segments as [string, ...string[]]
    if (head === '*') {
      if (!Array.isArray(value)) return value
      let changed = false
      const next = value.map((item, index) => {
        const mapped = walk(item, rest, [...at, String(index)])
        if (mapped !== item) changed = true
        return mapped
      })
      return changed ? next : value
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, head)) return value
    const current = (value as Record<string, unknown>)[head]
    const mapped = walk(current, rest, [...at, head])
    return mapped === current ? value : { ...(value as Record<string, unknown>), [head]: mapped }
  }
  return walk(data, path.split('.'), [])
}

/** The subject a rule names in this event, or null when the data does not say (an invalid event). */
export function subjectOf(rule: PersonalDataRule, data: unknown, eventId: string): string | null {
  try {
    const subject = rule.subject(data, eventId)
    return typeof subject === 'string' && subject.length > 0 ? subject : null
  } catch {
    return null
  }
}

/** The data with `subject`'s fields as placeholders, as the codec decodes it after erasure (so live equals rebuilt). */
export function redactSubject(registry: PersonalDataRegistry, type: string, data: unknown, eventId: string, subject: string): unknown {
  let result = data
  for (const rule of registry[type] ?? []) {
    if (subjectOf(rule, data, eventId) !== subject) continue
    for (const field of rule.fields) {
      result = mapPath(result, field.path, (value) => (typeof value === 'string' ? placeholder(field, subject) : value))
    }
  }
  return result
}
