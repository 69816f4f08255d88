// Opens the same services the portal uses, from the same environment, for command-line tools.
import { EnvError, parseEnv } from '../app/env.server.ts'
import { openServices, type AppServices } from '../app/services.server.ts'

export async function withServices<T>(fn: (services: AppServices) => Promise<T>): Promise<T> {
  let services: AppServices
  try {
    services = await openServices({ env: parseEnv(), log: (message) => console.error(message) })
  } catch (error) {
    fail(error instanceof EnvError ? error.message : `Could not open the store: ${error instanceof Error ? error.message : String(error)}`, 3)
  }
  try {
    return await fn(services)
  } finally {
    await services.close()
  }
}

export function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}
