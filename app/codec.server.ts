// The portal's event codec: the domain's zod schemas, with personal fields encrypted under their subject's key.
import { erasureEvent, eventSchemas, personalData, placeholder, type PersonalField } from '../domain/index.ts'
import { createZodCodec } from '../eventstore/codec.ts'
import { createEncryptingCodec, type KeyStore } from '../eventstore/encryption.ts'

export function createPortalCodec(keys: KeyStore) {
  const zod = createZodCodec(eventSchemas)
  return createEncryptingCodec<typeof zod, PersonalField>(zod, { keys, personalData, placeholder, erasure: erasureEvent })
}

export type PortalCodec = ReturnType<typeof createPortalCodec>
