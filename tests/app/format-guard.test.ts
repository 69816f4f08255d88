// Dates, money, counts and plurals in app/ go through app/format.ts (Intl): this fails when an ad-hoc format comes back.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const app = path.join(root, 'app')

/** the text a line shows: its string literals and JSX text (where "registration(s)" would be, not `has(s)`) */
const shownText = (line: string) => (line.match(/'[^']*'|"[^"]*"|`[^`]*`|>[^<>]*<\//g) ?? []).join(' ')

/** what each pattern is, and what to use instead; a pattern with `shown` looks only at the text a line shows */
const patterns: [RegExp, string, 'shown'?][] = [
  [/\.toLocale(Date|Time)?String\(/, 'formatCount, formatMoney or formatDate'],
  [/\.toUTCString\(|\.toDateString\(/, 'formatDate or formatDateTime'],
  [/new Intl\./, 'a formatter in app/format.ts (each built once)'],
  [/\.toFixed\(/, 'formatDecimal, formatPercent, formatBytes or formatMoney'],
  [/[a-z]\(s\)/, 'countOf or plural', 'shown'],
  [/[=!]== 1 \? '' : 's'|[=!]== 1 \? 's' : ''/, 'countOf or plural'],
  [/EUR \$\{|['"]EUR ['"]\s*\+/, 'formatMoney'],
  [/toISOString\(\)\.slice\(0,\s*10\)/, 'isoDay'],
]

/** the demo seed generates data (machine dates), it shows nothing */
const skipped = (file: string) => file === 'app/format.ts' || file.startsWith('app/seed/') || file === 'app/seed.server.ts'

/**
 * Occurrences allowed for now (file: how many), should one ever have to wait: the test fails when one is added and when
 * one is gone, so this list only shrinks. Empty: app/ formats through app/format.ts alone.
 */
const notYet: Record<string, number> = {}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return files(full)
    return /\.tsx?$/.test(entry.name) ? [full] : []
  })
}

test('no ad-hoc date, money, count or plural formatting in app/', () => {
  const found: string[] = []
  const counts: Record<string, number> = {}
  for (const full of files(app)) {
    const file = path.relative(root, full).split(path.sep).join('/')
    if (skipped(file)) continue
    fs.readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
      for (const [pattern, instead, where] of patterns) {
        if (!pattern.test(where === 'shown' ? shownText(line) : line)) continue
        counts[file] = (counts[file] ?? 0) + 1
        found.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)} (use ${instead})`)
      }
    })
  }
  const unexpected = found.filter((f) => !(f.split(':')[0]! in notYet))
  expect(unexpected).toEqual([])
  expect(Object.fromEntries(Object.keys(notYet).map((file) => [file, counts[file] ?? 0]))).toEqual(notYet)
})

test('the guard sees each pattern', () => {
  const samples = [
    "d.toLocaleDateString('en-GB')", 'new Date(x).toUTCString()', "new Intl.NumberFormat('en-GB')", 'v.toFixed(1)', '`${n} registration(s)`',
    "`${n} movement${n === 1 ? '' : 's'}`", '`EUR ${amount}`', 'clock().toISOString().slice(0, 10)',
  ]
  const hit = (line: string) => patterns.some(([p, , where]) => p.test(where === 'shown' ? shownText(line) : line))
  for (const sample of [...samples, '<span>{n} registration(s)</span>']) expect(hit(sample), sample).toBe(true)
  for (const fine of ['list.filter((s) => s.ok)', 'seen.has(s) && p.test(s)', "formatMoney(5000, 'EUR')", 'isoDay(clock())']) expect(hit(fine), fine).toBe(false)
})
