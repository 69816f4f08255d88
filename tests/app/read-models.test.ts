// docSets: several questions to the read models in one round trip answer exactly what each asked alone. firstOf and
// the queues: a page of a long list, and the whole list's length, however long it is. Lists read whole (conflict
// detection, staff, courses, ledgers, a partner's workshops) have no cap: more than the 1,000 documents lists used to stop at.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CONFLICTING_STATUSES } from '../../domain/deals/index.ts'
import { createEnablementQueries } from '../../app/queries/enablement.server.ts'
import { answersToOpenRoundsOf, engagementQueries, openSurveyRounds } from '../../app/queries/engagement.server.ts'
import { fundRequestsOf, fundsQueries } from '../../app/queries/funds.server.ts'
import { dealsOfPartner } from '../../app/queries/index.server.ts'
import { partnerNames } from '../../app/routes/engagement/access.server.ts'
import { peopleQueries } from '../../app/queries/people.server.ts'
import { sql as k } from 'kysely'
import { doc, docSets, eb, everyDoc, field, firstOf, listDocs, pageOf, pairKey, type DocList, type Where } from '../../app/queries/read-models.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices

let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('read-models')
  services = opened.services
})
afterAll(() => opened?.close())

describe('docSets', () => {
  test('answers each set as the single query would, in its order, with each set numbering its own parameters', async () => {
    const sql = services.sql
    const keys = [['journey', 'northwind'], ['trust', 'northwind'], ['organisations', 'northwind'], ['users', 'u-maria']] as const
    const found = await docSets(sql, {
      insight: { keys },
      northwindDeals: { ...dealsOfPartner('northwind'), limit: 'all' },
      contosoDeals: { ...dealsOfPartner('contoso'), limit: 'all' },
      requests: { ...fundRequestsOf('northwind'), limit: 'all' },
      openSurveys: { ...openSurveyRounds, limit: 'all' },
      answers: { ...answersToOpenRoundsOf('contoso'), limit: 'all' },
    })
    const everything = { size: 10_000 }
    const northwindDeals = (await services.queries.deals.forPartner('northwind', everything)).rows
    const contosoDeals = (await services.queries.deals.forPartner('contoso', everything)).rows
    // both partners have deals of their own, so a parameter given to the wrong set would show
    expect(northwindDeals.length).toBeGreaterThan(1)
    expect(contosoDeals.length).toBeGreaterThan(1)
    expect(northwindDeals.every((d) => d.partnerId === 'northwind') && contosoDeals.every((d) => d.partnerId === 'contoso')).toBe(true)
    expect(found.northwindDeals).toEqual(northwindDeals)
    expect(found.contosoDeals).toEqual(contosoDeals)
    expect(found.requests).toEqual((await fundsQueries(sql).requestsOf('northwind')).rows)
    expect(found.openSurveys).toEqual(await engagementQueries(sql).surveys.open())
    const bySurvey = (list: unknown[]) => (list as { surveyId: string }[]).sort((a, b) => a.surveyId.localeCompare(b.surveyId))
    expect(bySurvey(found.answers)).toEqual(bySurvey(await engagementQueries(sql).surveys.openAnswersOf('contoso')))
    for (const [projection, key] of keys) {
      const alone = await doc(sql, projection, key)
      expect(alone).not.toBeNull()
      expect(found.byKey.get(pairKey(projection, key))).toEqual(alone)
    }
  })

  test('omit leaves the named top-level fields out, of documents by key and of a query, and nothing else', async () => {
    const found = await docSets(services.sql, {
      journey: { keys: [['journey', 'contoso']], omit: ['facts'] },
      deals: { ...dealsOfPartner('contoso'), limit: 'all', omit: ['items', 'conflict'] },
      whole: { keys: [['journey', 'contoso']] },
    })
    const whole = found.whole[0] as Record<string, unknown>
    expect(whole.facts).toBeDefined()
    const { facts: _facts, ...rest } = whole
    expect(found.journey).toEqual([rest])
    const deals = (await services.queries.deals.forPartner('contoso')).rows
    expect(found.deals).toEqual(deals.map(({ items: _p, conflict: _c, ...d }) => d))
  })

  test('empty sets and no sets', async () => {
    const found = await docSets(services.sql, { none: { ...dealsOfPartner('no-such-partner'), limit: 5 }, nothing: { keys: [] }, zero: { count: dealsOfPartner('no-such-partner') } })
    expect(found.none).toEqual([])
    expect(found.nothing).toEqual([])
    expect(found.zero).toBe(0)
    expect((await docSets(services.sql, {})).byKey.size).toBe(0)
  })
})

