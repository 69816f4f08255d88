// The signed export format: a round trip, and every kind of tampering named with its line.
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { deploymentKeyFromPem, generateSigningKeyPem } from '../../app/deployment-key.server.ts'
import { signedExportLines, verifySignedExport } from '../../app/signed-export.server.ts'

const key = deploymentKeyFromPem(generateSigningKeyPem())
const other = deploymentKeyFromPem(generateSigningKeyPem())

async function exportOf(count: number, signer = key): Promise<string> {
  const events = (async function* () {
    for (let i = 0; i < count; i++) yield JSON.stringify({ globalPosition: String(i), type: 'DealRegistered', data: { partnerId: 'northwind', value: 1000 + i } })
  })()
  let text = ''
  for await (const line of signedExportLines(signer, { partnerId: 'northwind', exportedAt: '2026-12-07T08:00:00.000Z' }, events)) text += line
  return text
}

/** the file's lines (without the final empty one), edited, joined back */
function edit(text: string, change: (lines: string[]) => void): string {
  const lines = text.split('\n').slice(0, -1)
  change(lines)
  return `${lines.join('\n')}\n`
}

describe('signed export', () => {
  test('round trip: verifies with the key in its header and with the pinned key', async () => {
    const text = await exportOf(5)
    const lines = text.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(7)
    expect(lines[0]).toMatchObject({ format: 'partnerlog-signed-export/1', partnerId: 'northwind', keyId: key.keyId, publicKey: key.publicKeyRaw })
    expect(lines[1]).toMatchObject({ line: 2, event: { data: { value: 1000 } } })
    expect(lines[6]).toMatchObject({ line: 7, lineCount: 7 })
    const header = verifySignedExport(text)
    expect(header).toMatchObject({ ok: true, problems: [], events: 5, partnerId: 'northwind', key: { keyId: key.keyId, source: 'header' } })
    expect(verifySignedExport(text, { publicKey: key.publicKeyPem })).toMatchObject({ ok: true, key: { keyId: key.keyId, source: 'pinned' } })
    expect(verifySignedExport(text, { publicKey: key.publicKeyRaw }).ok).toBe(true)
  })

  test('an empty history still verifies', async () => {
    expect(verifySignedExport(await exportOf(0))).toMatchObject({ ok: true, events: 0 })
  })

  test('an altered line is named', async () => {
    const text = edit(await exportOf(5), (lines) => (lines[3] = lines[3]!.replace('1002', '999999')))
    const outcome = verifySignedExport(text, { publicKey: key.publicKeyPem })
    expect(outcome.ok).toBe(false)
    expect(outcome.problems).toEqual([expect.objectContaining({ line: 4, kind: 'altered' })])
    expect(outcome.problems[0]!.message).toBe('line 4 was altered')
  })

  test('two swapped lines: out of order', async () => {
    const text = edit(await exportOf(5), (lines) => ([lines[2], lines[3]] = [lines[3]!, lines[2]!]))
    const outcome = verifySignedExport(text)
    expect(outcome.ok).toBe(false)
    expect(outcome.problems).toEqual([expect.objectContaining({ kind: 'out-of-order', message: 'line 3 is out of order: it was signed as line 4' })])
  })

  test('an added line', async () => {
    const text = edit(await exportOf(5), (lines) => lines.splice(3, 0, '{"line":4,"prev":"x","event":{"type":"DealRegistered"}}'))
    const outcome = verifySignedExport(text)
    expect(outcome.problems).toEqual([expect.objectContaining({ line: 4, kind: 'added' })])
  })

  test('a copied line is added, not out of order', async () => {
    const text = edit(await exportOf(5), (lines) => lines.splice(5, 0, lines[2]!))
    expect(verifySignedExport(text).problems).toEqual([expect.objectContaining({ line: 6, kind: 'added', message: 'line 6 was added: a copy of line 3' })])
  })

  test('line breaks changed to CRLF are named as such', async () => {
    const text = (await exportOf(3)).replace(/\n/g, '\r\n')
    expect(verifySignedExport(text).problems).toEqual([expect.objectContaining({ line: 1, kind: 'altered', message: expect.stringContaining('CRLF') })])
  })

  test('a line added after the signature line', async () => {
    const text = `${await exportOf(2)}{"line":5}\n`
    expect(verifySignedExport(text).problems).toEqual([expect.objectContaining({ line: 5, kind: 'added', message: 'line 5 was added after the signature line' })])
  })

  test('a removed line is named, and the lines after it are not blamed', async () => {
    const text = edit(await exportOf(5), (lines) => lines.splice(2, 1))
    const outcome = verifySignedExport(text)
    expect(outcome.problems).toEqual([expect.objectContaining({ line: 3, kind: 'missing', message: 'line 3 of the signed export is missing (removed)' })])
  })

  test('truncated: cut inside a line, or the signature line gone', async () => {
    const text = await exportOf(5)
    const cut = verifySignedExport(text.slice(0, text.length - 40))
    expect(cut.problems).toEqual([expect.objectContaining({ line: 7, kind: 'truncated' })])
    const withoutTrailer = edit(text, (lines) => lines.splice(4))
    expect(verifySignedExport(withoutTrailer).problems).toEqual([expect.objectContaining({ line: 5, kind: 'truncated', message: 'truncated: no signature line after line 4' })])
  })

  test('a line removed from a file without its signature line is still located by the chain', async () => {
    const text = edit(await exportOf(5), (lines) => lines.splice(6).concat(lines.splice(2, 1)))
    expect(verifySignedExport(text).problems[0]).toMatchObject({ line: 3, kind: 'missing' })
  })

  test('signed by another key than the pinned one', async () => {
    const text = await exportOf(3, other)
    const outcome = verifySignedExport(text, { publicKey: key.publicKeyPem })
    expect(outcome.ok).toBe(false)
    expect(outcome.key).toEqual({ keyId: key.keyId, source: 'pinned' })
    expect(outcome.problems[0]).toMatchObject({ line: 1, kind: 'key' })
  })

  test("another key's signature under the deployment's header: signature invalid", async () => {
    const forged = edit(await exportOf(3, other), (lines) => {
      lines[0] = lines[0]!.replace(other.publicKeyRaw, key.publicKeyRaw).replace(other.keyId, key.keyId)
    })
    const outcome = verifySignedExport(forged, { publicKey: key.publicKeyPem })
    expect(outcome.ok).toBe(false)
    expect(outcome.problems).toEqual(expect.arrayContaining([expect.objectContaining({ line: 5, kind: 'signature' })]))
  })

  test('an edited header', async () => {
    const text = edit(await exportOf(3), (lines) => (lines[0] = lines[0]!.replace('"partnerId":"northwind"', '"partnerId":"contoso"')))
    const outcome = verifySignedExport(text, { publicKey: key.publicKeyPem })
    expect(outcome.problems).toEqual([expect.objectContaining({ line: 1, kind: 'altered' })])
  })

  test('an altered line with the chain recomputed after it is still named (the hash list is signed)', async () => {
    const text = edit(await exportOf(4), (lines) => {
      lines[2] = lines[2]!.replace('1001', '5')
      for (let i = 3; i < lines.length; i++) {
        const value = JSON.parse(lines[i]!)
        value.prev = createHash('sha256').update(lines[i - 1]!).digest('hex')
        lines[i] = JSON.stringify(value)
      }
    })
    const outcome = verifySignedExport(text)
    expect(outcome.problems.map((p) => p.message)).toEqual([
      'line 3 was altered',
      'line 4 was altered: only its link to the line before was rewritten',
      'line 5 was altered: only its link to the line before was rewritten',
    ])
  })
})
