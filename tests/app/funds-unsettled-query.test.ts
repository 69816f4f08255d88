// fundsQueries.unsettled keeps its SQL (a scheduler tick reads only what is due), so it must agree with the domain's
// release rule (settlementDue) on every status, amount, payment and reservation age.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { settlementDue, type SettlementStatus } from '../../domain/coinvestment/index.ts'
import { fundsQueries } from '../../app/queries/funds.server.ts'
import { fundRequestsProjection, type FundRequestStatus } from '../../projections/funds.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('funds-unsettled', { seed: false })
})
afterAll(() => opened?.close())

const statuses: FundRequestStatus[] = ['Requested', 'Rejected', 'Declined', 'Approved', 'ClaimSubmitted', 'ClaimRejected', 'ClaimApproved', 'Paid', 'ClaimWindowClosed']
const cutoff = '2026-05-04T09:00:00.000Z'

test('every request the query finds is due by settlementDue, and every due one is found', async () => {
  const sql = opened!.services.sql
  // a store without events may have no checkpoint yet: the rows go to the active version, or to the projection's own
  await sql.query(
    `insert into projection_checkpoints (projection, version, position_commit, position_prepare, status) values ('fund-requests', $1, 0, 0, 'active') on conflict do nothing`,
    [fundRequestsProjection.version],
  )
  const { rows } = await sql.query<{ version: number }>(`select version from projection_checkpoints where projection = 'fund-requests' and status = 'active'`)
  const version = rows[0]!.version
  const expected: string[] = []
  let n = 0
  for (const status of statuses)
    for (const committed of [0, 3_000, 4_000, 5_000])
      for (const paid of [false, true])
        for (const reservedAt of [null, '2026-05-04T08:00:00.000Z', cutoff, '2026-05-04T10:00:00.000Z'])
          for (const claim of [null, { claimableAmount: 4_000, approvedAmount: null }, { claimableAmount: 4_000, approvedAmount: 3_000 }]) {
            const key = `grid-${++n}`
            const state = { coInvestmentId: key, partnerId: 'p-grid', quarter: '2026-Q2', status, committed, paid, reservedAt, claim }
            await sql.query(
              `insert into read_models (projection, version, key, state, position_commit, position_prepare) values ('fund-requests', $1, $2, $3::jsonb, 0, 0)`,
              [version, key, JSON.stringify(state)],
            )
            const due = settlementDue(
              { status: status as SettlementStatus, committed, paid, reservedAt, claimable: claim?.claimableAmount ?? null, approved: claim?.approvedAmount ?? null },
              cutoff,
            )
            if (due) expected.push(key)
          }
  const found = (await fundsQueries(sql).unsettled(cutoff)).map((r) => r.coInvestmentId)
  expect(expected.length).toBeGreaterThan(20)
  expect(found.sort()).toEqual(expected.sort())
})
