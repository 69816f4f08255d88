import { describe, expect, it } from 'vitest'
import { AssetDecider, streamId, type AssetEvent } from '../../domain/assets/index.ts'
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts'
import { command, given, partnerUser } from './support/given.ts'

const bob = { ...partnerUser('p-acme'), userId: 'u-bob' }
const file = { sha256: 'b'.repeat(64), filename: 'guide.pdf', size: 10, contentType: 'application/pdf' }
const asset = {
  assetId: 'a-1', title: 'Email kit', description: 'Emails for customers', tags: ['email'], audience: 'thru_partner', assetType: 'email_template',
  language: 'en', audienceRules: { minimumTier: 'silver' }, file, coBrandable: true,
} as const
const published: AssetEvent = { type: 'AssetPublished', data: { ...asset, audienceRules: { minimumTier: 'silver' }, tags: ['email'], product: null, version: 1 } }
const use = (action: string, actor = bob) => command('RecordAssetUse', { assetId: 'a-1', partnerId: 'p-acme', userId: 'u-bob', action }, { actor })
const retired: AssetEvent = { type: 'AssetRetired', data: { assetId: 'a-1', reason: null } }

describe('assets', () => {
  it('names its stream asset-<id>', () => expect(streamId('a-1')).toBe('asset-a-1'))

  it('the vendor publishes an asset once', () => {
    given(AssetDecider).when(command('PublishAsset', asset)).then([published])
    given(AssetDecider, [published]).when(command('PublishAsset', asset)).thenThrows(IllegalStateError, /publish a new version/)
    given(AssetDecider).when(command('PublishAsset', asset, { actor: bob })).thenThrows(ForbiddenError)
    given(AssetDecider).when(command('PublishAsset', { ...asset, assetType: 'poster' })).thenThrows(ValidationError, /assetType/)
    given(AssetDecider).when(command('PublishAsset', { ...asset, audience: 'to_partner' })).thenThrows(ValidationError, /Only Thru-Partner/)
  })

  it('publishes numbered versions and retires', () => {
    given(AssetDecider, [published]).when(command('PublishAssetVersion', { assetId: 'a-1', file })).then([{ type: 'AssetVersionPublished', data: { assetId: 'a-1', version: 2, file, notes: null } }])
    given(AssetDecider, [published]).when(command('RetireAsset', { assetId: 'a-1' })).then([retired])
    given(AssetDecider, [published, retired]).when(command('PublishAssetVersion', { assetId: 'a-1', file })).thenThrows(IllegalStateError, /retired/)
    given(AssetDecider, [published, retired]).when(command('RetireAsset', { assetId: 'a-1' })).thenThrows(IllegalStateError, /retired already/)
    given(AssetDecider).when(command('RetireAsset', { assetId: 'a-1' })).thenThrows(NotFoundError)
  })

  it('records each kind of use as its own event, with the current version', () => {
    const data = { assetId: 'a-1', partnerId: 'p-acme', userId: 'u-bob', version: 1 }
    given(AssetDecider, [published]).when(use('viewed')).then([{ type: 'AssetViewed', data }])
    given(AssetDecider, [published]).when(use('downloaded')).then([{ type: 'AssetDownloaded', data }])
    given(AssetDecider, [published]).when(use('cobranded')).then([{ type: 'AssetCoBranded', data }])
    given(AssetDecider, [published]).when(use('shared')).then([{ type: 'AssetShared', data }])
  })

  it('refuses co-branding or sharing what does not allow it, retired assets, and other users', () => {
    const internal: AssetEvent = { type: 'AssetPublished', data: { ...published.data, audience: 'to_partner', coBrandable: false } as never }
    given(AssetDecider, [internal]).when(use('cobranded')).thenThrows(IllegalStateError, /cannot be co-branded/)
    given(AssetDecider, [internal]).when(use('shared')).thenThrows(IllegalStateError, /partners only/)
    given(AssetDecider, [published, retired]).when(use('viewed')).thenThrows(IllegalStateError, /retired/)
    given(AssetDecider, [published]).when(use('viewed', partnerUser('p-beta'))).thenThrows(ForbiddenError)
    given(AssetDecider, [published]).when(use('viewed', { ...bob, userId: 'u-eve' })).thenThrows(ForbiddenError, /user who acts/)
  })
})
