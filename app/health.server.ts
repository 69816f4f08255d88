// What /healthz answers: ok only when no projection failed, stopped or waits for the database; else which did and why.
import { failedProjections, type FailedProjectionView } from '../projections/failed-events.ts'
import type { ProjectionStatus } from '../projections/runner.ts'

export type HealthReport = {
  ok: boolean
  failures: FailedProjectionView[]
  projections: (Omit<ProjectionStatus, 'position' | 'failure'> & { position: { commit: string; prepare: string } })[]
}

export function healthReport(status: readonly ProjectionStatus[]): HealthReport {
  const failures = failedProjections(status)
  return {
    ok: failures.length === 0 && status.every((p) => p.state !== 'waiting-for-database'),
    failures,
    projections: status.map(({ failure: _failure, ...p }) => ({
      ...p, position: { commit: p.position.commit.toString(), prepare: p.position.prepare.toString() },
    })),
  }
}
