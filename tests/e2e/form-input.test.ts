// What the portal's forms accept, through the real built server: the reproductions of issue #12 (a NUL in a workshop's
// attendees, a 100,004-character product, 0x1F and 0.000001 as money) answer 400 with the field's message, store nothing,
// and leave every read model live.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

let server: RunningServer
let maria: HttpSession

beforeAll(async () => {
  server = await startServer()
  maria = await httpSession(server.url, demoEmails.partnerA)
})
afterAll(async () => {
  await server?.stop()
})

/** the page's text with entities decoded enough to find a message */
const textOf = async (response: Response) => (await response.text()).replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')

const healthy = async () => (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean }

describe('refused at the form, with a field message, and nothing stored', () => {
  test('a NUL in a workshop attendee (attendees=Maria%00Jensen); the same request without it is stored and shown', async () => {
    const goal = `Plan 2027 ${randomUUID().slice(0, 8)}`
    const request = (attendees: string) => maria.post('/partner/collaborate/workshops/new', { commandId: randomUUID(), kind: 'strategy', goal, attendees })
    const refused = await request('Maria\u0000Jensen')
    expect(refused.status).toBe(400)
    expect(await textOf(refused)).toContain('Entry 1: Use one line of plain text: no tabs, line breaks or control characters (such as NUL).')
    expect(await textOf(await maria.get('/partner/collaborate'))).not.toContain(goal)
    expect(await healthy()).toMatchObject({ ok: true })

    expect((await request('Maria Jensen')).status).toBe(302)
    expect(await textOf(await maria.get('/partner/collaborate'))).toContain(goal)
    expect(await healthy()).toMatchObject({ ok: true })
  })

  test('a 100,004-character product name in an item row', async () => {
    const response = await maria.post('/partner/deals/new', {
      commandId: randomUUID(), customerName: 'Globex', customerDomain: 'globex.example', value: '25000', currency: 'EUR', expectedCloseDate: '2099-12-31',
      'items[0].sku': 'CB-500', 'items[0].name': 'P'.repeat(100_004), 'items[0].quantity': '1',
    })
    expect(response.status).toBe(400)
    expect(await textOf(response)).toContain('At most 200 characters.')
  })

  test.each([
    ['0x1F', 'Write the deal value in digits, e.g. 25000 or 25,000.50'],
    ['1e3', 'Write the deal value in digits, e.g. 25000 or 25,000.50'],
    ['Infinity', 'Write the deal value in digits, e.g. 25000 or 25,000.50'],
    ['0.000001', 'At least 0.01.'],
    ['-0', 'At least 0.01.'],
  ])('a deal value of %s', async (value, message) => {
    const response = await maria.post('/partner/deals/new', {
      commandId: randomUUID(), customerName: 'Globex', customerDomain: 'globex.example', value, currency: 'EUR', expectedCloseDate: '2099-12-31', 'items[0].sku': 'CS-1', 'items[0].name': 'Cloud Suite', 'items[0].quantity': '1',
    })
    expect(response.status).toBe(400)
    expect(await textOf(response)).toContain(message)
  })

  test('an amount of 0.000001 in a co-investment request', async () => {
    const response = await maria.post('/partner/funds/new', {
      commandId: randomUUID(), quarter: '2099-Q1', kind: 'mdf', activity: 'Roadshow', totalCost: '20000', partnerInvestment: '10000', amountRequested: '0.000001', expectedPipeline: '0',
    })
    expect(response.status).toBe(400)
    expect(await textOf(response)).toContain('At least 0.01.')
  })
})
