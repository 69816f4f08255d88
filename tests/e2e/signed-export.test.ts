// The auditor's signed export over HTTP: downloaded beside the plain ones and verified with the public key the portal
// serves; partners and vendor staff get neither.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { verifySignedExport } from '../../app/signed-export.server.ts'
import { demoEmails, httpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

let server: RunningServer

beforeAll(async () => {
  server = await startServer()
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

describe('signed export in the portal', () => {
  test('the export page offers it, with the public key and how to check it', async () => {
    const alex = await httpSession(server.url, demoEmails.auditor)
    const html = await (await alex.get('/audit/export')).text()
    expect(html).toContain('value="signed"')
    expect(html).toContain('href="/audit/public-key.pem"')
    expect(html).toContain('npm run verify-export')
  })

  test('the auditor downloads a signed export that verifies with the public key from the portal', async () => {
    const alex = await httpSession(server.url, demoEmails.auditor)
    const keyResponse = await alex.get('/audit/public-key.pem')
    expect(keyResponse.status).toBe(200)
    const pem = await keyResponse.text()
    expect(pem).toContain('-----BEGIN PUBLIC KEY-----')
    const keyId = keyResponse.headers.get('x-key-id')!
    expect(keyResponse.headers.get('content-disposition')).toContain(`partnerlog-public-key-${keyId}.pem`)

    const response = await alex.get('/audit/export/download?partner=northwind&format=signed')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toMatch(/partnerlog-northwind-.*\.signed\.jsonl/)
    const text = await response.text()
    const outcome = verifySignedExport(text, { publicKey: pem })
    expect(outcome).toMatchObject({ ok: true, problems: [], partnerId: 'northwind', key: { keyId, source: 'pinned' } })
    // the same events as the plain export, in the same order
    const plain = (await (await alex.get('/audit/export/download?partner=northwind&format=jsonl')).text()).trim().split('\n')
    const signed = text.trim().split('\n').slice(1, -1).map((line) => JSON.stringify(JSON.parse(line).event))
    expect(signed).toEqual(plain)
    expect(outcome.events).toBe(plain.length)

    // an altered line is caught, with its number
    const lines = text.split('\n')
    lines[2] = lines[2]!.replace('northwind', 'contoso')
    expect(verifySignedExport(lines.join('\n'), { publicKey: pem }).problems).toEqual([expect.objectContaining({ line: 3, kind: 'altered' })])
  })

  test('partners and vendor staff get 403 for the public key and the signed export', async () => {
    for (const email of [demoEmails.partnerA, demoEmails.channelManager, demoEmails.vendorAdmin]) {
      const session = await httpSession(server.url, email)
      expect((await session.get('/audit/public-key.pem')).status, email).toBe(403)
      expect((await session.get('/audit/export/download?partner=northwind&format=signed')).status, email).toBe(403)
    }
    // signed out: sent to sign in
    expect((await fetch(`${server.url}/audit/public-key.pem`, { redirect: 'manual' })).status).toBe(302)
  })
})
