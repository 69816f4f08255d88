// Route ids and search parameters: a bad id is a 404, a bad search value a 400 naming the parameter and why.
import { isRouteErrorResponse } from 'react-router'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { IsoDate, PageNumber, Position, QuarterParam, QueryText, RouteId, Sha256, parseParams, parseSearch } from '../../app/params.server.ts'

/** what a thrown `data(...)` carries: its status and message */
function thrown(run: () => unknown): { status: number; message: string } {
  try {
    run()
  } catch (error) {
    if (error && typeof error === 'object' && 'type' in error && (error as { type: string }).type === 'DataWithResponseInit') {
      const { data, init } = error as unknown as { data: string; init: { status: number } }
      return { status: init.status, message: data }
    }
    if (isRouteErrorResponse(error)) return { status: error.status, message: String(error.data) }
    throw error
  }
  throw new Error('nothing was thrown')
}

describe('RouteId', () => {
  test.each(['northwind', 'u-maria', 'system:setup', '5eed0000-0000-4000-8000-00000000c0c1', 'Zürich-Ω', '😀'])('takes %j', (id) => {
    expect(RouteId.parse(id)).toBe(id)
  })
  test.each([['', 'empty'], ['a\u0000b', 'NUL'], ['\u0007', 'BEL'], ['tab\there', 'tab'], ['\u007f', 'DEL'], ['\u0085', 'C1'], ['\uD800', 'lone high surrogate'], ['x\uDC00', 'lone low surrogate'], ['x'.repeat(201), 'too long']])(
    'refuses %j (%s)',
    (id) => expect(RouteId.safeParse(id).success).toBe(false),
  )
})

describe('shared pieces', () => {
  test('a page, a date, a position, a quarter, a file address', () => {
    expect(PageNumber.parse('3')).toBe(3)
    for (const bad of ['0', '-1', '1.5', '0x1F', '1e3', 'abc', '9'.repeat(400)]) expect(PageNumber.safeParse(bad).success, bad).toBe(false)
    expect(IsoDate.parse('2026-02-28')).toBe('2026-02-28')
    for (const bad of ['2026-02-30', '2026-2-1', '20260201', 'today', '2026-02-01T00:00:00Z']) expect(IsoDate.safeParse(bad).success, bad).toBe(false)
    expect(Position.parse('9223372036854775807')).toBe('9223372036854775807')
    for (const bad of ['abc', '-1', '1.0', '9223372036854775808', '1'.repeat(20), ' 1']) expect(Position.safeParse(bad).success, bad).toBe(false)
    expect(QuarterParam.parse('2026-Q4')).toBe('2026-Q4')
    for (const bad of ['2026-Q5', '2026Q1', 'Q1-2026']) expect(QuarterParam.safeParse(bad).success, bad).toBe(false)
    expect(Sha256.safeParse('a'.repeat(64)).success).toBe(true)
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), '%00']) expect(Sha256.safeParse(bad).success, bad).toBe(false)
  })
})

describe('parseParams', () => {
  test('answers the parsed ids', () => {
    expect(parseParams({ partnerId: RouteId, quarter: QuarterParam }, { partnerId: 'northwind', quarter: '2026-Q1' })).toEqual({ partnerId: 'northwind', quarter: '2026-Q1' })
  })
  test('an id that cannot exist is a 404 with the given message, as an unknown one would be', () => {
    expect(thrown(() => parseParams({ dealId: RouteId }, { dealId: '\u0000' }, 'No deal with this id in your organisation.'))).toEqual({ status: 404, message: 'No deal with this id in your organisation.' })
    expect(thrown(() => parseParams({ dealId: RouteId }, {})).status).toBe(404)
  })
})

describe('parseSearch', () => {
  const url = (search: string) => new URL(`http://localhost/audit${search}`)
  const Timeline = { before: Position.optional(), from: IsoDate.optional(), type: QueryText(80).optional(), dir: z.enum(['asc', 'desc']).optional() }

  test('reads the named parameters, trimmed, an empty one as absent, others ignored', () => {
    expect(parseSearch(Timeline, url('?before=%2042%20&from=&type=DealApproved&_routes=x'))).toEqual({ before: '42', from: undefined, type: 'DealApproved', dir: undefined })
  })
  test.each([
    ['?before=abc', '“before=abc” is not a position in the log: use a whole number.'],
    ['?from=yesterday', '“from=yesterday” is not a date as YYYY-MM-DD.'],
    ['?type=a%00b', '“type=a\\u0000b” has a control character in it.'],
    ['?dir=up', '“dir=up” is not one of asc, desc.'],
    [`?type=${'x'.repeat(500)}`, `“type=${'x'.repeat(40)}…” is longer than 80 characters.`],
  ])('%s is a 400 that names the parameter and the reason', (search, message) => {
    expect(thrown(() => parseSearch(Timeline, url(search)))).toEqual({ status: 400, message })
  })
  test('a required parameter that is missing says so', () => {
    const answer = thrown(() => parseSearch({ partner: RouteId }, url('')))
    expect(answer.status).toBe(400)
    expect(answer.message).toMatch(/^“partner=”/)
  })
})
