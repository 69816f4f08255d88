// The Verify page's result of the event log's hash chain check.
import type { LogCheck } from '../verify.server.ts'
import { BrokenSeal, LastSeal, SealBadge } from './seal-check.tsx'
import { Badge, DateText } from './ui.tsx'
import { countOf, formatCount } from '../format.ts'

/** The event log's hash chain, checked first: rebuilt read models would agree with an altered log. */
export function LogResult({ log }: { log: LogCheck }) {
  const broken = log.firstBroken
  return (
    <section className={`card mb-4 p-5 ${broken || log.error || log.seals?.firstBroken ? 'border-red-300' : ''}`} aria-labelledby="event-log" aria-live="polite">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="event-log" className="text-base font-semibold">Event log</h2>
        <div className="flex flex-wrap gap-2">
          {!log.finishedAt ? <Badge tone="blue">Checking the hash chain</Badge> : log.error ? <Badge tone="red">Not verified</Badge> : broken ? <Badge tone="red">Chain broken</Badge> : <Badge tone="green">Every hash and link holds</Badge>}
          {broken || log.error ? null : <SealBadge seals={log.seals} finished={!!log.finishedAt} />}
        </div>
      </div>
      {log.error ? <p className="mt-2 text-sm text-red-800">{log.error}</p> : null}
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-gray-600">Events verified</dt><dd>{formatCount(log.eventsVerified)} in {countOf(log.streamsVerified, 'stream')}</dd>
        {log.holdsFrom !== null ? <><dt className="text-gray-600">Chain holds from</dt><dd>position {log.holdsFrom}{log.migratedAt ? <> (earlier events were chained when the store was upgraded, <DateText iso={log.migratedAt} withTime />)</> : null}</dd></> : null}
        <dt className="text-gray-600">Last seal</dt><dd><LastSeal seals={log.seals} /></dd>
      </dl>
      {broken ? (
        <div className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900">
          <p className="font-medium">First broken event: {broken.problem}{log.brokenCount > 1 ? ` (${log.brokenCount} breaks in all)` : ''}</p>
          <p className="mt-1">{broken.position !== null ? <>position {broken.position} · </> : null}{broken.streamId} revision {broken.streamRevision}{broken.eventId ? <> · <code>{broken.eventId}</code></> : null}</p>
          <p className="mt-1">{broken.detail}</p>
        </div>
      ) : null}
      <BrokenSeal seals={log.seals} />
    </section>
  )
}
