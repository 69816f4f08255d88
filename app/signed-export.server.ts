// Signed exports: a partner's history as JSON Lines an auditor can check with only the deployment's public key.
//
// Format `partnerlog-signed-export/1`, one JSON object per line, each line ending in "\n"; a line's hash is the
// SHA-256 (hex) of its UTF-8 text without the "\n":
//   line 1        {"format","partnerId","exportedAt","algorithm":"Ed25519","keyId","publicKey"(raw, base64)}
//   lines 2..N-1  {"line":i,"prev":<hash of line i-1>,"event":<the event as in the plain JSON Lines export>}
//   line N        {"line":N,"prev":<hash of line N-1>,"lineCount":N,"lineHashes":[hashes of lines 1..N-1],"signature"}
// signature: Ed25519 over the UTF-8 text `partnerlog-signed-export/1 <lineCount> <digest>`, where digest is the
// SHA-256 (hex) of the concatenated raw hashes of lines 1..N-1. The signed hash list lets a verifier name each line
// that was altered, moved, added or removed; `line` and `prev` locate a break even when the signature line is gone.
import { createHash } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { keyIdOf, publicKeyFrom, rawPublicKey, verifySignature, type DeploymentKey } from './deployment-key.server.ts'

export const SIGNED_EXPORT_FORMAT = 'partnerlog-signed-export/1'

export type ExportSigner = Pick<DeploymentKey, 'keyId' | 'publicKeyRaw' | 'sign'>

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

function signedMessage(lineCount: number, lineHashes: readonly string[]): Buffer {
  const digest = createHash('sha256')
  for (const hash of lineHashes) digest.update(Buffer.from(hash, 'hex'))
  return Buffer.from(`${SIGNED_EXPORT_FORMAT} ${lineCount} ${digest.digest('hex')}`, 'utf8')
}

/**
 * Writes a signed export line by line: header first, then `event(json)` per event (the event's JSON text, one line),
 * then `finish()`. Each call returns the line with its "\n".
 */
export function signedExportWriter(signer: ExportSigner, header: { partnerId: string; exportedAt: string }) {
  const hashes: string[] = []
  const push = (text: string) => {
    hashes.push(sha256(text))
    return `${text}\n`
  }
  let finished = false
  return {
    header: () =>
      push(JSON.stringify({
        format: SIGNED_EXPORT_FORMAT, partnerId: header.partnerId, exportedAt: header.exportedAt,
        algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKeyRaw,
      })),
    event(eventJson: string) {
      if (hashes.length === 0 || finished) throw new Error('event() goes between header() and finish()')
      const json = eventJson.trimEnd()
      if (json.includes('\n')) throw new Error('an event line must be one line of JSON')
      return push(`{"line":${hashes.length + 1},"prev":"${hashes.at(-1)}","event":${json}}`)
    },
    finish() {
      finished = true
      const lineCount = hashes.length + 1
      const signature = Buffer.from(signer.sign(signedMessage(lineCount, hashes))).toString('base64')
      return `${JSON.stringify({ line: lineCount, prev: hashes.at(-1), lineCount, lineHashes: hashes, signature })}\n`
    },
  }
}

/** The whole signed export of these events (their JSON texts) as lines, for streaming. */
export async function* signedExportLines(signer: ExportSigner, header: { partnerId: string; exportedAt: string }, events: AsyncIterable<string>): AsyncGenerator<string> {
  const writer = signedExportWriter(signer, header)
  yield writer.header()
  for await (const event of events) yield writer.event(event)
  yield writer.finish()
}

export type ExportProblem = {
  /** the line of the file (1-based) the problem is on, or for `missing` the line of the signed export that is gone */
  line: number
  kind: 'altered' | 'out-of-order' | 'added' | 'missing' | 'signature' | 'truncated' | 'header' | 'key'
  message: string
}

export type VerifyOutcome = {
  ok: boolean
  problems: ExportProblem[]
  /** the key the signature was checked with, and where it came from */
  key?: { keyId: string; source: 'pinned' | 'header' }
  partnerId?: string
  exportedAt?: string
  /** event lines in the file */
  events: number
}

