// Deal registration rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Actor, Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { Currency, Id, Instant, IsoDate, parseData, Text } from '../shared/schemas.ts'
import { integer, list, MAX, money, multiLine, ref, singleLine } from '../shared/fields.ts'
import { DOMAIN, normaliseDomain, sameDomainFamily } from '../shared/domains.ts'
import { requireOneCustomersDomain } from '../shared/customer-domain.ts'
import { addBusinessDays, addDays, dateOf, isAfter, isBefore } from '../shared/time.ts'
import { DEFAULT_PROGRAM_SETTINGS } from '../settings/defaults.ts'
import {
  ConflictConfirmation,
  DirectAccountRef,
  directAccountFor,
  ExistingRegistration,
  openRivals,
  overriddenRivals,
  requireConfirmedOverride,
} from './conflicts.ts'
import {
  evolve,
  initialState,
  type Deal,
  type DealApproved,
  type DealConflictDecided,
  type DealEvent,
  type DealExpired,
  type DealExtended,
  type DealLost,
  type DealRegistered,
  type DealRejected,
  type DealReviewSlaBreached,
  type DealSuperseded,
  type DealWithdrawn,
  type DealWon,
} from './deal.ts'

export { normaliseDomain, sameDomainFamily }


/** a vendor SKU (part number): short, one line */
export const MAX_SKU = 64
/** units of one item: a registration counts licences, seats or appliances, never millions of them */
export const MAX_QUANTITY = 1_000_000
export const MAX_DEAL_ITEMS = 20

/** One item of a new registration: every new item names its SKU (only version 1 events lack one). */
export const DealItemInput = z.object({
  sku: singleLine(MAX_SKU, 'Enter the SKU (part number), e.g. CB-500'),
  name: singleLine(MAX.label, 'Enter the product name'),
  quantity: integer(1, MAX_QUANTITY),
})

/** supplied by the command handler from the settings in force, bounded there */
const days = () => z.number().int().positive()

export const RegisterDealData = z.object({
  dealId: ref(),
  partnerId: ref(),
  customerName: singleLine(MAX.name),
  customerDomain: singleLine(MAX.domain),
  value: money(),
  currency: Currency,
  expectedCloseDate: IsoDate,
  items: list(DealItemInput, MAX_DEAL_ITEMS),
  /** from the deals read model: other partners' registrations for the same domain family (the rule picks the rivals) */
  existingRegistrations: z.array(ExistingRegistration).default([]),
  /** supplied by the command handler: domains the vendor sells to directly */
  directAccounts: z.array(z.string()).default([]),
  /** supplied by the command handler from the public suffix list, which lives outside domain/ */
  customerDomainFacts: z.object({ publicSuffix: z.boolean() }),
  /** supplied by the command handler from the program settings in force */
  settings: z
    .object({
      protectionDays: days().default(DEFAULT_PROGRAM_SETTINGS.dealProtectionDays),
      reviewSlaBusinessDays: days().default(DEFAULT_PROGRAM_SETTINGS.reviewSlaBusinessDays),
    })
    .default({ protectionDays: DEFAULT_PROGRAM_SETTINGS.dealProtectionDays, reviewSlaBusinessDays: DEFAULT_PROGRAM_SETTINGS.reviewSlaBusinessDays }),
})
export const ApproveDealData = z.object({
  dealId: ref(),
  /** overrides the protection days recorded at registration */
  settings: z.object({ protectionDays: days().optional() }).optional(),
  /** supplied by the command handler from the deals read model: other partners' registrations for the customer now */
  rivals: z.array(ExistingRegistration).default([]),
  /** supplied by the command handler: the vendor's direct accounts */
  directAccounts: z.array(DirectAccountRef).default([]),
  /** the vendor's second step when the approval overrides a rival or a direct account; null when not confirmed */
  confirm: ConflictConfirmation.nullable().default(null),
  /** why the vendor overrides: the partners read it */
  reason: multiLine(MAX.shortText, false).nullable().default(null),
})
export const SupersedeDealData = z.object({
  dealId: ref(),
  /** the registration approved instead, from the deals read model */
  byDealId: ref(),
  byPartnerId: ref(),
  byRegisteredAt: Instant,
  /** the vendor's reason, recorded when this registration was overridden (earlier, or protected) */
  reason: multiLine(MAX.shortText, false).nullable().default(null),
})
export const RejectDealData = z.object({ dealId: ref(), reason: multiLine(MAX.shortText, 'Give a reason for the rejection') })
export const WithdrawDealData = z.object({ dealId: ref() })
export const RequestDealExtensionData = z.object({
  dealId: ref(),
  justification: multiLine(MAX.shortText, 'Explain why the deal needs more time'),
  settings: z.object({ dealExtensionDays: days().optional() }).optional(),
})
export const MarkDealWonData = z.object({ dealId: ref(), value: money().optional() })
export const MarkDealLostData = z.object({
  dealId: ref(),
  reason: multiLine(MAX.shortText, 'Say why the deal was lost'),
  lostToDirect: z.boolean().optional(),
})
export const ExpireDealData = z.object({ dealId: ref() })
export const BreachDealReviewSlaData = z.object({ dealId: ref() })

