// The vendor's direct (named) accounts: the list the accounts page searches and conflict detection reads.
import type { Projection, RecordedOf } from './projection.ts'

export type DirectAccountDoc = {
  accountId: string
  name: string
  domains: string[]
  reason: string
  status: 'Named' | 'Removed'
  namedAt: string
  namedBy: string
  removedAt: string | null
  removedBy: string | null
  removalReason: string | null
  /** lower-case name and domains, for the page's search */
  search: string
}

type AccountEvent = RecordedOf<'DirectAccountNamed' | 'DirectAccountRemoved'>

export const directAccountsProjection: Projection<DirectAccountDoc | null, AccountEvent> = {
  name: 'direct-accounts',
  version: 1,
  handles: ['DirectAccountNamed', 'DirectAccountRemoved'],
  keysOf: (event) => [event.data.accountId],
  initialState: () => null,
  evolve(state, event) {
    const at = event.metadata.occurredAt
    if (event.type === 'DirectAccountNamed') {
      const { accountId, name, domains, reason } = event.data
      return {
        accountId, name, domains, reason, status: 'Named', namedAt: at, namedBy: event.metadata.actor,
        removedAt: null, removedBy: null, removalReason: null, search: [name, ...domains].join(' ').toLowerCase(),
      }
    }
    if (!state) return state
    return { ...state, status: 'Removed', removedAt: at, removedBy: event.metadata.actor, removalReason: event.data.reason }
  },
}