describe('everyDoc', () => {
  test('reads every matching document in pages by key, with its own parameters after the condition', async () => {
    const all = await listDocs(services.sql, { projection: 'users' }, 100_000)
    expect(all.length).toBeGreaterThan(4)
    // pages of 2: more than one page, and a last page that is full as well as one that is not
    for (const pageSize of [1, 2, all.length, all.length + 1]) {
      expect(await everyDoc(services.sql, { projection: 'users' }, pageSize)).toEqual(all)
    }
    const vendor = await everyDoc(services.sql, { projection: 'users', where: eb(field('organisationId'), '=', 'vendor') }, 1)
    expect(vendor.length).toBeGreaterThan(1)
    expect(vendor.every((u) => u.organisationId === 'vendor')).toBe(true)
    expect(vendor).toEqual(all.filter((u) => u.organisationId === 'vendor'))
  })
})

/** Writes documents straight into a projection's active version (a test's own keys, removed by `remove`), in one statement. */
async function putDocs(projection: string, docsByKey: [key: string, state: unknown][]) {
  const sql = services.sql
  const { rows } = await sql.query<{ version: number }>(`select version from projection_checkpoints where projection = $1 and status = 'active'`, [projection])
  let version = rows[0]?.version
  if (version === undefined) {
    version = 1
    await sql.query(`insert into projection_checkpoints (projection, version, position_commit, position_prepare, status) values ($1, 1, -1, -1, 'active')`, [projection])
  }
  await sql.query(
    `insert into read_models (projection, version, key, state, position_commit, position_prepare)
     select $1, $2, d.key, d.state::jsonb, -1, -1 from unnest($3::text[], $4::text[]) as d(key, state)`,
    [projection, version, docsByKey.map(([key]) => key), docsByKey.map(([, state]) => JSON.stringify(state))],
  )
  return {
    remove: () => sql.query(`delete from read_models where projection = $1 and key = any($2::text[])`, [projection, docsByKey.map(([key]) => key)]),
  }
}

describe('docPage', () => {
  const projection = 'paging-test'
  // 23 documents whose ranks tie in threes (the key orders those), written in reverse key order so that the table's
  // order is not the answer's; and one null document, which no page shows and the total does not count
  const all = Array.from({ length: 23 }, (_, i) => ({ key: `k${String(i).padStart(2, '0')}`, n: i, rank: Math.floor(i / 3), odd: i % 2 === 1 }))
  const byRankThenKey = [...all].sort((a, b) => b.rank - a.rank || (a.key < b.key ? -1 : 1)).map((d) => d.n)
  const byRank = [[k`(${field('rank')})::int`, 'desc']] as const

  beforeAll(async () => {
    await putDocs(projection, [...all.map((d) => [d.key, d] as [string, unknown]).reverse(), ['k99-null', null]])
  })
  afterAll(async () => {
    await services.sql.query(`delete from read_models where projection = $1`, [projection])
    await services.sql.query(`delete from projection_checkpoints where projection = $1`, [projection])
  })

  const list = (where?: Where): DocList => ({ projection, where, orderBy: byRank })
  const page = async (size: number, offset: number, where?: Where) =>
    (await firstOf(services.sql, list(where), { limit: size, offset })) as { rows: { n: number }[]; total: number }

  test('pages of every size are disjoint, in order, and add up to the list; every page knows the total', async () => {
    for (const size of [1, 2, 4, 5, 22, 23, 50]) {
      const seen: number[] = []
      for (let offset = 0; offset < all.length; offset += size) {
        const found = await page(size, offset)
        expect(found.total).toBe(23)
        expect(found.rows.length).toBe(Math.min(size, 23 - offset))
        seen.push(...found.rows.map((d) => d.n))
      }
      // ties on rank come in key order, on whichever page they fall, so no document is shown twice or skipped
      expect(seen, `pages of ${size}`).toEqual(byRankThenKey)
    }
  })

  test('a page past the end has no rows and still the right total', async () => {
    expect(await page(5, 23)).toEqual({ rows: [], total: 23 })
    expect(await page(5, 1_000)).toEqual({ rows: [], total: 23 })
    expect(await page(5, 0, k<boolean>`false`)).toEqual({ rows: [], total: 0 })
  })

  test('the condition carries its own parameters, and the total counts only what it matches', async () => {
    const odd = await page(4, 4, eb(k`(${field('odd')})::boolean`, '=', true))
    expect(odd.total).toBe(11)
    expect(odd.rows.map((d) => d.n)).toEqual(byRankThenKey.filter((n) => n % 2 === 1).slice(4, 8))
  })

  test('pageOf numbers pages from 1 and shows the last page for a page past the end', async () => {
    const read = async (n: number) => (await pageOf(services.sql, list(), { page: n, size: 10 })) as { rows: { n: number }[]; total: number; page: number; size: number }
    expect(await read(1)).toMatchObject({ page: 1, size: 10, total: 23 })
    expect((await read(2)).rows.map((d) => d.n)).toEqual(byRankThenKey.slice(10, 20))
    const past = await read(7)
    expect(past).toMatchObject({ page: 3, size: 10, total: 23 })
    expect(past.rows.map((d) => d.n)).toEqual(byRankThenKey.slice(20))
    expect(await pageOf(services.sql, list(k<boolean>`false`), { page: 4 })).toEqual({ rows: [], total: 0, page: 1, size: 50 })
  })
})

