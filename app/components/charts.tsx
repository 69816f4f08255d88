// Small charts written for the need: a line over time, bars, columns by period and a pyramid. Each has axes with
// labelled ticks or labelled values, its numbers in a "Show data" table, and an empty state saying what would fill it.
import { formatCount, formatDate, formatDayMonth, formatMonth } from '../format.ts'

/**
 * Round tick values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, about `count` of them; whole
 * numbers only for counts.
 */
export function niceTicks(max: number, count = 4, whole = false): number[] {
  if (!(max > 0)) return [0, 1]
  const rough = max / count
  const power = 10 ** Math.floor(Math.log10(rough))
  const nice = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power
  const step = whole ? Math.max(1, Math.round(nice)) : nice
  const ticks: number[] = []
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6)
  if (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step)
  return ticks
}

/** What a chart says when it has nothing to draw: what would appear, and what fills it. */
export function ChartEmpty({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-dashed border-gray-300 px-4 py-6 text-center text-sm text-gray-600">{children}</p>
}

/**
 * The chart's numbers as a table, folded away under "Show data" (screen readers and careful readers alike). `total`:
 * how many rows there are in all when `rows` holds only the latest (a long history costs every view its elements).
 */
export function ChartData({ caption, columns, rows, total = rows.length, noun = 'rows' }: { caption: string; columns: string[]; rows: (string | number)[][]; total?: number; noun?: string }) {
  const part = rows.length < total ? `the latest ${formatCount(rows.length)} of ${formatCount(total)} ${noun}` : null
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-xs text-gray-600 hover:text-gray-900">{part ? `Show data (${part})` : 'Show data'}</summary>
      <div className="mt-2 max-h-64 overflow-auto">
        <table className="table-base">
          <caption className="sr-only">{part ? `${caption}, ${part}` : caption}</caption>
          <thead><tr>{columns.map((c, i) => <th key={c} scope="col" className={`th ${i ? 'num' : ''}`}>{c}</th>)}</tr></thead>
          <tbody className="divide-y divide-gray-100">
            {rows.map((row, r) => <tr key={r}>{row.map((cell, i) => (i ? <td key={i} className="td num">{cell}</td> : <th key={i} scope="row" className="td text-left font-normal">{cell}</th>))}</tr>)}
          </tbody>
        </table>
      </div>
    </details>
  )
}

type Point = { at: string; y: number; mark?: 'gain' | 'loss' | null }

const DAY = 86_400_000

/**
 * Which time-axis labels fit: one closer than 10% of the axis to the last label shown would overlap it at any width,
 * one closer than 22% only on a phone (a month label is about a fifth of a 390 px chart); those hide there.
 */
export function tickPlaces(lefts: number[]): { left: number; hide: 'never' | 'narrow' | 'always' }[] {
  let shown = -Infinity
  let shownWide = -Infinity
  return lefts.map((left) => {
    if (left - shownWide < 10) return { left, hide: 'always' as const }
    shownWide = left
    if (left - shown < 22) return { left, hide: 'narrow' as const }
    shown = left
    return { left, hide: 'never' as const }
  })
}

/** ticks on a time axis between two instants: about four, each a day (short spans) or a month (long ones) */
function timeTicks(from: number, to: number): { at: number; label: string }[] {
  if (to - from < DAY) return [{ at: from, label: formatDate(new Date(from).toISOString()) }]
  const span = to - from
  const ticks: { at: number; label: string }[] = []
  if (span <= 120 * DAY) {
    const step = Math.max(1, Math.round(span / DAY / 4)) * DAY
    for (let t = from; t <= to; t += step) ticks.push({ at: t, label: formatDayMonth(new Date(t).toISOString()) })
  } else {
    const start = new Date(from)
    const months = Math.max(1, Math.round(span / (30 * DAY) / 4))
    for (let m = 1; ; m += months) {
      const t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1)
      if (t > to) break
      ticks.push({ at: t, label: formatMonth(new Date(t).toISOString()) })
    }
  }
  return ticks
}

