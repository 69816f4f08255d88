// Asset rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { FileRef, parseData } from '../shared/schemas.ts'
import { list, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { AssetPublishedData, AssetType, Audience, evolve, JourneyPhase, initialState, UseAction, type Asset, type AssetEvent, type AssetPublished, type AssetRetired, type AssetUsed, type AssetVersionPublished } from './asset.ts'

export const PublishAssetData = z.object({
  assetId: ref(),
  title: singleLine(MAX.label),
  description: multiLine(MAX.shortText),
  tags: list(singleLine(60), 20),
  audience: Audience,
  assetType: AssetType,
  product: singleLine(MAX.name).optional(),
  language: AssetPublishedData.shape.language,
  audienceRules: z.object({
    minimumTier: singleLine(60).optional(),
    journeyPhases: list(JourneyPhase, 5).optional(),
    requiredCertification: singleLine(MAX.name).optional(),
    geographies: list(singleLine(60), MAX.items).optional(),
  }),
  file: FileRef.extend({ filename: singleLine(255), contentType: singleLine(MAX.name) }),
  coBrandable: z.boolean(),
})
export const PublishAssetVersionData = z.object({
  assetId: ref(),
  file: PublishAssetData.shape.file,
  notes: multiLine(MAX.shortText, false).optional(),
})
export const RetireAssetData = z.object({ assetId: ref(), reason: multiLine(MAX.shortText, false).optional() })
export const RecordAssetUseData = z.object({ assetId: ref(), partnerId: ref(), userId: ref(), action: UseAction })

export const assetCommandSchemas = {
  PublishAsset: PublishAssetData,
  PublishAssetVersion: PublishAssetVersionData,
  RetireAsset: RetireAssetData,
  RecordAssetUse: RecordAssetUseData,
} as const

export type PublishAsset = Command<'PublishAsset', z.input<typeof PublishAssetData>>
export type PublishAssetVersion = Command<'PublishAssetVersion', z.input<typeof PublishAssetVersionData>>
export type RetireAsset = Command<'RetireAsset', z.input<typeof RetireAssetData>>
export type RecordAssetUse = Command<'RecordAssetUse', z.input<typeof RecordAssetUseData>>
export type AssetCommand = PublishAsset | PublishAssetVersion | RetireAsset | RecordAssetUse
export type AssetCommandType = AssetCommand['type']

type Published = Extract<Asset, { status: 'Published' | 'Retired' }>
function published(state: Asset, assetId: string, what: string): Published & { status: 'Published' } {
  if (state.status === 'Initial') throw new NotFoundError(`Asset ${assetId} does not exist`)
  if (state.status !== 'Published') throw new IllegalStateError(`Asset "${state.title}" is retired; ${what}`)
  return state as Published & { status: 'Published' }
}

export function publishAsset(command: PublishAsset, state: Asset): AssetPublished {
  const data = parseData(PublishAssetData, command.data)
  requireVendor(command.metadata.actor, 'publish assets')
  if (state.status !== 'Initial') throw new IllegalStateError(`Asset ${data.assetId} is already published; publish a new version instead`)
  if (data.coBrandable && data.audience !== 'thru_partner')
    throw new ValidationError('Only Thru-Partner assets (for customers) can be co-branded', 'coBrandable')
  return { type: 'AssetPublished', data: { ...data, product: data.product ?? null, version: 1 } }
}

export function publishAssetVersion(command: PublishAssetVersion, state: Asset): AssetVersionPublished {
  const data = parseData(PublishAssetVersionData, command.data)
  requireVendor(command.metadata.actor, 'publish asset versions')
  const asset = published(state, data.assetId, 'it gets no new versions')
  return { type: 'AssetVersionPublished', data: { assetId: asset.assetId, version: asset.version + 1, file: data.file, notes: data.notes ?? null } }
}

export function retireAsset(command: RetireAsset, state: Asset): AssetRetired {
  const data = parseData(RetireAssetData, command.data)
  requireVendor(command.metadata.actor, 'retire assets')
  const asset = published(state, data.assetId, 'it is retired already')
  return { type: 'AssetRetired', data: { assetId: asset.assetId, reason: data.reason ?? null } }
}

const USE_EVENT = { viewed: 'AssetViewed', downloaded: 'AssetDownloaded', cobranded: 'AssetCoBranded', shared: 'AssetShared' } as const

export function recordAssetUse(command: RecordAssetUse, state: Asset): AssetUsed {
  const data = parseData(RecordAssetUseData, command.data)
  const { actor } = command.metadata
  requirePartnerOf(actor, data.partnerId, 'use assets on its behalf')
  if (actor.userId !== data.userId) throw new ForbiddenError(`Asset use is recorded for the user who acts (${actor.userId}), not ${data.userId}`)
  const asset = published(state, data.assetId, 'it can no longer be used')
  if (data.action === 'cobranded' && !asset.coBrandable) throw new IllegalStateError(`"${asset.title}" cannot be co-branded`)
  if (data.action === 'shared' && asset.audience !== 'thru_partner') throw new IllegalStateError(`"${asset.title}" is for partners only and cannot be shared with customers`)
  return { type: USE_EVENT[data.action], data: { assetId: asset.assetId, partnerId: data.partnerId, userId: data.userId, version: asset.version } }
}

export function decide(command: AssetCommand, state: Asset): AssetEvent | AssetEvent[] {
  switch (command.type) {
    case 'PublishAsset':
      return publishAsset(command, state)
    case 'PublishAssetVersion':
      return publishAssetVersion(command, state)
    case 'RetireAsset':
      return retireAsset(command, state)
    case 'RecordAssetUse':
      return recordAssetUse(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const AssetDecider: Decider<AssetCommand, AssetEvent, Asset> = { initialState, evolve, decide }