type Trailer = { line: number; lineCount: number; lineHashes: string[]; signature: string }

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function asTrailer(value: unknown): Trailer | undefined {
  const v = value as Partial<Trailer> | undefined
  if (!v || typeof v !== 'object' || typeof v.signature !== 'string' || !Array.isArray(v.lineHashes) || typeof v.lineCount !== 'number') return undefined
  if (!v.lineHashes.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) return undefined
  return v as Trailer
}

/** Longest strictly increasing subsequence of `values` (by index in the array): the indexes that stay in order. */
function inOrder(values: number[]): Set<number> {
  const tails: number[] = []
  const previous: number[] = new Array(values.length).fill(-1)
  for (let i = 0; i < values.length; i++) {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (values[tails[mid]!]! < values[i]!) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) previous[i] = tails[lo - 1]!
    tails[lo] = i
  }
  const kept = new Set<number>()
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) kept.add(i)
  return kept
}

/** Compares the file's lines with the signed hash list and names every line that differs. */
function compareWithSigned(lines: string[], signed: string[]): ExportProblem[] {
  const problems: ExportProblem[] = []
  const signedIndex = new Map(signed.map((hash, i) => [hash, i]))
  // for each line of the file, the signed line it is (0-based), if any
  const matches = lines.map((line) => signedIndex.get(sha256(line)))
  const matched = matches.flatMap((s, i) => (s === undefined ? [] : [{ file: i, signed: s }]))
  const kept = inOrder(matched.map((m) => m.signed))
  const present = new Set<number>()
  const keptSigned = new Set(matched.filter((_, k) => kept.has(k)).map((m) => m.signed))
  matched.forEach((m, k) => {
    present.add(m.signed)
    if (kept.has(k)) return
    if (keptSigned.has(m.signed)) problems.push({ line: m.file + 1, kind: 'added', message: `line ${m.file + 1} was added: a copy of line ${m.signed + 1}` })
    else problems.push({ line: m.file + 1, kind: 'out-of-order', message: `line ${m.file + 1} is out of order: it was signed as line ${m.signed + 1}` })
  })
  const missing = new Set(signed.map((_, i) => i).filter((i) => !present.has(i)))
  lines.forEach((line, i) => {
    if (matches[i] !== undefined) return
    // a changed line usually keeps its line number; otherwise it stands where the signed line it replaces was
    const claimed = (parse(line) as { line?: unknown } | undefined)?.line
    const was = typeof claimed === 'number' && missing.has(claimed - 1) ? claimed - 1 : missing.has(i) ? i : undefined
    if (was !== undefined) {
      missing.delete(was)
      // a line whose event is as signed but whose link was rewritten (to hide an edit before it)
      const relinked = was > 0 && sha256(line.replace(/^\{"line":(\d+),"prev":"[^"]*"/, `{"line":$1,"prev":"${signed[was - 1]}"`)) === signed[was]
      const detail = was === 0 ? ': the header is not the one signed' : relinked ? ': only its link to the line before was rewritten' : ''
      problems.push({ line: i + 1, kind: 'altered', message: `line ${i + 1} was altered${was !== i ? ` (signed as line ${was + 1})` : ''}${detail}` })
    } else {
      problems.push({ line: i + 1, kind: 'added', message: `line ${i + 1} was added: it is not in the signed export` })
    }
  })
  for (const i of missing) problems.push({ line: i + 1, kind: 'missing', message: `line ${i + 1} of the signed export is missing (removed)` })
  return problems.sort((a, b) => a.line - b.line)
}

/** Without a trusted hash list: the first place where `line`/`prev` do not follow on. */
function firstChainBreak(lines: string[]): ExportProblem | undefined {
  for (let i = 1; i < lines.length; i++) {
    const value = parse(lines[i]!) as { line?: unknown; prev?: unknown } | undefined
    if (!value) return { line: i + 1, kind: 'altered', message: `line ${i + 1} is not valid JSON` }
    if (value.line !== i + 1) {
      const message = typeof value.line === 'number' && value.line > i + 1
        ? `line ${i + 1} was signed as line ${value.line}: line ${i + 1} of the signed export is missing (removed), or the line was moved`
        : `line ${i + 1} says it is line ${String(value.line)}: it was moved or added`
      return { line: i + 1, kind: typeof value.line === 'number' && value.line > i + 1 ? 'missing' : 'out-of-order', message }
    }
    if (value.prev !== sha256(lines[i - 1]!)) return { line: i, kind: 'altered', message: `line ${i} was altered: line ${i + 1} carries another hash of it` }
  }
  return undefined
}

/** Checks a signed export's text; `publicKey` (SPKI PEM or raw base64) pins the key the header must name. */
export function verifySignedExport(text: string, options: { publicKey?: string } = {}): VerifyOutcome {
  const outcome: VerifyOutcome = { ok: false, problems: [], events: 0 }
  const fail = (problem: ExportProblem) => {
    outcome.problems.push(problem)
    return outcome
  }
  if (text === '') return fail({ line: 1, kind: 'truncated', message: 'the file is empty' })
  const all = text.split('\n')
  if (all.at(-1) !== '') return fail({ line: all.length, kind: 'truncated', message: `truncated: line ${all.length} is incomplete (the file does not end with a line break)` })
  const lines = all.slice(0, -1)
  if (lines.every((line) => line.endsWith('\r'))) {
    return fail({ line: 1, kind: 'altered', message: 'every line ends in CRLF: the line breaks were changed after signing (restore LF line breaks, e.g. dos2unix, and verify again)' })
  }

  const header = parse(lines[0]!) as { format?: unknown; partnerId?: unknown; exportedAt?: unknown; publicKey?: unknown; keyId?: unknown } | undefined
  if (!header || header.format !== SIGNED_EXPORT_FORMAT) return fail({ line: 1, kind: 'header', message: `line 1 is not the header of a ${SIGNED_EXPORT_FORMAT} file` })
  if (typeof header.partnerId === 'string') outcome.partnerId = header.partnerId
  if (typeof header.exportedAt === 'string') outcome.exportedAt = header.exportedAt

  let key: KeyObject
  let headerKey: KeyObject | undefined
  try {
    headerKey = typeof header.publicKey === 'string' ? publicKeyFrom(header.publicKey) : undefined
  } catch {
    headerKey = undefined
  }
  if (options.publicKey !== undefined) {
    try {
      key = publicKeyFrom(options.publicKey)
    } catch (error) {
      throw new Error(`The public key ${error instanceof Error ? error.message : String(error)}`)
    }
    const pinnedId = keyIdOf(rawPublicKey(key))
    outcome.key = { keyId: pinnedId, source: 'pinned' }
    if (!headerKey || keyIdOf(rawPublicKey(headerKey)) !== pinnedId) {
      fail({ line: 1, kind: 'key', message: `line 1 names key ${String(header.keyId)}, not the pinned key ${pinnedId}: signed by another deployment, or the header was altered` })
    }
  } else {
    if (!headerKey) return fail({ line: 1, kind: 'header', message: 'line 1 carries no valid Ed25519 public key' })
    key = headerKey
    outcome.key = { keyId: keyIdOf(rawPublicKey(key)), source: 'header' }
  }

  // the signature line is the last one that looks like it; lines after it were added
  let t = lines.length - 1
  while (t > 0 && !asTrailer(parse(lines[t]!))) t--
  const trailer = t > 0 ? asTrailer(parse(lines[t]!)) : undefined
  if (!trailer) {
    const problem = firstChainBreak(lines)
    if (problem) fail(problem)
    return fail({ line: lines.length + 1, kind: 'truncated', message: `truncated: no signature line after line ${lines.length}` })
  }
  const body = lines.slice(0, t)
  outcome.events = body.length - 1
  const signatureValid = trailer.lineCount === trailer.lineHashes.length + 1 &&
    verifySignature(key, signedMessage(trailer.lineCount, trailer.lineHashes), Buffer.from(trailer.signature, 'base64'))
  if (!signatureValid) {
    fail({ line: t + 1, kind: 'signature', message: `signature invalid (line ${t + 1}): the signature line was altered, or the file was signed by another key than ${outcome.key.keyId}` })
    const problem = firstChainBreak(lines.slice(0, t + 1))
    if (problem) fail(problem)
    return outcome
  }
  outcome.problems.push(...compareWithSigned(body, trailer.lineHashes))
  for (let i = t + 1; i < lines.length; i++) fail({ line: i + 1, kind: 'added', message: `line ${i + 1} was added after the signature line` })
  outcome.problems.sort((a, b) => a.line - b.line)
  outcome.ok = outcome.problems.length === 0
  return outcome
}
