// The domain's public face: every aggregate as a namespace, plus the schemas the store and the app validate with.
import type { z } from 'zod'
import { dealCommandSchemas, dealEventSchemas, type DealCommand, type DealEvent } from './deals/index.ts'
import { partnerCommandSchemas, partnerEventSchemas, type PartnerCommand, type PartnerEvent } from './partners/index.ts'
import { staffEventSchemas } from './staff/index.ts'
import { courseCommandSchemas, courseEventSchemas } from './training/index.ts'
import { workshopCommandSchemas, workshopEventSchemas } from './workshops/index.ts'

export * as deals from './deals/index.ts'
export { DealDecider } from './deals/index.ts'
export * as partners from './partners/index.ts'
export { PartnerDecider } from './partners/index.ts'
export * as staff from './staff/index.ts'
export { StaffDecider } from './staff/index.ts'
export * from './shared/command.ts'
export * from './shared/errors.ts'

/** every event data schema by event type, for the event store's codec */
export const eventSchemas = {
  ...dealEventSchemas,
  ...partnerEventSchemas,
  ...staffEventSchemas,
  ...courseEventSchemas,
  ...workshopEventSchemas,
} satisfies Record<string, z.ZodType>

/** every command data schema by command type, for forms and command handlers */
export const commandSchemas = {
  ...dealCommandSchemas,
  ...partnerCommandSchemas,
  ...courseCommandSchemas,
  ...workshopCommandSchemas,
} satisfies Record<string, z.ZodType>

export type AnyDomainEvent = DealEvent | PartnerEvent
export type EventType = keyof typeof eventSchemas
export type AnyCommand = DealCommand | PartnerCommand
export type CommandType = keyof typeof commandSchemas
