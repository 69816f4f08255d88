// Long lists a page at a time: the page size, the page a URL asks for, and the arithmetic queries and Pager share.
import { data, redirect } from 'react-router'
import { z } from 'zod'
import { formatCount } from './format.ts'

/** rows on one page of a queue: enough to work through, few enough to load fast */
export const PAGE_SIZE = 50

/** far past any real list (5 million rows at 50 a page); a bigger number is a mistyped URL */
const MAX_PAGE = 100_000

/** which page to read and how long a page is (page from 1) */
export type PageRequest = { page?: number; size?: number }

/** a page of a list as the loaders hand it to a page: its rows, the list's length, and where it is */
export type Paged<T> = { rows: T[]; total: number; page: number; size: number }

/** a queue as a summary shows it: how many items wait, and how many of them are past their SLA */
export type QueueSummary = { waiting: number; overdue: number }

/** the number of the last page (1 for an empty list: page 1 shows the empty state) */
export const lastPage = (total: number, size: number) => Math.max(1, Math.ceil(total / size))

/** the places (from 1) of the first and last row of a page in its list: "51–100" */
export function pageRange({ page, size, total }: { page: number; size: number; total: number }): { from: number; to: number } {
  return { from: Math.min((page - 1) * size + 1, total), to: Math.min(page * size, total) }
}

export const PageNumber = z
  .string()
  .regex(/^\d+$/, 'is not a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'is below 1; pages count from 1').max(MAX_PAGE, `is above ${formatCount(MAX_PAGE)}`))

/** The page a URL asks for in `name` (1 when absent); not a page number answers 400, past the end is the query's to clamp. */
export function requestedPage(url: string | URL, name = 'page'): number {
  const raw = new URL(url).searchParams.get(name)?.trim()
  if (!raw) return 1
  const parsed = PageNumber.safeParse(raw)
  if (parsed.success) return parsed.data
  throw data(`“${name}=${raw}” is not a page of this list: it ${parsed.error.issues[0]!.message}. Use a whole number from 1.`, { status: 400 })
}

/** Redirects a URL whose page numbers are past the end of their lists to their last pages, so page and address agree. */
export function onRealPages(url: URL, pages: Record<string, { page: number }>): void {
  const fixed = new URL(url)
  let moved = false
  for (const [name, paged] of Object.entries(pages)) {
    if (requestedPage(url, name) === paged.page) continue
    fixed.searchParams.set(name, String(paged.page))
    moved = true
  }
  if (moved) throw redirect(fixed.pathname + fixed.search + fixed.hash)
}
