// A database that cannot be reached answers 503 with Retry-After: commands throw the 503, and the server entry turns
// any request that met a lost connection (loaders, the session lookup) into one.
import { describe, expect, test } from 'vitest'
import { executeCommand } from '../../app/commands/handler.server.ts'
import { isRouteErrorResponse } from 'react-router'
import { answerStatus, explainUnavailable, noteUnavailable, RETRY_AFTER_SECONDS, unavailableData, UNAVAILABLE_REASON } from '../../app/unavailable.server.ts'
import { DealDecider, type DealCommand } from '../../domain/deals/index.ts'
import type { EventStore } from '../../eventstore/types.ts'

const terminated = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })

/** a store whose every read and append fails with `error` */
function failingStore(error: () => Error): EventStore {
  return {
    async appendToStream() {
      throw error()
    },
    async *readStream() {
      throw error()
    },
    async *readAll() {},
    subscribeToAll() {
      throw error()
    },
    async close() {},
  } as unknown as EventStore
}

const withdraw: DealCommand = {
  type: 'WithdrawDeal',
  data: { dealId: 'd-1' },
  metadata: { commandId: 'c-1', now: '2026-05-04T09:00:00.000Z', actor: { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' } },
}

describe('commands when the database is unreachable', () => {
  test('a lost connection becomes a 503 with Retry-After and a reason', async () => {
    const thrown = await executeCommand(failingStore(terminated), DealDecider, 'deal-d-1', withdraw).then(
      () => undefined,
      (error: unknown) => error,
    )
    const response = thrown as { type?: string; data?: unknown; init?: ResponseInit }
    expect(response.type).toBe('DataWithResponseInit')
    expect(response.init?.status).toBe(503)
    expect(new Headers(response.init?.headers).get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS))
    expect(String(response.data)).toMatch(/try again/i)
  })

  test('any other failure stays what it is', async () => {
    const other = new Error('disk full')
    await expect(executeCommand(failingStore(() => other), DealDecider, 'deal-d-1', withdraw)).rejects.toBe(other)
  })
})

describe('the server entry', () => {
  test('a request that met a lost connection answers 503 with Retry-After', () => {
    const request = new Request('http://localhost/partner')
    expect(noteUnavailable(request, terminated())).toBe(true)
    const headers = new Headers()
    expect(answerStatus(request, 500, headers)).toBe(503)
    expect(headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS))
  })

  test('a 503 thrown by a command keeps its reason and gets Retry-After', () => {
    const headers = new Headers()
    expect(answerStatus(new Request('http://localhost/partner/deals/new', { method: 'POST' }), 503, headers)).toBe(503)
    expect(headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS))
  })

  test('other errors keep their status and are not noted', () => {
    const request = new Request('http://localhost/partner')
    expect(noteUnavailable(request, new Error('a bug'))).toBe(false)
    const headers = new Headers()
    expect(answerStatus(request, 500, headers)).toBe(500)
    expect(headers.has('Retry-After')).toBe(false)
  })

  test("a page that met a lost connection shows the 503 and its reason in its boundary, not a generic error", () => {
    const request = new Request('http://localhost/partner')
    noteUnavailable(request, terminated())
    const errors: Record<string, unknown> = { root: new Error('Unexpected Server Error') }
    explainUnavailable(request, errors)
    const shown = errors.root
    expect(isRouteErrorResponse(shown) && shown.status).toBe(503)
    expect(isRouteErrorResponse(shown) && shown.data).toBe(UNAVAILABLE_REASON)

    const other = new Request('http://localhost/partner')
    const bug = new Error('a bug')
    const theirs: Record<string, unknown> = { root: bug }
    explainUnavailable(other, theirs)
    expect(theirs.root).toBe(bug)
  })

  test('a data request (client navigation, enhanced form) that met a lost connection answers 503 with Retry-After', () => {
    const request = new Request('http://localhost/partner.data')
    noteUnavailable(request, terminated())
    const answered = unavailableData(new Response('payload', { status: 500 }), request)
    expect(answered.status).toBe(503)
    expect(answered.headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS))
    const fine = new Response('payload', { status: 200 })
    expect(unavailableData(fine, new Request('http://localhost/partner.data'))).toBe(fine)
  })
})