/**
 * A value over time (trust): a y axis with labelled ticks, a time axis in business time, gains and losses marked; with
 * `until`, the last value is drawn on to that instant (it holds until the next change).
 */
export function LineChart({ points: changes, until, max = 100, label, unit, empty, dataRows }: {
  points: Point[]; until?: string | null; max?: number; label: string; unit: string; empty: React.ReactNode
  /** the data table's rows: the latest this many changes (all when absent) */
  dataRows?: number
}) {
  if (changes.length === 0) return <ChartEmpty>{empty}</ChartEmpty>
  const last = changes.at(-1)!
  const points = until && Date.parse(until) > Date.parse(last.at) ? [...changes, { at: until, y: last.y, mark: null }] : changes
  const width = 560
  const height = 140
  const times = points.map((p) => Date.parse(p.at))
  const [from, to] = [Math.min(...times), Math.max(...times)]
  const span = Math.max(1, to - from)
  const xOf = (t: number) => (to === from ? width / 2 : ((t - from) / span) * width)
  const yOf = (v: number) => (1 - Math.max(0, Math.min(max, v)) / max) * height
  const xs = times.map(xOf)
  const ys = points.map((p) => yOf(p.y))
  // whole units, each step relative to the one before (the same line as absolute coordinates, in fewer bytes per point)
  const rx = xs.map(Math.round)
  const ry = ys.map(Math.round)
  const path = `M${rx[0]},${ry[0]}${rx.slice(1).map((x, i) => `l${x - rx[i]!},${ry[i + 1]! - ry[i]!}`).join('')}`
  const area = `${path}V${height}H${rx[0]}Z`
  // a dot at every marked point: a zero-length segment drawn with a round cap (a circle of the stroke's width in pixels,
  // whatever the chart's stretch); '' when there is none
  const dots = (mark: 'gain' | 'loss') => points.map((p, i) => (p.mark === mark ? `M${rx[i]},${ry[i]}h0` : '')).join('')
  const yTicks = niceTicks(max, 4).filter((t) => t <= max)
  const xTicks = timeTicks(from, to)
  const values = points.map((p) => Math.round(p.y))
  const first = formatDate(points[0]!.at)
  const end = formatDate(points.at(-1)!.at)
  const summary = points.length === 1
    ? `${label}: ${values[0]} ${unit} on ${first}`
    : `${label} from ${first} to ${end}: ${values[0]} to ${values.at(-1)} ${unit}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}`
  return (
    <figure>
      <div className="grid grid-cols-[2rem_1fr] gap-x-1">
        <div className="relative h-32 text-right text-[11px] text-gray-600" aria-hidden="true">
          {yTicks.map((t) => <span key={t} className="absolute right-0 -translate-y-1/2 tabular-nums" style={{ top: `${(1 - t / max) * 100}%` }}>{t}</span>)}
        </div>
        <svg viewBox={`0 0 ${width} ${height}`} className="h-32 w-full overflow-visible border-b border-l border-gray-300" role="img" aria-label={summary} preserveAspectRatio="none">
          {/* the grid lines as one path */}
          <path d={yTicks.map((t) => `M0,${yOf(t)}H${width}`).join('')} className="stroke-gray-100" strokeWidth={1} vectorEffect="non-scaling-stroke" />
          <path d={area} className="fill-brand-50" />
          <path d={path} className="fill-none stroke-brand-600" strokeWidth={2} vectorEffect="non-scaling-stroke" />
          {/* the marks of a kind are one path of dots (a long history would otherwise be hundreds of elements) */}
          <path d={dots('gain')} className="stroke-green-600" strokeWidth={6} strokeLinecap="round" vectorEffect="non-scaling-stroke" />
          <path d={dots('loss')} className="stroke-red-600" strokeWidth={8} strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        </svg>
        <span />
        <div className="relative h-4 text-[11px] text-gray-600" aria-hidden="true">
          {tickPlaces(xTicks.map((t) => Math.round((xOf(t.at) / width) * 1000) / 10)).map(({ left, hide }, i) => {
            const t = xTicks[i]!
            if (hide === 'always') return null
            return <span key={t.at} className={`absolute top-0.5 whitespace-nowrap${left > 85 ? ' -translate-x-full' : left > 8 ? ' -translate-x-1/2' : ''}${hide === 'narrow' ? ' max-sm:hidden' : ''}`} style={{ left: `${left}%` }}>{t.label}</span>
          })}
        </div>
      </div>
      <figcaption className="mt-2 flex flex-wrap justify-between gap-x-3 gap-y-1 text-xs text-gray-600">
        <span>{`${unit[0]!.toUpperCase() + unit.slice(1)} (0–${max}), ${first} to ${end}`}</span>
        <span className="flex gap-3"><span className="flex items-center gap-1"><span className="inline-block h-2 w-2 rounded-full bg-green-600" />drop earned</span><span className="flex items-center gap-1"><span className="inline-block h-2.5 w-2.5 rounded-full bg-red-600" />gallon lost</span></span>
      </figcaption>
      <ChartData caption={label} columns={['Date', label]} total={changes.length} noun="changes"
        rows={(dataRows !== undefined ? changes.slice(-dataRows) : changes).map((p) => [formatDate(p.at), Math.round(p.y)])} />
    </figure>
  )
}

