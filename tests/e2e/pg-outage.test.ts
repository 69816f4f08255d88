// The real built server on PostgreSQL while every one of its database sessions is terminated every 2 s for 10 s, under a
// steady load of deal registrations: the process stays up, every registration it acknowledged is in the log, the ones
// it could not do were answered 503 with Retry-After (never 500), and afterwards it works again without a restart.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'
import { httpSession, type HttpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

const SUITE = 'the portal while PostgreSQL terminates its sessions'
const baseUrl = postgresOrSkip(SUITE)

const WORKERS = 4
const TERMINATIONS = 5 // one every 2 s: 10 s of outages
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Answer = { commandId: string; status: number; retryAfter: string | null; location: string | null }

function registerDeal(maria: HttpSession, commandId: string, customer: string) {
  return maria.post('/partner/deals/new', {
    commandId,
    customerName: customer,
    customerDomain: `${commandId.slice(0, 8)}.example`,
    value: '12000',
    currency: 'EUR',
    expectedCloseDate: '2030-06-30',
    'items[0].sku': 'CB-500', 'items[0].name': 'Cloud Backup', 'items[0].quantity': '1',
  })
}

describe.runIf(baseUrl)(SUITE, () => {
  let database: TestDatabase
  let server: RunningServer
  let maria: HttpSession

  beforeAll(async () => {
    database = await createTestDatabase(baseUrl!, 'outage')
    server = await startServer({ DATABASE_URL: database.url, SEED: 'minimal' })
    maria = await httpSession(server.url, 'maria@northwind.example')
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  test('terminating every backend every 2 s for 10 s under load: no exit, no acknowledged command lost, 503 with Retry-After, live again', async () => {
    const answers: Answer[] = []
    let loading = true
    const worker = async (w: number) => {
      for (let i = 0; loading; i++) {
        const commandId = randomUUID()
        const response = await registerDeal(maria, commandId, `Outage customer ${w}-${i}`)
        await response.arrayBuffer()
        answers.push({ commandId, status: response.status, retryAfter: response.headers.get('retry-after'), location: response.headers.get('location') })
        // a refused request is not retried at once (as a client honouring Retry-After would not), but soon, to keep the load up
        if (response.status !== 302) await sleep(100)
      }
    }
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w))
    let terminated = 0
    let lastTermination = 0
    for (let round = 0; round < TERMINATIONS; round++) {
      terminated += await database.terminateBackends()
      lastTermination = performance.now()
      await sleep(2000)
    }
    loading = false
    await Promise.all(workers)

    expect(terminated).toBeGreaterThan(0)
    expect(server.process.exitCode, server.output()).toBeNull()
    expect(server.output()).not.toMatch(/Unhandled 'error' event|uncaught/i)

    // every answer is an acknowledgement or a 503 that says when to retry
    const unexpected = answers.filter((answer) => answer.status !== 302 && answer.status !== 503)
    expect(unexpected).toEqual([])
    const acknowledgedAnswers = answers.filter((answer) => answer.status === 302)
    const unavailable = answers.filter((answer) => answer.status === 503)
    expect(acknowledgedAnswers.length).toBeGreaterThan(0)
    expect(unavailable.length).toBeGreaterThan(0)
    for (const answer of unavailable) expect(answer.retryAfter).toMatch(/^\d+$/)

    // no acknowledged command lost: every 302 names a deal whose registration is in the log
    const acknowledged = acknowledgedAnswers.map((answer) => answer.commandId)
    for (const answer of acknowledgedAnswers) expect(answer.location).toBe(`/partner/deals/${answer.commandId}`)
    const stored = new Set(
      (await database.query<{ stream_id: string }>(`select stream_id from events where type = 'DealRegistered'`)).map((row) => row.stream_id),
    )
    expect(acknowledged.filter((id) => !stored.has(`deal-${id}`))).toEqual([])

    // live again without a restart: the projections are healthy and a new command's result shows on its page
    let health: { ok: boolean } = { ok: false }
    for (;;) {
      health = (await (await fetch(`${server.url}/healthz`)).json()) as { ok: boolean }
      if (health.ok) break
      await sleep(100)
    }
    const commandId = randomUUID()
    const after = await registerDeal(maria, commandId, 'Customer after the outage')
    expect(after.status).toBe(302)
    const page = await maria.get(`/partner/deals/${commandId}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Customer after the outage')
    const recoveredMs = Math.round(performance.now() - lastTermination)
    console.info(
      `pg outage: ${answers.length} registrations, ${acknowledged.length} acknowledged, ${unavailable.length} answered 503, ` +
        `${terminated} sessions terminated; live again ${recoveredMs} ms after the last termination`,
    )
    expect(server.process.exitCode).toBeNull()
  }, 180_000)
})
