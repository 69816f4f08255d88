import { describe, expect, it } from 'vitest'
import { DealRegisteredData, DealRegisteredDataV1, dealEventVersions, upcastDealRegisteredV1 } from '../../domain/deals/index.ts'

const v1 = {
  dealId: 'd-1', partnerId: 'p-acme', customerName: 'Globex', customerDomain: 'globex.com', value: 50_000, currency: 'EUR',
  expectedCloseDate: '2026-09-30', products: ['Cloud Backup', 'Edge Firewall'], conflict: null,
  reviewDueAt: '2026-05-06T09:00:00.000Z', protectionDays: 90,
}

describe('DealRegistered versions', () => {
  it('is written as version 2 and lifts version 1 with one upcaster', () => {
    expect(dealEventVersions.DealRegistered.current).toBe(2)
    expect(dealEventVersions.DealRegistered.upcasters.map((u) => u.from)).toEqual([1])
  })

  it('a version 1 product name becomes one item, quantity 1, with no SKU (null: unknown, never invented)', () => {
    expect(DealRegisteredDataV1.parse(v1)).toEqual(v1)
    const { products: _, ...rest } = v1
    const upcast = upcastDealRegisteredV1(v1)
    expect(upcast).toEqual({
      ...rest,
      items: [{ sku: null, name: 'Cloud Backup', quantity: 1 }, { sku: null, name: 'Edge Firewall', quantity: 1 }],
    })
    expect(DealRegisteredData.parse(upcast)).toEqual(upcast)
  })

  it('no products become no items, and the stored payload is not changed', () => {
    const stored = { ...v1, products: [] }
    const copy = structuredClone(stored)
    expect(upcastDealRegisteredV1(stored)).toMatchObject({ items: [] })
    expect(stored).toEqual(copy)
  })

  it('refuses a version 1 payload that is not one, naming the field', () => {
    expect(() => upcastDealRegisteredV1({ ...v1, products: 'Cloud Backup' })).toThrow(/products/)
  })

  it('version 2 has no products field', () => {
    expect(DealRegisteredData.safeParse(v1).success).toBe(false)
  })
})
