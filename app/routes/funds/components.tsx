// Pieces the funds pages share: status badges with the next step, the ledger's figures and movements, evidence links.
import { Link } from 'react-router'
import type { FundRequestDoc, LedgerDoc, LedgerMovement } from '../../../projections/funds.ts'
import { Badge, DateText, formatMoney, Money, type Tone } from '../../components/ui.tsx'
import { formatBytes, formatDate } from '../../format.ts'

export const MAX_FILE_BYTES = 10 * 1024 * 1024
export const MAX_FILES = 5
/** the claim form's message when no file is attached (the browser and the action say the same) */
export const ATTACH_EVIDENCE = 'Attach the invoice and proof of the activity (PDF, PNG, JPEG or CSV)'
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,.csv,application/pdf,image/png,image/jpeg,text/csv'

export const kindLabels: Record<FundRequestDoc['kind'], string> = { mdf: 'MDF activity', coop: 'Co-op', cofunded_head: 'Co-funded head' }

const statusBadges: Record<FundRequestDoc['status'], [Tone, string]> = {
  Requested: ['amber', 'Waiting for review'],
  Rejected: ['red', 'Rejected · resubmit'],
  Declined: ['red', 'Declined'],
  Approved: ['green', 'Approved · claim due'],
  ClaimSubmitted: ['amber', 'Claim in review'],
  ClaimRejected: ['red', 'Claim rejected'],
  ClaimApproved: ['green', 'Claim approved · payment due'],
  Paid: ['green', 'Paid'],
  ClaimWindowClosed: ['gray', 'Claim window closed'],
}
export function FundStatusBadge({ status }: { status: FundRequestDoc['status'] }) {
  const [tone, label] = statusBadges[status]
  return <Badge tone={tone}>{label}</Badge>
}

/** what the partner should do next, in words */
export function partnerNextAction(request: FundRequestDoc): string {
  switch (request.status) {
    case 'Requested': return 'Wait for the vendor’s decision'
    case 'Rejected': return 'Change and resubmit'
    case 'Approved': return request.claimDeadline ? `Claim by ${formatDate(request.claimDeadline)}` : 'Claim'
    case 'ClaimRejected': return request.claimDeadline ? `Claim again by ${formatDate(request.claimDeadline)}` : 'Claim again'
    case 'ClaimSubmitted': return 'Wait for the claim review'
    case 'ClaimApproved': return 'Payment on its way'
    default: return 'Nothing to do'
  }
}

const figureList = [
  ['allocated', 'Allocated', 'The quarter’s budget'],
  ['requested', 'Requested', 'Waiting for a decision'],
  ['approved', 'Approved', 'Not yet claimed'],
  ['claimed', 'Claimed', 'Claims in review or approved, unpaid'],
  ['paid', 'Paid', 'Reimbursed'],
  ['expired', 'Expired', 'Lapsed with the quarter'],
] as const

export function LedgerFigures({ ledger }: { ledger: LedgerDoc }) {
  const used = ledger.approved + ledger.claimed + ledger.paid
  const pct = (n: number) => (ledger.allocated > 0 ? Math.min(100, (n / ledger.allocated) * 100) : 0)
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 2xl:grid-cols-7">
        <div className="rounded-md bg-brand-50 p-3 ring-1 ring-brand-600/20">
          <dt className="text-xs font-medium text-brand-800">Available</dt>
          <dd className="mt-1 text-lg font-semibold whitespace-nowrap tabular-nums text-gray-900" data-testid="available">{formatMoney(ledger.available, ledger.currency)}</dd>
        </div>
        {figureList.map(([key, label, hint]) => (
          <div key={key} className="rounded-md bg-gray-50 p-3" title={hint}>
            <dt className="text-xs font-medium text-gray-600">{label}</dt>
            <dd className="mt-1 text-base font-semibold whitespace-nowrap tabular-nums text-gray-900">{formatMoney(ledger[key], ledger.currency)}</dd>
          </div>
        ))}
      </dl>
      <div
        className="mt-3 flex h-2.5 w-full overflow-hidden rounded-full bg-gray-100"
        role="img"
        aria-label={`${formatMoney(used, ledger.currency)} of ${formatMoney(ledger.allocated, ledger.currency)} committed: ${formatMoney(ledger.paid, ledger.currency)} paid, ${formatMoney(ledger.claimed, ledger.currency)} claimed, ${formatMoney(ledger.approved, ledger.currency)} approved; ${formatMoney(ledger.available, ledger.currency)} available`}
      >
        <span className="bg-green-600" style={{ width: `${pct(ledger.paid)}%` }} />
        <span className="bg-blue-500" style={{ width: `${pct(ledger.claimed)}%` }} />
        <span className="bg-amber-400" style={{ width: `${pct(ledger.approved)}%` }} />
      </div>
      <p className="mt-1.5 flex flex-wrap gap-x-4 text-xs text-gray-600" aria-hidden="true">
        <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-green-600" />Paid</span>
        <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-blue-500" />Claimed</span>
        <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-amber-400" />Approved</span>
        <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-gray-200" />Available</span>
      </p>
    </div>
  )
}

