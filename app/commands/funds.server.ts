// Co-investment use cases over the coinvest-<id> and allocation streams, so money is never lost or counted twice:
// approval reserves on the allocation first; every other fact goes on the coinvest stream, then `settle` catches up.
import { randomUUID } from 'node:crypto'
import { AllocationDecider, available, streamId as allocationStream, type Allocation, type AllocationCommand } from '../../domain/allocations/index.ts'
import { CoInvestmentDecider, isOrphan, releaseTarget, settlementDue, streamId as coinvestStream, type CoInvestment, type CoInvestmentCommand } from '../../domain/coinvestment/index.ts'
import { dueAllocationExpiries, dueClaimDeadlines, dueTierAllocations, type PartnerInProgram } from '../../domain/scheduler/policies.ts'
import { SCHEDULER_ACTOR } from '../../domain/shared/auth.ts'
import type { Actor, DomainEvent } from '../../domain/shared/command.ts'
import { DomainError, ValidationError } from '../../domain/shared/errors.ts'
import type { FileRef } from '../../domain/shared/schemas.ts'
import { quarterOf } from '../../domain/shared/time.ts'
import { WrongExpectedVersion } from '../../eventstore/errors.ts'
import { comparePositions, type Position } from '../../eventstore/types.ts'
import type { AppServices } from '../services.server.ts'
import type { FundRequestDoc } from '../../projections/funds.ts'
import { fundsQueries } from '../queries/funds.server.ts'
import { executeCommand, loadStream, type CommandResult } from './handler.server.ts'
import type { Issued } from './core.server.ts'
import { formatMoneyExact } from '../format.ts'

export type FundsServices = Pick<AppServices, 'store' | 'runner' | 'clock' | 'sql' | 'files'>

/** reservations without an approval this old are released by dueFundsWork (an approval crashed half way) */
export const ORPHAN_GRACE_MS = 15 * 60_000

async function settled(services: FundsServices, positions: (Position | null | undefined)[]) {
  const last = positions.filter((p): p is Position => !!p)
  // waiting for the latest position covers the earlier ones
  const latest = last.sort(comparePositions).at(-1)
  if (latest) await services.runner.waitFor(latest, 5000).catch(() => {})
}

function metadataOf(services: FundsServices, issued: Issued, suffix?: string) {
  const commandId = issued.commandId ?? randomUUID()
  return { commandId: suffix ? `${commandId}:${suffix}` : commandId, now: services.clock().toISOString(), actor: issued.actor, correlationId: commandId }
}

const loadCoInvestment = (services: FundsServices, id: string) => loadStream<CoInvestment, DomainEvent>(services.store, coinvestStream(id), CoInvestmentDecider as never)
const loadAllocation = (services: FundsServices, partnerId: string, quarter: string) =>
  loadStream<Allocation, DomainEvent>(services.store, allocationStream(partnerId, quarter), AllocationDecider as never)

function availableFunds(state: Allocation, fallbackCurrency: string) {
  if (state.status === 'Initial') return { amount: 0, currency: fallbackCurrency }
  return { amount: state.status === 'Expired' ? 0 : available(state), currency: state.currency }
}

// executeCommand retries a concurrent write itself (one policy, CONCURRENT_WRITE_RETRY): one allocation, many approvals
const coinvest = (services: FundsServices, id: string, command: CoInvestmentCommand) => executeCommand(services.store, CoInvestmentDecider, coinvestStream(id), command)
const allocation = (services: FundsServices, partnerId: string, quarter: string, command: AllocationCommand) =>
  executeCommand(services.store, AllocationDecider, allocationStream(partnerId, quarter), command)

type Existing = Exclude<CoInvestment, { status: 'Initial' }>

