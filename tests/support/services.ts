// The portal's services on a fresh PGlite directory of a test file's own, seeded with the demo unless told not to.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseEnv } from '../../app/env.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'

export type TestServices = { services: AppServices; close(): Promise<void> }

/** Opens services in a new temporary directory (`partnerlog-<name>-…`); close() closes them and removes it. */
export async function openTestServices(name: string, options: { seed?: boolean; clock?: () => Date } = {}): Promise<TestServices> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `partnerlog-${name}-`))
  const services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {}, ...(options.clock ? { clock: options.clock } : {}) })
  if (options.seed !== false) await seedDemo(services)
  return {
    services,
    async close() {
      await services.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
