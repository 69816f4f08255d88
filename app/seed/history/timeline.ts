// Business time for generated histories: a queue of things to do in time order, and calendar helpers on milliseconds.

export const DAY = 86_400_000

type Task = { t: number; seq: number; run: () => void }
const less = (x: Task, y: Task) => x.t < y.t || (x.t === y.t && x.seq < y.seq)

/** binary min-heap of tasks by (time, insertion order): what happens next, and ties in the order they were planned */
export class Queue {
  private items: Task[] = []
  private seq = 0
  get size() {
    return this.items.length
  }
  push(t: number, run: () => void) {
    const item = { t, seq: this.seq++, run }
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(a[p]!, item)) break
      a[i] = a[p]!
      i = p
    }
    a[i] = item
  }
  pop(): Task | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (!top || !last || a.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= a.length) break
      const r = l + 1
      const c = r < a.length && less(a[r]!, a[l]!) ? r : l
      if (less(last, a[c]!)) break
      a[i] = a[c]!
      i = c
    }
    a[i] = last
    return top
  }
}

export const iso = (t: number) => new Date(t).toISOString()
/** the calendar day (YYYY-MM-DD, UTC) */
export const day = (t: number) => iso(t).slice(0, 10)
export const quarterOf = (t: number) => {
  const d = new Date(t)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}
/** the quarter's last millisecond */
export const quarterEndTime = (q: string) => {
  const [y, n] = q.split('-Q').map(Number) as [number, number]
  return Date.UTC(y, n * 3, 1) - 1
}
export const nextQuarter = (q: string) => {
  const [y, n] = q.split('-Q').map(Number) as [number, number]
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`
}
/** rounded to cents */
export const money = (n: number) => Math.round(n * 100) / 100
export const clamp10 = (n: number) => Math.max(0, Math.min(10, n))
