// Routes of the enablement area (paths are absolute; files relative to app/).
import { route, type RouteConfigEntry } from '@react-router/dev/routes'

export const enablementRoutes: RouteConfigEntry[] = [
  route('partner/library', 'routes/enablement/partner-library.tsx'),
  route('partner/library/:assetId', 'routes/enablement/partner-asset.tsx'),
  route('partner/library/:assetId/download', 'routes/enablement/partner-asset-download.tsx'),
  route('partner/library/:assetId/cobrand/:format', 'routes/enablement/partner-asset-cobrand.tsx'),
  route('partner/training', 'routes/enablement/partner-training.tsx'),
  route('partner/training/:courseId', 'routes/enablement/partner-course.tsx'),
  route('vendor/enablement', 'routes/enablement/vendor-enablement.tsx'),
  route('vendor/enablement/assets/new', 'routes/enablement/vendor-asset-new.tsx'),
  route('vendor/enablement/assets/:assetId', 'routes/enablement/vendor-asset.tsx'),
  route('vendor/enablement/courses/new', 'routes/enablement/vendor-course-new.tsx'),
  route('vendor/enablement/courses/:courseId', 'routes/enablement/vendor-course.tsx'),
]