describe('queues longer than a page', () => {
  // a Tuesday noon; with a review SLA of 2 business days, Saturday 23:00 is due Tuesday 23:00 (not yet overdue) while
  // Sunday 01:00, later, is due Tuesday 01:00 (overdue): no cut-off on the start time could count these
  const now = '2030-01-08T12:00:00.000Z'
  const sla = 2
  const DEALS = 130
  const minutes = (i: number) => new Date(Date.parse('2029-12-01T00:00:00.000Z') + i * 60_000).toISOString()

  test('the deal queue pages through every waiting registration and counts all of them and the overdue ones', async () => {
    const queries = services.queries.deals
    const before = await queries.queueSummary(now)
    const beforeQueue = await queries.queue()
    expect(beforeQueue.total).toBe(before.waiting)
    // 130 registrations waiting; the first 40 are past their review date at `now`; and one approved, which waits for nothing
    const written = await putDocs('deals', [
      ...Array.from({ length: DEALS }, (_, i) => [`paging-deal-${String(i).padStart(3, '0')}`, {
        dealId: `paging-deal-${i}`, partnerId: 'paging-partner', customerName: `Customer ${i}`, customerDomain: `c${i}.example`, value: 1000, currency: 'EUR',
        items: [], status: 'Submitted', conflict: null, registeredAt: minutes(i), reviewDueAt: i < 40 ? '2030-01-08T11:59:00.000Z' : '2030-01-08T12:01:00.000Z',
      }] as [string, unknown]),
      ['paging-deal-approved', { dealId: 'paging-deal-approved', partnerId: 'paging-partner', status: 'Approved', registeredAt: minutes(0), reviewDueAt: '2020-01-01T00:00:00.000Z' }],
    ])
    try {
      const summary = await queries.queueSummary(now)
      expect(summary).toEqual({ waiting: before.waiting + DEALS, overdue: before.overdue + 40 })
      const first = await queries.queue()
      expect(first.total).toBe(before.waiting + DEALS)
      expect(first).toMatchObject({ page: 1, size: 50 })
      expect(first.rows).toHaveLength(50)
      const pages = [first]
      for (let n = 2; n <= Math.ceil(first.total / 50); n++) pages.push(await queries.queue({ page: n }))
      const ids = pages.flatMap((p) => p.rows.map((d) => d.dealId))
      expect(ids).toHaveLength(first.total)
      expect(new Set(ids).size).toBe(first.total)
      const registered = pages.flatMap((p) => p.rows.map((d) => d.registeredAt))
      expect(registered).toEqual([...registered].sort())
      expect(ids.filter((id) => id.startsWith('paging-deal-'))).toEqual(Array.from({ length: DEALS }, (_, i) => `paging-deal-${i}`))
    } finally {
      await written.remove()
    }
  })

  test('the funds queues count every request and claim, and the overdue ones exactly, around a weekend', async () => {
    const funds = fundsQueries(services.sql)
    const before = await funds.queueSummary(now, sla)
    const request = (i: number, status: string, waitingSince: string) =>
      [`paging-request-${status}-${String(i).padStart(3, '0')}`, { coInvestmentId: `paging-request-${status}-${i}`, partnerId: 'paging-partner', status, waitingSince, updatedAt: waitingSince }] as [string, unknown]
    const written = await putDocs('fund-requests', [
      // 60 requests from the Thursday before (due Monday: overdue), 20 from Saturday night (due Tuesday night: not yet)
      ...Array.from({ length: 60 }, (_, i) => request(i, 'Requested', '2030-01-03T10:00:00.000Z')),
      ...Array.from({ length: 20 }, (_, i) => request(60 + i, 'Requested', '2030-01-05T23:00:00.000Z')),
      // 55 claims from Sunday 01:00 (due Tuesday 01:00: overdue), 5 from Tuesday morning (not yet)
      ...Array.from({ length: 55 }, (_, i) => request(i, 'ClaimSubmitted', '2030-01-06T01:00:00.000Z')),
      ...Array.from({ length: 5 }, (_, i) => request(55 + i, 'ClaimSubmitted', '2030-01-08T09:00:00.000Z')),
      request(0, 'ClaimApproved', '2030-01-01T00:00:00.000Z'),
    ])
    try {
      const summary = await funds.queueSummary(now, sla)
      expect(summary.requests).toEqual({ waiting: before.requests.waiting + 80, overdue: before.requests.overdue + 60 })
      expect(summary.claims).toEqual({ waiting: before.claims.waiting + 60, overdue: before.claims.overdue + 55 })
      const requests = await funds.requestQueue()
      expect(requests.total).toBe(summary.requests.waiting)
      expect(requests.rows).toHaveLength(50)
      const claims = await funds.claimQueue({ page: 2 })
      expect(claims.total).toBe(summary.claims.waiting)
      expect(claims.rows).toHaveLength(Math.min(50, summary.claims.waiting - 50))
      expect(await funds.waitingCount()).toBe(summary.requests.waiting + summary.claims.waiting)
    } finally {
      await written.remove()
    }
  })
})

