// The domain's public face: every aggregate, its decider, and the schemas the store and the app validate with.
import type { z } from 'zod'
import { accountCommandSchemas, accountEventSchemas, type AccountCommand, type AccountEvent } from './accounts/index.ts'
import { allocationCommandSchemas, allocationEventSchemas, type AllocationCommand, type AllocationEvent } from './allocations/index.ts'
import { assetCommandSchemas, assetEventSchemas, type AssetCommand, type AssetEvent } from './assets/index.ts'
import { coInvestmentCommandSchemas, coInvestmentEventSchemas, type CoInvestmentCommand, type CoInvestmentEvent } from './coinvestment/index.ts'
import { dealCommandSchemas, dealEventSchemas, dealEventVersions, type DealCommand, type DealEvent } from './deals/index.ts'
import { partnerCommandSchemas, partnerEventSchemas, partnerPersonalData, type PartnerCommand, type PartnerEvent } from './partners/index.ts'
import { planCommandSchemas, planEventSchemas, type PlanCommand, type PlanEvent } from './plans/index.ts'
import { surveyCommandSchemas, surveyEventSchemas, type SurveyCommand, type SurveyEvent } from './psat/index.ts'
import { erasureCommandSchemas, erasureEventSchemas, type ErasureCommand, type ErasureEvent } from './privacy/index.ts'
import type { PersonalDataRegistry } from './shared/personal-data.ts'
import type { EventVersions } from './shared/versions.ts'
import { staffCommandSchemas, staffEventSchemas, staffPersonalData, type StaffCommand, type StaffEvent } from './staff/index.ts'
import { settingsCommandSchemas, settingsEventSchemas, type SettingsCommand, type SettingsEvent } from './settings/index.ts'
import { courseCommandSchemas, courseEventSchemas, type CourseCommand, type CourseEvent } from './training/index.ts'
import { workshopCommandSchemas, workshopEventSchemas, workshopPersonalData, type WorkshopCommand, type WorkshopEvent } from './workshops/index.ts'

export * as deals from './deals/index.ts'
export * as partners from './partners/index.ts'
export * as training from './training/index.ts'
export * as workshops from './workshops/index.ts'
export * as allocations from './allocations/index.ts'
export * as coinvestment from './coinvestment/index.ts'
export * as assets from './assets/index.ts'
export * as psat from './psat/index.ts'
export * as plans from './plans/index.ts'
export * as settings from './settings/index.ts'
export * as staff from './staff/index.ts'
export * as scheduler from './scheduler/index.ts'
export * as privacy from './privacy/index.ts'
export * as accounts from './accounts/index.ts'

export { DealDecider } from './deals/index.ts'
export { PartnerDecider } from './partners/index.ts'
export { CourseDecider } from './training/index.ts'
export { WorkshopDecider } from './workshops/index.ts'
export { AllocationDecider } from './allocations/index.ts'
export { CoInvestmentDecider } from './coinvestment/index.ts'
export { AssetDecider } from './assets/index.ts'
export { SurveyDecider } from './psat/index.ts'
export { PlanDecider } from './plans/index.ts'
export { StaffDecider } from './staff/index.ts'
export { ErasureDecider } from './privacy/index.ts'
export { AccountDecider } from './accounts/index.ts'
export { SettingsDecider, settingsInForce, DEFAULT_PROGRAM_SETTINGS, ProgramSettings } from './settings/index.ts'
export { dueCommands } from './scheduler/index.ts'
export * from './shared/command.ts'
export * from './shared/errors.ts'
export { SCHEDULER_ACTOR } from './shared/auth.ts'
export * from './shared/personal-data.ts'
export type { EventUpcaster, EventVersions } from './shared/versions.ts'

/** event data schemas per aggregate, in catalog order (docs/events.md) */
export const eventSchemasByAggregate = {
  deals: dealEventSchemas,
  accounts: accountEventSchemas,
  partners: partnerEventSchemas,
  training: courseEventSchemas,
  workshops: workshopEventSchemas,
  allocations: allocationEventSchemas,
  coinvestment: coInvestmentEventSchemas,
  assets: assetEventSchemas,
  psat: surveyEventSchemas,
  plans: planEventSchemas,
  settings: settingsEventSchemas,
  staff: staffEventSchemas,
  privacy: erasureEventSchemas,
} as const

/** events that changed shape, with their upcasters; a type not listed is at version 1 */
export const eventVersions: EventVersions = {
  ...dealEventVersions,
}

/** every event data schema by event type, for the event store's codec */
export const eventSchemas = {
  ...dealEventSchemas,
  ...accountEventSchemas,
  ...partnerEventSchemas,
  ...courseEventSchemas,
  ...workshopEventSchemas,
  ...allocationEventSchemas,
  ...coInvestmentEventSchemas,
  ...assetEventSchemas,
  ...surveyEventSchemas,
  ...planEventSchemas,
  ...settingsEventSchemas,
  ...staffEventSchemas,
  ...erasureEventSchemas,
} satisfies Record<string, z.ZodType>

/** every personal field of every event type and whose it is, for the codec that encrypts them */
export const personalData: PersonalDataRegistry = {
  ...partnerPersonalData,
  ...staffPersonalData,
  ...workshopPersonalData,
}

/** the event that records an erasure, for the codec (it forgets the subject's key when it reads one) */
export const erasureEvent = { type: 'PersonErased', subject: (data: { subject: string }) => data.subject } as const

/** every command data schema by command type, for forms and command handlers */
export const commandSchemas = {
  ...dealCommandSchemas,
  ...accountCommandSchemas,
  ...partnerCommandSchemas,
  ...courseCommandSchemas,
  ...workshopCommandSchemas,
  ...allocationCommandSchemas,
  ...coInvestmentCommandSchemas,
  ...assetCommandSchemas,
  ...surveyCommandSchemas,
  ...planCommandSchemas,
  ...settingsCommandSchemas,
  ...staffCommandSchemas,
  ...erasureCommandSchemas,
} satisfies Record<string, z.ZodType>

export type AnyDomainEvent =
  | DealEvent
  | AccountEvent
  | PartnerEvent
  | CourseEvent
  | WorkshopEvent
  | AllocationEvent
  | CoInvestmentEvent
  | AssetEvent
  | SurveyEvent
  | PlanEvent
  | SettingsEvent
  | StaffEvent
  | ErasureEvent
export type EventType = keyof typeof eventSchemas
export type AnyCommand =
  | DealCommand
  | AccountCommand
  | PartnerCommand
  | CourseCommand
  | WorkshopCommand
  | AllocationCommand
  | CoInvestmentCommand
  | AssetCommand
  | SurveyCommand
  | PlanCommand
  | SettingsCommand
  | StaffCommand
  | ErasureCommand
export type CommandType = keyof typeof commandSchemas

// compile-time check: the schema records and the event/command unions name the same types
const _eventsCovered: Record<AnyDomainEvent['type'], unknown> = eventSchemas
const _eventsKnown: Record<EventType, unknown> = {} as Record<AnyDomainEvent['type'], unknown>
const _commandsCovered: Record<AnyCommand['type'], unknown> = commandSchemas
const _commandsKnown: Record<CommandType, unknown> = {} as Record<AnyCommand['type'], unknown>
void [_eventsCovered, _eventsKnown, _commandsCovered, _commandsKnown]
