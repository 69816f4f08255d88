// Verifies the seals (docs/decisions/011): each signature with the public key, the seals' chain and numbering, each
// range's Merkle root and count recomputed from the stored hashes, and optionally the seals anchored outside the store.
import {
  GENESIS_SEAL_HASH, leavesBetween, MerkleBuilder, samePosition, sealHash, sealMessage,
  type Seal, type SealSignatureCheck, type SealStorage,
} from './seal.ts'
import { START, comparePositions, type Position } from './types.ts'

export type SealProblem = 'signature' | 'missing' | 'chain' | 'events' | 'anchor'

export type BrokenSeal = {
  number: bigint
  /** the global positions the seal covers (null: the seal is missing from the store) */
  fromPosition: bigint | null
  toPosition: bigint | null
  problem: SealProblem
  /** what is wrong, in a sentence */
  detail: string
}

export type SealVerification = {
  /** seals checked and found intact, from #1 on */
  sealsVerified: number
  eventsSealed: bigint
  /** the last intact seal before any broken one */
  lastSeal: { number: bigint; through: Position; sealedAt: string } | null
  /** events after the last intact seal: protected by the chain only */
  unsealedEvents: number
  firstBroken: BrokenSeal | null
  /** anchored seals compared with the store's */
  anchorsCompared: number
}

export type VerifySealsOptions = {
  /** seals taken from the write-once place they were anchored in (parseAnchorLine) */
  anchors?: readonly Seal[]
}

/** One line for the CLI and logs. */
export function describeBrokenSeal(broken: BrokenSeal): string {
  const range = broken.fromPosition !== null ? ` (positions ${broken.fromPosition}..${broken.toPosition})` : ''
  return `seal #${broken.number}${range}: ${broken.problem}: ${broken.detail}`
}

/** "sealed through position N at T" or "no seal yet" */
export function describeSealed(result: SealVerification): string {
  const last = result.lastSeal
  if (!last) return `no seal yet: ${result.unsealedEvents} event(s) are protected by the hash chain only`
  return `${result.sealsVerified} seal(s), sealed through position ${last.through.prepare} at ${last.sealedAt} (seal #${last.number}); ${result.unsealedEvents} later event(s) are protected by the hash chain only`
}

export async function verifySeals(storage: SealStorage, check: SealSignatureCheck, options: VerifySealsOptions = {}): Promise<SealVerification> {
  const result: SealVerification = { sealsVerified: 0, eventsSealed: 0n, lastSeal: null, unsealedEvents: 0, firstBroken: null, anchorsCompared: 0 }
  const signed = (seal: Seal) => check(sealMessage(seal), Buffer.from(seal.signature, 'base64'))
  const anchors = new Map((options.anchors ?? []).map((seal) => [seal.number, seal]))
  const stored = new Set<bigint>()
  let broken: BrokenSeal | null = null
  const at = (seal: Seal, problem: SealProblem, detail: string): BrokenSeal =>
    ({ number: seal.number, fromPosition: seal.from.prepare, toPosition: seal.to.prepare, problem, detail })

  let expected = 1n
  let previousHash = GENESIS_SEAL_HASH
  let previousTo: Position = START
  for await (const seal of storage.seals()) {
    stored.add(seal.number)
    if (broken) continue
    const anchored = anchors.get(seal.number)
    if (seal.number !== expected) {
      broken = { number: expected, fromPosition: null, toPosition: null, problem: 'missing',
        detail: `seal${seal.number - expected > 1n ? `s #${expected}..#${seal.number - 1n} are` : ' is'} missing from the store: deleted` }
    } else if (!signed(seal)) {
      broken = at(seal, 'signature', `its signature does not verify with the public key: the seal row was edited after it was signed, or signed by another key (it names key ${seal.keyId})`)
    } else if (seal.previousHash !== previousHash) {
      broken = at(seal, 'chain', `it links to ${seal.previousHash.slice(0, 12)}…, not to seal #${seal.number - 1n}: the seal before it was replaced`)
    } else if (comparePositions(seal.from, previousTo) <= 0 || comparePositions(seal.to, seal.from) < 0) {
      broken = at(seal, 'chain', 'its range does not follow the seal before it')
    } else if (anchored && sealHash(anchored) !== sealHash(seal)) {
      broken = at(seal, 'anchor', `it differs from the seal anchored as #${seal.number} (root ${anchored.root.slice(0, 12)}…): it was re-sealed after it was anchored`)
    } else {
      const tree = new MerkleBuilder()
      let first: Position | null = null
      for await (const leaf of leavesBetween(storage, previousTo, seal.to)) {
        first ??= leaf.position
        tree.push(leaf.hash)
      }
      if (tree.count !== seal.eventCount) {
        const fewer = tree.count < seal.eventCount
        broken = at(seal, 'events', `${tree.count} event(s) are stored in its range, ${seal.eventCount} were sealed: events were ${fewer ? 'deleted' : 'inserted'}`)
      } else if (tree.root() !== seal.root || !first || !samePosition(first, seal.from)) {
        broken = at(seal, 'events', 'the stored events of its range are not the ones sealed: an event in it was rewritten, replaced or moved')
      }
    }
    if (broken) continue
    if (anchored) result.anchorsCompared++
    result.sealsVerified++
    result.eventsSealed += seal.eventCount
    result.lastSeal = { number: seal.number, through: seal.to, sealedAt: seal.sealedAt }
    previousHash = sealHash(seal)
    previousTo = seal.to
    expected = seal.number + 1n
  }
  // an anchored seal the store no longer has (a deleted last seal leaves no gap in the store)
  for (const anchored of [...anchors.values()].sort((a, b) => (a.number < b.number ? -1 : 1))) {
    if (stored.has(anchored.number) || (broken && broken.number <= anchored.number)) continue
    const valid = signed(anchored)
    broken = {
      number: anchored.number, fromPosition: anchored.from.prepare, toPosition: anchored.to.prepare, problem: valid ? 'missing' : 'anchor',
      detail: valid
        ? 'it was anchored but is missing from the store: deleted'
        : 'the anchored line does not verify with the public key: it was altered, or anchored by another deployment',
    }
    break
  }
  for await (const _ of leavesBetween(storage, previousTo, null)) result.unsealedEvents++
  result.firstBroken = broken
  return result
}
