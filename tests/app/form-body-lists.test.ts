// readForm and list fields: a form has at most 500 fields, so no list entry is past index 499. A name such as
// goals[100000].description would make Conform build, send back and render a list that long (the page hangs).
import { describe, expect, test } from 'vitest'
import { readForm } from '../../app/form-body.server.ts'

const post = (body: string) => new Request('http://localhost/x', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })

async function refusal(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return { status: error.status, reason: await error.text() }
    throw error
  }
  throw new Error('the form was read')
}

describe('list entries in field names', () => {
  test('entries up to index 499 are read, in any nesting', async () => {
    const form = await readForm(post('goals%5B0%5D.description=a&goals%5B499%5D.target=b&tiers%5B2%5D.rows%5B3%5D=c'))
    expect(form.get('goals[499].target')).toBe('b')
    expect(form.get('tiers[2].rows[3]')).toBe('c')
  })
  test.each(['goals%5B500%5D.description=x', 'items%5B100000%5D.sku=x', 'a%5B0%5D.b%5B99999999999%5D=x'])('%s is refused with 400 and the reason', async (body) => {
    expect(await refusal(readForm(post(body)))).toEqual({ status: 400, reason: expect.stringMatching(/^The form names a list entry past the 500th:/) })
  })
})
