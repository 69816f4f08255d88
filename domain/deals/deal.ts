// Deal registration: the events a deal's stream holds, its state, and how events evolve it.
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Currency, Id, Instant, IsoDate, PositiveAmount, Text } from '../shared/schemas.ts'
import type { EventVersions } from '../shared/versions.ts'

export const streamId = (dealId: string) => `deal-${dealId}`

export const DealStatus = z.enum(['Submitted', 'Approved', 'Rejected', 'Withdrawn', 'Won', 'Lost', 'Expired', 'Superseded'])
export type DealStatus = z.infer<typeof DealStatus>

export const DealConflict = z.object({
  dealIds: z.array(Id).describe("other partners' open or approved registrations for the same customer domain family"),
  directAccount: z.boolean().describe('the customer is a vendor-named direct account'),
  earliest: z.boolean().describe('this registration came first among the conflicting ones (earliest wins by default)'),
})
export type DealConflict = z.infer<typeof DealConflict>

const ids = { dealId: Id.describe('deal id'), partnerId: Id.describe('owning partner') }

const registrationFacts = {
  ...ids,
  customerName: Text.describe('end customer'),
  customerDomain: Text.describe('customer domain, normalised: lower case, no scheme, no www.'),
  value: PositiveAmount.describe('expected deal value, in currency'),
  currency: Currency,
  expectedCloseDate: IsoDate,
}
const registrationReview = {
  conflict: DealConflict.nullable().describe('null when no other partner or direct account claims the customer'),
  reviewDueAt: Instant.describe('the vendor reviews by then (SLA in business days, Mon-Fri)'),
  protectionDays: z.number().int().positive().describe('days of protection an approval will grant'),
}
const registered = 'A partner registered a deal; conflicts with other partners or direct accounts are flagged, not refused.'

/** One line of a registration: what the partner expects to sell, as the vendor's channel desk judges it. */
export const DealItem = z.object({
  sku: Text.nullable().describe("the vendor's SKU (part number); null when unknown: registrations of version 1 named products only"),
  name: Text.describe('product name'),
  quantity: z.number().int().positive().describe('units: licences, seats, appliances'),
})
export type DealItem = z.infer<typeof DealItem>

/** Version 1 (stored before items existed): products by name only. Kept to read and document stored events. */
export const DealRegisteredDataV1 = z.object({
  ...registrationFacts,
  products: z.array(Text),
  ...registrationReview,
}).describe(registered)

/** Version 2 (current): products became items with a SKU and a quantity. */
export const DealRegisteredData = z.object({
  ...registrationFacts,
  items: z.array(DealItem).describe('what the deal sells; the deal value is the total, so items carry no price'),
  ...registrationReview,
}).describe(registered)

/** Version 1 -> 2: each product name becomes an item of quantity 1 and SKU null (a guessed SKU is a fact never logged). */
export function upcastDealRegisteredV1(data: unknown): z.infer<typeof DealRegisteredData> {
  const { products, ...rest } = DealRegisteredDataV1.parse(data)
  return { ...rest, items: products.map((name) => ({ sku: null, name, quantity: 1 })) }
}

export const DealApprovedData = z.object({
  ...ids,
  protectedUntil: IsoDate.describe('last day of protection'),
  withinSla: z.boolean().describe('reviewed by reviewDueAt'),
}).describe('The vendor approved the registration; the deal is protected until protectedUntil.')
export const DealRejectedData = z.object({ ...ids, reason: Text, withinSla: z.boolean() }).describe('The vendor rejected the registration.')
export const DealWithdrawnData = z.object({ ...ids }).describe('The partner withdrew the registration before review.')
export const DealExtendedData = z.object({
  ...ids,
  protectedUntil: IsoDate.describe('new last day of protection'),
  justification: Text,
}).describe('The partner extended the protection (once).')
export const DealWonData = z.object({ ...ids, value: PositiveAmount, currency: Currency, closedOn: IsoDate }).describe('The partner won the deal.')
export const DealLostData = z.object({ ...ids, reason: Text, lostToDirect: z.boolean().describe('lost to the vendor’s direct sales') }).describe('The partner lost the deal.')
export const DealExpiredData = z.object({ ...ids }).describe('Protection ran out without an outcome (scheduler).')
export const DealReviewSlaBreachedData = z.object({ ...ids, dueAt: Instant.describe('when the review was due') }).describe('The vendor did not review in time (scheduler).')

/** one of the registrations an approval superseded, as the approved deal's history names it */
export const SupersededRegistration = z.object({
  dealId: Id,
  partnerId: Id,
  registeredAt: Instant.describe('when that partner registered the customer'),
  wasApproved: z.boolean().describe('it held protection, which ends with this approval'),
  earlier: z.boolean().describe('it was registered before the approved one (earliest wins unless the vendor overrides)'),
})
export const DealConflictDecidedData = z.object({
  ...ids,
  superseded: z.array(SupersededRegistration).describe("the other partners' open registrations for the customer: each is closed"),
  overridden: z.array(Id).describe('the superseded registrations the vendor confirmed to override (earlier, or holding protection)'),
  directAccount: Text.nullable().describe('the direct account the vendor confirmed to approve the registration over, by name'),
  reason: Text.nullable().describe('why the vendor overrode; null when the earliest registration won by default'),
}).describe('The vendor approved this registration although other partners registered the same customer or it is a direct account: one customer, one protected partner.')
export const DealSupersededData = z.object({
  ...ids,
  byDealId: Id.describe('the registration the vendor approved instead'),
  byPartnerId: Id.describe('its partner (never shown to this partner)'),
  byRegisteredAt: Instant.describe('when that registration was made'),
  protectionEndedOn: IsoDate.nullable().describe('the day this registration lost its protection; null when it was still waiting for review'),
  reason: Text.nullable().describe("the vendor's reason when it overrode this registration; null when this one was the later"),
}).describe("The vendor approved another partner's registration of the same customer: this one is closed, and its protection (if any) ended.")