describe('tiers', () => {
  test('every partner’s tier in one query, as tierOf reads them one by one', async () => {
    const funds = fundsQueries(services.sql)
    const partners = await services.queries.organisations.partners()
    const tiers = await funds.tiers()
    expect(Object.keys(tiers).length).toBeGreaterThan(0)
    for (const p of partners) expect(tiers[p.organisationId] ?? null, p.organisationId).toBe(await funds.tierOf(p.organisationId))
    for (const id of Object.keys(tiers)) expect(partners.map((p) => p.organisationId)).toContain(id)
  })
})

describe('availableIn', () => {
  test('the available money of several allocations in one query, as ledger() reads each, and none for a missing one', async () => {
    const funds = fundsQueries(services.sql)
    const ledgers = await listDocs(services.sql, { projection: 'fund-ledgers' }, 100_000)
    expect(ledgers.length).toBeGreaterThan(0)
    const asked = [...ledgers.map(({ partnerId, quarter }) => ({ partnerId, quarter })), { partnerId: 'no-such-partner', quarter: '2026-Q1' }]
    const available = await funds.availableIn([...asked, ...asked])
    expect(Object.keys(available).sort()).toEqual(ledgers.map((l) => `${l.partnerId}:${l.quarter}`).sort())
    for (const l of ledgers) expect(available[`${l.partnerId}:${l.quarter}`]).toBe((await funds.ledger(l.partnerId, l.quarter))!.available)
    expect(await funds.availableIn([])).toEqual({})
  })
})

/** more than the 1,000 documents lists used to stop at without saying so: a list that stopped there would show it */
const MANY = 1_001
const pad = (i: number) => String(i).padStart(4, '0')
const at = (minutes: number) => new Date(Date.parse('2029-12-01T00:00:00.000Z') + minutes * 60_000).toISOString()

describe('deal conflicts', () => {
  const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
  const deal = (key: string, partnerId: string, customerDomain: string, status: string, registeredAt: string): [string, unknown] =>
    [key, { dealId: key, partnerId, customerName: key, customerDomain, status, registeredAt, value: 1, currency: 'EUR', items: [], conflict: null }]

  test('a registration is checked against every rival in its domain family, however many, and nothing else', async () => {
    const now = services.clock().getTime()
    const [earlier, later] = [new Date(now - 86_400_000).toISOString(), new Date(now + 86_400_000).toISOString()]
    const family = ['capfamily.example', 'eu.capfamily.example', 'shop.eu.capfamily.example'] // parent, same, child
    const rivals = Array.from({ length: MANY }, (_, i) =>
      deal(`cap-rival-${pad(i)}`, `cap-partner-${i % 7}`, family[i % 3]!, i % 2 ? 'Approved' : 'Submitted', later))
    // the one rival registered before the new deal comes last by key: a read that stopped early would miss it and call
    // the new registration the earliest
    const decisive = deal('cap-zz-earlier', 'cap-partner-x', 'capfamily.example', 'Approved', earlier)
    const notRivals = [
      deal('cap-own', 'northwind', 'eu.capfamily.example', 'Submitted', earlier), // the registering partner's own
      deal('cap-lost', 'cap-partner-1', 'eu.capfamily.example', 'Lost', earlier), // closed
      deal('cap-sibling', 'cap-partner-1', 'us.capfamily.example', 'Approved', earlier), // a sibling, neither parent nor child
      deal('cap-lookalike', 'cap-partner-1', 'notcapfamily.example', 'Approved', earlier), // ends with the name, not with ".name"
    ]
    const written = await putDocs('deals', [...rivals, decisive, ...notRivals])
    try {
      const { dealId } = await services.commands.deals.register({ actor: maria }, {
        partnerId: 'northwind', customerName: 'Cap Family Europe', customerDomain: 'https://www.EU.capfamily.example/', value: 1000, currency: 'EUR',
        expectedCloseDate: '2099-12-31', items: [],
      })
      const conflict = (await services.queries.deals.byId(dealId))?.conflict
      expect(conflict?.dealIds.length).toBe(MANY + 1)
      expect([...conflict!.dealIds].sort()).toEqual([...rivals, decisive].map(([key]) => key).sort())
      expect(conflict).toMatchObject({ earliest: false, directAccount: false })
    } finally {
      await written.remove()
    }
  })

  test('domains are compared exactly: LIKE wildcards typed into a domain reach no other customer', async () => {
    const written = await putDocs('deals', [deal('cap-wild', 'cap-partner-1', 'sub.capwild.example', 'Approved', at(0))])
    const rivals = (domain: string) => services.queries.deals.rivalsInDomainFamily(domain, 'northwind', CONFLICTING_STATUSES).then((found) => found.map((d) => d.dealId))
    try {
      expect(await rivals('capwild.example')).toEqual(['cap-wild'])
      expect(await rivals('a.sub.capwild.example')).toEqual(['cap-wild'])
      expect(await services.queries.deals.rivalsInDomainFamily('capwild.example', 'cap-partner-1', CONFLICTING_STATUSES)).toEqual([])
      for (const typed of ['c_pwild.example', '%', '%capwild.example', 'sub.capwild.exampl_']) expect(await rivals(typed), typed).toEqual([])
    } finally {
      await written.remove()
    }
  })
})

