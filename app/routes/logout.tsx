import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { requireCsrf } from '../auth.server.ts'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  await requireCsrf(request, services, await request.formData())
  const session = await services.sessions.get(request)
  return redirect('/login', { headers: { 'Set-Cookie': await services.sessions.destroy(request, session) } })
}
