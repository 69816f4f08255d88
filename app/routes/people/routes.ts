// Routes of the people area (paths are absolute; files relative to app/).
import { route, type RouteConfigEntry } from '@react-router/dev/routes'

export const peopleRoutes: RouteConfigEntry[] = [
  route('apply', 'routes/people/apply.tsx'),
  route('vendor/applications', 'routes/people/vendor-applications.tsx'),
  route('vendor/partners/:partnerId/admin', 'routes/people/vendor-partner-admin.tsx'),
  route('partner/team', 'routes/people/partner-team.tsx'),
  route('logos/:partnerId/:sha256', 'routes/people/logo.ts'),
  route('vendor/settings', 'routes/people/vendor-settings.tsx'),
  route('vendor/what-if', 'routes/vendor/what-if.tsx'),
  route('vendor/staff', 'routes/people/vendor-staff.tsx'),
  route('vendor/people/:userId/erase', 'routes/people/vendor-erase.tsx'),
]