export const dealCommandSchemas = {
  RegisterDeal: RegisterDealData,
  ApproveDeal: ApproveDealData,
  RejectDeal: RejectDealData,
  WithdrawDeal: WithdrawDealData,
  RequestDealExtension: RequestDealExtensionData,
  MarkDealWon: MarkDealWonData,
  MarkDealLost: MarkDealLostData,
  ExpireDeal: ExpireDealData,
  BreachDealReviewSla: BreachDealReviewSlaData,
  SupersedeDeal: SupersedeDealData,
} as const

export type RegisterDeal = Command<'RegisterDeal', z.input<typeof RegisterDealData>>
export type ApproveDeal = Command<'ApproveDeal', z.input<typeof ApproveDealData>>
export type RejectDeal = Command<'RejectDeal', z.input<typeof RejectDealData>>
export type WithdrawDeal = Command<'WithdrawDeal', z.input<typeof WithdrawDealData>>
export type RequestDealExtension = Command<'RequestDealExtension', z.input<typeof RequestDealExtensionData>>
export type MarkDealWon = Command<'MarkDealWon', z.input<typeof MarkDealWonData>>
export type MarkDealLost = Command<'MarkDealLost', z.input<typeof MarkDealLostData>>
export type ExpireDeal = Command<'ExpireDeal', z.input<typeof ExpireDealData>>
export type BreachDealReviewSla = Command<'BreachDealReviewSla', z.input<typeof BreachDealReviewSlaData>>
export type SupersedeDeal = Command<'SupersedeDeal', z.input<typeof SupersedeDealData>>
export type DealCommand =
  | SupersedeDeal
  | RegisterDeal
  | ApproveDeal
  | RejectDeal
  | WithdrawDeal
  | RequestDealExtension
  | MarkDealWon
  | MarkDealLost
  | ExpireDeal
  | BreachDealReviewSla
export type DealCommandType = DealCommand['type']

type Existing = Exclude<Deal, { status: 'Initial' }>

function existing(state: Deal, dealId: string): Existing {
  if (state.status === 'Initial') throw new NotFoundError(`Deal ${dealId} does not exist`)
  return state
}

function requireStatus<S extends Existing['status']>(state: Existing, status: S, message: string): asserts state is Extract<Existing, { status: S }> {
  if (state.status !== status) throw new IllegalStateError(`${message} (this one is ${state.status})`)
}

/** A deal waiting for review, for the vendor to decide on. */
function submittedForReview(state: Deal, dealId: string, actor: Actor, action: string, refusal: string) {
  const deal = existing(state, dealId)
  requireVendor(actor, action)
  requireStatus(deal, 'Submitted', refusal)
  return deal
}

export function registerDeal(command: RegisterDeal, state: Deal): DealRegistered {
  const data = parseData(RegisterDealData, command.data)
  const { now, actor } = command.metadata
  requirePartnerOf(actor, data.partnerId, 'register deals for it')
  if (state.status !== 'Initial') throw new IllegalStateError(`Deal ${data.dealId} is already registered`)
  const customerDomain = normaliseDomain(data.customerDomain)
  if (!DOMAIN.test(customerDomain))
    throw new ValidationError(`"${data.customerDomain}" is not a domain; enter the customer's web domain, e.g. example.com`, 'customerDomain')
  requireOneCustomersDomain(customerDomain, data.customerDomainFacts)
  const today = dateOf(now)
  if (data.expectedCloseDate < today)
    throw new ValidationError(`The expected close date ${data.expectedCloseDate} is in the past; choose ${today} or later`, 'expectedCloseDate')

  const rivals = openRivals({ dealId: data.dealId, partnerId: data.partnerId, customerDomain }, data.existingRegistrations)
  const directAccount = data.directAccounts.some((d) => sameDomainFamily(d, customerDomain))
  const conflict =
    rivals.length === 0 && !directAccount
      ? null
      : {
          dealIds: rivals.map((r) => r.dealId),
          directAccount,
          earliest: rivals.every((r) => isAfter(r.registeredAt, now)),
        }

  return {
    type: 'DealRegistered',
    data: {
      dealId: data.dealId,
      partnerId: data.partnerId,
      customerName: data.customerName,
      customerDomain,
      value: data.value,
      currency: data.currency,
      expectedCloseDate: data.expectedCloseDate,
      items: data.items,
      conflict,
      reviewDueAt: addBusinessDays(now, data.settings.reviewSlaBusinessDays),
      protectionDays: data.settings.protectionDays,
    },
  }
}