describe('the applications queue', () => {
  test('pages through every application waiting, oldest first, and counts all of them', async () => {
    const people = peopleQueries(services.sql)
    const before = await people.applications()
    const APPLICATIONS = 120
    // applied in the reverse of key order, so that the key order is not the answer
    const applicants = Array.from({ length: APPLICATIONS }, (_, i) => [`paging-applicant-${pad(i)}`, {
      partnerId: `paging-applicant-${pad(i)}`, company: `Applicant ${i}`, status: 'Applied', appliedAt: at(APPLICATIONS - i), decidedAt: null,
    }] as [string, unknown])
    const written = await putDocs('partners', [...applicants, ['paging-applicant-approved', { partnerId: 'paging-applicant-approved', status: 'Approved', appliedAt: at(0), decidedAt: at(1) }]])
    try {
      const first = await people.applications()
      expect(first).toMatchObject({ total: before.total + APPLICATIONS, page: 1, size: 50 })
      expect(first.rows).toHaveLength(50)
      const pages = [first]
      for (let n = 2; n <= Math.ceil(first.total / 50); n++) pages.push(await people.applications({ page: n }))
      const rows = pages.flatMap((p) => p.rows)
      expect(rows).toHaveLength(first.total)
      expect(new Set(rows.map((p) => p.partnerId)).size).toBe(first.total)
      expect(rows.map((p) => p.appliedAt)).toEqual(rows.map((p) => p.appliedAt).sort())
      expect(rows.map((p) => p.partnerId).filter((id) => id.startsWith('paging-applicant-'))).toEqual(applicants.map(([key]) => key).reverse())
      // a page past the end (decisions shrank the queue since the link was made) is the last page
      expect(await people.applications({ page: 99 })).toMatchObject({ page: pages.length, total: first.total })
    } finally {
      await written.remove()
    }
  })
})

describe('survey rounds', () => {
  test('page open rounds first, then the newest, and count every round', async () => {
    const surveys = engagementQueries(services.sql).surveys
    const before = await surveys.rounds()
    const ROUNDS = 23
    const written = await putDocs('survey_rounds', Array.from({ length: ROUNDS }, (_, i) => [`paging-round-${pad(i)}`, {
      surveyId: `paging-round-${pad(i)}`, topics: ['Ease'], status: i % 5 === 0 ? 'Open' : 'Closed', openedAt: at(i), openedBy: 'u-sam', closedAt: null, answeredBy: [], totals: {},
    }] as [string, unknown]))
    try {
      const read = (page: number) => surveys.rounds({ page, size: 10 })
      const first = await read(1)
      expect(first.total).toBe(before.total + ROUNDS)
      const pages = [first]
      for (let n = 2; n <= Math.ceil(first.total / 10); n++) pages.push(await read(n))
      const rows = pages.flatMap((p) => p.rows)
      expect(rows).toHaveLength(first.total)
      expect(new Set(rows.map((r) => r.surveyId)).size).toBe(first.total)
      const rank = (r: { status: string; openedAt: string }) => `${r.status === 'Open' ? 1 : 0}${r.openedAt}`
      expect(rows.map(rank)).toEqual(rows.map(rank).sort().reverse())
      expect(rows.filter((r) => r.surveyId.startsWith('paging-round-')).map((r) => r.surveyId)).toEqual(
        ['0020', '0015', '0010', '0005', '0000', '0022', '0021', '0019', '0018', '0017', '0016', '0014', '0013', '0012', '0011', '0009', '0008', '0007', '0006', '0004', '0003', '0002', '0001']
          .map((n) => `paging-round-${n}`),
      )
    } finally {
      await written.remove()
    }
  })
})

