// What commands accept: bounded lengths and lists, printable text only, money in cents from 0.01, whole percentages.
import { describe, expect, it } from 'vitest'
import { AllocationDecider } from '../../domain/allocations/index.ts'
import { CoInvestmentDecider, type CoInvestmentEvent } from '../../domain/coinvestment/index.ts'
import { DealDecider, type DealEvent } from '../../domain/deals/index.ts'
import { PartnerDecider } from '../../domain/partners/index.ts'
import { SurveyDecider } from '../../domain/psat/index.ts'
import { CONTROL_IN_LINE, CONTROL_IN_TEXT, hasAtMostDecimals, integer, list, money, multiLine, singleLine } from '../../domain/shared/fields.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import type { Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { WorkshopDecider } from '../../domain/workshops/index.ts'
import { channelManager, command, given, partnerUser } from './support/given.ts'

const acme = partnerUser('p-acme')

/** given / when / then: the command is refused with a ValidationError naming `field`, with `message` */
function refuses<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: E[], cmd: Command, field: string, message: RegExp) {
  let thrown: unknown
  try {
    given(decider, events).when(cmd).events()
  } catch (error) {
    thrown = error
  }
  expect(thrown, 'expected the command to be refused').toBeInstanceOf(ValidationError)
  expect((thrown as ValidationError).field).toBe(field)
  expect((thrown as ValidationError).message).toMatch(message)
}

