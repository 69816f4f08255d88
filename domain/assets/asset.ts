// Sales and marketing assets (collateral): publication, new versions, retirement, and partners' use of them.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { FileRef, Id, Text } from '../shared/schemas.ts'

export const streamId = (assetId: string) => `asset-${assetId}`

export const Audience = z.enum(['to_partner', 'thru_partner']).describe('to_partner: for the partner itself; thru_partner: for its customers')
export const AssetType = z.enum(['sales_guide', 'demo_script', 'price_list', 'training_deck', 'case_study', 'white_paper', 'email_template', 'social_template', 'other'])
export const JourneyPhase = z.enum(['interest', 'recruitment', 'activation', 'investment', 'devotion'])
export const AudienceRules = z.object({
  minimumTier: Text.optional().describe('partners below this tier do not see the asset'),
  journeyPhases: z.array(JourneyPhase).optional().describe('only partners in these phases see it'),
  requiredCertification: Text.optional().describe('only partners holding this certification see it'),
  geographies: z.array(Text).optional().describe('only partners serving one of these see it'),
})
export const UseAction = z.enum(['viewed', 'downloaded', 'cobranded', 'shared'])

export const AssetPublishedData = z.object({
  assetId: Id,
  title: Text,
  description: Text,
  tags: z.array(Text),
  audience: Audience,
  assetType: AssetType,
  product: Text.nullable(),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'Use a language code like en or de-CH'),
  audienceRules: AudienceRules,
  file: FileRef,
  coBrandable: z.boolean(),
  version: z.literal(1),
})
export const AssetVersionPublishedData = z.object({ assetId: Id, version: z.number().int().min(2), file: FileRef, notes: z.string().nullable() })
export const AssetRetiredData = z.object({ assetId: Id, reason: z.string().nullable() })
const use = { assetId: Id, partnerId: Id, userId: Id, version: z.number().int().positive() }
export const AssetViewedData = z.object(use)
export const AssetDownloadedData = z.object(use)
export const AssetCoBrandedData = z.object(use)
export const AssetSharedData = z.object(use)

export const assetEventSchemas = {
  AssetPublished: AssetPublishedData,
  AssetVersionPublished: AssetVersionPublishedData,
  AssetRetired: AssetRetiredData,
  AssetViewed: AssetViewedData,
  AssetDownloaded: AssetDownloadedData,
  AssetCoBranded: AssetCoBrandedData,
  AssetShared: AssetSharedData,
} as const

type E<T extends keyof typeof assetEventSchemas> = DomainEvent<T, z.infer<(typeof assetEventSchemas)[T]>>
export type AssetPublished = E<'AssetPublished'>
export type AssetVersionPublished = E<'AssetVersionPublished'>
export type AssetRetired = E<'AssetRetired'>
export type AssetViewed = E<'AssetViewed'>
export type AssetDownloaded = E<'AssetDownloaded'>
export type AssetCoBranded = E<'AssetCoBranded'>
export type AssetShared = E<'AssetShared'>
export type AssetUsed = AssetViewed | AssetDownloaded | AssetCoBranded | AssetShared
export type AssetEvent = AssetPublished | AssetVersionPublished | AssetRetired | AssetUsed
export type AssetEventType = AssetEvent['type']

type Facts = { assetId: string; title: string; audience: z.infer<typeof Audience>; coBrandable: boolean; version: number }
export type Asset = { status: 'Initial' } | ({ status: 'Published' | 'Retired' } & Facts)

export const initialState = (): Asset => ({ status: 'Initial' })

export function evolve(state: Asset, event: AssetEvent): Asset {
  switch (event.type) {
    case 'AssetPublished': {
      const { assetId, title, audience, coBrandable } = event.data
      return { status: 'Published', assetId, title, audience, coBrandable, version: 1 }
    }
    case 'AssetVersionPublished':
      return state.status === 'Published' ? { ...state, version: event.data.version } : state
    case 'AssetRetired':
      return state.status === 'Published' ? { ...state, status: 'Retired' } : state
    default:
      return state
  }
}