/**
 * Approves a registration. One customer, one protected partner: every other partner's open registration for the
 * customer is superseded (DealConflictDecided names them; the handler then closes each with SupersedeDeal). The
 * earliest waiting registration wins by default; overriding an earlier or protected one, or a direct account, needs
 * the vendor's confirmation and a reason.
 */
export function approveDeal(command: ApproveDeal, state: Deal): [DealApproved] | [DealApproved, DealConflictDecided] {
  const data = parseData(ApproveDealData, command.data)
  const { now, actor } = command.metadata
  const deal = submittedForReview(state, data.dealId, actor, 'approve deals', 'Only a submitted deal can be approved')
  const rivals = openRivals(deal, data.rivals)
  const overridden = overriddenRivals(deal.earlierRivals, rivals)
  const account = directAccountFor(deal.customerDomain, data.directAccounts)
  requireConfirmedOverride(overridden, account, data.confirm, data.reason)
  const days = data.settings?.protectionDays ?? deal.protectionDays
  const approved: DealApproved = {
    type: 'DealApproved',
    data: { dealId: deal.dealId, partnerId: deal.partnerId, protectedUntil: addDays(dateOf(now), days), withinSla: !isAfter(now, deal.reviewDueAt) },
  }
  if (rivals.length === 0 && !account) return [approved]
  const overrides = overridden.length > 0 || account !== null
  return [
    approved,
    {
      type: 'DealConflictDecided',
      data: {
        dealId: deal.dealId,
        partnerId: deal.partnerId,
        superseded: rivals.map((r) => ({
          dealId: r.dealId, partnerId: r.partnerId, registeredAt: r.registeredAt, wasApproved: r.status === 'Approved', earlier: deal.earlierRivals.includes(r.dealId),
        })),
        overridden: overridden.map((r) => r.dealId),
        directAccount: account?.name ?? null,
        reason: overrides ? data.reason : null,
      },
    },
  ]
}

/**
 * Closes a registration because the vendor approved another partner's for the same customer; its protection, if it
 * had one, ends today. A registration already closed (a retry, or one that closed meanwhile) is left as it is.
 */
export function supersedeDeal(command: SupersedeDeal, state: Deal): DealSuperseded[] {
  const data = parseData(SupersedeDealData, command.data)
  const { now, actor } = command.metadata
  const deal = existing(state, data.dealId)
  requireVendor(actor, 'supersede deals')
  if (deal.status !== 'Submitted' && deal.status !== 'Approved') return []
  // overridden: it held protection, or it came first; a later waiting registration simply lost to the earlier one
  const overridden = deal.status === 'Approved' || !deal.earlierRivals.includes(data.byDealId)
  if (overridden && !data.reason) throw new ValidationError('Say why this registration is overridden: its partner reads it.', 'reason')
  return [{
    type: 'DealSuperseded',
    data: {
      dealId: deal.dealId,
      partnerId: deal.partnerId,
      byDealId: data.byDealId,
      byPartnerId: data.byPartnerId,
      byRegisteredAt: data.byRegisteredAt,
      protectionEndedOn: deal.status === 'Approved' ? dateOf(now) : null,
      reason: overridden ? data.reason : null,
    },
  }]
}

export function rejectDeal(command: RejectDeal, state: Deal): DealRejected {
  const data = parseData(RejectDealData, command.data)
  const { now, actor } = command.metadata
  const deal = submittedForReview(state, data.dealId, actor, 'reject deals', 'Only a submitted deal can be rejected')
  return {
    type: 'DealRejected',
    data: { dealId: deal.dealId, partnerId: deal.partnerId, reason: data.reason, withinSla: !isAfter(now, deal.reviewDueAt) },
  }
}

export function withdrawDeal(command: WithdrawDeal, state: Deal): DealWithdrawn {
  const data = parseData(WithdrawDealData, command.data)
  const deal = existing(state, data.dealId)
  requirePartnerOf(command.metadata.actor, deal.partnerId, 'withdraw its deals')
  requireStatus(deal, 'Submitted', 'Only a deal still waiting for review can be withdrawn')
  return { type: 'DealWithdrawn', data: { dealId: deal.dealId, partnerId: deal.partnerId } }
}

