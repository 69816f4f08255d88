// What the portal's forms accept, parsed as the actions parse them (Conform's parseWithZod with the route's schema):
// unstorable text, endless lists and numbers that are not plain decimals get a field message instead of reaching a command.
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { formInteger, formMoney, formNumber } from '../../app/forms.ts'
import { RequestWorkshopForm } from '../../app/routes/engagement/partner-workshop-new.tsx'
import { Decision } from '../../app/routes/funds/decisions.ts'
import { RequestForm } from '../../app/routes/funds/partner-funds-new.tsx'
import { RegisterDealForm } from '../../app/routes/partner/deals-new.tsx'
import { decimal } from '../../domain/shared/fields.ts'

const commandId = '0b9a5a4e-5a43-4c1e-9d0e-3f7c1b2a6d10'
/** a form as the browser posts it, urlencoded and decoded (so %00 arrives as a NUL) */
const form = (body: string) => {
  const data = new FormData()
  for (const [key, value] of new URLSearchParams(body)) data.append(key, value)
  return data
}

/** a form parsed with Conform as the actions parse it: the value, or the first error of each field by Conform's field name (items[0].sku) */
function conform<S extends z.ZodType>(schema: S, data: FormData) {
  const submission = parseWithZod(data, { schema })
  if (submission.status === 'success') return { ok: true as const, value: submission.value }
  const fieldErrors = Object.fromEntries(Object.entries(submission.error ?? {}).map(([name, messages]) => [name, messages?.[0]]))
  return { ok: false as const, result: { fieldErrors } }
}

describe('the workshop request form (Conform, parsed as its action parses it)', () => {
  const workshop = (body: string) => conform(RequestWorkshopForm, form(`commandId=${commandId}&kind=strategy&${body}`))
  it('refuses an attendee with a NUL (attendees=Maria%00Jensen) with a message under the field, saying which line', () => {
    expect(workshop('goal=Plan+2027&attendees=Maria%00Jensen')).toMatchObject({ ok: false, result: { fieldErrors: { attendees: expect.stringMatching(/^Entry 1: .*control characters \(such as NUL\)/) } } })
  })
  it('refuses other control characters in the goal, keeps its line breaks, and takes one attendee per line', () => {
    expect(workshop('goal=Plan%1B2027&attendees=Maria')).toMatchObject({ ok: false, result: { fieldErrors: { goal: expect.stringMatching(/control characters/) } } })
    expect(workshop('goal=Plan+2027%0D%0A%09and+beyond&attendees=Maria+Jensen%0D%0AJo+Lee')).toEqual({ ok: true, value: { commandId, kind: 'strategy', goal: 'Plan 2027\r\n\tand beyond', attendees: ['Maria Jensen', 'Jo Lee'] } })
  })
  it('bounds the attendee list and each name; blank lines are no attendees', () => {
    const many = Array.from({ length: 21 }, (_, i) => `Person ${i}`).join('%0A')
    expect(workshop(`goal=Plan&attendees=${many}`)).toMatchObject({ ok: false, result: { fieldErrors: { attendees: 'At most 20 entries.' } } })
    expect(workshop(`goal=Plan&attendees=Maria%0A${'M'.repeat(121)}`)).toMatchObject({ ok: false, result: { fieldErrors: { attendees: 'Entry 2: At most 120 characters.' } } })
    expect(workshop('goal=Plan&attendees=%0A+%0A')).toMatchObject({ ok: false, result: { fieldErrors: { attendees: 'Enter who attends, one per line' } } })
    expect(workshop('goal=&attendees=')).toMatchObject({ ok: false, result: { fieldErrors: { goal: 'Enter what the workshop should achieve', attendees: 'Enter who attends' } } })
  })
})