const movementLabels: Record<string, string> = {
  FundsAllocated: 'Funds allocated',
  FundsAllocatedByTier: 'Allocated from the tier',
  AllocationAdjusted: 'Allocation changed',
  FundsReserved: 'Reserved for approval',
  FundsReleased: 'Released',
  FundsPaid: 'Paid out',
  AllocationExpired: 'Unused funds expired',
  CoInvestmentRequested: 'Requested',
  CoInvestmentResubmitted: 'Resubmitted',
  CoInvestmentApproved: 'Approved',
  CoInvestmentRejected: 'Rejected',
  CoInvestmentDeclined: 'Declined',
  ClaimSubmitted: 'Claim submitted',
  ClaimApproved: 'Claim approved',
  ClaimRejected: 'Claim rejected',
  ClaimPaid: 'Claim paid',
  ClaimWindowClosed: 'Claim window closed',
}

/** who caused a movement: the scheduler, a named user, or nobody shown (an id is never shown) */
function byWhom(actor: string | undefined, names: Record<string, string> | undefined): string | null {
  if (!actor || !names) return null
  if (actor.startsWith('system:')) return 'the scheduler'
  return names[actor] ?? null
}

export function MovementsTable({ movements, currency, requestHref, caption, names }: { movements: LedgerMovement[]; currency: string; requestHref?: (id: string) => string; caption: string; names?: Record<string, string> }) {
  return (
    <div className="overflow-x-auto">
      <table className="table-base">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="th">Date</th>
            <th scope="col" className="th">Movement</th>
            <th scope="col" className="th">Activity</th>
            <th scope="col" className="th num">Amount</th>
            <th scope="col" className="th num">Available change</th>
            <th scope="col" className="th num">Available after</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {[...movements].reverse().map((m) => (
            <tr key={`${m.position}-${m.type}`}>
              <td className="td whitespace-nowrap"><DateText iso={m.at} /></td>
              <td className="td">
                <div className="font-medium text-gray-900">{movementLabels[m.type] ?? m.type}</div>
                {m.note ? <div className="text-xs text-gray-600">{m.note}</div> : null}
                {byWhom(m.actor, names) ? <div className="text-xs text-gray-600">by {byWhom(m.actor, names)}</div> : null}
              </td>
              <td className="td">{m.coInvestmentId && m.activity ? (requestHref ? <Link to={requestHref(m.coInvestmentId)}>{m.activity}</Link> : m.activity) : <span className="text-gray-500">—</span>}</td>
              <td className="td num">{m.amount === null ? '—' : m.amount < 0 ? `−${formatMoney(-m.amount, currency)}` : <Money value={m.amount} currency={currency} />}</td>
              <td className={`td num ${m.availableChange < 0 ? 'text-red-700' : m.availableChange > 0 ? 'text-green-800' : 'text-gray-500'}`}>
                {m.availableChange === 0 ? '—' : `${m.availableChange > 0 ? '+' : '−'}${formatMoney(Math.abs(m.availableChange), currency)}`}
              </td>
              <td className="td num"><Money value={m.availableAfter} currency={currency} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function EvidenceList({ request }: { request: FundRequestDoc }) {
  if (!request.claim) return null
  return (
    <ul className="space-y-1 text-sm">
      {request.claim.evidence.map((file) => (
        <li key={file.sha256} className="flex items-center gap-2">
          <svg aria-hidden="true" viewBox="0 0 24 24" className="h-4 w-4 text-gray-500" fill="none" stroke="currentColor" strokeWidth="1.5"><path d="M14 3H6v18h12V7z" /><path d="M14 3v4h4" /></svg>
          <a href={`/funds/evidence/${request.coInvestmentId}/${file.sha256}`} download={file.filename}>{file.filename}</a>
          <span className="text-xs text-gray-600">{formatBytes(file.size)}</span>
        </li>
      ))}
    </ul>
  )
}

export function RequestFacts({ request }: { request: FundRequestDoc }) {
  const c = request.currency
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
      <dt className="text-gray-600">Kind</dt><dd>{kindLabels[request.kind]}</dd>
      <dt className="text-gray-600">Quarter</dt><dd>{request.quarter}</dd>
      <dt className="text-gray-600">Total cost</dt><dd className="tabular-nums"><Money value={request.totalCost} currency={c} /></dd>
      <dt className="text-gray-600">Partner’s own investment</dt><dd className="tabular-nums"><Money value={request.partnerInvestment} currency={c} /></dd>
      <dt className="text-gray-600">Amount requested</dt><dd className="tabular-nums"><Money value={request.amountRequested} currency={c} /></dd>
      <dt className="text-gray-600">Expected pipeline</dt><dd className="tabular-nums"><Money value={request.expectedPipeline} currency={c} /></dd>
      <dt className="text-gray-600">Requested</dt><dd><DateText iso={request.requestedAt} /></dd>
      {request.approvedAmount !== null ? (
        <>
          <dt className="text-gray-600">Approved</dt>
          <dd className="tabular-nums"><Money value={request.approvedAmount} currency={c} />{request.partial ? <>{' '}<span className="ml-1"><Badge tone="blue">In part</Badge></span></> : null}</dd>
          <dt className="text-gray-600">Reimbursed at most</dt><dd>{request.maxReimbursementPct}% of the invoice</dd>
          <dt className="text-gray-600">Claim deadline</dt><dd>{request.claimDeadline ? <DateText iso={request.claimDeadline} /> : '—'}</dd>
        </>
      ) : null}
      {request.reason ? (<><dt className="text-gray-600">Vendor’s reason</dt><dd>{request.reason}</dd></>) : null}
      {request.claim ? (
        <>
          <dt className="text-gray-600">Invoice</dt><dd className="tabular-nums"><Money value={request.claim.invoiceAmount} currency={c} /></dd>
          <dt className="text-gray-600">Claimable</dt><dd className="tabular-nums"><Money value={request.claim.claimableAmount} currency={c} /></dd>
          {request.claim.leadCount !== null ? (<><dt className="text-gray-600">Leads</dt><dd>{request.claim.leadCount}</dd></>) : null}
          {request.claim.approvedAmount !== null ? (<><dt className="text-gray-600">Claim approved</dt><dd className="tabular-nums"><Money value={request.claim.approvedAmount} currency={c} /></dd></>) : null}
          {request.claim.rejectedReason ? (<><dt className="text-gray-600">Claim rejected because</dt><dd>{request.claim.rejectedReason}</dd></>) : null}
          {request.claim.paidOn ? (<><dt className="text-gray-600">Paid on</dt><dd><DateText iso={request.claim.paidOn} /></dd></>) : null}
        </>
      ) : null}
    </dl>
  )
}

/** The request's history as a card of its own, beside the request's page. */
export function HistoryCard({ request, names }: { request: FundRequestDoc; names?: Record<string, string> }) {
  return (
    <section className="card p-5" aria-labelledby="history-title">
      <h2 id="history-title" className="mb-3 text-sm font-semibold text-gray-900">History</h2>
      <History request={request} names={names} />
    </section>
  )
}

export function History({ request, names = {} }: { request: FundRequestDoc; names?: Record<string, string> }) {
  return (
    <ol className="space-y-3 text-sm">
      {[...request.history].reverse().map((item, i) => (
        <li key={`${item.at}-${i}`} className="border-l-2 border-gray-200 pl-3">
          <div className="font-medium text-gray-900">{movementLabels[item.type] ?? item.type}</div>
          <div className="text-xs text-gray-600"><DateText iso={item.at} withTime /> · {names[item.actor] ?? (item.actor.startsWith('system:') ? 'Scheduler' : item.actor)}</div>
          {item.note ? <div className="text-gray-700">{item.note}</div> : null}
        </li>
      ))}
    </ol>
  )
}
