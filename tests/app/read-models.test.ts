// docSets: several questions to the read models in one round trip answer exactly what each asked alone.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseEnv } from '../../app/env.server.ts'
import { engagementQueries, openSurveyRounds, surveyAnswersOf } from '../../app/queries/engagement.server.ts'
import { fundRequestsOf, fundsQueries } from '../../app/queries/funds.server.ts'
import { dealsOfPartner } from '../../app/queries/index.server.ts'
import { doc, docs, docSets, everyDoc, pairKey } from '../../app/queries/read-models.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'

let services: AppServices
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-read-models-'))

beforeAll(async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services)
})
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('docSets', () => {
  test('answers each set as the single query would, in its order, with each set numbering its own parameters', async () => {
    const sql = services.sql
    const keys = [['journey', 'northwind'], ['trust', 'northwind'], ['scorecard', 'northwind'], ['users', 'u-maria']] as const
    const found = await docSets(sql, {
      insight: { keys },
      northwindDeals: dealsOfPartner('northwind'),
      contosoDeals: dealsOfPartner('contoso'),
      requests: fundRequestsOf('northwind'),
      openSurveys: openSurveyRounds,
      answers: surveyAnswersOf('contoso'),
    })
    const northwindDeals = await services.queries.deals.forPartner('northwind')
    const contosoDeals = await services.queries.deals.forPartner('contoso')
    // in the demo only Contoso has registered deals, so a parameter given to the wrong set would show
    expect(northwindDeals).toEqual([])
    expect(contosoDeals.length).toBeGreaterThan(1)
    expect(found.northwindDeals).toEqual(northwindDeals)
    expect(found.contosoDeals).toEqual(contosoDeals)
    expect(found.requests).toEqual(await fundsQueries(sql).requestsOf('northwind'))
    expect(found.openSurveys).toEqual(await engagementQueries(sql).surveys.open())
    expect(found.answers).toEqual(await engagementQueries(sql).surveys.answersOf('contoso'))
    for (const [projection, key] of keys) {
      const alone = await doc(sql, projection, key)
      expect(alone).not.toBeNull()
      expect(found.byKey.get(pairKey(projection, key))).toEqual(alone)
    }
  })

  test('omit leaves the named top-level fields out, of documents by key and of a query, and nothing else', async () => {
    const found = await docSets(services.sql, {
      journey: { keys: [['journey', 'contoso']], omit: ['facts'] },
      deals: { ...dealsOfPartner('contoso'), omit: ['products', 'conflict'] },
      whole: { keys: [['journey', 'contoso']] },
    })
    const whole = found.whole[0] as Record<string, unknown>
    expect(whole.facts).toBeDefined()
    const { facts: _facts, ...rest } = whole
    expect(found.journey).toEqual([rest])
    const deals = await services.queries.deals.forPartner('contoso')
    expect(found.deals).toEqual(deals.map(({ products: _p, conflict: _c, ...d }) => d))
  })

  test('empty sets and no sets', async () => {
    const found = await docSets(services.sql, { none: dealsOfPartner('no-such-partner'), nothing: { keys: [] } })
    expect(found.none).toEqual([])
    expect(found.nothing).toEqual([])
    expect((await docSets(services.sql, {})).byKey.size).toBe(0)
  })
})

describe('everyDoc', () => {
  test('reads every matching document in pages by key, with its own parameters after the condition', async () => {
    const all = await docs<{ userId: string }>(services.sql, 'users', 'true', [], 'rm.key', 100_000)
    expect(all.length).toBeGreaterThan(4)
    // pages of 2: more than one page, and a last page that is full as well as one that is not
    for (const pageSize of [1, 2, all.length, all.length + 1]) {
      expect(await everyDoc(services.sql, 'users', 'true', [], pageSize)).toEqual(all)
    }
    const vendor = await everyDoc<{ organisationId: string }>(services.sql, 'users', `rm.state->>'organisationId' = $2`, ['vendor'], 1)
    expect(vendor.length).toBeGreaterThan(1)
    expect(vendor.every((u) => u.organisationId === 'vendor')).toBe(true)
    expect(vendor).toEqual(all.filter((u) => (u as unknown as { organisationId: string }).organisationId === 'vendor'))
  })
})
