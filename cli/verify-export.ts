// Checks a signed export (npm run export -- <partnerId> --signed) with only the deployment's public key.
// Usage: npx tsx cli/verify-export.ts <file> [--public-key <pem file>]  (exit 1 names each bad line, 2 usage)
import fs from 'node:fs'
import { verifySignedExport } from '../app/signed-export.server.ts'

const usage = 'Usage: npm run verify-export -- <file> [--public-key <public key PEM file>]'
function fail(message: string, code: number): never {
  console.error(message)
  process.exit(code)
}

const args = process.argv.slice(2)
const keyAt = args.indexOf('--public-key')
const keyFile = keyAt >= 0 ? args[keyAt + 1] : undefined
if (keyAt >= 0 && (!keyFile || keyFile.startsWith('--'))) fail(`--public-key needs a file\n${usage}`, 2)
const file = args.find((a, i) => !a.startsWith('--') && (keyAt < 0 || i !== keyAt + 1))
if (!file) fail(usage, 2)

const read = (path: string, what: string) => {
  try {
    return fs.readFileSync(path, 'utf8')
  } catch (error) {
    return fail(`Cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`, 2)
  }
}
const text = read(file, 'the export')
const publicKey = keyFile ? read(keyFile, 'the public key') : undefined

let outcome: ReturnType<typeof verifySignedExport>
try {
  outcome = verifySignedExport(text, publicKey === undefined ? {} : { publicKey })
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 2)
}
const key = outcome.key
  ? outcome.key.source === 'pinned'
    ? `key ${outcome.key.keyId}, pinned with --public-key ${keyFile}`
    : `key ${outcome.key.keyId}, taken from the file's own header (not pinned: compare it with the portal's /audit/public-key.pem, or pass --public-key)`
  : 'no key'
if (outcome.ok) {
  console.log(`OK ${file}: ${outcome.events} event(s) of partner ${outcome.partnerId}, exported ${outcome.exportedAt}, signature valid (${key}).`)
  process.exit(0)
}
console.log(`FAILED ${file} (${key}):`)
for (const problem of outcome.problems.slice(0, 50)) console.log(`  ${problem.message} [${problem.kind}]`)
if (outcome.problems.length > 50) console.log(`  ... and ${outcome.problems.length - 50} more`)
process.exit(1)
