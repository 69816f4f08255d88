// Emits time-based events (SLA breaches, expiries, lapses, claim deadlines, each quarter's allocations from the tiers) that the
// domain's policies say are due; deterministic command ids make every run idempotent, across restarts and processes.
import { AllocationDecider, streamId as allocationStream } from '../domain/allocations/index.ts'
import { CoInvestmentDecider, streamId as coInvestmentStream } from '../domain/coinvestment/index.ts'
import { DealDecider, streamId as dealStream } from '../domain/deals/index.ts'
import { dueCommands, type SchedulerView, type ScheduledCommand } from '../domain/scheduler/index.ts'
import type { Command, Decider, DomainEvent } from '../domain/shared/command.ts'
import { DomainError } from '../domain/shared/errors.ts'
import { CourseDecider, streamId as courseStream } from '../domain/training/index.ts'
import { dueFundsWork } from './commands/funds.server.ts'
import { dealConflictQueries } from './queries/deal-conflicts.server.ts'
import { createEnablementQueries } from './queries/enablement.server.ts'
import { runPeriodically } from './periodic.server.ts'
import { startSealer } from './sealer.server.ts'
import type { AppServices } from './services.server.ts'
import type { ProjectionStatus } from '../projections/runner.ts'
import { comparePositions, START } from '../eventstore/types.ts'
import { isoDay } from './format.ts'

/** What the policies need from the read models: only the items that may be due, so a tick costs what is due. */
export type SchedulerViewSource = (services: AppServices) => Promise<Partial<SchedulerView>>

const viewSources: SchedulerViewSource[] = [
  async (services) => ({
    deals: (await services.queries.deals.due(services.clock().toISOString())).map((d) => ({
      dealId: d.dealId, status: d.status, protectedUntil: d.protectedUntil, reviewDueAt: d.reviewDueAt, reviewSlaBreached: d.slaBreached,
    })),
  }),
  // registrations an approval superseded that a process stopped before closing
  async (services) => ({ supersessions: await dealConflictQueries(services.sql).unfinishedSupersessions() }),
  // certifications that reach the end of their validity lapse (an event, not a silent change of state)
  async (services) => ({
    certifications: (await createEnablementQueries(services.sql).lapsingTraining(isoDay(services.clock()))).flatMap((partner) =>
      Object.values(partner.learners).flatMap((learner) =>
        Object.values(learner.certificates).map((c) => ({ courseId: c.courseId, userId: learner.userId, validUntil: c.validUntil, lapsed: c.lapsed })),
      ),
    ),
  }),
]

/** Areas register where their part of the view comes from (certifications, allocations, co-investments). */
export function addSchedulerViewSource(source: SchedulerViewSource) {
  viewSources.push(source)
}

function target(command: ScheduledCommand): { decider: Decider<Command, DomainEvent, unknown>; stream: string } {
  switch (command.type) {
    case 'SupersedeDeal':
    case 'ExpireDeal':
    case 'BreachDealReviewSla':
      return { decider: DealDecider as never, stream: dealStream(command.data.dealId) }
    case 'LapseCertification':
      return { decider: CourseDecider as never, stream: courseStream(command.data.courseId) }
    case 'ExpireAllocation':
      return { decider: AllocationDecider as never, stream: allocationStream(command.data.partnerId, command.data.quarter) }
    case 'ClaimDeadlinePassed':
      return { decider: CoInvestmentDecider as never, stream: coInvestmentStream(command.data.coInvestmentId) }
  }
}

export async function buildSchedulerView(services: AppServices): Promise<SchedulerView> {
  const view: SchedulerView = { deals: [], certifications: [], allocations: [], coInvestments: [], supersessions: [] }
  for (const source of viewSources) {
    const part = await source(services)
    view.deals.push(...(part.deals ?? []))
    view.certifications.push(...(part.certifications ?? []))
    view.allocations.push(...(part.allocations ?? []))
    view.coInvestments.push(...(part.coInvestments ?? []))
    view.supersessions!.push(...(part.supersessions ?? []))
  }
  return view
}

/** Issues every command due now; returns how many events were appended (0 when all was done before). */
export async function runDueWork(services: AppServices): Promise<number> {
  const now = services.clock().toISOString()
  const due = dueCommands(await buildSchedulerView(services), now)
  let appended = 0
  for (const command of due) {
    const { decider, stream } = target(command)
    try {
      const result = await services.commands.run(decider, stream, command as Command)
      if (!result.replayed) appended += result.events.length
    } catch (error) {
      // the state moved on since the read model was read: nothing is due any more
      if (!(error instanceof DomainError)) throw error
    }
  }
  // funds: the quarter's tier allocations, settling after claim deadlines, half-finished approvals (idempotent too)
  appended += await dueFundsWork(services)
  return appended
}

/**
 * Projections of this process still far behind the log (a fresh server, a restore): what due work reads from their
 * read models is stale, and every command it issues would wait for the catch-up, so the run is put off.
 */
export function projectionsBehind(statuses: readonly ProjectionStatus[], maxLagMs = 10_000): string[] {
  return statuses
    .filter((s) => s.state === 'starting' || (s.state === 'catching-up' && (s.lag > maxLagMs || comparePositions(s.position, START) === 0)))
    .map((s) => s.name)
}

/** Runs due work every `intervalMs`, and seals the event log as often (app/sealer.server.ts). */
export function startScheduler(services: AppServices, intervalMs = 60_000, retryMs = 2_000) {
  const sealer = startSealer(services, intervalMs)
  let retry: ReturnType<typeof setTimeout> | undefined
  // the first run soon after start catches up on what fell due while the portal was down, once the read models have
  const work = runPeriodically(
    async () => {
      if (projectionsBehind(services.runner.status()).length > 0) {
        retry ??= setTimeout(() => { retry = undefined; void work.tick() }, retryMs)
        retry.unref()
        return 0
      }
      return runDueWork(services)
    },
    { intervalMs, firstAfterMs: 2_000, failure: 'Scheduler run failed:' },
  )
  return {
    stop: async () => {
      clearTimeout(retry)
      await Promise.all([work.stop(), sealer.stop()])
    },
    tick: work.tick,
  }
}
