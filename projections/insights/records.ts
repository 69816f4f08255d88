// Copies of records keyed by ids (deal ids, co-investment ids, customer domains) that stay cheap as the log grows.
//
// `{ ...record, [id]: value }` gives every new set of keys its own hidden class in V8: with keys that are ids, no two
// records share one, each copy takes the runtime's slow path (about 20-30 us for 8 keys, decision 030) and the classes
// are garbage. These helpers build the copy as a dictionary-mode object instead (a hash table, about 2 us), with the
// same keys in the same order as the spread gives, so the documents (JSON) are byte-identical.

/** a new empty plain object in dictionary mode (deleting a property that is not the last one added normalises it) */
function dictionary<T>(): Record<string, T> {
  const out: Record<string, unknown> = { a: 0, b: 0 }
  delete out.a
  delete out.b
  return out as Record<string, T>
}

/** sets an own property, also for the key "__proto__" (which assignment would take as the prototype) */
function put<T>(out: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}

/** `{ ...record, [key]: value }`: an existing key keeps its place, a new one goes last */
export function withEntry<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const out = dictionary<T>()
  for (const k in record) put(out, k, record[k]!)
  put(out, key, value)
  return out
}

/** a copy of the record without `key`, keys in the same order (what rest destructuring gives, without its slow path) */
export function withoutEntry<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const out = dictionary<T>()
  for (const k in record) if (k !== key) put(out, k, record[k]!)
  return out
}

/** the entries `keep` accepts, in the same order (`Object.fromEntries(Object.entries(record).filter(...))`) */
export function filterEntries<T>(record: Readonly<Record<string, T>>, keep: (value: T, key: string) => boolean): Record<string, T> {
  const out = dictionary<T>()
  for (const k in record) if (keep(record[k]!, k)) put(out, k, record[k]!)
  return out
}

/** every value through `map`, same keys in the same order */
export function mapEntries<T>(record: Readonly<Record<string, T>>, map: (value: T, key: string) => T): Record<string, T> {
  const out = dictionary<T>()
  for (const k in record) put(out, k, map(record[k]!, k))
  return out
}
