// Emits time-based events from the clock (deal expiry, review SLA breaches): idempotent through deterministic command ids.
import { DealDecider, streamId as dealStream, type DealCommand } from '../domain/deals/index.ts'
import { SCHEDULER_ACTOR } from '../domain/shared/auth.ts'
import { DomainError } from '../domain/shared/errors.ts'
import type { AppServices } from './services.server.ts'

export async function runDueWork(services: AppServices): Promise<number> {
  const now = services.clock()
  const nowIso = now.toISOString()
  const today = nowIso.slice(0, 10)
  const deals = await services.queries.deals.all()
  const due: { dealId: string; command: DealCommand }[] = []
  for (const deal of deals) {
    const metadata = (kind: string) => ({ commandId: `${kind}-${deal.dealId}`, now: nowIso, actor: SCHEDULER_ACTOR })
    if (deal.status === 'Approved' && deal.protectedUntil && deal.protectedUntil < today) {
      due.push({ dealId: deal.dealId, command: { type: 'ExpireDeal', data: { dealId: deal.dealId }, metadata: metadata('expire-deal') } })
    }
    if (deal.status === 'Submitted' && !deal.slaBreached && deal.reviewDueAt < nowIso) {
      due.push({ dealId: deal.dealId, command: { type: 'BreachDealReviewSla', data: { dealId: deal.dealId }, metadata: metadata('breach-review-sla') } })
    }
  }
  let emitted = 0
  for (const { dealId, command } of due) {
    try {
      const result = await services.commands.run(DealDecider, dealStream(dealId), command)
      if (!result.replayed && result.events.length) emitted += result.events.length
    } catch (error) {
      // the state moved on since the read model was read (e.g. approved meanwhile): nothing is due any more
      if (!(error instanceof DomainError)) throw error
    }
  }
  return emitted
}

export function startScheduler(services: AppServices, intervalMs = 60_000) {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      await runDueWork(services)
    } catch (error) {
      console.error('Scheduler run failed:', error)
    } finally {
      running = false
    }
  }
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  const first = setTimeout(tick, 2_000)
  first.unref()
  return { stop: () => { clearInterval(timer); clearTimeout(first) }, tick }
}
