// A registration's conflict on screen: the vendor's rivals (partner, date, status, each linked) and the outcome; the
// partner's note says when another partner registered the customer and what the vendor decided, never who.
import { Link } from 'react-router'
import type { PartnerConflict, VendorConflict, VendorRival } from '../deal-conflict-views.server.ts'
import { formatDate } from '../format.ts'
import { Badge, StatusBadge } from './ui.tsx'

/** One rival as the vendor sees it: its partner and registration, both linked. */
export function RivalLine({ rival }: { rival: VendorRival }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
      <Link to={`/vendor/partners/${rival.partnerId}`} className="font-medium">{rival.partnerName}</Link>
      <span className="text-gray-600">·</span>
      <Link to={`/vendor/deals/${rival.dealId}`} aria-label={`registered ${formatDate(rival.registeredAt)} by ${rival.partnerName}`}>registered {formatDate(rival.registeredAt)}</Link>
      <StatusBadge status={rival.status} />
      <span className="text-xs text-gray-600">{rival.earlier ? 'earlier' : 'later'}</span>
    </span>
  )
}

/** The queue's and lists' flag: which kind of conflict, then every rival linked, and the direct account. */
export function ConflictSummary({ conflict, compact }: { conflict: VendorConflict; compact?: boolean }) {
  const label = conflict.lost ? 'Superseded'
    : conflict.won ? 'Conflict decided'
    : conflict.rivals.some((r) => r.status === 'Approved') ? 'Conflict · rival protected'
    : conflict.rivals.some((r) => r.earlier && r.status === 'Submitted') ? 'Conflict · later'
    : 'Conflict · earliest'
  return (
    <div className={`space-y-1 ${compact ? 'text-xs' : 'text-sm'}`}>
      {conflict.rivals.length ? <Badge tone={conflict.won ? 'blue' : 'red'}>{label}</Badge> : null}
      {conflict.directAccount ? (
        <div><Badge tone="red">Direct account</Badge> <Link to={`/vendor/accounts?q=${encodeURIComponent(conflict.directAccount.name)}`}>{conflict.directAccount.name}</Link></div>
      ) : null}
      {conflict.rivals.length ? (
        <ul className="space-y-1" aria-label="Rival registrations">
          {conflict.rivals.map((rival) => <li key={rival.dealId}><RivalLine rival={rival} /></li>)}
        </ul>
      ) : null}
    </div>
  )
}

/** What the vendor decided, on the vendor's deal page. */
export function VendorOutcome({ conflict, protectedUntil }: { conflict: VendorConflict; protectedUntil: string | null }) {
  if (conflict.won) {
    const superseded = conflict.rivals.filter((r) => r.status === 'Superseded')
    return (
      <p className="text-sm text-gray-800">
        Approved on {formatDate(conflict.won.decidedAt)}{superseded.length ? <> over {superseded.map((r, i) => <span key={r.dealId}>{i ? ', ' : ''}{r.partnerName}’s registration of {formatDate(r.registeredAt)}</span>)}, which {superseded.length === 1 ? 'was' : 'were'} closed</> : null}
        {conflict.won.directAccount ? <> although {conflict.won.directAccount} is a direct account</> : null}.
        {protectedUntil ? <> This partner alone holds protection until {formatDate(protectedUntil)}.</> : null}
        {conflict.won.reason ? <> Reason given: “{conflict.won.reason}”</> : null}
      </p>
    )
  }
  if (conflict.lost) {
    const { by } = conflict.lost
    return (
      <p className="text-sm text-gray-800">
        Closed on {formatDate(conflict.lost.decidedAt)}: the vendor approved {by ? <><Link to={`/vendor/partners/${by.partnerId}`}>{by.partnerName}</Link>’s <Link to={`/vendor/deals/${by.dealId}`}>registration of {formatDate(by.registeredAt)}</Link></> : 'another registration'} instead.
        {conflict.lost.protectionEndedOn ? <> Its protection ended on {formatDate(conflict.lost.protectionEndedOn)}.</> : <> It was still waiting for review.</>}
        {conflict.lost.reason ? <> Reason given: “{conflict.lost.reason}”</> : null}
      </p>
    )
  }
  return null
}

/** The partner's note on its own registration: when others registered the customer, and what was decided. */
export function PartnerConflictNote({ conflict, status, protectedUntil }: { conflict: PartnerConflict; status: string; protectedUntil: string | null }) {
  if (conflict.lost) {
    return (
      <div className="space-y-1">
        <p><strong>Another partner registered this customer on {formatDate(conflict.lost.byRegisteredAt)}, and the vendor approved that registration on {formatDate(conflict.lost.decidedAt)}.</strong></p>
        <p>Your registration is closed: {conflict.lost.protectionEndedOn ? <>your protection ended on {formatDate(conflict.lost.protectionEndedOn)}</> : 'it will not be protected'}. You may still sell to this customer, without deal protection.</p>
        {conflict.lost.reason ? <p>The vendor’s reason: “{conflict.lost.reason}”</p> : null}
      </div>
    )
  }
  if (conflict.won) {
    const over = conflict.won.over
    return (
      <div className="space-y-1">
        <p>
          <strong>The vendor approved your registration on {formatDate(conflict.won.decidedAt)}</strong>
          {over.length ? <> over {over.length === 1 ? 'another partner’s registration' : `${over.length} other partners’ registrations`} of this customer ({over.map((o) => formatDate(o.registeredAt)).join(', ')}), {over.length === 1 ? 'which is' : 'which are'} now closed</> : null}
          {conflict.won.directAccount ? <>, although the customer is one of the vendor’s direct accounts</> : null}.
        </p>
        <p>{status === 'Approved' && protectedUntil ? <>You alone hold protection on this customer until {formatDate(protectedUntil)}.</> : 'No other partner was protected on this customer alongside you.'}</p>
        {conflict.won.reason ? <p>The vendor’s reason: “{conflict.won.reason}”</p> : null}
      </div>
    )
  }
  return (
    <div className="space-y-1">
      {conflict.others.map((o, i) => (
        <p key={i}>Another partner registered this customer on {formatDate(o.registeredAt)}{o.earlier ? ', before you' : ', after you'}.</p>
      ))}
      {conflict.directAccount ? <p>This customer is one of the vendor’s direct accounts.</p> : null}
      {status === 'Submitted' ? <p className="text-gray-700">The vendor decides who is protected: the earliest registration wins unless the vendor gives a reason to decide otherwise. You will see the decision here.</p> : null}
    </div>
  )
}