describe('the deal registration form (Conform, parsed as its action parses it)', () => {
  const deal = (fields: string) => {
    const data = form(`commandId=${commandId}&customerName=Globex&customerDomain=globex.com&value=25000&currency=EUR&expectedCloseDate=2099-12-31`)
    for (const [key, value] of new URLSearchParams(fields)) data.set(key, value)
    return conform(RegisterDealForm, data)
  }
  const item = (i: number, sku: string, name: string, quantity: string) =>
    `items[${i}].sku=${encodeURIComponent(sku)}&items[${i}].name=${encodeURIComponent(name)}&items[${i}].quantity=${encodeURIComponent(quantity)}`

  it('reads the item rows: SKU, product and quantity, trimmed; no rows is no items', () => {
    expect(deal(`${item(0, ' CB-500 ', 'Cloud Backup', '25')}&${item(1, 'EF-2', 'Edge Firewall', ' 2 ')}`)).toMatchObject({
      ok: true, value: { items: [{ sku: 'CB-500', name: 'Cloud Backup', quantity: 25 }, { sku: 'EF-2', name: 'Edge Firewall', quantity: 2 }] },
    })
    expect(deal('')).toMatchObject({ ok: true, value: { items: [] } })
  })
  it("puts each row's error under its own field: a missing SKU, a 100,004-character name, a quantity of 0 or 1.5, more than 20 rows", () => {
    expect(deal(item(0, '', 'Cloud Backup', '1'))).toMatchObject({ ok: false, result: { fieldErrors: { 'items[0].sku': 'Enter the SKU (part number), e.g. CB-500' } } })
    expect(deal(item(0, 'CB-500', 'P'.repeat(100_004), '1'))).toMatchObject({ ok: false, result: { fieldErrors: { 'items[0].name': 'At most 200 characters.' } } })
    expect(deal(item(0, 'CB-500', 'Cloud Backup', '0'))).toMatchObject({ ok: false, result: { fieldErrors: { 'items[0].quantity': 'At least 1.' } } })
    expect(deal(item(0, 'CB-500', 'Cloud Backup', '1.5'))).toMatchObject({ ok: false, result: { fieldErrors: { 'items[0].quantity': 'Use a whole number.' } } })
    const many = Array.from({ length: 21 }, (_, i) => item(i, `S-${i}`, `P${i}`, '1')).join('&')
    expect(deal(many)).toMatchObject({ ok: false, result: { fieldErrors: { items: 'At most 20 entries.' } } })
  })
  it('refuses a NUL, a tab or a line break in the customer name', () => {
    for (const name of ['Glo%00bex', 'Glo%09bex', 'Glo%0Abex']) {
      const parsed = deal(`customerName=${name}`)
      expect(parsed, name).toMatchObject({ ok: false, result: { fieldErrors: { customerName: expect.stringMatching(/no tabs, line breaks or control characters/) } } })
    }
  })
  it('reads the value as a plain decimal: no hex, exponent or Infinity; at least 0.01 with at most 2 decimals', () => {
    const value = (typed: string) => {
      const parsed = deal(`value=${encodeURIComponent(typed)}`)
      return parsed.ok ? parsed.value.value : parsed.result.fieldErrors.value
    }
    expect(value('0x1F')).toBe('Write the deal value in digits, e.g. 25000 or 25,000.50')
    expect(value('1e3')).toBe('Write the deal value in digits, e.g. 25000 or 25,000.50')
    expect(value('Infinity')).toBe('Write the deal value in digits, e.g. 25000 or 25,000.50')
    expect(value('0.000001')).toBe('At least 0.01.')
    expect(value('0.001')).toBe('At least 0.01.')
    expect(value('10.005')).toBe('At most 2 decimals.')
    expect(value('-0')).toBe('At least 0.01.')
    expect(value(' 12 ')).toBe(12)
    expect(value('48,000')).toBe(48_000)
    expect(value('1,250.50')).toBe(1250.5)
    expect(value('12,34')).toBe('Write the deal value in digits, e.g. 25000 or 25,000.50')
  })
})