/** A scale under horizontal bars: its ticks as labelled values from 0 to the axis's end. */
function Scale({ ticks, end, unit, labelWidth }: { ticks: number[]; end: number; unit: string; labelWidth: string }) {
  return (
    <div className="grid items-start gap-2 text-[11px] text-gray-600" style={{ gridTemplateColumns: `${labelWidth} 1fr 2.5rem` }} aria-hidden="true">
      <span className="text-right">{unit}</span>
      <div className="relative h-4 border-t border-gray-300">
        {ticks.map((t) => {
          const left = (t / end) * 100
          return <span key={t} className={`absolute top-0.5 tabular-nums ${left > 90 ? '-translate-x-full' : left > 0 ? '-translate-x-1/2' : ''}`} style={{ left: `${left}%` }}>{formatCount(t)}</span>
        })}
      </div>
      <span />
    </div>
  )
}

/** value as a percentage of max within 0..100, to a hundredth (what a bar's width or a tick's place can show) */
const percent = (value: number, max: number) => Math.round(Math.max(0, Math.min(100, (value / max) * 100)) * 100) / 100

/** Horizontal bars on a 0..max scale, one per row, the value at the end; `compare` draws a tick (the group median). */
export function Bars({ rows, max = 100, unit, caption }: { rows: { label: string; value: number; hint?: string; compare?: number | null }[]; max?: number; unit: string; caption: string }) {
  const ticks = niceTicks(max, 4).filter((t) => t <= max)
  return (
    <figure>
      <ul className="space-y-2.5">
        {rows.map((row) => (
          <li key={row.label} className="grid grid-cols-[7.5rem_1fr_2.5rem] items-center gap-2 text-sm">
            <span className="truncate text-gray-700" title={row.hint}>{row.label}</span>
            <span className="relative h-2.5 rounded-full bg-gray-100" role="meter" aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.round(row.value)} aria-label={row.label}>
              <span className="absolute inset-y-0 left-0 rounded-full bg-brand-600" style={{ width: `${percent(row.value, max)}%` }} />
              {row.compare != null ? <span className="absolute -top-0.5 h-3.5 w-0.5 bg-gray-700" style={{ left: `${percent(row.compare, max)}%` }} title={`Group median ${Math.round(row.compare)}`} /> : null}
            </span>
            <span className="text-right tabular-nums text-gray-900">{Math.round(row.value)}</span>
          </li>
        ))}
      </ul>
      <div className="mt-1"><Scale ticks={ticks} end={max} unit={unit} labelWidth="7.5rem" /></div>
      <ChartData caption={caption} columns={['', 'Value', ...(rows.some((r) => r.compare != null) ? ['Group median'] : [])]}
        rows={rows.map((r) => [r.label, Math.round(r.value), ...(r.compare != null ? [Math.round(r.compare)] : rows.some((x) => x.compare != null) ? ['—'] : [])])} />
    </figure>
  )
}