/** Brings the allocation in line with one co-investment's state; keyed on its stream's revision, so reruns are no-ops. */
export async function settle(services: FundsServices, actor: Actor, coInvestmentId: string, options: { releaseOrphan?: boolean } = {}): Promise<Position[]> {
  const ci = await loadCoInvestment(services, coInvestmentId)
  if (ci.state.status === 'Initial' || ci.revision === null) return []
  const state = ci.state as Existing
  const { partnerId, quarter } = state
  const alloc = await loadAllocation(services, partnerId, quarter)
  if (alloc.state.status === 'Initial') return []
  const current = alloc.state.commitments[coInvestmentId]
  const positions: Position[] = []
  const id = `settle-${coInvestmentId}-r${ci.revision}`
  const meta = (step: string) => ({ commandId: `${id}-${step}`, now: services.clock().toISOString(), actor, correlationId: id })
  const target = releaseTarget(state.status, {
    claimable: 'claimableAmount' in state ? state.claimableAmount : null,
    approved: 'claimAmount' in state ? state.claimAmount : null,
  }, options.releaseOrphan)
  if (target && current && !current.paid && current.amount > target.keep) {
    const result = await allocation(services, partnerId, quarter, {
      type: 'ReleaseFunds', data: { partnerId, quarter, coInvestmentId, keep: target.keep, reason: target.reason }, metadata: meta('release'),
    })
    if (result.position) positions.push(result.position)
  }
  // an approval whose reservation is missing (the approval crashed after deciding) gets it, when a vendor settles it
  if (state.status === 'Approved' && !current && (actor.role === 'channel_manager' || actor.role === 'vendor_admin')) {
    const result = await allocation(services, partnerId, quarter, {
      type: 'ReserveFunds', data: { partnerId, quarter, coInvestmentId, amount: state.approvedAmount }, metadata: meta('reserve'),
    })
    if (result.position) positions.push(result.position)
  }
  if (state.status === 'Paid' && current && !current.paid) {
    const result = await allocation(services, partnerId, quarter, {
      type: 'RecordFundsPaid', data: { partnerId, quarter, coInvestmentId, amount: state.claimAmount }, metadata: meta('paid'),
    })
    if (result.position) positions.push(result.position)
  }
  return positions
}

export type Proposal = {
  kind: 'mdf' | 'coop' | 'cofunded_head'
  activity: string
  totalCost: number
  partnerInvestment: number
  amountRequested: number
  currency: string
  expectedPipeline: number
}

