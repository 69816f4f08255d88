// Direct account use cases: name an account (with the accounts named now and the public suffix facts handed in) or remove it.
import { randomUUID } from 'node:crypto'
import { AccountDecider, streamId as accountStream, type AccountCommand } from '../../domain/accounts/index.ts'
import { normaliseDomain } from '../../domain/shared/domains.ts'
import type { AppServices } from '../services.server.ts'
import { dealConflictQueries } from '../queries/deal-conflicts.server.ts'
import type { CommandCore, Issued } from './core.server.ts'
import { isPublicSuffix } from './deals.server.ts'

export function createAccountCommands(services: AppServices, { run, metadata }: CommandCore) {
  const queries = dealConflictQueries(services.sql)
  return {
    async name(issued: Issued, data: { accountId?: string; name: string; domains: string[]; reason: string }) {
      const accountId = data.accountId ?? randomUUID()
      const existingAccounts = (await queries.namedAccounts()).map((a) => ({ accountId: a.accountId, name: a.name, domains: a.domains }))
      const publicSuffixes = data.domains.map(normaliseDomain).filter(isPublicSuffix)
      const result = await run(AccountDecider, accountStream(accountId), {
        type: 'NameDirectAccount', data: { ...data, accountId, existingAccounts, publicSuffixes }, metadata: metadata(issued),
      } as AccountCommand)
      return { accountId, result }
    },
    remove: (issued: Issued, accountId: string, reason: string) =>
      run(AccountDecider, accountStream(accountId), { type: 'RemoveDirectAccount', data: { accountId, reason }, metadata: metadata(issued) } as AccountCommand),
  }
}