describe('lists read whole', () => {
  /**
   * Writes MANY documents of a projection whose sort field runs against their keys, reads the list, and returns the
   * test's own documents' keys in the order the list gave them, with the whole list.
   */
  async function readWhole<T>(projection: string, make: (i: number) => Record<string, unknown>, read: () => Promise<T[]>, id: (doc: T) => string) {
    const keys = Array.from({ length: MANY }, (_, i) => `many-${projection}-${pad(i)}`)
    const written = await putDocs(projection, keys.map((key, i) => [key, { ...make(MANY - i), id: key }]))
    try {
      const list = await read()
      return { list, mine: list.map(id).filter((key) => key.startsWith(`many-${projection}-`)), keys }
    } finally {
      await written.remove()
    }
  }
  const idOf = (doc: unknown) => (doc as { id?: string }).id ?? ''

  test('vendor staff: every one, by name', async () => {
    const before = await peopleQueries(services.sql).staff()
    const { list, mine, keys } = await readWhole('users', (n) => ({ userId: `many-staff-${n}`, name: `Many Staff ${pad(n)}`, organisationId: 'vendor', organisationKind: 'vendor', role: 'auditor', active: true }),
      () => peopleQueries(services.sql).staff(), idOf)
    expect(list).toHaveLength(before.length + MANY)
    expect(mine).toEqual([...keys].reverse())
    expect(list.map((u) => u.name)).toEqual(list.map((u) => u.name).sort((a, b) => a.localeCompare(b)))
  })

  test('courses: every one, by title', async () => {
    const enablement = createEnablementQueries(services.sql)
    const before = await enablement.courses()
    const { list, mine, keys } = await readWhole('courses', (n) => ({ courseId: `many-course-${n}`, title: `Many Course ${pad(n)}` }), () => enablement.courses(), idOf)
    expect(list).toHaveLength(before.length + MANY)
    expect(mine).toEqual([...keys].reverse())
  })

  test('a partner’s ledgers: every quarter, newest first; a quarter’s ledgers: every partner, by id', async () => {
    const funds = fundsQueries(services.sql)
    const quarter = (n: number) => `${2000 + Math.floor(n / 4)}-Q${(n % 4) + 1}`
    const ofPartner = await readWhole('fund-ledgers', (n) => ({ partnerId: 'many-partner', quarter: quarter(n), status: 'Open' }), () => funds.ledgersOf('many-partner'), idOf)
    expect(ofPartner.list).toHaveLength(MANY)
    expect(ofPartner.mine).toEqual(ofPartner.keys)
    const ofQuarter = await readWhole('fund-ledgers', (n) => ({ partnerId: `many-partner-${pad(n)}`, quarter: '2999-Q1', status: 'Open' }), () => funds.ledgersFor('2999-Q1'), idOf)
    expect(ofQuarter.list).toHaveLength(MANY)
    expect(ofQuarter.mine).toEqual([...ofQuarter.keys].reverse())
  })

  test('a partner’s workshops: every one, newest request first', async () => {
    const workshops = engagementQueries(services.sql).workshops
    const { list, mine, keys } = await readWhole('workshops', (n) => ({ workshopId: `many-workshop-${n}`, partnerId: 'many-partner', requestedAt: at(n), status: 'Held' }),
      () => workshops.forPartner('many-partner'), idOf)
    expect(list).toHaveLength(MANY)
    expect(mine).toEqual(keys)
  })
})

