// What generated histories are made of: the program's products, markets and partner kinds.
import { DEFAULT_PROGRAM_SETTINGS } from '../../../domain/settings/defaults.ts'

export const TIERS = DEFAULT_PROGRAM_SETTINGS.tiers.map((t) => t.name)
export const SEGMENTS = ['smb', 'mid-market', 'enterprise', 'public', 'education', 'health']
export const PARTNER_TYPES = ['reseller', 'msp', 'var', 'referral'] as const
export type PartnerKind = (typeof PARTNER_TYPES)[number]
export const PRODUCTS = [
  { sku: 'CB-500', name: 'Cloud Backup' }, { sku: 'EP-200', name: 'Endpoint Protect' }, { sku: 'DV-100', name: 'Data Vault' }, { sku: 'NG-300', name: 'Network Guard' },
]
export const SURVEY_TOPICS = ['support', 'funds', 'enablement']
