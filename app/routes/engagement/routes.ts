// Routes of the engagement area (paths are absolute; files relative to app/).
import { route, type RouteConfigEntry } from '@react-router/dev/routes'

export const engagementRoutes: RouteConfigEntry[] = [
  route('partner/collaborate', 'routes/engagement/partner-collaborate.tsx'),
  route('partner/collaborate/workshops/new', 'routes/engagement/partner-workshop-new.tsx'),
  route('partner/collaborate/workshops/:workshopId', 'routes/engagement/partner-workshop.tsx'),
  route('partner/collaborate/surveys/:surveyId', 'routes/engagement/partner-survey.tsx'),
  route('vendor/engagement', 'routes/engagement/vendor-engagement.tsx'),
  route('vendor/engagement/workshops/:workshopId', 'routes/engagement/vendor-workshop.tsx'),
  route('vendor/engagement/surveys/:surveyId', 'routes/engagement/vendor-survey.tsx'),
  route('vendor/engagement/plans/:partnerId', 'routes/engagement/vendor-plan.tsx'),
]