describe('lists a page shows in part: beyond the 1,000 a set used to stop at', () => {
  const deal = (i: number): [string, unknown] => [`many-pdeal-${pad(i)}`, {
    // registered in the reverse of key order, so that the key order is not the answer
    dealId: `many-pdeal-${pad(i)}`, partnerId: 'many-partner', customerName: `Customer ${i}`, customerDomain: `c${i}.example`, value: 1, currency: 'EUR',
    items: [], status: 'Submitted', conflict: null, registeredAt: at(MANY - i),
  }]

  test('a partner’s deals: pages disjoint, newest first, adding up to every one; the story reads its newest and the true count', async () => {
    const written = await putDocs('deals', Array.from({ length: MANY }, (_, i) => deal(i)))
    try {
      const deals = services.queries.deals
      const first = await deals.forPartner('many-partner')
      expect(first).toMatchObject({ total: MANY, page: 1, size: 50 })
      const pages = [first]
      for (let n = 2; n <= Math.ceil(MANY / 50); n++) pages.push(await deals.forPartner('many-partner', { page: n }))
      const ids = pages.flatMap((p) => p.rows.map((d) => d.dealId))
      expect(ids).toEqual(Array.from({ length: MANY }, (_, i) => `many-pdeal-${pad(i)}`))
      const latest = await deals.latestOf('many-partner', 10)
      expect(latest.total).toBe(MANY)
      expect(latest.rows.map((d) => d.dealId)).toEqual(ids.slice(0, 10))
      // docSets: a limited set and its list's count in one round trip
      const sets = await docSets(services.sql, { few: { ...dealsOfPartner('many-partner'), limit: 3 }, all: { count: dealsOfPartner('many-partner') } })
      expect((sets.few as { dealId: string }[]).map((d) => d.dealId)).toEqual(ids.slice(0, 3))
      expect(sets.all).toBe(MANY)
    } finally {
      await written.remove()
    }
  })

  test('a partner’s fund requests: paged through every one, newest first; every claim due, earliest deadline first', async () => {
    const funds = fundsQueries(services.sql)
    const written = await putDocs('fund-requests', Array.from({ length: MANY }, (_, i) => [`many-prequest-${pad(i)}`, {
      coInvestmentId: `many-prequest-${pad(i)}`, partnerId: 'many-partner', requestedAt: at(MANY - i),
      // every other one waits for its claim, a rejected claim among them; their deadlines run against the keys too
      status: i % 2 ? 'Approved' : i % 4 === 0 ? 'ClaimRejected' : 'Paid', claimDeadline: `2${pad(5000 - i)}-01-01`,
    }] as [string, unknown]))
    try {
      const first = await funds.requestsOf('many-partner')
      expect(first.total).toBe(MANY)
      const pages = [first]
      for (let n = 2; n <= Math.ceil(MANY / 50); n++) pages.push(await funds.requestsOf('many-partner', { page: n }))
      expect(pages.flatMap((p) => p.rows.map((r) => r.coInvestmentId))).toEqual(Array.from({ length: MANY }, (_, i) => `many-prequest-${pad(i)}`))
      const due = await funds.claimsDueOf('many-partner')
      const expected = Array.from({ length: MANY }, (_, i) => i).filter((i) => i % 2 || i % 4 === 0).reverse().map((i) => `many-prequest-${pad(i)}`)
      expect(due.map((r) => r.coInvestmentId)).toEqual(expected)
    } finally {
      await written.remove()
    }
  })

  test('the library: its total, matches and filter choices count every asset, and it lists at most 500', async () => {
    const enablement = createEnablementQueries(services.sql)
    const now = services.clock().toISOString()
    const before = await enablement.library('northwind', now)
    expect(before.facts.approved).toBe(true)
    const COUNT = 1_200
    const asset = (i: number) => ({
      kind: 'asset', assetId: `many-asset-${pad(i)}`, title: `Many ${i}`, description: 'x', status: i === 7 ? 'Retired' : 'Published',
      audience: 'to_partner', assetType: i === COUNT - 1 ? 'many-rare-type' : 'many-type', product: null, language: 'en', tags: [],
      // one hidden from Northwind: a tier no one holds
      audienceRules: i === 3 ? { minimumTier: 'no-such-tier' } : {}, coBrandable: false, version: 1, updatedAt: at(COUNT - i),
      usage: { viewed: 1, downloaded: 0, cobranded: 0, shared: 0 }, usageByTier: { 'many-tier': { viewed: 1, downloaded: 2, cobranded: 0, shared: 0 } },
    })
    const usageBefore = await enablement.usageByTier()
    const allBefore = await enablement.allAssets()
    const written = await putDocs('assets', Array.from({ length: COUNT }, (_, i) => [`many-asset-${pad(i)}`, asset(i)] as [string, unknown]))
    try {
      const library = await enablement.library('northwind', now)
      // retired (7) and hidden (3) ones are not counted
      expect(library.total).toBe(before.total + COUNT - 2)
      expect(library.matching).toBe(library.total)
      expect(library.choices.assetTypes).toContain('many-rare-type')
      expect(library.assets.length).toBeLessThanOrEqual(500)
      const filtered = await enablement.library('northwind', now, { assetType: 'many-type' })
      expect(filtered.matching).toBe(COUNT - 3)
      // the first 500 published matches are read (the retired one is not among them); the hidden one is left out of those
      const read = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i !== 7 && i !== COUNT - 1).slice(0, 500)
      expect(filtered.assets.map((a) => a.assetId)).toEqual(read.filter((i) => i !== 3).map((i) => `many-asset-${pad(i)}`))
      const rare = await enablement.library('northwind', now, { assetType: 'many-rare-type' })
      expect(rare.matching).toBe(1)
      // the vendor's figures: every asset counted, its use added up over all of them
      expect((await enablement.allAssets()).total).toBe(allBefore.total + COUNT)
      const usage = await enablement.usageByTier()
      expect(usage['many-tier']).toEqual({ viewed: (usageBefore['many-tier']?.viewed ?? 0) + COUNT, downloaded: 2 * COUNT, cobranded: 0, shared: 0 })
    } finally {
      await written.remove()
    }
  })

  test('a search lists its best match first, in a page of its own and beside other questions (its rank names its own parameter)', async () => {
    const enablement = createEnablementQueries(services.sql)
    const now = services.clock().toISOString()
    const asset = (id: string, title: string, description: string, updatedAt: string) => ({
      kind: 'asset', assetId: id, title, description, status: 'Published', audience: 'to_partner', assetType: 'guide', product: null,
      language: 'en', tags: [], audienceRules: {}, coBrandable: false, version: 1, updatedAt,
      usage: { viewed: 0, downloaded: 0, cobranded: 0, shared: 0 }, usageByTier: {},
    })
    // the better match is the older one, so that an order by date alone would put it second
    const written = await putDocs('assets', [
      ['rank-best', asset('rank-best', 'Zanzibar zanzibar zanzibar playbook', 'Zanzibar for zanzibar partners', at(1))],
      ['rank-weak', asset('rank-weak', 'Quarterly notes', 'Mentions zanzibar once', at(2))],
    ])
    try {
      const found = await enablement.findAssets({ q: 'zanzibar' }, 5)
      expect(found.rows.map((a) => a.assetId)).toEqual(['rank-best', 'rank-weak'])
      const library = await enablement.library('northwind', now, { q: 'zanzibar' })
      expect(library.assets.map((a) => a.assetId)).toEqual(['rank-best', 'rank-weak'])
      expect(library.matching).toBe(2)
    } finally {
      await written.remove()
    }
  })

  test('the rounds a partner answered of those open now: its answers to closed rounds are not read', async () => {
    const written = await Promise.all([
      putDocs('survey_rounds', [
        ['many-round-open', { surveyId: 'many-round-open', status: 'Open', openedAt: at(2), topics: [], answeredBy: [], totals: {} }],
        ['many-round-closed', { surveyId: 'many-round-closed', status: 'Closed', openedAt: at(1), topics: [], answeredBy: [], totals: {} }],
      ]),
      putDocs('survey_answers', [
        ['many-answer-open', { surveyId: 'many-round-open', partnerId: 'many-partner', answeredAt: at(3) }],
        ['many-answer-closed', { surveyId: 'many-round-closed', partnerId: 'many-partner', answeredAt: at(2) }],
        ['many-answer-other', { surveyId: 'many-round-open', partnerId: 'many-other', answeredAt: at(3) }],
      ]),
    ])
    try {
      const answers = await engagementQueries(services.sql).surveys.openAnswersOf('many-partner')
      expect(answers.map((a) => a.surveyId)).toEqual(['many-round-open'])
    } finally {
      for (const w of written) await w.remove()
    }
  })
})

