// given/when/then for deciders: fold the given events, decide the command, compare events or the error.
import { expect } from 'vitest'
import type { Actor, Command, CommandMetadata, Decider, DomainEvent } from '../../../domain/shared/command.ts'

type ErrorClass = abstract new (...args: never[]) => Error

export function given<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: E[] = []) {
  const state = events.reduce(decider.evolve, decider.initialState())
  return {
    state,
    /** loosely typed data on purpose: tests send invalid payloads to check the domain's own validation */
    when(command: C | Command<C['type'], unknown>) {
      const run = () => {
        const result = decider.decide(command as C, state)
        return Array.isArray(result) ? result : [result]
      }
      return {
        then(expected: E[]) {
          expect(run()).toEqual(expected)
        },
        thenThrows(errorClass: ErrorClass, message?: RegExp) {
          let thrown: unknown
          try {
            run()
          } catch (error) {
            thrown = error
          }
          expect(thrown, 'expected the command to be refused').toBeInstanceOf(errorClass)
          if (message) expect((thrown as Error).message).toMatch(message)
        },
        /** the events, for assertions on part of them */
        events: () => run(),
      }
    },
  }
}

export const partnerUser = (partnerId: string, role: Actor['role'] = 'partner_user'): Actor => ({ userId: `user-${partnerId}`, organisationId: partnerId, role })
export const channelManager: Actor = { userId: 'cm-1', organisationId: 'vendor', role: 'channel_manager' }
export const vendorAdmin: Actor = { userId: 'va-1', organisationId: 'vendor', role: 'vendor_admin' }
export const auditor: Actor = { userId: 'aud-1', organisationId: 'vendor', role: 'auditor' }
export const scheduler: Actor = { userId: 'system:scheduler', organisationId: 'vendor', role: 'vendor_admin' }

let counter = 0
/** builds a command; `now` and `actor` default to a fixed Monday morning and a channel manager */
export function command<T extends string, D>(type: T, data: D, meta: Partial<CommandMetadata> = {}): Command<T, D> {
  return {
    type,
    data,
    metadata: { commandId: `cmd-${++counter}`, now: '2026-05-04T09:00:00.000Z', actor: channelManager, ...meta },
  }
}
