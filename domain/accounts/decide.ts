// Direct account rules: the vendor names an account with its domains (no domain claimed twice), or removes it.
import { z } from 'zod'
import { requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { requireOneCustomersDomain } from '../shared/customer-domain.ts'
import { DOMAIN, normaliseDomain, sameDomainFamily } from '../shared/domains.ts'
import { list, MAX, multiLine, ref, singleLine } from '../shared/fields.ts'
import { parseData } from '../shared/schemas.ts'
import { DirectAccountRef } from '../deals/conflicts.ts'
import { evolve, initialState, type AccountEvent, type DirectAccount, type DirectAccountNamed, type DirectAccountRemoved } from './account.ts'

/** a named account's domains: a handful (a group's country domains), never a list of customers */
export const MAX_ACCOUNT_DOMAINS = 10

export const NameDirectAccountData = z.object({
  accountId: ref(),
  name: singleLine(MAX.name, "Enter the customer's name"),
  domains: list(singleLine(MAX.domain), MAX_ACCOUNT_DOMAINS).min(1, "Enter the customer's web domain, e.g. globex.com"),
  reason: multiLine(MAX.shortText, 'Say why the vendor sells to this customer directly'),
  /** supplied by the command handler: the direct accounts named now */
  existingAccounts: z.array(DirectAccountRef).default([]),
  /** supplied by the command handler from the public suffix list: the given domains that are public suffixes */
  publicSuffixes: z.array(z.string()).default([]),
})
export const RemoveDirectAccountData = z.object({
  accountId: ref(),
  reason: multiLine(MAX.shortText, 'Say why partners may now register this customer'),
})

export const accountCommandSchemas = {
  NameDirectAccount: NameDirectAccountData,
  RemoveDirectAccount: RemoveDirectAccountData,
} as const

export type NameDirectAccount = Command<'NameDirectAccount', z.input<typeof NameDirectAccountData>>
export type RemoveDirectAccount = Command<'RemoveDirectAccount', z.input<typeof RemoveDirectAccountData>>
export type AccountCommand = NameDirectAccount | RemoveDirectAccount

export function nameDirectAccount(command: NameDirectAccount, state: DirectAccount): DirectAccountNamed {
  const data = parseData(NameDirectAccountData, command.data)
  requireVendor(command.metadata.actor, 'name direct accounts')
  if (state.status !== 'Initial') throw new IllegalStateError(`Direct account ${data.accountId} already exists`)
  const domains: string[] = []
  for (const given of data.domains) {
    const domain = normaliseDomain(given)
    if (!DOMAIN.test(domain)) throw new ValidationError(`"${given}" is not a domain; enter the customer's web domain, e.g. globex.com`, 'domains')
    requireOneCustomersDomain(domain, { publicSuffix: data.publicSuffixes.includes(domain) }, 'domains')
    if (!domains.includes(domain)) domains.push(domain)
  }
  for (const domain of domains) {
    const holder = data.existingAccounts.find((a) => a.accountId !== data.accountId && a.domains.some((d) => sameDomainFamily(d, domain)))
    if (holder) throw new ValidationError(`${domain} already belongs to the direct account ${holder.name}`, 'domains')
  }
  return { type: 'DirectAccountNamed', data: { accountId: data.accountId, name: data.name, domains, reason: data.reason } }
}

export function removeDirectAccount(command: RemoveDirectAccount, state: DirectAccount): DirectAccountRemoved {
  const data = parseData(RemoveDirectAccountData, command.data)
  requireVendor(command.metadata.actor, 'remove direct accounts')
  if (state.status === 'Initial') throw new NotFoundError(`Direct account ${data.accountId} does not exist`)
  if (state.status === 'Removed') throw new IllegalStateError(`${state.name} was already removed from the direct accounts`)
  return { type: 'DirectAccountRemoved', data: { accountId: state.accountId, name: state.name, reason: data.reason } }
}

export function decide(command: AccountCommand, state: DirectAccount): AccountEvent {
  switch (command.type) {
    case 'NameDirectAccount':
      return nameDirectAccount(command, state)
    case 'RemoveDirectAccount':
      return removeDirectAccount(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const AccountDecider: Decider<AccountCommand, AccountEvent, DirectAccount> = { initialState, evolve, decide }