/** Counts as horizontal bars from a common axis (the journey funnel): a zero is an empty row with its 0, not a sliver. */
export function CountBars({ rows, unit, caption, empty }: { rows: { label: string; value: number }[]; unit: string; caption: string; empty: React.ReactNode }) {
  const total = rows.reduce((n, r) => n + r.value, 0)
  if (total === 0) return <ChartEmpty>{empty}</ChartEmpty>
  const ticks = niceTicks(Math.max(...rows.map((r) => r.value)), 4, true)
  const end = ticks.at(-1)!
  return (
    <figure>
      <ul className="space-y-2" aria-label={`${caption}: ${rows.map((r) => `${r.label} ${r.value}`).join(', ')}`}>
        {rows.map((row) => (
          <li key={row.label} className="grid grid-cols-[6.5rem_1fr_2.5rem] items-center gap-2 text-sm">
            <span className="truncate text-gray-700">{row.label}</span>
            <span className="relative h-5 border-l border-gray-300">
              {row.value > 0 ? <span className="absolute inset-y-0 left-0 rounded-r bg-brand-600" style={{ width: `${(row.value / end) * 100}%` }} /> : null}
            </span>
            <span className="text-right tabular-nums text-gray-900">{formatCount(row.value)}</span>
          </li>
        ))}
      </ul>
      <div className="mt-1"><Scale ticks={ticks} end={end} unit={unit} labelWidth="6.5rem" /></div>
      <ChartData caption={caption} columns={['', unit[0]!.toUpperCase() + unit.slice(1)]} rows={rows.map((r) => [r.label, formatCount(r.value)])} />
    </figure>
  )
}

/** Several series per row as a stacked horizontal bar (asset use by tier), with a legend and the total at the end. */
export function StackedBars({ rows, series, unit, caption, empty }: {
  rows: { label: string; values: number[] }[]; series: { label: string; className: string }[]; unit: string; caption: string; empty: React.ReactNode
}) {
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0))
  if (rows.length === 0 || totals.every((t) => t === 0)) return <ChartEmpty>{empty}</ChartEmpty>
  const ticks = niceTicks(Math.max(...totals), 4, true)
  const end = ticks.at(-1)!
  return (
    <figure>
      <ul className="space-y-2" aria-label={`${caption}: ${rows.map((r, i) => `${r.label} ${totals[i]} (${series.map((s, j) => `${s.label} ${r.values[j]}`).join(', ')})`).join('; ')}`}>
        {rows.map((row, i) => {
          let left = 0
          return (
            <li key={row.label} className="grid grid-cols-[6.5rem_1fr_3rem] items-center gap-2 text-sm">
              <span className="truncate text-gray-700 capitalize">{row.label}</span>
              <span className="relative h-5 border-l border-gray-300">
                {row.values.map((v, j) => {
                  const width = (v / end) * 100
                  const bar = v > 0 ? <span key={j} className={`absolute inset-y-0 ${series[j]!.className}`} style={{ left: `${left}%`, width: `${width}%` }} title={`${series[j]!.label}: ${formatCount(v)}`} /> : null
                  left += width
                  return bar
                })}
              </span>
              <span className="text-right tabular-nums text-gray-900">{formatCount(totals[i]!)}</span>
            </li>
          )
        })}
      </ul>
      <div className="mt-1"><Scale ticks={ticks} end={end} unit={unit} labelWidth="6.5rem" /></div>
      <Legend series={series} />
      <ChartData caption={caption} columns={['', ...series.map((s) => s.label), 'Total']} rows={rows.map((r, i) => [r.label, ...r.values.map(formatCount), formatCount(totals[i]!)])} />
    </figure>
  )
}

function Legend({ series }: { series: { label: string; className: string }[] }) {
  return (
    <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-600">
      {series.map((s) => <span key={s.label} className="flex items-center gap-1"><span className={`inline-block h-2.5 w-2.5 rounded-sm ${s.className}`} />{s.label}</span>)}
    </p>
  )
}

