// Named direct accounts in the demo: customers the vendor sells to itself. Partners now and then register one
// anyway; the registration records the conflict and the channel manager turns it down.
import { AccountDecider, streamId as accountStream } from '../../../domain/accounts/index.ts'
import { DAY } from '../history/timeline.ts'
import { active, at, VERA, type Story } from './context.ts'
import { registerDeal } from './deals.ts'

export const DIRECT_ACCOUNTS = [
  { accountId: 'globex', name: 'Globex Corporation', domains: ['globex.example'], reason: 'Global enterprise agreement, sold and serviced by our enterprise team' },
  { accountId: 'initech', name: 'Initech Group', domains: ['initech.example', 'initech-group.example'], reason: 'Strategic account with a direct three-year contract' },
  { accountId: 'hooli', name: 'Hooli Europe', domains: ['hooli.example'], reason: 'Direct framework contract for every European subsidiary' },
  { accountId: 'vandelay', name: 'Vandelay Industries', domains: ['vandelay.example'], reason: 'Public tender won directly' },
  { accountId: 'massive-dynamic', name: 'Massive Dynamic', domains: ['massive-dynamic.example'], reason: 'Enterprise pilot run by the direct team' },
]

/** the vendor names its direct accounts early on, and later lets partners sell to one of them */
export function planDirectAccounts(story: Story) {
  at(story, story.start + 3 * DAY, (t) => {
    for (const account of DIRECT_ACCOUNTS) {
      const existingAccounts = story.directAccounts.map(({ accountId, name, domains }) => ({ accountId, name, domains }))
      if (story.h.attempt(AccountDecider, accountStream(account.accountId), 'NameDirectAccount', { ...account, existingAccounts }, VERA, t)) story.directAccounts.push(account)
    }
  })
  at(story, story.start + 520 * DAY, (t) => {
    if (story.h.attempt(AccountDecider, accountStream('vandelay'), 'RemoveDirectAccount', { accountId: 'vandelay', reason: 'The tender has ended; partners may register Vandelay again' }, VERA, t))
      story.directAccounts = story.directAccounts.filter((a) => a.accountId !== 'vandelay')
  })
  // a partner that does not know the list registers a named account
  for (const [day, accountId] of [[150, 'globex'], [310, 'initech'], [480, 'hooli'], [640, 'globex']] as const) {
    at(story, story.start + day * DAY, (t) => {
      const candidates = [...story.lives.values()].filter((life) => active(life, t) && ['growing', 'steady'].includes(life.p.archetype))
      const life = story.r.pick(candidates)
      const account = DIRECT_ACCOUNTS.find((a) => a.accountId === accountId)!
      if (life) registerDeal(story, life, t, { name: account.name, domain: account.domains[0]! })
    })
  }
}
