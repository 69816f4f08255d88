// Seals the events committed since the last seal (decision 011); --anchor prints the seals to keep outside the database.
// Usage: npm run seal [-- --anchor [--since <seal number>]]  (exit 2 usage or unsealed store, 3 no store)
import { anchorLine, sealNew } from '../eventstore/seal.ts'
import { sealSigner, sealStorageOf } from '../app/sealer.server.ts'
import { fail, withServices } from './open.ts'

const usage = 'Usage: npm run seal [-- --anchor [--since <seal number>]]'
const args = process.argv.slice(2)
const anchor = args.includes('--anchor')
const sinceAt = args.indexOf('--since')
const sinceText = sinceAt >= 0 ? args[sinceAt + 1] : '0'
if (!sinceText || !/^\d+$/.test(sinceText) || (sinceAt >= 0 && !anchor)) fail(`--since takes a seal number and goes with --anchor\n${usage}`, 2)
const unknown = args.filter((a, i) => a !== '--anchor' && !(sinceAt >= 0 && (i === sinceAt || i === sinceAt + 1)))
if (unknown.length > 0) fail(`Unknown argument ${unknown[0]}\n${usage}`, 2)
const since = BigInt(sinceText)

const code = await withServices(async (services) => {
  await services.runner.stop() // nothing to project here
  const storage = sealStorageOf(services)
  if (!storage) {
    console.error('The events are in EventStoreDB: this store is not sealed (decision 011)')
    return 2
  }
  const made = await sealNew(storage, sealSigner(services.signingKey), services.clock)
  // the summary goes to stderr when stdout carries the anchor lines
  const say = anchor ? console.error : console.log
  for (const seal of made) say(`sealed #${seal.number}: positions ${seal.from.prepare}..${seal.to.prepare}, ${seal.eventCount} event(s), root ${seal.root}`)
  if (made.length === 0) say('nothing new to seal')
  if (anchor) {
    for await (const seal of storage.seals()) if (seal.number > since) console.log(anchorLine(seal))
  }
  return 0
})
process.exit(code)
