// Routes of the funds area (paths are absolute; files relative to app/).
import { route, type RouteConfigEntry } from '@react-router/dev/routes'

export const fundsRoutes: RouteConfigEntry[] = [
  route('partner/funds', 'routes/funds/partner-funds.tsx'),
  route('partner/funds/new', 'routes/funds/partner-funds-new.tsx'),
  route('partner/funds/:requestId', 'routes/funds/partner-fund.tsx'),
  route('vendor/funds', 'routes/funds/vendor-funds.tsx'),
  route('vendor/funds/queue', 'routes/funds/vendor-queue.tsx'),
  route('vendor/funds/:requestId', 'routes/funds/vendor-fund.tsx'),
  route('funds/ledger/:partnerId/:quarter', 'routes/funds/ledger.tsx'),
  route('funds/evidence/:requestId/:sha256', 'routes/funds/evidence.tsx'),
]
