import { type RouteConfig, index, route } from '@react-router/dev/routes'
import { enablementRoutes } from './routes/enablement/routes.ts'
import { engagementRoutes } from './routes/engagement/routes.ts'
import { fundsRoutes } from './routes/funds/routes.ts'
import { peopleRoutes } from './routes/people/routes.ts'

export default [
  index('routes/home.tsx'),
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.tsx'),
  route('search', 'routes/search.tsx'),
  route('status', 'routes/status.tsx'),
  route('partner', 'routes/partner/home.tsx'),
  route('partner/deals', 'routes/partner/deals.tsx'),
  route('partner/deals/new', 'routes/partner/deals-new.tsx'),
  route('partner/deals/:dealId', 'routes/partner/deal.tsx'),
  route('vendor', 'routes/vendor/home.tsx'),
  route('vendor/deals', 'routes/vendor/deals.tsx'),
  route('vendor/deals/:dealId', 'routes/vendor/deal.tsx'),
  route('vendor/accounts', 'routes/vendor/accounts.tsx'),
  route('vendor/partners', 'routes/vendor/partners.tsx'),
  route('vendor/partners/:partnerId', 'routes/vendor/partner.tsx', { id: 'vendor-partner' }),
  route('vendor/partners/:partnerId/deals', 'routes/vendor/partner-deals.tsx'),
  route('vendor/program', 'routes/vendor/program.tsx'),
  route('audit', 'routes/audit/timeline.tsx'),
  route('audit/events/:eventId', 'routes/audit/event.tsx'),
  route('audit/partners', 'routes/vendor/partners.tsx', { id: 'audit-partners' }),
  route('audit/partners/:partnerId', 'routes/vendor/partner.tsx', { id: 'audit-partner' }),
  route('audit/as-of', 'routes/audit/as-of.tsx'),
  route('audit/verify', 'routes/audit/verify.tsx'),
  route('audit/export', 'routes/audit/export.tsx'),
  route('audit/export/download', 'routes/audit/export-download.tsx'),
  route('audit/public-key.pem', 'routes/audit/public-key.tsx'),
  // each area lists its own routes, so areas can grow independently
  ...peopleRoutes,
  ...enablementRoutes,
  ...fundsRoutes,
  ...engagementRoutes,
] satisfies RouteConfig