/** The funds area's use cases, as services.commands.funds (tests build them on a FundsServices of their own). */
export function createFundsCommands(services: FundsServices) {
  return {
    /** vendor: adds to a partner's allocation for a quarter */
    async allocate(issued: Issued, data: { partnerId: string; quarter: string; amount: number; currency: string }) {
      const result = await allocation(services, data.partnerId, data.quarter, { type: 'AllocateFunds', data, metadata: metadataOf(services, issued) })
      await settled(services, [result.position])
      return result
    },

    /** vendor: sets a partner's allocation for a quarter, saying why (the ledger shows the reason and who) */
    async adjust(issued: Issued, data: { partnerId: string; quarter: string; amount: number; reason: string }) {
      const result = await allocation(services, data.partnerId, data.quarter, { type: 'AdjustAllocation', data, metadata: metadataOf(services, issued) })
      await settled(services, [result.position])
      return result
    },

    /** partner: checked against what the allocation has available now (the reservation happens at approval) */
    async request(issued: Issued, data: Proposal & { coInvestmentId: string; partnerId: string; quarter: string }) {
      const alloc = await loadAllocation(services, data.partnerId, data.quarter)
      const result = await coinvest(services, data.coInvestmentId, {
        type: 'RequestCoInvestment', data: { ...data, availableFunds: availableFunds(alloc.state, data.currency) }, metadata: metadataOf(services, issued),
      })
      await settled(services, [result.position])
      return result
    },

    async resubmit(issued: Issued, coInvestmentId: string, proposal: Proposal) {
      const ci = await loadCoInvestment(services, coInvestmentId)
      const state = ci.state
      const alloc = state.status === 'Initial' ? null : await loadAllocation(services, state.partnerId, state.quarter)
      const result = await coinvest(services, coInvestmentId, {
        type: 'ResubmitCoInvestment',
        data: { ...proposal, coInvestmentId, availableFunds: alloc ? availableFunds(alloc.state, proposal.currency) : { amount: 0, currency: proposal.currency } },
        metadata: metadataOf(services, issued),
      })
      await settled(services, [result.position])
      return result
    },

    /** vendor: reserve on the allocation first, then approve; a refused approval gives it back, a crash is left to dueFundsWork */
    async approve(issued: Issued, data: { coInvestmentId: string; approvedAmount: number; maxReimbursementPct: number; claimDeadline: string }) {
      const metadata = metadataOf(services, issued)
      const fixed = { ...issued, commandId: metadata.commandId }
      const command: CoInvestmentCommand = { type: 'ApproveCoInvestment', data, metadata }
      const ci = await loadCoInvestment(services, data.coInvestmentId)
      const replay = ci.events.filter((e) => e.metadata.commandId === metadata.commandId)
      if (replay.length) return { events: replay, position: replay.at(-1)!.position, replayed: true, nextExpectedRevision: ci.revision }
      // the decision first, as a dry run: a refused approval never touches the money
      CoInvestmentDecider.decide(command, ci.state)
      const state = ci.state as Existing
      const reserved = await allocation(services, state.partnerId, state.quarter, {
        type: 'ReserveFunds',
        data: { partnerId: state.partnerId, quarter: state.quarter, coInvestmentId: data.coInvestmentId, amount: data.approvedAmount },
        metadata: metadataOf(services, fixed, 'reserve'),
      })
      try {
        const result = await coinvest(services, data.coInvestmentId, command)
        await settled(services, [reserved.position, result.position])
        return result
      } catch (error) {
        if (error instanceof DomainError) {
          // the request changed meanwhile (rejected, declined, approved by someone else): keep the money only for a standing approval
          const after = await loadCoInvestment(services, data.coInvestmentId)
          if (!('approvedAmount' in after.state)) {
            const undo = await allocation(services, state.partnerId, state.quarter, {
              type: 'ReleaseFunds',
              data: { partnerId: state.partnerId, quarter: state.quarter, coInvestmentId: data.coInvestmentId, keep: 0, reason: 'declined' },
              metadata: metadataOf(services, fixed, 'compensate'),
            }).catch(() => null) // nothing reserved by us after all (a concurrent approval with the same amount): nothing to give back
            await settled(services, [undo?.position])
          }
        }
        throw error
      }
    },

    async reject(issued: Issued, coInvestmentId: string, reason: string) {
      const result = await coinvest(services, coInvestmentId, { type: 'RejectCoInvestment', data: { coInvestmentId, reason }, metadata: metadataOf(services, issued) })
      await settled(services, [result.position])
      return result
    },

    async decline(issued: Issued, coInvestmentId: string, reason: string) {
      const result = await coinvest(services, coInvestmentId, { type: 'DeclineCoInvestment', data: { coInvestmentId, reason }, metadata: metadataOf(services, issued) })
      await settled(services, [result.position])
      return result
    },

    /** partner: the claim goes on the coinvest stream, then the part of the reservation the claim cannot use is released */
    async submitClaim(issued: Issued, data: { coInvestmentId: string; invoiceAmount: number; evidence: FileRef[]; leadCount?: number }) {
      const result = await coinvest(services, data.coInvestmentId, { type: 'SubmitClaim', data, metadata: metadataOf(services, issued) })
      const positions = await settle(services, issued.actor, data.coInvestmentId)
      await settled(services, [result.position, ...positions])
      return result
    },

    /** vendor: in full or in part; never more than is still reserved for it (a re-claim cannot raise a released reservation) */
    async approveClaim(issued: Issued, coInvestmentId: string, amount: number) {
      const ci = await loadCoInvestment(services, coInvestmentId)
      if (ci.state.status === 'ClaimSubmitted') {
        const alloc = await loadAllocation(services, ci.state.partnerId, ci.state.quarter)
        const held = alloc.state.status === 'Initial' ? 0 : alloc.state.commitments[coInvestmentId]?.amount ?? 0
        if (amount > held)
          throw new ValidationError(`At most ${formatMoneyExact(held, ci.state.currency)} is still reserved for this claim; approve at most that`, 'amount')
      }
      const result = await coinvest(services, coInvestmentId, { type: 'ApproveClaim', data: { coInvestmentId, amount }, metadata: metadataOf(services, issued) })
      const positions = await settle(services, issued.actor, coInvestmentId)
      await settled(services, [result.position, ...positions])
      return result
    },

    async rejectClaim(issued: Issued, coInvestmentId: string, reason: string) {
      const result = await coinvest(services, coInvestmentId, { type: 'RejectClaim', data: { coInvestmentId, reason }, metadata: metadataOf(services, issued) })
      await settled(services, [result.position])
      return result
    },

    /** vendor: the claim is paid, then the allocation records the payment (it stays committed until then) */
    async markPaid(issued: Issued, coInvestmentId: string) {
      const result = await coinvest(services, coInvestmentId, { type: 'MarkClaimPaid', data: { coInvestmentId }, metadata: metadataOf(services, issued) })
      const positions = await settle(services, issued.actor, coInvestmentId)
      await settled(services, [result.position, ...positions])
      return result
    },
  }
}
export type FundsCommands = ReturnType<typeof createFundsCommands>

