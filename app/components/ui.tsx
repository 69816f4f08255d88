// Small building blocks shared by pages: headers, badges, numbers, dates, empty states, form fields.
import { Link } from 'react-router'
import { formatDate, formatDateTime, formatMoney, relativeTime } from '../format.ts'

export function PageHeader({
  title, description, actions, breadcrumbs,
}: { title: string; description?: string; actions?: React.ReactNode; breadcrumbs?: { to: string; label: string }[] }) {
  return (
    <div className="mb-6">
      {breadcrumbs?.length ? (
        <nav aria-label="Breadcrumb" className="mb-2 text-sm text-gray-600">
          <ol className="flex flex-wrap items-center gap-1">
            {breadcrumbs.map((crumb) => (
              <li key={crumb.to} className="flex items-center gap-1">
                <Link to={crumb.to} className="text-gray-700 hover:text-gray-900">{crumb.label}</Link>
                <span aria-hidden="true">/</span>
              </li>
            ))}
            <li aria-current="page" className="text-gray-900">{title}</li>
          </ol>
        </nav>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-gray-900">{title}</h1>
          {description ? <p className="mt-1 text-sm text-gray-600">{description}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </div>
  )
}

const badgeTones = {
  green: 'bg-green-50 text-green-800 ring-green-600/30',
  amber: 'bg-amber-50 text-amber-900 ring-amber-600/30',
  red: 'bg-red-50 text-red-800 ring-red-600/30',
  blue: 'bg-blue-50 text-blue-800 ring-blue-600/30',
  gray: 'bg-gray-100 text-gray-700 ring-gray-500/30',
} as const
export type Tone = keyof typeof badgeTones

export function Badge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${badgeTones[tone]}`}>
      {children}
    </span>
  )
}

const statusTone: Record<string, Tone> = {
  Submitted: 'amber', Approved: 'green', Rejected: 'red', Withdrawn: 'gray', Won: 'green', Lost: 'gray', Expired: 'red',
}
const statusLabel: Record<string, string> = { Submitted: 'Waiting for review' }
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? 'blue'}>{statusLabel[status] ?? status}</Badge>
}

export function Money({ value, currency }: { value: number; currency: string }) {
  return <>{formatMoney(value, currency)}</>
}
export { formatDate, formatMoney, relativeTime }

/** "12 Mar 2026", with the relative time on hover */
export function DateText({ iso, withTime }: { iso: string; withTime?: boolean }) {
  return (
    <time dateTime={iso} title={relativeTime(iso)}>
      {withTime ? formatDateTime(iso) : formatDate(iso)}
    </time>
  )
}

export function EmptyState({ title, description, action }: { title: string; description: string; action?: React.ReactNode }) {
  return (
    <div className="card flex flex-col items-center px-6 py-12 text-center">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-10 w-10 text-gray-400" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5z" /><path d="m3 7.5 9 4.5 9-4.5M12 12v9" />
      </svg>
      <h2 className="mt-3 text-base font-semibold text-gray-900">{title}</h2>
      <p className="mt-1 max-w-md text-sm text-gray-600">{description}</p>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  )
}

export function Field({
  label, name, error, hint, children,
}: { label: string; name: string; error?: string; hint?: string; children?: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={name} className="label">{label}</label>
      <div className="mt-1">{children}</div>
      {hint && !error ? <p id={`${name}-hint`} className="mt-1 text-xs text-gray-600">{hint}</p> : null}
      {error ? <p id={`${name}-error`} className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  )
}

/** Props that wire an input to its label, hint and error. */
export function inputProps(name: string, error?: string, hint?: string) {
  return {
    id: name,
    name,
    className: `input ${error ? 'input-error' : ''}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${name}-error` : hint ? `${name}-hint` : undefined,
  }
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/30">
      {message}
    </div>
  )
}

export type Column = { label: React.ReactNode; className?: string }

/** A list as a table in a card: the header row from `columns`, the rows as children. */
export function TableCard({ columns, children }: { columns: Column[]; children: React.ReactNode }) {
  return (
    <div className="card overflow-x-auto">
      <table className="table-base">
        <thead className="bg-gray-50">
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.className ? `th ${column.className}` : 'th'}>{column.label}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">{children}</tbody>
      </table>
    </div>
  )
}
