// Program totals per quarter: pipeline, won revenue, funds allocated, co-investment requested, approved and paid.
import type { Projection, RecordedOf } from './projection.ts'
import { quarterOf, round2 } from './insights/time.ts'

export type ProgramQuarterDoc = {
  quarter: string
  dealsRegistered: number
  pipelineRegistered: number
  dealsWon: number
  wonRevenue: number
  fundsAllocated: number
  coInvestmentRequested: number
  /** pipeline the requested activities promise (by their allocation quarter) */
  expectedPipeline: number
  coInvestmentApproved: number
  coInvestmentPaid: number
}

type ProgramEvent = RecordedOf<'DealRegistered' | 'DealWon' | 'FundsAllocated' | 'FundsAllocatedByTier' | 'AllocationAdjusted' | 'CoInvestmentRequested' | 'CoInvestmentApproved' | 'ClaimPaid'>

const empty = (quarter: string): ProgramQuarterDoc => ({
  quarter, dealsRegistered: 0, pipelineRegistered: 0, dealsWon: 0, wonRevenue: 0, fundsAllocated: 0, coInvestmentRequested: 0,
  expectedPipeline: 0, coInvestmentApproved: 0, coInvestmentPaid: 0,
})

/** the quarter an event counts in: its business date (close, payment, allocation quarter), else when it happened */
function quarterFor(event: ProgramEvent): string {
  const { type, data: d } = event
  switch (type) {
    case 'DealWon': return quarterOf(d.closedOn)
    case 'ClaimPaid': return quarterOf(d.paidOn)
    case 'FundsAllocated':
    case 'FundsAllocatedByTier':
    case 'AllocationAdjusted':
    case 'CoInvestmentRequested':
    case 'CoInvestmentApproved': return d.quarter
    default: return quarterOf(event.metadata.occurredAt)
  }
}

export const programProjection: Projection<ProgramQuarterDoc, ProgramEvent> = {
  name: 'program',
  version: 2,
  handles: ['DealRegistered', 'DealWon', 'FundsAllocated', 'FundsAllocatedByTier', 'AllocationAdjusted', 'CoInvestmentRequested', 'CoInvestmentApproved', 'ClaimPaid'],
  keysOf: (event) => [quarterFor(event)],
  initialState: (key) => empty(key),
  evolve(state, event) {
    const { type, data: d } = event
    switch (type) {
      case 'DealRegistered': return { ...state, dealsRegistered: state.dealsRegistered + 1, pipelineRegistered: round2(state.pipelineRegistered + d.value) }
      case 'DealWon': return { ...state, dealsWon: state.dealsWon + 1, wonRevenue: round2(state.wonRevenue + d.value) }
      case 'FundsAllocated':
      case 'FundsAllocatedByTier': return { ...state, fundsAllocated: round2(state.fundsAllocated + d.amount) }
      // the vendor's change of an allocation (docs/decisions/017)
      case 'AllocationAdjusted': return { ...state, fundsAllocated: round2(state.fundsAllocated + d.to - d.from) }
      case 'CoInvestmentRequested':
        return { ...state, coInvestmentRequested: round2(state.coInvestmentRequested + d.amountRequested), expectedPipeline: round2(state.expectedPipeline + d.expectedPipeline) }
      case 'CoInvestmentApproved': return { ...state, coInvestmentApproved: round2(state.coInvestmentApproved + d.approvedAmount) }
      case 'ClaimPaid': return { ...state, coInvestmentPaid: round2(state.coInvestmentPaid + d.amount) }
      default: return state
    }
  },
}