/** The funds area's timed work (expiries, missed claims, half-done approvals); idempotent by command id. */
export async function dueFundsWork(services: FundsServices): Promise<number> {
  const now = services.clock()
  const nowIso = now.toISOString()
  const queries = fundsQueries(services.sql)
  let emitted = 0
  const count = (result: CommandResult | null) => {
    if (result && !result.replayed) emitted += result.events.length
  }
  const attempt = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work()
    } catch (error) {
      // the state moved on since the read model was read: nothing is due any more
      if (error instanceof DomainError || error instanceof WrongExpectedVersion) return null
      throw error
    }
  }
  const positions: Position[] = []

  // only what may be due is read (every such item, however big the program): a tick costs what is due
  const today = nowIso.slice(0, 10)
  const passed = await queries.claimDeadlinesPassed(today)
  // the same policies (and command ids) as the domain's scheduler
  const closed: string[] = []
  for (const command of dueClaimDeadlines({ coInvestments: passed }, nowIso)) {
    const result = await attempt(() => coinvest(services, command.data.coInvestmentId, command))
    count(result)
    if (result?.position) positions.push(result.position)
    closed.push(command.data.coInvestmentId)
  }
  // requests whose money may not match their state (by the read model) or whose window just closed; each one's own
  // stream decides, and one whose read model lags is caught by a later tick
  const candidates = new Map<string, FundRequestDoc | null>()
  const orphanedBefore = new Date(now.getTime() - ORPHAN_GRACE_MS).toISOString()
  for (const request of await queries.unsettled(orphanedBefore)) candidates.set(request.coInvestmentId, request)
  for (const id of closed) if (!candidates.has(id)) candidates.set(id, null)
  for (const [id, known] of candidates) {
    const request = known ?? (await queries.request(id))
    if (!request) continue
    const status = (await loadCoInvestment(services, id)).state.status
    // the read model's money, the stream's status: the same rule the query selected with
    const holding = {
      status, committed: request.committed, paid: request.paid, reservedAt: request.reservedAt,
      claimable: request.claim?.claimableAmount ?? null, approved: request.claim?.approvedAmount ?? null,
    }
    const orphan = isOrphan(holding, orphanedBefore)
    if (settlementDue(holding, orphanedBefore)) {
      const settledAt = await attempt(() => settle(services, SCHEDULER_ACTOR, id, { releaseOrphan: orphan }))
      if (settledAt) {
        emitted += settledAt.length
        positions.push(...settledAt)
      }
    }
  }
  // this quarter's allocation from each partner's tier, for those without one (docs/decisions/017)
  for (const result of await allocateFromTiers(services)) {
    count(result)
    if (result?.position) positions.push(result.position)
  }
  // after the claim windows, so money they release lapses with the quarter
  const ledgers = await queries.ledgersToExpire(quarterOf(nowIso))
  for (const command of dueAllocationExpiries({ allocations: ledgers.map((l) => ({ partnerId: l.partnerId, quarter: l.quarter, expired: l.status === 'Expired' })) }, nowIso)) {
    const result = await attempt(() => allocation(services, command.data.partnerId, command.data.quarter, command))
    count(result)
    if (result?.position) positions.push(result.position)
  }
  await settled(services, positions)
  return emitted
}

/**
 * The quarter's tier allocations that are due (all approved partners without one, or only `partnerId`): the scheduler
 * runs it every tick, and an approval right away, so a new partner sees its funds at once. Same command ids either way.
 */
export async function allocateFromTiers(services: FundsServices, partnerId?: string): Promise<(CommandResult | null)[]> {
  const now = services.clock().toISOString()
  const quarter = quarterOf(now)
  const queries = fundsQueries(services.sql)
  const [settings, partners] = await Promise.all([
    queries.settingsHistory(),
    partnerId ? queries.partnerTiers(partnerId).then((p): PartnerInProgram[] => (p?.joinedAt && p.tiers ? [{ partnerId: p.partnerId, joinedAt: p.joinedAt, tiers: p.tiers, allocated: false }] : [])) : queries.partnersInProgram(quarter),
  ])
  const results: (CommandResult | null)[] = []
  for (const command of dueTierAllocations({ partners, settings }, now)) {
    try {
      results.push(await allocation(services, command.data.partnerId, command.data.quarter, command))
    } catch (error) {
      // another process allocated it meanwhile, or the partner's facts changed: the next tick decides again
      if (!(error instanceof DomainError || error instanceof WrongExpectedVersion)) throw error
      results.push(null)
    }
  }
  await settled(services, results.map((r) => r?.position))
  return results
}

/** the default allocation for a partner's tier, from the settings in force */
export async function defaultAllocation(services: Pick<FundsServices, 'sql' | 'clock'>, partnerId: string) {
  const queries = fundsQueries(services.sql)
  const [tier, settings] = await Promise.all([queries.tierOf(partnerId), queries.settings(services.clock().toISOString())])
  return { tier, amount: tier ? settings.fundAllocationByTier[tier] ?? 0 : 0, currency: settings.fundCurrency }
}