describe('the co-investment request form (Conform, parsed as its action parses it)', () => {
  it('refuses an amount of 0.000001 and a NUL in the activity; blank own investment is 0', () => {
    const request = (fields: string) => {
      const data = form(`commandId=${commandId}&quarter=2026-Q3&kind=mdf&activity=Roadshow&totalCost=20000&amountRequested=10000`)
      for (const [key, value] of new URLSearchParams(fields)) data.set(key, value)
      return conform(RequestForm, data)
    }
    expect(request('amountRequested=0.000001')).toMatchObject({ ok: false, result: { fieldErrors: { amountRequested: 'At least 0.01.' } } })
    expect(request('activity=Road%00show')).toMatchObject({ ok: false, result: { fieldErrors: { activity: expect.stringMatching(/control characters/) } } })
    expect(request('partnerInvestment=0x10')).toMatchObject({ ok: false, result: { fieldErrors: { partnerInvestment: expect.stringMatching(/in digits/) } } })
    expect(request('partnerInvestment=')).toMatchObject({ ok: true, value: { partnerInvestment: 0, expectedPipeline: 0 } })
  })
})

describe("the vendor's funds decisions (one schema per form, parsed by the action as one union on intent)", () => {
  const id = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f'
  it('reads an approval: amounts from text, the percentage whole, the deadline a date', () => {
    expect(conform(Decision, form(`intent=approve&coInvestmentId=${id}&approvedAmount=6,000&maxReimbursementPct=50&claimDeadline=2099-01-31`))).toMatchObject({
      ok: true, value: { intent: 'approve', coInvestmentId: id, approvedAmount: 6000, maxReimbursementPct: 50, claimDeadline: '2099-01-31' },
    })
    expect(conform(Decision, form(`intent=approve&coInvestmentId=${id}&approvedAmount=6000&maxReimbursementPct=0&claimDeadline=`))).toMatchObject({
      ok: false, result: { fieldErrors: { maxReimbursementPct: 'Use a whole percentage from 1 to at most 100', claimDeadline: 'Choose the claim deadline' } },
    })
  })
  it('asks for a reason to reject or decline, each in its words', () => {
    expect(conform(Decision, form(`intent=reject&coInvestmentId=${id}&reason=+`))).toMatchObject({ ok: false, result: { fieldErrors: { reason: 'Say what to change before resubmitting' } } })
    expect(conform(Decision, form(`intent=decline&coInvestmentId=${id}`))).toMatchObject({ ok: false, result: { fieldErrors: { reason: 'Give a reason for declining' } } })
  })
  it('takes one ticked claim or many, and none is refused', () => {
    expect(conform(Decision, form(`intent=pay-selected&selected=${id}`))).toMatchObject({ ok: true, value: { selected: [id] } })
    expect(conform(Decision, form(`intent=approve-claims&selected=${id}&selected=other`))).toMatchObject({ ok: true, value: { selected: [id, 'other'] } })
    expect(conform(Decision, form('intent=approve-claims'))).toMatchObject({ ok: false, result: { fieldErrors: { selected: 'Select at least one' } } })
  })
})

describe('form number helpers', () => {
  it('whole numbers: -0 is 0, no decimals, hex or exponents; decimal commas only where asked', () => {
    const leads = formInteger('the number of leads', 0, 1_000_000)
    expect(Object.is(leads.parse('-0'), 0)).toBe(true)
    for (const bad of ['3.5', '0x1F', '1e3', 'Infinity', '', '1 000']) expect(leads.safeParse(bad).success, bad).toBe(false)
    const rate = formNumber('the rate', decimal({ min: -100, max: 100 }), 'decimal-comma')
    expect(rate.parse('0,5')).toBe(0.5)
    expect(rate.safeParse('1e1').success).toBe(false)
    expect(formMoney('the amount').safeParse('12,34').success).toBe(false)
  })
})
