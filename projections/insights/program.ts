// The program page in one call: the journey funnel, the pyramid's shape, and co-investment against pipeline by quarter.
import type { JourneyDoc, JourneyPhase } from '../journey.ts'
import type { ProgramQuarterDoc } from '../program.ts'
import type { PyramidDoc } from '../pyramid.ts'
import { journeyFunnel } from './journey.ts'
import { programPyramid, type ProgramPyramid } from './pyramid.ts'
import type { SettingsDoc } from './settings.ts'
import { quarterOf, quartersEndingWith, round2 } from './time.ts'

export type CoInvestmentVsPipeline = ProgramQuarterDoc & {
  /** co-investment approved per unit of registered pipeline; null without pipeline */
  approvedPerPipeline: number | null
  /** co-investment paid per unit of won revenue; null without revenue */
  paidPerRevenue: number | null
}

export type ProgramSummary = {
  now: string
  funnel: Record<JourneyPhase, number>
  pyramid: ProgramPyramid
  /** the `quarters` quarters ending with now's, oldest first */
  quarters: CoInvestmentVsPipeline[]
  /** the same over those quarters together */
  total: CoInvestmentVsPipeline
}

const ratio = (a: number, b: number) => (b > 0 ? round2(a / b) : null)

function withRatios(doc: ProgramQuarterDoc): CoInvestmentVsPipeline {
  return { ...doc, approvedPerPipeline: ratio(doc.coInvestmentApproved, doc.pipelineRegistered), paidPerRevenue: ratio(doc.coInvestmentPaid, doc.wonRevenue) }
}

export function programSummary(
  input: { journey: readonly JourneyDoc[]; pyramid: readonly PyramidDoc[]; program: readonly ProgramQuarterDoc[] },
  now: string,
  settings?: SettingsDoc | null,
  quarters = 4,
): ProgramSummary {
  const byQuarter = new Map(input.program.map((d) => [d.quarter, d]))
  const rows = quartersEndingWith(quarterOf(now), quarters).map((q) =>
    withRatios(byQuarter.get(q) ?? { quarter: q, dealsRegistered: 0, pipelineRegistered: 0, dealsWon: 0, wonRevenue: 0, fundsAllocated: 0, coInvestmentRequested: 0, expectedPipeline: 0, coInvestmentApproved: 0, coInvestmentPaid: 0 }),
  )
  const sum = (key: keyof ProgramQuarterDoc) => round2(rows.reduce((n, r) => n + (r[key] as number), 0))
  const total = withRatios({
    quarter: `${rows[0]!.quarter}..${rows.at(-1)!.quarter}`,
    dealsRegistered: sum('dealsRegistered'), pipelineRegistered: sum('pipelineRegistered'), dealsWon: sum('dealsWon'), wonRevenue: sum('wonRevenue'),
    fundsAllocated: sum('fundsAllocated'), coInvestmentRequested: sum('coInvestmentRequested'), expectedPipeline: sum('expectedPipeline'),
    coInvestmentApproved: sum('coInvestmentApproved'), coInvestmentPaid: sum('coInvestmentPaid'),
  })
  return { now, funnel: journeyFunnel(input.journey, now, settings), pyramid: programPyramid(input.pyramid, now, settings), quarters: rows, total }
}
