// How a deal's items read in lists and on the deal page: SKU, name and quantity; an item without a SKU says so.
import type { DealItem } from '../domain/deals/deal.ts'
import { formatCount } from './format.ts'

/** shown where an item has no SKU (upcast from version 1) */
export const NO_SKU = 'no SKU'

/** "2 × Edge Firewall (EF-200)", "1 × Cloud Backup (no SKU)" */
export const itemLabel = (item: DealItem) => `${formatCount(item.quantity)} × ${item.name} (${item.sku ?? NO_SKU})`

/** one line for a list's row or a search hit: every item, comma-separated; '' for none */
export const itemsSummary = (items: readonly DealItem[]) => items.map(itemLabel).join(', ')
