// The frame every signed-in page shares: top bar, role navigation, and the main area.
import { Form, NavLink, useLocation, useRouteLoaderData } from 'react-router'
import type { AsOf } from '../as-of.ts'
import type { CurrentUser } from '../auth.server.ts'
import { AsOfBanner, AsOfForm } from './as-of.tsx'
import { roleLabels } from '../permissions.ts'

/** `also`: other paths the item stands for (a page reached from its section, not listed itself) */
type NavItem = { to: string; label: string; badge?: number; end?: boolean; also?: string[] }

export function navFor(role: CurrentUser['role'], queueSize: number): NavItem[] {
  switch (role) {
    case 'partner_user':
    case 'partner_admin':
      return [
        { to: '/partner', label: 'Home', end: true },
        { to: '/partner/library', label: 'Library' },
        { to: '/partner/deals', label: 'Deals' },
        { to: '/partner/funds', label: 'Funds' },
        { to: '/partner/training', label: 'Training' },
        { to: '/partner/collaborate', label: 'Collaborate' },
        { to: '/partner/team', label: role === 'partner_admin' ? 'Team & profile' : 'Profile' },
      ]
    case 'channel_manager':
    case 'vendor_admin':
      return [
        { to: '/vendor', label: 'Queues', badge: queueSize, end: true },
        { to: '/vendor/partners', label: 'Partners', also: ['/vendor/accounts'] },
        { to: '/vendor/program', label: 'Program' },
        { to: '/vendor/enablement', label: 'Enablement' },
        { to: '/vendor/funds', label: 'Funds' },
        { to: '/vendor/engagement', label: 'Engagement' },
        { to: '/vendor/settings', label: 'Settings', also: ['/vendor/what-if'] },
      ]
    case 'auditor':
      return [
        { to: '/audit', label: 'Timeline', end: true },
        { to: '/audit/partners', label: 'Partners' },
        { to: '/audit/verify', label: 'Verify' },
        { to: '/audit/export', label: 'Export' },
      ]
  }
}

export function CsrfInput() {
  const root = useRouteLoaderData('root') as { csrf: string } | undefined
  return <input type="hidden" name="csrf" value={root?.csrf ?? ''} />
}

