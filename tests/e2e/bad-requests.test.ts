// Bad route ids and search values through the real built server: an id that cannot exist is a 404, a search value the
// page does not take a 400 naming it, never a 500 (PostgreSQL refuses NUL in text parameters, "abc" is not a bigint).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

let server: RunningServer
const sessions = {} as Record<keyof typeof demoEmails, HttpSession>

beforeAll(async () => {
  server = await startServer()
  for (const key of Object.keys(demoEmails) as (keyof typeof demoEmails)[]) sessions[key] = await httpSession(server.url, demoEmails[key])
})
afterAll(async () => {
  await server?.stop()
})

const long = 'x'.repeat(5000)
type Row = [who: keyof typeof demoEmails, path: string, status: 400 | 404, names?: string]

const table: Row[] = [
  // the auditor's timeline, verify and export
  ['auditor', '/audit?before=abc', 400, 'before='],
  ['auditor', '/audit?before=99999999999999999999', 400, 'before='],
  ['auditor', '/audit?from=yesterday', 400, 'from='],
  ['auditor', '/audit?to=2026-13-01', 400, 'to='],
  ['auditor', '/audit?type=%00', 400, 'type='],
  ['auditor', '/audit?actor=%00', 400, 'actor='],
  ['auditor', '/audit?partner=%00', 400, 'partner='],
  ['auditor', `/audit?type=${long}`, 400, 'type='],
  ['auditor', '/audit/events/%00', 404],
  ['auditor', '/audit/partners/%00', 404],
  ['auditor', '/audit/verify?job=%00', 400, 'job='],
  ['auditor', '/audit/export/download?partner=%00', 400, 'partner='],
  ['auditor', '/audit/export/download?partner=northwind&format=xml', 400, 'format='],
  ['auditor', '/search?q=%00', 400, 'q='],
  // a partner's pages
  ['partnerA', '/search?q=%00', 400, 'q='],
  ['partnerA', `/search?q=${long}`, 400, 'q='],
  ['partnerA', '/partner/deals/%00', 404],
  ['partnerA', `/partner/deals/${long}`, 404],
  ['partnerA', '/partner/deals/%ED%A0%80', 404],
  ['partnerA', '/partner/deals/a%01b', 404],
  ['partnerA', '/partner/deals?page=0x1F', 400, 'page='],
  ['partnerA', '/partner/library?q=%00', 400, 'q='],
  ['partnerA', '/partner/library?audience=everyone', 400, 'audience='],
  ['partnerA', '/partner/library?product=%00', 400, 'product='],
  ['partnerA', '/partner/library/%00', 404],
  ['partnerA', '/partner/library/%00/download', 404],
  ['partnerA', '/partner/library/%00/cobrand/pdf', 404],
  ['partnerA', '/partner/library/some-asset/cobrand/%00', 404],
  ['partnerA', '/partner/training/%00', 404],
  ['partnerA', '/partner/collaborate/workshops/%00', 404],
  ['partnerA', '/partner/collaborate/surveys/%00', 404],
  ['partnerA', '/partner/funds/%00', 404],
  ['partnerA', '/partner/funds?page=-1', 400, 'page='],
  ['partnerA', '/funds/ledger/northwind/%00', 404],
  ['partnerA', '/funds/ledger/%00/2026-Q1', 404],
  ['partnerA', '/funds/evidence/%00/abc', 404],
  ['partnerA', `/funds/evidence/x/${'a'.repeat(63)}%00`, 404],
  ['partnerA', '/logos/northwind/%00', 404],
  // the vendor's pages
  ['channelManager', '/search?q=%00', 400, 'q='],
  ['channelManager', '/vendor/partners/%00', 404],
  ['channelManager', '/vendor/partners/%00/deals', 404],
  ['channelManager', '/vendor/partners?q=%00', 400, 'q='],
  ['channelManager', '/vendor/partners?sort=%00', 400, 'sort='],
  ['channelManager', '/vendor/partners?dir=sideways', 400, 'dir='],
  ['channelManager', '/vendor/funds?quarter=%00', 400, 'quarter='],
  ['channelManager', '/vendor/funds/%00', 404],
  ['channelManager', '/vendor/funds/queue?claims=1e3', 400, 'claims='],
  ['channelManager', '/vendor/enablement/assets/%00', 404],
  ['channelManager', '/vendor/engagement/workshops/%00', 404],
  ['channelManager', '/vendor/engagement/surveys/%00', 404],
  ['channelManager', '/vendor/engagement/plans/%00', 404],
  ['vendorAdmin', '/vendor/partners/%00/admin', 404],
  ['vendorAdmin', '/vendor/people/%00/erase', 404],
]

describe('a bad id or search value is a 4xx with a reason', () => {
  const rows = table.map(([who, path, status, names]) => ({ who, path, status, names, shown: path.length > 90 ? `${path.slice(0, 60)}…` : path }))
  test.each(rows)('$who GET $shown → $status', async ({ who, path, status, names }) => {
    const response = await sessions[who].get(path)
    const body = await response.text()
    expect(response.status, body.slice(0, 300)).toBe(status)
    // the 400 says which parameter it refuses
    if (names) expect(body.replaceAll('<!-- -->', '')).toContain(`“${names}`)
  })

  test('the same pages with good values still answer', async () => {
    for (const [who, path] of [
      ['auditor', '/audit?before=5&from=2020-01-01&to=2099-12-31&type=DealApproved'],
      ['auditor', '/audit/verify'],
      ['partnerA', '/search?q=cloud'],
      ['partnerA', '/partner/library?audience=to_partner&q=backup'],
      ['partnerA', '/partner/deals?page=1'],
      ['channelManager', '/vendor/partners?sort=composite&dir=asc&q=north'],
      ['channelManager', '/vendor/funds?quarter=2026-Q1'],
      ['vendorAdmin', '/vendor/partners/northwind/admin'],
    ] as const) {
      const response = await sessions[who].get(path)
      expect(response.status, `${who} GET ${path}`).toBe(200)
    }
  })
})
