// Named direct accounts for a running portal (the minimal seed, or a demo without them): the vendor admin names a
// handful through the same use case as the accounts page. Accounts already named are left as they are.
import type { Actor } from '../../domain/shared/command.ts'
import { dealConflictQueries } from '../queries/deal-conflicts.server.ts'
import type { AppServices } from '../services.server.ts'

/** the same ids and domains as the demo history's (app/seed/demo/accounts.ts), so either seeding names each once */
export const DEMO_DIRECT_ACCOUNTS = [
  { accountId: 'globex', name: 'Globex Corporation', domains: ['globex.example'], reason: 'Global enterprise agreement, sold and serviced by our enterprise team' },
  { accountId: 'initech', name: 'Initech Group', domains: ['initech.example', 'initech-group.example'], reason: 'Strategic account with a direct three-year contract' },
  { accountId: 'hooli', name: 'Hooli Europe', domains: ['hooli.example'], reason: 'Direct framework contract for every European subsidiary' },
  { accountId: 'massive-dynamic', name: 'Massive Dynamic', domains: ['massive-dynamic.example'], reason: 'Enterprise pilot run by the direct team' },
] as const

/** Names the demo's direct accounts as `actor` (a vendor admin or channel manager); returns the ids it named. */
export async function seedDirectAccountsDemo(services: AppServices, actor: Actor): Promise<string[]> {
  const queries = dealConflictQueries(services.sql)
  const named: string[] = []
  for (const account of DEMO_DIRECT_ACCOUNTS) {
    if (await queries.account(account.accountId)) continue
    await services.commands.accounts.name({ actor, commandId: `seed-direct-account-${account.accountId}` }, { ...account, domains: [...account.domains] })
    named.push(account.accountId)
  }
  return named
}
