// Deal conflicts: one customer, one protected partner. Which registrations an approval supersedes, which of them it
// overrides (and so must be confirmed, with a reason the partners read), and direct accounts.
import { z } from 'zod'
import { ValidationError } from '../shared/errors.ts'
import { Id, Instant, Text } from '../shared/schemas.ts'
import { sameDomainFamily } from '../shared/domains.ts'
import { dateOf } from '../shared/time.ts'
import { DealStatus } from './deal.ts'

/** another registration of a customer, as the deals read model knows it now */
export const ExistingRegistration = z.object({
  dealId: Id,
  partnerId: Id,
  customerDomain: Text,
  status: DealStatus,
  registeredAt: Instant,
})
export type ExistingRegistration = z.infer<typeof ExistingRegistration>

/** a customer the vendor sells to directly (a named account), with its domains */
export const DirectAccountRef = z.object({ accountId: Id, name: Text, domains: z.array(Text) })
export type DirectAccountRef = z.infer<typeof DirectAccountRef>

/** the registrations a new one conflicts with: waiting for review, or approved and protected */
export const CONFLICTING_STATUSES: readonly DealStatus[] = ['Submitted', 'Approved']

type Registration = { dealId: string; partnerId: string; customerDomain: string }

/** Other partners' open registrations (waiting or protected) for the customer's domain family. */
export function openRivals(deal: Registration, registrations: readonly ExistingRegistration[]): ExistingRegistration[] {
  return registrations.filter(
    (r) => r.dealId !== deal.dealId && r.partnerId !== deal.partnerId && CONFLICTING_STATUSES.includes(r.status) && sameDomainFamily(r.customerDomain, deal.customerDomain),
  )
}

/** The direct account whose domains cover the customer's domain family, if any. */
export function directAccountFor(customerDomain: string, accounts: readonly DirectAccountRef[]): DirectAccountRef | null {
  return accounts.find((a) => a.domains.some((d) => sameDomainFamily(d, customerDomain))) ?? null
}

/**
 * The rivals an approval of a registration overrides: those registered before it and still waiting (earliest wins by
 * default), and those already holding protection. Later waiting registrations are superseded without an override.
 */
export function overriddenRivals(earlierRivals: readonly string[], rivals: readonly ExistingRegistration[]): ExistingRegistration[] {
  return rivals.filter((r) => r.status === 'Approved' || earlierRivals.includes(r.dealId))
}

/** The vendor's second step on a conflicting approval: what it saw and confirms to override. */
export const ConflictConfirmation = z.object({
  rivals: z.array(Id).describe('the registrations the vendor saw overridden when it confirmed'),
  directAccount: z.boolean().describe('the vendor saw that the customer is a direct account'),
})
export type ConflictConfirmation = z.infer<typeof ConflictConfirmation>

const registeredOn = (r: ExistingRegistration) => `${r.status === 'Approved' ? 'protected' : 'waiting'}, registered ${dateOf(r.registeredAt)}`

/**
 * Refuses an approval that overrides another partner's registration or a direct account unless the vendor confirmed
 * exactly that (a rival that arrived after the page was read asks again) and gave the partners a reason.
 */
export function requireConfirmedOverride(
  overridden: readonly ExistingRegistration[],
  directAccount: DirectAccountRef | null,
  confirm: ConflictConfirmation | null,
  reason: string | null,
): void {
  if (overridden.length === 0 && !directAccount) return
  const what = [
    ...(overridden.length ? [`${overridden.length === 1 ? "another partner's registration" : `${overridden.length} other partners' registrations`} (${overridden.map(registeredOn).join('; ')})`] : []),
    ...(directAccount ? [`the direct account ${directAccount.name}`] : []),
  ].join(' and ')
  if (!confirm) throw new ValidationError(`Confirm that you approve this registration over ${what}: that registration loses its claim on the customer.`, 'confirm')
  const unseen = overridden.filter((r) => !confirm.rivals.includes(r.dealId))
  if (unseen.length || (directAccount && !confirm.directAccount))
    throw new ValidationError(`The conflict changed since you confirmed: approving now overrides ${what}. Review it and confirm again.`, 'confirm')
  if (!reason) throw new ValidationError('Say why you override: both partners read it.', 'reason')
}