describe('field building blocks', () => {
  it('one line refuses NUL, other control characters, tabs, line breaks and lone surrogates', () => {
    for (const bad of ['Maria\u0000Jensen', 'a\u0007b', 'a\tb', 'a\nb', 'a\rb', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\ud800b']) {
      const parsed = singleLine(200).safeParse(bad)
      expect(parsed.success, JSON.stringify(bad)).toBe(false)
      expect(parsed.error?.issues[0]?.message).toBe(CONTROL_IN_LINE)
    }
    expect(singleLine(200).parse('  Maria Jensen – Zürich 😀 ')).toBe('Maria Jensen – Zürich 😀')
  })
  it('multi-line text keeps tabs and line breaks but refuses NUL and other control characters', () => {
    expect(multiLine(500).parse('first\r\n\tsecond')).toBe('first\r\n\tsecond')
    for (const bad of ['a\u0000b', 'a\u001bb', 'a\u0080b', 'a\udc00b']) expect(multiLine(500).safeParse(bad).error?.issues[0]?.message).toBe(CONTROL_IN_TEXT)
  })
  it('says the limit in words a person understands', () => {
    expect(singleLine(200).safeParse('x'.repeat(201)).error?.issues[0]?.message).toBe('At most 200 characters.')
    expect(singleLine(200).safeParse('x'.repeat(200)).success).toBe(true)
    expect(list(singleLine(10), 3).safeParse(['a', 'b', 'c', 'd']).error?.issues[0]?.message).toBe('At most 3 entries.')
  })
  it('money is at least 0.01 with at most 2 decimals; integers are whole', () => {
    for (const ok of [0.01, 0.29, 1.1, 25_000, 48_000.5, 1e12]) expect(money().safeParse(ok).success, String(ok)).toBe(true)
    for (const bad of [0, -1, 0.001, 0.000001, 1.005, 1e12 + 1, Number.NaN, Infinity]) expect(money().safeParse(bad).success, String(bad)).toBe(false)
    expect(integer(0, 100).safeParse(50.5).success).toBe(false)
    expect(integer(0, 100).safeParse(101).success).toBe(false)
    expect(hasAtMostDecimals(0.1 + 0.2, 2)).toBe(false)
  })
})

describe('commands refuse unbounded or unstorable input, naming the field', () => {
  const register = (data: Record<string, unknown>) =>
    command('RegisterDeal', {
      dealId: 'd-1', partnerId: 'p-acme', customerName: 'Globex', customerDomain: 'globex.com', value: 50_000, currency: 'EUR',
      expectedCloseDate: '2026-09-30', items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 1 }],
      customerDomainFacts: { publicSuffix: false }, ...data,
    }, { actor: acme })

  it('RegisterDeal: a too-long name, a 100,004-character item name, too many items, a NUL, a value of 0.001', () => {
    refuses(DealDecider, [], register({ customerName: 'G'.repeat(121) }), 'customerName', /At most 120 characters/)
    refuses(DealDecider, [], register({ items: [{ sku: 'S', name: 'P'.repeat(100_004), quantity: 1 }] }), 'items.0.name', /At most 200 characters/)
    refuses(DealDecider, [], register({ items: Array.from({ length: 21 }, (_, i) => ({ sku: `S${i}`, name: `P${i}`, quantity: 1 })) }), 'items', /At most 20 entries/)
    refuses(DealDecider, [], register({ customerName: 'Glo\u0000bex' }), 'customerName', /control characters/)
    refuses(DealDecider, [], register({ value: 0.001 }), 'value', /At least 0.01/)
    refuses(DealDecider, [], register({ value: 0.000001 }), 'value', /At least 0.01/)
    refuses(DealDecider, [], register({ value: 100.123 }), 'value', /At most 2 decimals/)
  })

  it('MarkDealWon: a value of 0.000001', () => {
    const events: DealEvent[] = [
      { type: 'DealRegistered', data: { dealId: 'd-1', partnerId: 'p-acme', customerName: 'Globex', customerDomain: 'globex.com', value: 50_000, currency: 'EUR', expectedCloseDate: '2026-09-30', items: [{ sku: 'CS-100', name: 'Cloud Suite', quantity: 1 }], conflict: null, reviewDueAt: '2026-05-06T09:00:00.000Z', protectionDays: 90 } },
      { type: 'DealApproved', data: { dealId: 'd-1', partnerId: 'p-acme', protectedUntil: '2026-08-02', withinSla: true } },
    ]
    refuses(DealDecider, events, command('MarkDealWon', { dealId: 'd-1', value: 0.000001 }, { actor: acme }), 'value', /At least 0.01/)
    refuses(DealDecider, events, command('MarkDealLost', { dealId: 'd-1', reason: 'x'.repeat(501) }, { actor: acme }), 'reason', /At most 500 characters/)
  })

  it('RequestWorkshop: an attendee with a NUL (the reproduction), a goal with a NUL, too many attendees', () => {
    const request = (data: Record<string, unknown>) =>
      command('RequestWorkshop', { workshopId: 'w-1', partnerId: 'p-acme', kind: 'strategy', goal: 'Plan 2027', attendees: ['Ann'], ...data }, { actor: acme })
    refuses(WorkshopDecider, [], request({ attendees: ['Maria\u0000Jensen'] }), 'attendees.0', /control characters/)
    refuses(WorkshopDecider, [], request({ attendees: ['Maria\tJensen'] }), 'attendees.0', /no tabs, line breaks/)
    refuses(WorkshopDecider, [], request({ goal: 'Plan\u00002027' }), 'goal', /control characters/)
    refuses(WorkshopDecider, [], request({ attendees: Array.from({ length: 21 }, (_, i) => `Person ${i}`) }), 'attendees', /At most 20 entries/)
    // a goal is multi-line text: line breaks and tabs are fine
    expect(given(WorkshopDecider).when(request({ goal: 'Plan 2027\n\tand beyond' })).events()[0]?.data).toMatchObject({ goal: 'Plan 2027\n\tand beyond' })
  })

  it('money on the funds side: an allocation, a request and a claim of 0.000001', () => {
    const ids = { partnerId: 'p-acme', quarter: '2026-Q2' }
    refuses(AllocationDecider, [], command('AllocateFunds', { ...ids, amount: 0.000001, currency: 'EUR' }), 'amount', /At least 0.01/)
    const proposal = { kind: 'mdf', activity: 'Roadshow', totalCost: 20_000, partnerInvestment: 10_000, amountRequested: 10_000, currency: 'EUR', expectedPipeline: 200_000 }
    const request = (data: Record<string, unknown>) =>
      command('RequestCoInvestment', { coInvestmentId: 'ci-1', ...ids, ...proposal, availableFunds: { amount: 10_000, currency: 'EUR' }, ...data }, { actor: acme })
    refuses(CoInvestmentDecider, [], request({ amountRequested: 0.000001 }), 'amountRequested', /At least 0.01/)
    refuses(CoInvestmentDecider, [], request({ activity: 'A'.repeat(201) }), 'activity', /At most 200 characters/)
    const ref = { coInvestmentId: 'ci-1', ...ids }
    const events: CoInvestmentEvent[] = [
      { type: 'CoInvestmentRequested', data: { ...ref, kind: 'mdf', activity: 'Roadshow', totalCost: 20_000, partnerInvestment: 10_000, amountRequested: 10_000, currency: 'EUR', expectedPipeline: 200_000 } },
      { type: 'CoInvestmentApproved', data: { ...ref, approvedAmount: 8_000, partial: true, maxReimbursementPct: 50, claimDeadline: '2026-08-31', currency: 'EUR' } },
    ]
    const file = { sha256: 'a'.repeat(64), filename: 'invoice.pdf', size: 1234, contentType: 'application/pdf' }
    refuses(CoInvestmentDecider, events, command('SubmitClaim', { coInvestmentId: 'ci-1', invoiceAmount: 0.000001, evidence: [file] }, { actor: acme, now: '2026-08-01T09:00:00Z' }), 'invoiceAmount', /At least 0.01/)
    refuses(CoInvestmentDecider, events, command('SubmitClaim', { coInvestmentId: 'ci-1', invoiceAmount: 100, evidence: [file], leadCount: 2.5 }, { actor: acme, now: '2026-08-01T09:00:00Z' }), 'leadCount', /whole number/)
    refuses(CoInvestmentDecider, events.slice(0, 1), command('ApproveCoInvestment', { coInvestmentId: 'ci-1', approvedAmount: 5_000, maxReimbursementPct: 50.5, claimDeadline: '2026-08-31' }, { actor: channelManager }), 'maxReimbursementPct', /whole number/)
  })

  it('ApplyToProgram and AnswerSurvey: a NUL in a name, an email over 254 characters, an endless comment', () => {
    const applicant = { userId: 'u-1', name: 'Ana', email: 'ana@acme.io' }
    const apply = (data: Record<string, unknown>) =>
      command('ApplyToProgram', { partnerId: 'p-acme', company: 'Acme', websiteDomain: 'acme.io', geographies: ['DE'], segments: ['SMB'], partnerType: 'msp', applicant, ...data }, { actor: acme })
    refuses(PartnerDecider, [], apply({ company: 'Ac\u0000me' }), 'company', /control characters/)
    refuses(PartnerDecider, [], apply({ applicant: { ...applicant, email: `${'a'.repeat(250)}@acme.io` } }), 'applicant.email', /At most 254 characters/)
    refuses(SurveyDecider, [{ type: 'SurveyRoundOpened', data: { surveyId: 's-1', topics: ['Support'] } }],
      command('AnswerSurvey', { surveyId: 's-1', partnerId: 'p-acme', scores: { Support: 8 }, comment: 'c'.repeat(5001) }, { actor: acme }), 'comment', /At most 5000 characters/)
  })
})