export function requestDealExtension(command: RequestDealExtension, state: Deal): DealExtended {
  const data = parseData(RequestDealExtensionData, command.data)
  const { now, actor } = command.metadata
  const deal = existing(state, data.dealId)
  requirePartnerOf(actor, deal.partnerId, 'extend its deals')
  requireStatus(deal, 'Approved', 'Only an approved deal can be extended')
  if (deal.extended) throw new IllegalStateError(`Deal ${deal.dealId} has already been extended once; it is protected until ${deal.protectedUntil}`)
  if (dateOf(now) > deal.protectedUntil)
    throw new IllegalStateError(`The protection of deal ${deal.dealId} ended on ${deal.protectedUntil}; it can no longer be extended`)
  const days = data.settings?.dealExtensionDays ?? DEFAULT_PROGRAM_SETTINGS.dealExtensionDays
  return {
    type: 'DealExtended',
    data: { dealId: deal.dealId, partnerId: deal.partnerId, protectedUntil: addDays(deal.protectedUntil, days), justification: data.justification },
  }
}

export function markDealWon(command: MarkDealWon, state: Deal): DealWon {
  const data = parseData(MarkDealWonData, command.data)
  const deal = existing(state, data.dealId)
  requirePartnerOf(command.metadata.actor, deal.partnerId, 'mark its deals won')
  requireStatus(deal, 'Approved', 'Only an approved deal can be marked won')
  return {
    type: 'DealWon',
    data: { dealId: deal.dealId, partnerId: deal.partnerId, value: data.value ?? deal.value, currency: deal.currency, closedOn: dateOf(command.metadata.now) },
  }
}

export function markDealLost(command: MarkDealLost, state: Deal): DealLost {
  const data = parseData(MarkDealLostData, command.data)
  const deal = existing(state, data.dealId)
  requirePartnerOf(command.metadata.actor, deal.partnerId, 'mark its deals lost')
  requireStatus(deal, 'Approved', 'Only an approved deal can be marked lost')
  return { type: 'DealLost', data: { dealId: deal.dealId, partnerId: deal.partnerId, reason: data.reason, lostToDirect: data.lostToDirect ?? false } }
}

/** scheduler: a retried expiry of an expired deal is a no-op */
export function expireDeal(command: ExpireDeal, state: Deal): DealExpired[] {
  const data = parseData(ExpireDealData, command.data)
  const deal = existing(state, data.dealId)
  requireVendor(command.metadata.actor, 'expire deals')
  if (deal.status === 'Expired') return []
  requireStatus(deal, 'Approved', 'Only an approved deal can expire')
  if (dateOf(command.metadata.now) <= deal.protectedUntil)
    throw new IllegalStateError(`Deal ${deal.dealId} is protected until ${deal.protectedUntil} and cannot expire yet`)
  return [{ type: 'DealExpired', data: { dealId: deal.dealId, partnerId: deal.partnerId } }]
}

/** scheduler: records once that the review is overdue; a retry is a no-op */
export function breachDealReviewSla(command: BreachDealReviewSla, state: Deal): DealReviewSlaBreached[] {
  const data = parseData(BreachDealReviewSlaData, command.data)
  const deal = existing(state, data.dealId)
  requireVendor(command.metadata.actor, 'record review SLA breaches')
  requireStatus(deal, 'Submitted', 'Only a deal waiting for review can breach its review SLA')
  if (deal.reviewSlaBreached) return []
  if (!isBefore(deal.reviewDueAt, command.metadata.now))
    throw new IllegalStateError(`The review of deal ${deal.dealId} is due at ${deal.reviewDueAt}; it is not overdue yet`)
  return [{ type: 'DealReviewSlaBreached', data: { dealId: deal.dealId, partnerId: deal.partnerId, dueAt: deal.reviewDueAt } }]
}

export function decide(command: DealCommand, state: Deal): DealEvent | DealEvent[] {
  switch (command.type) {
    case 'RegisterDeal':
      return registerDeal(command, state)
    case 'ApproveDeal':
      return approveDeal(command, state)
    case 'RejectDeal':
      return rejectDeal(command, state)
    case 'WithdrawDeal':
      return withdrawDeal(command, state)
    case 'RequestDealExtension':
      return requestDealExtension(command, state)
    case 'MarkDealWon':
      return markDealWon(command, state)
    case 'MarkDealLost':
      return markDealLost(command, state)
    case 'ExpireDeal':
      return expireDeal(command, state)
    case 'BreachDealReviewSla':
      return breachDealReviewSla(command, state)
    case 'SupersedeDeal':
      return supersedeDeal(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const DealDecider: Decider<DealCommand, DealEvent, Deal> = { initialState, evolve, decide }
