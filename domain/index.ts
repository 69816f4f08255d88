// The domain's public face: every aggregate as a namespace, plus the schemas the store and the app validate with.
import type { z } from 'zod'
import { dealCommandSchemas, dealEventSchemas, type DealCommand, type DealEvent } from './deals/index.ts'

export * as deals from './deals/index.ts'
export { DealDecider } from './deals/index.ts'
export * from './shared/command.ts'
export * from './shared/errors.ts'

/** every event data schema by event type, for the event store's codec */
export const eventSchemas = {
  ...dealEventSchemas,
} satisfies Record<string, z.ZodType>

/** every command data schema by command type, for forms and command handlers */
export const commandSchemas = {
  ...dealCommandSchemas,
} satisfies Record<string, z.ZodType>

export type AnyDomainEvent = DealEvent
export type EventType = keyof typeof eventSchemas
export type AnyCommand = DealCommand
export type CommandType = keyof typeof commandSchemas
