// Direct (named) accounts: customers the vendor sells to itself. A deal registered for one of their domains is flagged
// for the vendor, and approving it needs the vendor's confirmation (domain/deals/conflicts.ts).
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Id, Text } from '../shared/schemas.ts'

export const streamId = (accountId: string) => `account-${accountId}`

export const DirectAccountNamedData = z.object({
  accountId: Id,
  name: Text.describe('the customer, as the vendor names it'),
  domains: z.array(Text).min(1).describe('its web domains, normalised; subdomains belong to the account too'),
  reason: Text.describe('why the vendor sells to it directly'),
}).describe('The vendor named a customer as a direct account: registrations for its domains are flagged as conflicts.')
export const DirectAccountRemovedData = z.object({
  accountId: Id,
  name: Text,
  reason: Text.describe('why partners may now register it'),
}).describe('The vendor removed a direct account: registrations for its domains are no longer flagged.')

export const accountEventSchemas = {
  DirectAccountNamed: DirectAccountNamedData,
  DirectAccountRemoved: DirectAccountRemovedData,
} as const

export type DirectAccountNamed = DomainEvent<'DirectAccountNamed', z.infer<typeof DirectAccountNamedData>>
export type DirectAccountRemoved = DomainEvent<'DirectAccountRemoved', z.infer<typeof DirectAccountRemovedData>>
export type AccountEvent = DirectAccountNamed | DirectAccountRemoved

export type DirectAccount =
  | { status: 'Initial' }
  | { status: 'Named' | 'Removed'; accountId: string; name: string; domains: string[] }

export const initialState = (): DirectAccount => ({ status: 'Initial' })

export function evolve(state: DirectAccount, event: AccountEvent): DirectAccount {
  switch (event.type) {
    case 'DirectAccountNamed':
      return { status: 'Named', accountId: event.data.accountId, name: event.data.name, domains: event.data.domains }
    case 'DirectAccountRemoved':
      return state.status === 'Named' ? { ...state, status: 'Removed' } : state
    default:
      return state
  }
}
