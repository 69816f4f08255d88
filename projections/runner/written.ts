// The keys a projection version may have documents for, when this runner wrote all of them: a miss on any other key
// is a new document, not a read of the database (a rebuild from 0 creates most of its documents: one per event for
// the timeline).

/** Bits per key and hashes per key of each layer: about 1% false positives, each of which only costs a load. */
const BITS_PER_KEY = 10
const HASHES = 7
const FIRST_CAPACITY = 16_384

/** A growable Bloom filter of strings: `mightHave` is false only for a key never added. */
export class WrittenKeys {
  private readonly layers: { bits: Uint32Array; size: number; capacity: number; count: number }[] = []

  constructor() {
    this.grow(FIRST_CAPACITY)
  }

  private grow(capacity: number): void {
    const size = capacity * BITS_PER_KEY
    this.layers.push({ bits: new Uint32Array(Math.ceil(size / 32)), size, capacity, count: 0 })
  }

  add(key: string): void {
    if (this.mightHave(key)) return
    let layer = this.layers[this.layers.length - 1]!
    if (layer.count >= layer.capacity) {
      this.grow(layer.capacity * 4)
      layer = this.layers[this.layers.length - 1]!
    }
    const [h1, h2] = hashes(key)
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) % layer.size
      layer.bits[bit >>> 5]! |= 1 << (bit & 31)
    }
    layer.count++
  }

  mightHave(key: string): boolean {
    const [h1, h2] = hashes(key)
    for (const layer of this.layers) {
      let all = true
      for (let i = 0; i < HASHES && all; i++) {
        const bit = (h1 + i * h2) % layer.size
        all = (layer.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0
      }
      if (all) return true
    }
    return false
  }
}

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one) for double hashing; the second is odd. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return [a >>> 0, (b | 1) >>> 0]
}
