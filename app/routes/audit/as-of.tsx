import { data, redirect } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/as-of'
import { requireAction } from '../../auth.server.ts'
import { asOfClockLabels, DEFAULT_AS_OF_CLOCK } from '../../audit.server.ts'
import { safeRedirect } from '../../redirect.server.ts'
import { formatDate, isoDay } from '../../format.ts'

export async function loader() {
  return redirect('/audit')
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { form } = await requireAction(request, services, 'audit:read')
  const today = isoDay(services.clock())
  const date = z.union([z.literal(''), z.iso.date()]).safeParse(form.get('date') ?? '')
  if (!date.success) throw data('Choose a date as YYYY-MM-DD.', { status: 400 })
  if (date.data > today) throw data(`Choose a date up to today (${today}): the future has not happened yet.`, { status: 400 })
  const clock = z.enum(['recorded', 'occurred']).optional().safeParse(form.get('clock') || undefined)
  if (!clock.success) throw data('Choose the clock: recorded (as the vendor knew it) or occurred (as it happened).', { status: 400 })
  const session = await services.sessions.get(request)
  if (date.data) {
    const chosen = clock.data ?? session.get('asOfClock') ?? DEFAULT_AS_OF_CLOCK
    session.set('asOf', date.data)
    session.set('asOfClock', chosen)
    session.flash('toast', { kind: 'info', message: `Showing the program as of ${formatDate(`${date.data}T00:00:00Z`)}, ${asOfClockLabels[chosen]}.` })
  } else {
    session.unset('asOf')
    session.flash('toast', { kind: 'info', message: 'Showing the program as it is now.' })
  }
  const to = backTo(request.headers.get('Referer'), new URL(request.url).host)
  return redirect(to, { headers: { 'Set-Cookie': await services.sessions.commit(request, session) } })
}

/** Back to the page the form was on (its Referer) when that page is on this site; a malformed one goes to /audit. */
function backTo(referer: string | null, host: string) {
  try {
    const from = referer ? new URL(referer) : null
    return from && from.host === host ? safeRedirect(from.pathname + from.search, '/audit') : '/audit'
  } catch {
    return '/audit'
  }
}
