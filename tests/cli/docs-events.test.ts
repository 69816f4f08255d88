import { describe, expect, it } from 'vitest'
import { renderEventCatalog } from '../../cli/docs-events.ts'

const section = (catalog: string, type: string) => catalog.split(`### ${type}\n`)[1]!.split('\n### ')[0]!

describe("the event catalog shows each event's schema versions", () => {
  const catalog = renderEventCatalog()
  it('DealRegistered: version 2 current, what the upcaster from 1 does, and the fields version 1 was stored with', () => {
    const deal = section(catalog, 'DealRegistered')
    expect(deal).toContain('Schema version 2 (current)')
    expect(deal).toContain('- version 1 → 2: Each product name becomes an item `{ sku: null, name, quantity: 1 }`')
    expect(deal).toContain('| `items[].sku` | string \\| null |')
    expect(deal).toMatch(/Version 1 fields \(as stored\)[\s\S]*\| `products` \| string\[\] \|/)
  })
  it('an event that never changed shape is at version 1', () => {
    expect(section(catalog, 'DealApproved')).toContain('Schema version 1 (current).')
    expect(section(catalog, 'DealApproved')).not.toContain('upcast')
  })
})
