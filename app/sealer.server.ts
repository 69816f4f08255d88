// Seals the event log with the deployment's key (decision 011), periodically or from `npm run seal`, and checks
// seals with the public key alone.
import { createPostgresSealStorage } from '../eventstore/postgres/seals.ts'
import { sealNew, type Seal, type SealSignatureCheck, type SealSigner, type SealStorage } from '../eventstore/seal.ts'
import { publicKeyFrom, verifySignature, type DeploymentKey } from './deployment-key.server.ts'
import { runPeriodically, type Periodic } from './periodic.server.ts'
import type { AppServices } from './services.server.ts'

/** The store's seals; null under EventStoreDB, whose events are not in the SQL database (not sealed yet). */
export function sealStorageOf(services: Pick<AppServices, 'env' | 'sql'>): SealStorage | null {
  return services.env.EVENTSTORE_URL ? null : createPostgresSealStorage(services.sql)
}

export const sealSigner = (key: DeploymentKey): SealSigner => ({ keyId: key.keyId, sign: (bytes) => key.sign(bytes) })

/** Checks seal signatures with public keys only, as an auditor would; one key verifying a seal is enough (rotation). */
export function sealCheck(...publicKeys: string[]): SealSignatureCheck {
  const keys = publicKeys.map(publicKeyFrom)
  return (message, signature) => keys.some((key) => verifySignature(key, message, signature))
}

/** Seals what is new and safe since the last seal; [] when nothing is (or the store is not sealed). */
export async function sealNow(services: Pick<AppServices, 'env' | 'sql' | 'signingKey' | 'clock'>): Promise<Seal[]> {
  const storage = sealStorageOf(services)
  return storage ? sealNew(storage, sealSigner(services.signingKey), services.clock) : []
}

export function startSealer(services: AppServices, intervalMs = 60_000): Periodic {
  // the first run soon after start seals what accumulated while the portal was down
  return runPeriodically(() => sealNow(services), { intervalMs, firstAfterMs: 5_000, failure: 'Sealing the event log failed:' })
}
