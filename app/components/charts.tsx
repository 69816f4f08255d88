// Small inline SVG charts: a line with marked points, bars, a funnel and a pyramid; each carries its numbers as text.

type Point = { y: number; mark?: 'gain' | 'loss' | null }

/** Trust over time: a line bounded 0..max with the drops (gains) and gallons (losses) marked. */
export function LineChart({ points, from, to, max = 100, height = 120, label }: { points: Point[]; from: string; to: string; max?: number; height?: number; label: string }) {
  const width = 560
  const pad = 6
  if (points.length === 0) return <p className="text-sm text-gray-600">No history yet.</p>
  const xs = points.map((_, i) => (points.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (points.length - 1)))
  const ys = points.map((p) => pad + (1 - Math.max(0, Math.min(max, p.y)) / max) * (height - 2 * pad))
  // whole units: the view box is about as wide as the chart in pixels
  const path = xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${Math.round(x)},${Math.round(ys[i]!)}`).join('')
  const area = `${path}L${Math.round(xs.at(-1)!)},${height - pad}L${Math.round(xs[0]!)},${height - pad}Z`
  // a dot at every marked point, as two half-circle arcs; '' when there is none
  const dots = (mark: 'gain' | 'loss', r: number) =>
    points.map((p, i) => (p.mark === mark ? `M${Math.round(xs[i]! - r)},${Math.round(ys[i]!)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0` : '')).join('')
  // the text alternative: the span, where it started and ended, its low and high
  const values = points.map((p) => Math.round(p.y))
  const summary = points.length === 1
    ? `${label}: ${from} ${values[0]}`
    : `${label}, ${points.length} points from ${from} to ${to}: ${values[0]} to ${values.at(-1)}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}`
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-32 w-full" role="img" aria-label={summary} preserveAspectRatio="none">
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={width} y1={pad + f * (height - 2 * pad)} y2={pad + f * (height - 2 * pad)} className="stroke-gray-100" strokeWidth={1} />
        ))}
        <path d={area} className="fill-brand-50" />
        <path d={path} className="fill-none stroke-brand-600" strokeWidth={2} vectorEffect="non-scaling-stroke" />
        {/* the marks of a kind are one path of dots (a long history would otherwise be hundreds of elements) */}
        <path d={dots('gain', 3)} className="fill-green-600" />
        <path d={dots('loss', 4.5)} className="fill-red-600" />
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-gray-600">
        <span>{from}</span>
        <span className="flex gap-3"><span className="flex items-center gap-1"><span className="inline-block h-2 w-2 rounded-full bg-green-600" />drop earned</span><span className="flex items-center gap-1"><span className="inline-block h-2.5 w-2.5 rounded-full bg-red-600" />gallon lost</span></span>
        <span>{to}</span>
      </figcaption>
    </figure>
  )
}

/** A tiny trend line without axes, for tables. */
export function Sparkline({ values, label, max = 100 }: { values: number[]; label: string; max?: number }) {
  if (values.length < 2) return null
  const width = 80
  const height = 20
  const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${((i * width) / (values.length - 1)).toFixed(1)},${(height - 2 - (Math.max(0, Math.min(max, v)) / max) * (height - 4)).toFixed(1)}`).join(' ')
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="inline-block h-5 w-20" role="img" aria-label={`${label}: ${values.map((v) => Math.round(v)).join(', ')}`}>
      <path d={d} className="fill-none stroke-brand-600" strokeWidth={1.5} />
    </svg>
  )
}

/** Horizontal bars 0..100, one per row, with the value at the end (the 5Cs). */
export function Bars({ rows, max = 100 }: { rows: { label: string; value: number; hint?: string; compare?: number | null }[]; max?: number }) {
  return (
    <ul className="space-y-2.5">
      {rows.map((row) => (
        <li key={row.label} className="grid grid-cols-[7.5rem_1fr_2.5rem] items-center gap-2 text-sm">
          <span className="truncate text-gray-700" title={row.hint}>{row.label}</span>
          <span className="relative h-2.5 rounded-full bg-gray-100" role="meter" aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.round(row.value)} aria-label={row.label}>
            <span className="absolute inset-y-0 left-0 rounded-full bg-brand-600" style={{ width: `${Math.max(0, Math.min(100, (row.value / max) * 100))}%` }} />
            {row.compare != null ? <span className="absolute -top-0.5 h-3.5 w-0.5 bg-gray-700" style={{ left: `${Math.max(0, Math.min(100, (row.compare / max) * 100))}%` }} title={`Group median ${Math.round(row.compare)}`} /> : null}
          </span>
          <span className="text-right tabular-nums text-gray-900">{Math.round(row.value)}</span>
        </li>
      ))}
    </ul>
  )
}

/** The journey funnel: one centred bar per phase, its width the share of partners, the label beside it. */
export function Funnel({ steps }: { steps: { label: string; value: number }[] }) {
  const max = Math.max(1, ...steps.map((s) => s.value))
  return (
    <svg viewBox="0 0 360 150" className="h-40 w-full" role="img" aria-label={`Journey funnel: ${steps.map((s) => `${s.label} ${s.value}`).join(', ')}`}>
      {steps.map((step, i) => {
        const w = 8 + (232 * step.value) / max
        const y = i * 30
        return (
          <g key={step.label}>
            <text x={100} y={y + 18} textAnchor="end" className="fill-gray-700 text-[11px]">{step.label}</text>
            <rect x={110 + (240 - w) / 2} y={y + 4} width={w} height={22} rx={4} className="fill-brand-600" opacity={1 - i * 0.12} />
            <text x={354} y={y + 18} textAnchor="end" className="fill-gray-900 text-[11px] font-semibold">{step.value}</text>
          </g>
        )
      })}
    </svg>
  )
}

/** The relationship pyramid drawn as a pyramid: partnership on top, transactional at the base. */
export function Pyramid({ levels }: { levels: { label: string; value: number }[] }) {
  // levels are given base first (transactional .. partnership)
  const rows = [...levels].reverse()
  const h = 34
  return (
    <svg viewBox={`0 0 300 ${rows.length * h}`} className="h-40 w-full" role="img" aria-label={`Relationship pyramid: ${levels.map((l) => `${l.label} ${l.value}`).join(', ')}`}>
      {rows.map((level, i) => {
        const top = 110 + i * (190 / rows.length)
        const bottom = 110 + (i + 1) * (190 / rows.length)
        const y = i * h
        const trapezoid = `${150 - top / 2},${y + 1} ${150 + top / 2},${y + 1} ${150 + bottom / 2},${y + h - 1} ${150 - bottom / 2},${y + h - 1}`
        return (
          <g key={level.label}>
            <polygon points={trapezoid} className="fill-brand-600" opacity={0.55 + i * 0.15} />
            <text x={150} y={y + h / 2 + 4} textAnchor="middle" className="fill-white text-[11px] font-semibold">{level.label} · {level.value}</text>
          </g>
        )
      })}
    </svg>
  )
}
