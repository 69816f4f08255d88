// Erasing a person: only a vendor admin may, once per subject.
import { z } from 'zod'
import { requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, ValidationError } from '../shared/errors.ts'
import { parseSubject } from '../shared/personal-data.ts'
import { Id, parseData } from '../shared/schemas.ts'
import { ref } from '../shared/fields.ts'
import { evolve, initialState, type Erasure, type ErasureEvent, type PersonErased } from './erasure.ts'

export const ErasePersonData = z.object({
  subject: ref(),
  partnerId: ref().nullable(),
  /** supplied by the use case: the events it found holding the subject's data */
  eventIds: z.array(Id),
})

export const erasureCommandSchemas = { ErasePerson: ErasePersonData } as const

export type ErasePerson = Command<'ErasePerson', z.input<typeof ErasePersonData>>
export type ErasureCommand = ErasePerson

export function erasePerson(command: ErasePerson, state: Erasure): PersonErased {
  const data = parseData(ErasePersonData, command.data)
  requireVendor(command.metadata.actor, 'erase personal data', ['vendor_admin'])
  if (!parseSubject(data.subject)) throw new ValidationError(`"${data.subject}" is not a subject of personal data`, 'subject')
  if (state.status === 'Erased') throw new IllegalStateError(`The personal data of ${data.subject} was already erased`)
  return { type: 'PersonErased', data: { subject: data.subject, partnerId: data.partnerId, eventIds: [...new Set(data.eventIds)] } }
}

export function decide(command: ErasureCommand, state: Erasure): ErasureEvent {
  switch (command.type) {
    case 'ErasePerson':
      return erasePerson(command, state)
    default: {
      // one command so far: TypeScript narrows its type, not the command, to never
      const _exhaustive: never = command.type
      throw new ValidationError(`Unknown command ${String(_exhaustive)}`)
    }
  }
}

export const ErasureDecider: Decider<ErasureCommand, ErasureEvent, Erasure> = { initialState, evolve, decide }