/** Columns per period (quarters), several series side by side, on a y axis of `tickLabel` values. */
export function ColumnChart({ periods, series, tickLabel, caption, empty }: {
  periods: { label: string; values: number[] }[]; series: { label: string; className: string }[]; tickLabel: (v: number) => string; caption: string; empty: React.ReactNode
}) {
  const max = Math.max(0, ...periods.flatMap((p) => p.values))
  if (periods.length === 0 || max === 0) return <ChartEmpty>{empty}</ChartEmpty>
  const ticks = niceTicks(max, 4)
  const end = ticks.at(-1)!
  return (
    <figure>
      <div className="grid grid-cols-[4.5rem_1fr] gap-x-2">
        <div className="relative h-40 text-right text-[11px] text-gray-600" aria-hidden="true">
          {ticks.map((t) => <span key={t} className="absolute right-0 -translate-y-1/2 whitespace-nowrap tabular-nums" style={{ top: `${(1 - t / end) * 100}%` }}>{tickLabel(t)}</span>)}
        </div>
        <div className="relative h-40 border-b border-l border-gray-300" role="img"
          aria-label={`${caption}: ${periods.map((p) => `${p.label} ${series.map((s, j) => `${s.label} ${tickLabel(p.values[j] ?? 0)}`).join(', ')}`).join('; ')}`}>
          {ticks.map((t) => <span key={t} className="absolute inset-x-0 border-t border-gray-100" style={{ top: `${(1 - t / end) * 100}%` }} />)}
          <div className="absolute inset-0 flex items-end justify-around gap-1 px-1">
            {periods.map((p) => (
              <div key={p.label} className="flex h-full min-w-0 flex-1 items-end justify-center gap-0.5">
                {p.values.map((v, j) => <span key={j} className={`block w-full max-w-6 rounded-t-sm ${series[j]!.className}`} style={{ height: `${(v / end) * 100}%` }} title={`${p.label} ${series[j]!.label}: ${tickLabel(v)}`} />)}
              </div>
            ))}
          </div>
        </div>
        <span />
        <div className="flex justify-around gap-1 px-1 pt-1 text-[11px] text-gray-600" aria-hidden="true">
          {periods.map((p) => <span key={p.label} className="min-w-0 flex-1 truncate text-center">{p.label}</span>)}
        </div>
      </div>
      <Legend series={series} />
    </figure>
  )
}

const levelFills = ['fill-brand-900', 'fill-brand-800', 'fill-brand-700', 'fill-brand-600']

/** The relationship pyramid drawn as a pyramid (partnership on top), each level labelled with its partners. */
export function Pyramid({ levels, empty }: { levels: { label: string; value: number }[]; empty: React.ReactNode }) {
  if (levels.every((l) => l.value === 0)) return <ChartEmpty>{empty}</ChartEmpty>
  // levels are given base first (transactional .. partnership)
  const rows = [...levels].reverse()
  const h = 34
  return (
    <svg viewBox={`0 0 300 ${rows.length * h}`} className="h-40 w-full" role="img" aria-label={`Relationship pyramid, partners per level: ${levels.map((l) => `${l.label} ${l.value}`).join(', ')}`}>
      {rows.map((level, i) => {
        const top = 110 + i * (190 / rows.length)
        const bottom = 110 + (i + 1) * (190 / rows.length)
        const y = i * h
        const trapezoid = `${150 - top / 2},${y + 1} ${150 + top / 2},${y + 1} ${150 + bottom / 2},${y + h - 1} ${150 - bottom / 2},${y + h - 1}`
        return (
          <g key={level.label}>
            {/* darker towards the top; the lightest (brand-600) still carries white text at 4.5:1 */}
            <polygon points={trapezoid} className={levelFills[Math.min(levelFills.length - 1, Math.max(0, i + levelFills.length - rows.length))]} />
            <text x={150} y={y + h / 2 + 4} textAnchor="middle" className="fill-white text-[11px] font-semibold">{level.label} · {formatCount(level.value)}</text>
          </g>
        )
      })}
    </svg>
  )
}
