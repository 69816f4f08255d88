// "Showing 51–100 of 2,340" with Previous / Next as plain links on the list's own search parameter, so paging works
// without JavaScript and each list on a page pages on its own.
import { Link, useLocation } from 'react-router'
import { formatCount } from '../format.ts'
import { lastPage, pageRange } from '../paging.ts'

/** the link to page `n` of the list paged by `param`, keeping the other lists' pages */
export function pageHref(location: { pathname: string; search: string }, param: string, n: number, anchor?: string) {
  const search = new URLSearchParams(location.search)
  if (n > 1) search.set(param, String(n))
  else search.delete(param)
  const query = search.toString()
  return `${location.pathname}${query ? `?${query}` : ''}${anchor ? `#${anchor}` : ''}`
}

const step = 'inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium'

/** The pager of one list, nothing when it fits on one page; `anchor` (its heading's id) opens later pages at the list. */
export function Pager({ list, label, param = 'page', order, anchor, className = '' }: {
  list: { page: number; size: number; total: number }; label: string; param?: string; order?: string; anchor?: string; className?: string
}) {
  const { page, size, total } = list
  const location = useLocation()
  const last = lastPage(total, size)
  if (last <= 1) return null
  const { from, to } = pageRange(list)
  const disabled = `${step} cursor-default bg-gray-50 text-gray-500 ring-1 ring-inset ring-gray-200`
  const enabled = `${step} bg-white text-gray-800 no-underline shadow-sm ring-1 ring-inset ring-gray-300 hover:bg-gray-50`
  return (
    <nav aria-label={label} className={`flex flex-wrap items-center gap-x-4 gap-y-2 ${className}`}>
      <p className="text-sm text-gray-700">
        Showing <span className="font-medium tabular-nums text-gray-900">{formatCount(from)}–{formatCount(to)}</span> of{' '}
        <span className="font-medium tabular-nums text-gray-900">{formatCount(total)}</span>{order ? `, ${order}` : ''}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link rel="prev" to={pageHref(location, param, page - 1, anchor)} className={enabled}>
            <span aria-hidden="true">←</span> Previous<span className="sr-only"> page</span>
          </Link>
        ) : (
          <span aria-hidden="true" className={disabled}>← Previous</span>
        )}
        <span className="text-sm tabular-nums text-gray-600">Page {formatCount(page)} of {formatCount(last)}</span>
        {page < last ? (
          <Link rel="next" to={pageHref(location, param, page + 1, anchor)} className={enabled}>
            Next<span className="sr-only"> page</span> <span aria-hidden="true">→</span>
          </Link>
        ) : (
          <span aria-hidden="true" className={disabled}>Next →</span>
        )}
      </div>
    </nav>
  )
}

/** A hidden `returnTo` with the page's path and search, so the action returns to the same page of the list. */
export function ReturnHere({ anchor }: { anchor?: string }) {
  const { pathname, search } = useLocation()
  return <input type="hidden" name="returnTo" value={`${pathname}${search}${anchor ? `#${anchor}` : ''}`} />
}
