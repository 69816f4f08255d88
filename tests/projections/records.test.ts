// The id-keyed record copies of the facts fold give what spread, rest and Object.fromEntries give, key order included.
import { describe, expect, test } from 'vitest'
import { filterEntries, mapEntries, withEntry, withoutEntry } from '../../projections/insights/records.ts'

const record = (): Record<string, number> => JSON.parse('{"b9e1-x":1,"2":2,"a":3,"__proto__":4,"10":5,"z:y":6}') as Record<string, number>

describe('id-keyed record copies', () => {
  test('withEntry is { ...record, [key]: value }: an existing key keeps its place, a new one goes last', () => {
    for (const key of ['a', 'new', '7', '__proto__', 'z:y']) {
      const spread = { ...record(), [key]: 99 }
      const copy = withEntry(record(), key, 99)
      expect(JSON.stringify(copy)).toBe(JSON.stringify(spread))
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
      expect(Object.keys(copy)).toEqual(Object.keys(spread))
    }
  })

  test('withoutEntry is rest destructuring without the key; filterEntries and mapEntries are Object.fromEntries of entries', () => {
    for (const key of ['a', '2', '__proto__', 'missing']) {
      const { [key]: _, ...rest } = record()
      expect(JSON.stringify(withoutEntry(record(), key))).toBe(JSON.stringify(rest))
    }
    const keep = (value: number) => value % 2 === 0
    expect(JSON.stringify(filterEntries(record(), keep))).toBe(JSON.stringify(Object.fromEntries(Object.entries(record()).filter(([, v]) => keep(v)))))
    expect(JSON.stringify(mapEntries(record(), (v, k) => v * 10 + k.length))).toBe(JSON.stringify(Object.fromEntries(Object.entries(record()).map(([k, v]) => [k, v * 10 + k.length]))))
  })

  test('the source is not changed', () => {
    const source = record()
    const before = JSON.stringify(source)
    withEntry(source, 'a', 0)
    withoutEntry(source, 'a')
    filterEntries(source, () => false)
    mapEntries(source, () => 0)
    expect(JSON.stringify(source)).toBe(before)
  })
})
