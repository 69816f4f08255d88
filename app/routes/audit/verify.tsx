import { Form, useLoaderData } from 'react-router'
import type { Route } from './+types/verify'
import { failedReadModels, latestVerifyJobs, startVerification, verifyJob } from '../../audit.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, PageHeader } from '../../components/ui.tsx'
import { parseSearch, RouteId } from '../../params.server.ts'
import { logCheckOf, startLogCheck } from '../../verify.server.ts'
import { LogResult } from '../../components/log-check.tsx'
import { formatCount } from '../../format.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: 'Verify · Partnerlog' },
  // progress without JavaScript: the page reloads itself while a verification runs
  ...((data?.job && !data.job.finishedAt) || (data?.log && !data.log.finishedAt) ? [{ httpEquiv: 'refresh', content: '1' } as const] : []),
]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  await requireUser(request, context.services, 'audit:read')
  const id = parseSearch({ job: RouteId.optional() }, url).job
  const job = id ? verifyJob(id) : latestVerifyJobs()[0] ?? null
  // read models that stopped on an event are named whether or not a verification ran (decision 010)
  return { job, log: job ? logCheckOf(job.id) : null, history: latestVerifyJobs(), failed: await failedReadModels(context.services) }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user } = await requireAction(request, services, 'audit:read')
  const job = startVerification(services, user.userId)
  startLogCheck(services, job.id)
  return redirectWithToast(request, services, `/audit/verify?job=${job.id}`, 'Verification started: the event log\'s hash chain and seals are checked, and every read model is rebuilt from the first event and compared.', 'info')
}

export default function Verify() {
  const { job, log, failed } = useLoaderData<typeof loader>()
  const running = job && !job.finishedAt
  const differences = job?.reports.reduce((n, r) => n + r.differences, 0) ?? 0
  const stopped = new Set([...failed, ...(job?.failures ?? [])].map((f) => f.projection))
  return (
    <div className="max-w-4xl">
      <PageHeader
        title="Verify"
        description="Check the event log's hash chain and signed seals, then rebuild every read model from position 0 in a scratch area and compare it with the live one."
        actions={
          <Form method="post">
            <CsrfInput />
            <button type="submit" className="btn-primary" disabled={!!running}>{running ? 'Verifying…' : 'Run verification'}</button>
          </Form>
        }
      />
      {failed.length > 0 ? (
        <section className="card mb-4 border-red-300 p-5" aria-labelledby="failed-read-models">
          <h2 id="failed-read-models" className="text-base font-semibold text-red-800">
            {failed.length === 1 ? 'A read model is' : `${failed.length} read models are`} behind the event log: not verified
          </h2>
          <p className="mt-1 text-sm text-gray-700">Each stopped on an event it could not process; its pages show the state before that event until the projection is fixed and the portal restarted.</p>
          <table className="table-base mt-3">
            <thead className="bg-gray-50"><tr><th scope="col" className="th">Read model</th><th scope="col" className="th">Event</th><th scope="col" className="th">Error</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {failed.map((f) => (
                <tr key={`${f.projection}@${f.version}`}>
                  <td className="td font-medium">{f.projection} <span className="text-gray-500">v{f.version}</span></td>
                  <td className="td text-xs">{f.event ? <>position {f.event.position}<br />{f.event.type} in {f.event.stream}<br /><code>{f.event.id}</code></> : 'its last batch failed; retrying'}</td>
                  <td className="td text-xs"><code className="break-all">{f.error}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {log ? <LogResult log={log} /> : null}
      {!job ? (
        <div className="card p-6 text-sm text-gray-700">No verification has run since the server started. Run one to prove that the read models match the event log.</div>
      ) : (
        <section className="card p-5" aria-live="polite">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <div className="text-sm text-gray-700">Started <DateText iso={job.startedAt} withTime />{job.finishedAt ? <> · finished <DateText iso={job.finishedAt} withTime /></> : null}</div>
            {running ? <Badge tone="blue">Running: {job.current}</Badge> : job.error ? <Badge tone="red">Failed</Badge> : job.failures.length > 0 ? <Badge tone="red">{job.failures.length} read model{job.failures.length > 1 ? 's' : ''} stopped on an event</Badge> : differences === 0 ? <Badge tone="green">All read models match</Badge> : <Badge tone="red">{differences} difference{differences > 1 ? 's' : ''}</Badge>}
          </div>
          <div className="mt-3">
            <progress className="h-2 w-full" max={job.total} value={job.done} aria-label={`${job.done} of ${job.total} read models verified`} />
            <div className="mt-1 text-xs text-gray-600">{job.done} of {job.total} read models verified</div>
          </div>
          {job.error ? <p className="mt-3 text-sm text-red-800">{job.error}</p> : null}
          <table className="table-base mt-4">
            <thead className="bg-gray-50"><tr><th scope="col" className="th">Read model</th><th scope="col" className="th num">Version</th><th scope="col" className="th num">Documents compared</th><th scope="col" className="th">Result</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {job.reports.map((r) => (
                <tr key={r.projection}>
                  <td className="td font-medium">{r.projection}</td>
                  <td className="td num">{r.version}</td>
                  <td className="td num">{formatCount(r.documentsCompared)}</td>
                  <td className="td">{stopped.has(r.projection) ? <Badge tone="red">Stopped on an event</Badge> : r.differences === 0 ? <Badge tone="green">Identical</Badge> : (
                    <details><summary className="cursor-pointer"><Badge tone="red">{r.differences} different</Badge></summary>
                      <pre className="mt-2 max-w-xl overflow-x-auto rounded bg-gray-900 p-3 text-xs text-gray-100">{JSON.stringify(r.sample, null, 2)}</pre></details>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  )
}

