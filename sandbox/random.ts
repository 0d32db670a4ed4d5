// Seeded randomness for the catalogue: the same seed gives the same catalogue, on any machine.

/** mulberry32: tiny, fast and good enough for test data; the same seed gives the same stream. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes the seed with a stream number so each app has its own stream (adding one app does not reshuffle the others). */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

export class Random {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  float(): number {
    return this.next()
  }
  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1))
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
  /** Picks a value by weight; the weights need not add up to 1. */
  pick<T>(weights: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (let i = 0; i < weights.length; i++) total += weights[i]![1]
    let r = this.next() * total
    for (let i = 0; i < weights.length - 1; i++) {
      r -= weights[i]![1]
      if (r < 0) return weights[i]![0]
    }
    return weights[weights.length - 1]![0]
  }
  /** A version 4 UUID drawn from the seeded stream (crypto.randomUUID would not be reproducible). */
  uuid(): string {
    const a = this.word()
    const b = this.word()
    const c = this.word()
    const d = this.word()
    return (
      hex8(a) +
      '-' +
      hex4(b >>> 16) +
      '-4' +
      hex4(b & 0xfff).slice(1) +
      '-' +
      hex4(((c >>> 16) & 0x3fff) | 0x8000) +
      '-' +
      hex4(c & 0xffff) +
      hex8(d)
    )
  }
  private word(): number {
    return (this.next() * 4294967296) >>> 0
  }
}

const HEX_BYTE = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'))
const hex4 = (n: number) => HEX_BYTE[(n >>> 8) & 0xff]! + HEX_BYTE[n & 0xff]!
const hex8 = (n: number) => hex4(n >>> 16) + hex4(n & 0xffff)
