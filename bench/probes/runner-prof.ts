// For the runner probes: sums a V8 .cpuprofile (node --cpu-prof, or runner-split --profile) by function and by file,
// self time, plus the inclusive time of the functions named with --inclusive, to see where the runner's CPU goes.
// Usage: npx tsx bench/probes/runner-prof.ts <file.cpuprofile> [--top 40] [--inclusive writeBatch,prepareBatch]
import fs from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const file = process.argv[2]!
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const top = Number(arg('top', '40'))
const inclusive = arg('inclusive', '').split(',').filter(Boolean)
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile

const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const short = (url: string) => url.replace(/^.*\/work\/main\//, '').replace(/^.*node_modules\//, 'nm:')
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
const total = [...selfUs.values()].reduce((a, b) => a + b, 0)

const bySelf = new Map<string, number>()
const byFile = new Map<string, number>()
for (const [id, us] of selfUs) {
  const n = byId.get(id)!
  bySelf.set(label(n), (bySelf.get(label(n)) ?? 0) + us)
  const f = short(n.callFrame.url) || `(${n.callFrame.functionName})`
  byFile.set(f, (byFile.get(f) ?? 0) + us)
}
const ms = (us: number) => Math.round(us / 1000)
console.log(`total ${ms(total)} ms sampled`)
console.log('\n-- self time by function')
for (const [k, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(ms(us)).padStart(7)} ms  ${k}`)
console.log('\n-- self time by file')
for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(ms(us)).padStart(7)} ms  ${k}`)
if (inclusive.length > 0) {
  console.log('\n-- inclusive time (each sample counted once per named function on its stack)')
  const incl = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const counted = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName
      if (inclusive.includes(name) && !counted.has(name)) {
        counted.add(name)
        incl.set(name, (incl.get(name) ?? 0) + us)
      }
    }
  }
  for (const name of inclusive) console.log(`${String(ms(incl.get(name) ?? 0)).padStart(7)} ms  ${name}`)
}
