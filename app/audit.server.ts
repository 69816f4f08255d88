// The auditor's tools: state as of a date on either clock, verification of every read model, and exports.
import { randomUUID } from 'node:crypto'
import type { RecordedEvent } from '../eventstore/types.ts'
import { allProjections } from '../projections/all.ts'
import { foldEvents, type AnyProjection } from '../projections/projection.ts'
import { failedProjections, type FailedProjectionView } from '../projections/failed-events.ts'
import { readFailures } from '../projections/store.ts'
import { eventTime, verifyProjection, type VerificationReport } from '../projections/time-travel.ts'
import { DEFAULT_AS_OF_CLOCK, type AsOf } from './as-of.ts'
import type { AppSession } from './auth.server.ts'
import { roleLabels } from './permissions.ts'
import { doc } from './queries/read-models.server.ts'
import type { AppServices } from './services.server.ts'

/** End of the given calendar day (UTC): "as of 12 Mar" includes everything that happened on 12 Mar. */
export function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59.999Z`)
}

export { asOfClockLabels, DEFAULT_AS_OF_CLOCK, type AsOf, type AsOfClock } from './as-of.ts'

/** The auditor's "as of" from their session, or null for now. */
export function asOfFrom(session: AppSession): AsOf | null {
  const date = session.get('asOf')
  return date ? { date, clock: session.get('asOfClock') ?? DEFAULT_AS_OF_CLOCK } : null
}

/** A date alone means the default clock. */
const asAsOf = (asOf: AsOf | string): AsOf => (typeof asOf === 'string' ? { date: asOf, clock: DEFAULT_AS_OF_CLOCK } : asOf)

type AsOfState = Map<string, Map<string, unknown>>
const asOfCache = new Map<string, { at: number; state: Promise<AsOfState> }>()

/** Every projection's documents at the end of the date on its clock, in one pass over the log; cached briefly. */
export function stateAsOf(services: AppServices, at: AsOf | string, projections: readonly AnyProjection[] = allProjections): Promise<AsOfState> {
  const asOf = asAsOf(at)
  const key = `${asOf.date}|${asOf.clock}|${projections.map((p) => `${p.name}@${p.version}`).join(',')}`
  const cached = asOfCache.get(key)
  if (cached && Date.now() - cached.at < 30_000) return cached.state
  const state = (async () => {
    const until = endOfDay(asOf.date).getTime()
    const docs: AsOfState = new Map(projections.map((p) => [p.name, new Map<string, unknown>()]))
    for await (const event of services.store.readAll()) {
      if (eventTime(event, asOf.clock) > until) continue
      for (const projection of projections) foldEvents(projection, docs.get(projection.name)!, event as RecordedEvent)
    }
    return docs
  })()
  asOfCache.set(key, { at: Date.now(), state })
  if (asOfCache.size > 20) asOfCache.delete(asOfCache.keys().next().value!)
  state.catch(() => asOfCache.delete(key))
  return state
}

/** Drops cached past states and verification samples (after an erasure, as they may name the person). */
export function forgetCachedReads(): void {
  asOfCache.clear()
  for (const job of jobs.values()) for (const report of job.reports) report.sample = []
}

export async function asOfDocs<T>(services: AppServices, asOf: AsOf | string, projection: string): Promise<T[]> {
  const state = await stateAsOf(services, asOf)
  return [...(state.get(projection)?.values() ?? [])].filter((d) => d !== null) as T[]
}

export async function asOfDoc<T>(services: AppServices, asOf: AsOf | string, projection: string, key: string): Promise<T | null> {
  const state = await stateAsOf(services, asOf)
  return (state.get(projection)?.get(key) as T | undefined) ?? null
}

// ---- who acted -------------------------------------------------------------------------------------------------

/** A process of the portal's own (the scheduler, the seed, the command line) as the auditor reads it. */
const systemActor = (actor: string) => (actor.startsWith('system:') ? `System (${actor.slice('system:'.length)})` : null)

/**
 * Names for the actors, tenants and partners of the given events: people from the users read model (however they were
 * created: seeded, applied, invited or added in the portal), organisations from the organisations read model, the
 * portal's own processes by their job. An id that names nobody stays as it is.
 */
export async function namesForEvents(
  services: Pick<AppServices, 'queries'>,
  events: readonly { actor: string; tenant?: string; partnerId?: string | null }[],
): Promise<Record<string, string>> {
  const people = [...new Set(events.map((e) => e.actor))].filter((actor) => !systemActor(actor))
  const organisations = [...new Set(events.flatMap((e) => [e.tenant, e.partnerId]))].filter((id): id is string => !!id)
  const [users, orgs] = await Promise.all([services.queries.users.names(people), services.queries.organisations.names(organisations)])
  const system = Object.fromEntries(events.flatMap((e) => (systemActor(e.actor) ? [[e.actor, systemActor(e.actor)!]] : [])))
  return { ...orgs, ...users, ...system }
}

/** One event's actor in full: name, role and organisation (a person who can no longer sign in is named all the same). */
export async function actorOf(services: Pick<AppServices, 'sql' | 'queries'>, actor: string): Promise<{ name: string; role: string | null; organisation: string | null }> {
  const system = systemActor(actor)
  if (system) return { name: system, role: null, organisation: null }
  const user = await doc(services.sql, 'users', actor)
  if (!user) return { name: actor, role: null, organisation: null }
  const organisation = await doc(services.sql, 'organisations', user.organisationId)
  return { name: user.name, role: roleLabels[user.role], organisation: organisation?.name ?? user.organisationId }
}

// ---- verification jobs -----------------------------------------------------------------------------------------

export type VerifyJob = {
  id: string
  startedAt: string
  finishedAt: string | null
  startedBy: string
  total: number
  done: number
  current: string | null
  reports: (Pick<VerificationReport, 'projection' | 'version' | 'documentsCompared'> & { differences: number; sample: VerificationReport['differences'] })[]
  /** read models that failed or stopped on an event are not verified: their rows end there (decision 010) */
  failures: FailedProjectionView[]
  error: string | null
}

/** Read models that failed or stopped on an event, as this process and the database know them. */
export async function failedReadModels(services: Pick<AppServices, 'runner' | 'sql'>): Promise<FailedProjectionView[]> {
  return failedProjections(services.runner.status(), await readFailures(services.sql))
}

const jobs = new Map<string, VerifyJob>()

export function verifyJob(id: string) {
  return jobs.get(id) ?? null
}

export function latestVerifyJobs() {
  return [...jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 5)
}

/** Starts rebuilding every projection in memory and comparing it with the live rows. */
export function startVerification(services: AppServices, startedBy: string): VerifyJob {
  const running = [...jobs.values()].find((j) => !j.finishedAt)
  if (running) return running
  const job: VerifyJob = {
    id: randomUUID(), startedAt: new Date().toISOString(), finishedAt: null, startedBy,
    total: allProjections.length, done: 0, current: null, reports: [], failures: [], error: null,
  }
  jobs.set(job.id, job)
  void (async () => {
    try {
      for (const projection of allProjections) {
        job.current = projection.name
        const report = await verifyProjection(services.store, services.sql, projection)
        job.reports.push({
          projection: report.projection, version: report.version, documentsCompared: report.documentsCompared,
          differences: report.differences.length, sample: report.differences.slice(0, 3),
        })
        job.done++
      }
      job.failures = await failedReadModels(services)
    } catch (error) {
      job.error = error instanceof Error ? error.message : String(error)
    } finally {
      job.current = null
      job.finishedAt = new Date().toISOString()
    }
  })()
  return job
}

// ---- exports -------------------------------------------------------------------------------------------------

export const EXPORT_COLUMNS = ['globalPosition', 'occurredAt', 'recordedAt', 'type', 'streamId', 'streamRevision', 'actor', 'tenant', 'eventId', 'data', 'metadata'] as const

function csvCell(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  // formula injection guard for spreadsheets, and RFC 4180 quoting
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsvRow(values: unknown[]): string {
  return values.map(csvCell).join(',')
}

/** An event of the partner's history: its data names the partner, or it is in the partner's own stream. */
export function concernsPartner(event: RecordedEvent, partnerId: string): boolean {
  return (event.data as { partnerId?: unknown } | null)?.partnerId === partnerId || event.streamId === `partner-${partnerId}`
}

/** One line of an export, as JSON Lines or CSV (columns EXPORT_COLUMNS). */
export function exportLine(event: RecordedEvent, format: 'jsonl' | 'csv'): string {
  const row = {
    globalPosition: event.globalPosition.toString(), occurredAt: event.metadata.occurredAt, recordedAt: event.recordedAt.toISOString(),
    type: event.type, streamId: event.streamId, streamRevision: event.streamRevision.toString(), actor: event.metadata.actor,
    tenant: event.metadata.tenant, eventId: event.id, data: event.data, metadata: event.metadata,
  }
  return format === 'csv' ? `${toCsvRow(EXPORT_COLUMNS.map((c) => row[c]))}\n` : `${JSON.stringify(row)}\n`
}