describe('partners in the program', () => {
  test('applicants and rejected companies get no allocation row, survey round or plan row', async () => {
    const org = (id: string): [string, unknown] => [id, { organisationId: id, name: `Org ${id}`, kind: 'partner' }]
    const partner = (id: string, status: string): [string, unknown] => [id, { partnerId: id, company: `Org ${id}`, status, appliedAt: at(0), decidedAt: null }]
    const written = await Promise.all([
      putDocs('organisations', [org('inprog-applied'), org('inprog-approved'), org('inprog-rejected')]),
      putDocs('partners', [partner('inprog-applied', 'Applied'), partner('inprog-approved', 'Approved'), partner('inprog-rejected', 'Rejected')]),
    ])
    try {
      const approved = (await services.queries.organisations.approvedPartners()).map((p) => p.organisationId)
      expect(approved).toContain('inprog-approved')
      expect(approved).not.toContain('inprog-applied')
      expect(approved).not.toContain('inprog-rejected')
      // the demo's approved partners are all there
      const everyone = await services.queries.organisations.partners()
      const statuses = await peopleQueries(services.sql).partners()
      expect(approved.sort()).toEqual(statuses.filter((p) => p.status === 'Approved').map((p) => p.partnerId).filter((id) => everyone.some((o) => o.organisationId === id)).sort())
      // both lists in one read are the two lists read apart
      const together = await services.queries.organisations.partnersAndApproved()
      expect(together.all).toEqual(everyone)
      expect(together.approved).toEqual(await services.queries.organisations.approvedPartners())
      // the engagement pages count and list the approved only, and still name every partner
      const { partners, names } = await partnerNames(services)
      expect(partners.map((p) => p.organisationId)).toEqual(expect.arrayContaining(['inprog-approved']))
      expect(partners.map((p) => p.organisationId)).not.toContain('inprog-applied')
      expect(names['inprog-applied']).toBe('Org inprog-applied')
    } finally {
      for (const w of written) await w.remove()
    }
  })
})