export const dealEventSchemas = {
  DealRegistered: DealRegisteredData,
  DealApproved: DealApprovedData,
  DealRejected: DealRejectedData,
  DealWithdrawn: DealWithdrawnData,
  DealExtended: DealExtendedData,
  DealWon: DealWonData,
  DealLost: DealLostData,
  DealExpired: DealExpiredData,
  DealReviewSlaBreached: DealReviewSlaBreachedData,
  DealConflictDecided: DealConflictDecidedData,
  DealSuperseded: DealSupersededData,
} as const

/** Events that changed shape: the version written now, and how older stored versions are read. */
export const dealEventVersions = {
  DealRegistered: {
    current: 2,
    upcasters: [
      { from: 1, schema: DealRegisteredDataV1, upcast: upcastDealRegisteredV1, describe: 'Each product name becomes an item `{ sku: null, name, quantity: 1 }` (no SKU was recorded; none is invented).' },
    ],
  },
} as const satisfies EventVersions

export type DealRegistered = DomainEvent<'DealRegistered', z.infer<typeof DealRegisteredData>>
export type DealApproved = DomainEvent<'DealApproved', z.infer<typeof DealApprovedData>>
export type DealRejected = DomainEvent<'DealRejected', z.infer<typeof DealRejectedData>>
export type DealWithdrawn = DomainEvent<'DealWithdrawn', z.infer<typeof DealWithdrawnData>>
export type DealExtended = DomainEvent<'DealExtended', z.infer<typeof DealExtendedData>>
export type DealWon = DomainEvent<'DealWon', z.infer<typeof DealWonData>>
export type DealLost = DomainEvent<'DealLost', z.infer<typeof DealLostData>>
export type DealExpired = DomainEvent<'DealExpired', z.infer<typeof DealExpiredData>>
export type DealReviewSlaBreached = DomainEvent<'DealReviewSlaBreached', z.infer<typeof DealReviewSlaBreachedData>>
export type DealConflictDecided = DomainEvent<'DealConflictDecided', z.infer<typeof DealConflictDecidedData>>
export type DealSuperseded = DomainEvent<'DealSuperseded', z.infer<typeof DealSupersededData>>
export type DealEvent =
  | DealConflictDecided
  | DealSuperseded
  | DealRegistered
  | DealApproved
  | DealRejected
  | DealWithdrawn
  | DealExtended
  | DealWon
  | DealLost
  | DealExpired
  | DealReviewSlaBreached
export type DealEventType = DealEvent['type']

type DealFacts = {
  dealId: string
  partnerId: string
  customerName: string
  customerDomain: string
  value: number
  currency: string
  reviewDueAt: string
  protectionDays: number
  /** other partners' registrations open when this one was made: the ones registered earlier */
  earlierRivals: string[]
}
type Protection = { protectedUntil: string; extended: boolean }

export type Deal =
  | { status: 'Initial' }
  | ({ status: 'Submitted'; reviewSlaBreached: boolean } & DealFacts)
  | ({ status: 'Approved' } & DealFacts & Protection)
  | ({ status: 'Rejected' | 'Withdrawn' } & DealFacts)
  | ({ status: 'Won' | 'Lost' | 'Expired' } & DealFacts & Protection)
  | ({ status: 'Superseded'; byDealId: string } & DealFacts)

export const initialState = (): Deal => ({ status: 'Initial' })

export function evolve(state: Deal, event: DealEvent): Deal {
  switch (event.type) {
    case 'DealRegistered': {
      const { dealId, partnerId, customerName, customerDomain, value, currency, reviewDueAt, protectionDays, conflict } = event.data
      const earlierRivals = conflict?.dealIds ?? []
      return { status: 'Submitted', reviewSlaBreached: false, dealId, partnerId, customerName, customerDomain, value, currency, reviewDueAt, protectionDays, earlierRivals }
    }
    case 'DealReviewSlaBreached':
      return state.status === 'Submitted' ? { ...state, reviewSlaBreached: true } : state
    case 'DealApproved': {
      if (state.status !== 'Submitted') return state
      const { reviewSlaBreached: _, ...facts } = state
      return { ...facts, status: 'Approved', protectedUntil: event.data.protectedUntil, extended: false }
    }
    case 'DealRejected':
    case 'DealWithdrawn': {
      if (state.status !== 'Submitted') return state
      const { reviewSlaBreached: _, ...facts } = state
      return { ...facts, status: event.type === 'DealRejected' ? 'Rejected' : 'Withdrawn' }
    }
    case 'DealExtended':
      return state.status === 'Approved' ? { ...state, protectedUntil: event.data.protectedUntil, extended: true } : state
    case 'DealWon':
      return state.status === 'Approved' ? { ...state, status: 'Won', value: event.data.value } : state
    case 'DealLost':
      return state.status === 'Approved' ? { ...state, status: 'Lost' } : state
    case 'DealExpired':
      return state.status === 'Approved' ? { ...state, status: 'Expired' } : state
    case 'DealSuperseded': {
      if (state.status !== 'Submitted' && state.status !== 'Approved') return state
      const { dealId, partnerId, customerName, customerDomain, value, currency, reviewDueAt, protectionDays, earlierRivals } = state
      return { status: 'Superseded', byDealId: event.data.byDealId, dealId, partnerId, customerName, customerDomain, value, currency, reviewDueAt, protectionDays, earlierRivals }
    }
    default:
      return state
  }
}