export function Shell({ user, queueSize, asOf, today, children }: { user: CurrentUser; queueSize: number; asOf: AsOf | null; today: string; children: React.ReactNode }) {
  const items = navFor(user.role, queueSize)
  const waiting = items.reduce((sum, item) => sum + (item.badge ?? 0), 0)
  const location = useLocation()
  const query = location.pathname === '/search' ? (new URLSearchParams(location.search).get('q') ?? '') : ''
  return (
    <div className="min-h-full">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-gray-200 bg-white">
        <div className="flex min-h-14 flex-wrap items-center gap-x-2 gap-y-2 px-3 py-2 sm:gap-x-3 sm:px-4 lg:flex-nowrap">
          <a href="/" className="flex shrink-0 items-center gap-2 font-semibold text-gray-900 no-underline">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            <span>Partnerlog</span>
          </a>
          <span className="hidden max-w-48 truncate rounded-md bg-gray-100 px-2 py-0.5 text-sm text-gray-700 sm:inline xl:max-w-xs" title={`The organisation you act for: ${user.organisationName}`}>
            {user.organisationName}
          </span>
          <form method="get" action="/search" role="search" className="ml-auto hidden w-full max-w-xs md:block">
            <label htmlFor="global-search" className="sr-only">Search</label>
            <input id="global-search" key={query} name="q" type="search" defaultValue={query} placeholder={searchPlaceholder(user.role)} className="input" />
          </form>
          {user.role === 'auditor' ? <AsOfForm asOf={asOf} today={today} /> : null}
          <div className="ml-auto flex items-center gap-2 sm:gap-3 md:ml-0">
            {/* on a phone the search field is the search page's own, one tap away */}
            <a href="/search" className="btn-secondary px-2.5 md:hidden" aria-label="Search" title="Search">
              <SearchIcon />
            </a>
            {/* a <details> opens without JavaScript; keyed by the location so that it closes when a link in it is followed */}
            <details key={location.key} className="group md:hidden">
              <summary className="btn-secondary relative cursor-pointer list-none px-2.5 [&::-webkit-details-marker]:hidden" aria-label={waiting ? `Menu, ${waiting} waiting` : 'Menu'}>
                <MenuIcon />
                {waiting ? <span aria-hidden="true" className="absolute top-1 right-1 h-2 w-2 rounded-full bg-amber-500 ring-2 ring-white" /> : null}
              </summary>
              <div className="absolute inset-x-0 top-full border-b border-gray-200 bg-white px-3 pt-2 pb-3 shadow-lg">
                <p className="border-b border-gray-100 px-3 pb-2 text-sm text-gray-700">
                  <span className="font-medium text-gray-900">{user.name}</span> · {roleLabels[user.role]}, {user.organisationName}
                </p>
                <nav aria-label="Main" className="mt-2">
                  <ul className="space-y-0.5">
                    {items.map((item) => (
                      <li key={item.to}><NavItemLink item={item} roomy /></li>
                    ))}
                  </ul>
                </nav>
              </div>
            </details>
            <div className="hidden text-right leading-tight sm:block">
              <div className="text-sm font-medium whitespace-nowrap text-gray-900">{user.name}</div>
              <div className="text-xs text-gray-600">{roleLabels[user.role]}</div>
            </div>
            <Form method="post" action="/logout" className="flex items-center gap-2">
              <CsrfInput />
              <button type="submit" className="btn-secondary whitespace-nowrap">Sign out</button>
              {/* the rarer choice, one click away; <details> opens without JavaScript */}
              <details className="relative">
                <summary className="btn-secondary cursor-pointer list-none px-2.5 [&::-webkit-details-marker]:hidden" aria-label="More ways to sign out">
                  <span aria-hidden="true">⋯</span>
                </summary>
                <div className="card absolute right-0 z-20 mt-1 w-60 p-3 shadow-lg">
                  <button type="submit" name="intent" value="everywhere" className="btn-secondary w-full">Sign out everywhere</button>
                  <p className="mt-2 text-xs text-gray-600">Ends your sessions in every browser and on every device.</p>
                </div>
              </details>
            </Form>
          </div>
        </div>
        <nav aria-label="Main" className="hidden gap-1 overflow-x-auto border-t border-gray-100 px-2 py-1 md:flex lg:hidden">
          {items.map((item) => (
            <NavItemLink key={item.to} item={item} compact />
          ))}
        </nav>
      </header>
      <div className="flex min-h-[calc(100vh-3.5rem)]">
        <nav aria-label="Sections" className="hidden w-56 shrink-0 border-r border-gray-200 bg-white lg:block">
          <ul className="sticky top-14 space-y-0.5 p-3">
            {items.map((item) => (
              <li key={item.to}>
                <NavItemLink item={item} />
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {asOf ? <AsOfBanner asOf={asOf} /> : null}
          {children}
        </main>
      </div>
    </div>
  )
}

const searchPlaceholder = (role: CurrentUser['role']) =>
  role === 'auditor' ? 'Search partners, event types…' : role === 'partner_user' || role === 'partner_admin' ? 'Search deals, assets, courses…' : 'Search partners, deals, assets…'

function SearchIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.75">
      <circle cx="8.5" cy="8.5" r="5.5" /><path d="m13 13 4.5 4.5" strokeLinecap="round" />
    </svg>
  )
}

function MenuIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round">
      <path d="M3 5.5h14M3 10h14M3 14.5h14" className="group-open:hidden" />
      <path d="m5 5 10 10M15 5 5 15" className="hidden group-open:block" />
    </svg>
  )
}

/** `compact`: one line in a row that scrolls; `roomy`: a finger's height, in the phone's menu */
function NavItemLink({ item, compact, roomy }: { item: NavItem; compact?: boolean; roomy?: boolean }) {
  const { pathname } = useLocation()
  const standsFor = item.also?.some((path) => pathname === path || pathname.startsWith(`${path}/`)) ?? false
  return (
    <NavLink
      to={item.to}
      end={item.end}
      className={({ isActive }) =>
        `flex items-center justify-between gap-2 rounded-md px-3 text-sm font-medium no-underline ${roomy ? 'py-2.5' : 'py-1.5'} ${compact ? 'whitespace-nowrap' : ''} ${
          isActive || standsFor ? 'bg-brand-50 text-brand-800' : 'text-gray-700 hover:bg-gray-100 hover:text-gray-900'
        }`
      }
    >
      <span>{item.label}</span>
      {item.badge ? (
        <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900" aria-label={`${item.badge} waiting`}>
          {item.badge}
        </span>
      ) : null}
    </NavLink>
  )
}
