import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { requireCsrf } from '../auth.server.ts'
import { readForm } from '../form-body.server.ts'

export async function loader() {
  return redirect('/')
}

/** Signs out by deleting this session's row (or, with intent=everywhere, all the user's): the cookie alone is nothing. */
export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const form = await readForm(request)
  await requireCsrf(request, services, form)
  const session = await services.sessions.get(request)
  const userId = session.get('userId')
  if (form.get('intent') === 'everywhere' && userId) {
    await services.sessions.endAll(userId)
    // a fresh signed-out session, only to say what happened on the sign-in page
    const notice = services.sessions.create()
    notice.flash('toast', { kind: 'success', message: 'Signed out on every device and browser.' })
    return redirect('/login', { headers: { 'Set-Cookie': await services.sessions.commit(request, notice) } })
  }
  return redirect('/login', { headers: { 'Set-Cookie': await services.sessions.destroy(request, session) } })
}
