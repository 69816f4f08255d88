// The auditor's Verify page shows the last seal ("#n through position N at T") and the seal result beside the chain's,
// and names the first broken seal. PGlite with the minimal program.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVerification } from '../../app/audit.server.ts'
import { LogResult } from '../../app/components/log-check.tsx'
import { parseEnv } from '../../app/env.server.ts'
import { loader as verifyLoader } from '../../app/routes/audit/verify.tsx'
import { sealNow } from '../../app/sealer.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices, type AppServices } from '../../app/services.server.ts'
import { logCheckOf, startLogCheck, type LogCheck } from '../../app/verify.server.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-verify-seals-page-'))
let services: AppServices

beforeAll(async () => {
  services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'minimal')
}, 120_000)
afterAll(async () => {
  await services?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function checked(): Promise<LogCheck> {
  const job = startVerification(services, 'u-alex')
  startLogCheck(services, job.id)
  for (let i = 0; i < 600 && !logCheckOf(job.id)?.finishedAt; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const request = new Request(`http://localhost/audit/verify?job=${job.id}`)
  const session = services.sessions.create()
  session.set('userId', 'u-alex')
  session.set('csrf', 'csrf')
  session.set('signedInAt', new Date().toISOString())
  const cookie = (await services.sessions.commit(request, session)).split(';')[0]!
  const signed = new Request(request.url, { headers: { Cookie: cookie } })
  const data = await verifyLoader({ request: signed, url: new URL(signed.url), params: {}, context: { services } } as never)
  return data.log!
}

test('no seal yet, then the last seal and its result, then the first broken seal', { timeout: 120_000 }, async () => {
  const unsealed = await checked()
  expect(unsealed.seals).toMatchObject({ lastSeal: null, firstBroken: null, error: null })
  expect(unsealed.seals!.unsealedEvents).toBeGreaterThan(5)
  expect(renderToStaticMarkup(createElement(LogResult, { log: unsealed }))).toContain('No seal yet')

  const [seal] = await sealNow(services)
  const clean = await checked()
  expect(clean.seals).toMatchObject({
    sealsVerified: 1, unsealedEvents: 0, firstBroken: null,
    lastSeal: { number: '1', throughPosition: seal!.to.prepare.toString(), sealedAt: seal!.sealedAt },
  })
  const html = renderToStaticMarkup(createElement(LogResult, { log: clean }))
  expect(html).toContain('Every hash and link holds')
  expect(html).toContain('Every seal holds')
  expect(html).toContain(`#1 through position ${seal!.to.prepare} at`)

  await services.sql.query('update seals set event_count = event_count - 1')
  const broken = await checked()
  expect(broken.firstBroken).toBeNull()
  expect(broken.seals!.firstBroken).toMatchObject({ number: '1', problem: 'signature', toPosition: seal!.to.prepare.toString() })
  const shown = renderToStaticMarkup(createElement(LogResult, { log: broken }))
  expect(shown).toContain('Seal broken')
  expect(shown).toContain('First broken seal: #1, signature invalid')
  expect(shown).toContain('none intact: seal #1 is broken')
})
