import { redirect } from 'react-router'
import type { Route } from './+types/home'
import { getUser } from '../auth.server.ts'

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await getUser(request, context.services)
  if (!user) throw redirect('/login')
  switch (user.role) {
    case 'partner_user':
    case 'partner_admin':
      throw redirect('/partner')
    case 'channel_manager':
    case 'vendor_admin':
      throw redirect('/vendor')
    case 'auditor':
      throw redirect('/audit')
  }
}
