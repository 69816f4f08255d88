// The portal's event codec: the domain's zod schemas, with personal fields encrypted under their subject's key, and
// older stored schema versions upcast on every read (stored events are never rewritten).
import { erasureEvent, eventSchemas, eventVersions, personalData, placeholder, type EventVersions, type PersonalField } from '../domain/index.ts'
import { createZodCodec, type ZodCodecOptions } from '../eventstore/codec.ts'
import { createEncryptingCodec, type KeyStore } from '../eventstore/encryption.ts'

/** the domain's versions as the zod codec takes them: current version per type, upcasters by the version they lift */
export function codecVersions(versions: EventVersions): Required<ZodCodecOptions> {
  const currentVersions: Record<string, number> = {}
  const upcasters: NonNullable<ZodCodecOptions['upcasters']> = {}
  for (const [type, { current, upcasters: steps }] of Object.entries(versions)) {
    currentVersions[type] = current
    upcasters[type] = Object.fromEntries(steps.map((step) => [step.from, step.upcast]))
  }
  return { currentVersions, upcasters }
}

const portalVersions = codecVersions(eventVersions)

/** the schema version a new event of `type` is written with */
export const currentSchemaVersion = (type: string): number => portalVersions.currentVersions[type] ?? 1

/** the domain's schemas and versions without encryption (generated histories, tests on a memory store) */
export const createDomainCodec = () => createZodCodec(eventSchemas, portalVersions)

export function createPortalCodec(keys: KeyStore) {
  const zod = createDomainCodec()
  return createEncryptingCodec<typeof zod, PersonalField>(zod, { keys, personalData, placeholder, erasure: erasureEvent })
}

export type PortalCodec = ReturnType<typeof createPortalCodec>
