import { describe, expect, it } from 'vitest'
import { itemLabel, itemsSummary, NO_SKU } from '../../app/deal-items.ts'

describe('deal items as lists show them', () => {
  it('quantity, name and SKU; an item upcast from version 1 says it has no SKU', () => {
    expect(itemLabel({ sku: 'EF-200', name: 'Edge Firewall', quantity: 1200 })).toBe('1,200 × Edge Firewall (EF-200)')
    expect(itemLabel({ sku: null, name: 'Cloud Backup', quantity: 1 })).toBe(`1 × Cloud Backup (${NO_SKU})`)
    expect(NO_SKU).toBe('no SKU')
  })
  it('every item, comma-separated; none is empty', () => {
    expect(itemsSummary([{ sku: 'A-1', name: 'A', quantity: 2 }, { sku: null, name: 'B', quantity: 1 }])).toBe('2 × A (A-1), 1 × B (no SKU)')
    expect(itemsSummary([])).toBe('')
  })
})
